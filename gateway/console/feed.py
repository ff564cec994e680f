"""`/console/feed`: the feed conformance record (GET /v1/feed/conformance) as a page, for a school choosing an
MIS and a supplier reading its own figures.

Public, like the API record it shows: no sign-in and no policy decision (it holds supplier figures, never a
pupil), audited like any request (`PUBLIC_AUDITED`). It shows exactly the record's rows, so the record's
disclosure rule (a group is shown only when its batches named at least `min_schools` schools) holds here too.
"""

from __future__ import annotations

from typing import Annotated, Any, Final, Literal

from litestar import Response, get
from litestar.di import NamedDependency
from litestar.params import Parameter

from gateway.api.feed_conformance import FeedConformance, FeedFigures, read_record
from gateway.console.rendering import page
from gateway.console.tables import Column, Table
from gateway.console.views import csv_download
from gateway.edge.public import PUBLIC_AUDITED
from gateway.services import Services

PATH: Final = "/console/feed"
VERDICT_LABELS: Final = {"pass": "Pass", "fail": "Fail", "not-checked": "Not checked"}
FIGURE_COLUMNS: Final = (
    Column("batches", "Batches", "count"),
    Column("rows", "Rows sent", "count"),
    Column("schools", "Schools", "count"),
    Column("rejected", "Rows rejected", "count"),
    Column("reject_rate", "Rejected (%)"),
    Column("reasons", "Rejected by reason (% of rows sent)", "text"),
    Column("corrections_rate", "Corrections (%)"),
    Column("late_rate", "Late sessions (%)"),
)


def _percent(rate: float | None) -> float | None:
    return None if rate is None else round(rate * 100, 2)


def _figures(row: FeedFigures) -> dict[str, Any]:
    reasons = ", ".join(f"{r} {rate * 100:.1f}" for r, rate in sorted(row.reject_rate_by_reason.items()))
    return {
        "batches": row.batches,
        "rows": row.rows,
        "schools": row.schools,
        "rejected": row.rejected,
        "reject_rate": _percent(row.reject_rate),
        "reasons": reasons or "none",
        "corrections_rate": _percent(row.corrections_rate),
        "late_rate": _percent(row.late_rate),
    }


def tables(record: FeedConformance) -> tuple[Table, Table]:
    """The record's two tables, as the page shows them and their CSV downloads carry them."""
    products = Table(
        "products",
        "By MIS product and version",
        (
            Column("product", "Product", "text"),
            Column("version", "Version", "text"),
            Column("verdict", "Test pack verdict", "text"),
            Column("checked", "Checked on", "text"),
            *FIGURE_COLUMNS,
        ),
        [
            {
                "product": p.mis_product,
                "version": p.mis_version or "not given",
                "verdict": VERDICT_LABELS[p.pack_verdict]
                + (f" (pack {p.pack_version})" if p.pack_version is not None else ""),
                "checked": p.pack_checked_at.strftime("%-d %B %Y") if p.pack_checked_at else "never",
                **_figures(p),
            }
            for p in record.products
        ],
    )
    senders = Table(
        "senders",
        "By sender (aggregator)",
        (Column("sender", "Sender", "text"), *FIGURE_COLUMNS),
        [{"sender": s.sender, **_figures(s)} for s in record.senders],
    )
    return products, senders


@get(PATH.removeprefix("/console"), opt=PUBLIC_AUDITED)
async def feed_page(
    services: NamedDependency[Services],
    download: Annotated[
        Literal["products", "senders"] | None, Parameter(description="A table to download as CSV")
    ] = None,
) -> Response[Any]:
    """The conformance record: per product and version (with the test pack verdict) and per sender."""
    async with services.pool.connection() as conn:
        record = await read_record(conn)
    products, senders = tables(record)
    if download is not None:
        table = products if download == "products" else senders
        return csv_download(f"feed-conformance-{table.key}.csv", table.header(), table.values())
    return page(
        "feed_conformance.html",
        {
            "title": "Feed conformance",
            "record": record,
            "products": products,
            "senders": senders,
        },
    )


FEED_PAGE_ROUTES: Final = [feed_page]
