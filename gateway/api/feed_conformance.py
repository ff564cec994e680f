"""`GET /v1/feed/conformance`: the feed as an enforceable standard, by reputation (issue 15 item 6).

Public (no token, no policy decision: it describes suppliers' feeds, not pupils) and audited like any
request (an audit failure is a 503 `audit-unavailable`, as everywhere; the contract does not list it here,
as it lists no 503 for the other public routes). Per MIS product and version, and per sending aggregator: batches, rows, the reject rate by reason,
late registers, the corrections rate. The disclosure rule (a group is shown only when its batches named at
least `MIN_SCHOOLS` schools) is gateway.store.feed_conformance's, and the answer states it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Final, Literal

import msgspec
from litestar import get
from litestar.di import NamedDependency
from psycopg import AsyncConnection

from gateway.edge.public import PUBLIC_AUDITED
from gateway.services import Services
from gateway.store.feed_conformance import MIN_SCHOOLS, Conformance, GroupFigures, conformance
from gateway.store.feed_verdicts import LatestVerdict, latest_verdicts

# The feed schema every batch is checked against (docs/feed.md); batches do not carry one of their own.
FEED_SCHEMA_VERSION: Final = "1"
RULE: Final = (
    f"A product and version, or a sender, is shown only when its batches' valid rows named at least {MIN_SCHOOLS}"
    " distinct schools; smaller groups are counted in `withheld` and not shown."
)
TAGS: Final = ["feed"]
EXAMPLE_FIGURES: Final = {
    "feed_kinds": ["marks"],
    "batches": 12,
    "rows": 48210,
    "schools": 7,
    "rejected": 31,
    "reject_rate": 0.0006,
    "reject_rate_by_reason": {"code_unknown": 0.0004, "bad_value": 0.0002},
    "corrections": 120,
    "corrections_rate": 0.0025,
    "late_sessions": 3020,
    "late_rate": 0.0631,
}
EXAMPLE_PRODUCT: Final = {
    **EXAMPLE_FIGURES,
    "mis_product": "Arbor",
    "mis_version": "2026.3.1",
    "pack_verdict": "pass",
    "pack_checked_at": "2026-12-02T06:00:00Z",
    "pack_version": "1",
}
PackVerdict = Literal["pass", "fail", "not-checked"]


def _doc(text: str, example: Any) -> msgspec.Meta:
    return msgspec.Meta(description=text, examples=[example])


def _rate(part: int, whole: int) -> float | None:
    return None if whole == 0 else round(part / whole, 4)


class FeedFigures(msgspec.Struct, kw_only=True):
    """What one group's batches sent and how much of it the gateway refused, corrected or got late."""

    feed_kinds: Annotated[list[str], _doc("Feed kinds among the group's batches", ["marks", "roster"])]
    batches: Annotated[int, _doc("Batches committed", 12)]
    rows: Annotated[int, _doc("Rows sent: accepted, updated, unchanged and rejected", 48210)]
    schools: Annotated[int, _doc("Distinct schools named by the batches' valid rows", 7)]
    rejected: Annotated[int, _doc("Rows rejected", 31)]
    reject_rate: Annotated[float | None, _doc("Rejected rows over rows sent; null when no rows", 0.0006)]
    reject_rate_by_reason: Annotated[
        dict[str, float],
        _doc(
            "Rejected rows of each reason code over rows sent", {"unknown_code": 0.0004, "bad_value": 0.0002}
        ),
    ]
    corrections: Annotated[int, _doc("Valid rows that replaced a stored value (updated)", 120)]
    corrections_rate: Annotated[float | None, _doc("Corrections over rows sent; null when no rows", 0.0025)]
    late_sessions: Annotated[
        int, _doc("Valid attendance marks dated before the day their batch was received (England)", 3020)
    ]
    late_rate: Annotated[
        float | None, _doc("Late sessions over valid marks sent; null when the group sent no marks", 0.0631)
    ]

    @classmethod
    def of(cls, g: GroupFigures) -> dict[str, Any]:
        return {
            "feed_kinds": list(g.feed_kinds),
            "batches": g.batches,
            "rows": g.rows,
            "schools": g.schools,
            "rejected": g.rejected,
            "reject_rate": _rate(g.rejected, g.rows),
            "reject_rate_by_reason": {
                r: rate for r, n in g.rejected_by_reason.items() if (rate := _rate(n, g.rows)) is not None
            },
            "corrections": g.corrections,
            "corrections_rate": _rate(g.corrections, g.rows),
            "late_sessions": g.late_sessions,
            "late_rate": _rate(g.late_sessions, g.mark_rows),
        }


class ProductConformance(FeedFigures, kw_only=True):
    """One MIS product and version (as the `MIS-Product` / `MIS-Version` headers said)."""

    mis_product: Annotated[str, _doc("The MIS product", "Arbor")]
    mis_version: Annotated[str | None, _doc("Its version; null when the sender gave none", "2026.3.1")]
    pack_verdict: Annotated[
        PackVerdict,
        _doc(
            "The latest verdict the gateway's checker gave this product and version on the published test pack"
            " (POST /v1/feed/conformance/checks): pass, fail, or not-checked when none was submitted",
            "pass",
        ),
    ]
    pack_checked_at: Annotated[
        datetime | None, _doc("When that verdict was given; null when not checked", "2026-12-02T06:00:00Z")
    ]
    pack_version: Annotated[
        str | None, _doc("The test pack version that verdict is about; null when not checked", "1")
    ]


def _verdict(latest: LatestVerdict | None) -> dict[str, Any]:
    if latest is None:
        return {"pack_verdict": "not-checked", "pack_checked_at": None, "pack_version": None}
    return {
        "pack_verdict": "pass" if latest.passed else "fail",
        "pack_checked_at": latest.checked_at,
        "pack_version": latest.pack_version,
    }


class SenderConformance(FeedFigures, kw_only=True):
    """One sending organisation (an aggregator: the organisation of the token that sent the batches)."""

    sender: Annotated[str, _doc("The sending organisation", "register-aggregator")]


class FeedConformance(msgspec.Struct, kw_only=True):
    """The public conformance record of the register feed, per MIS product and version and per sender."""

    schema_version: Annotated[
        str, _doc("The feed schema the batches were checked against", FEED_SCHEMA_VERSION)
    ]
    min_schools: Annotated[
        int, _doc("Fewest schools a group's batches must name for it to be shown", MIN_SCHOOLS)
    ]
    rule: Annotated[str, _doc("The disclosure rule, in words", RULE)]
    products: Annotated[list[ProductConformance], _doc("Per MIS product and version", [EXAMPLE_PRODUCT])]
    products_withheld: Annotated[int, _doc("Product and version groups below the rule, not shown", 1)]
    senders: Annotated[
        list[SenderConformance],
        _doc("Per sending organisation", [{**EXAMPLE_FIGURES, "sender": "register-aggregator"}]),
    ]
    senders_withheld: Annotated[int, _doc("Senders below the rule, not shown", 0)]


def _record(
    products: Conformance, senders: Conformance, verdicts: dict[tuple[str, str | None], LatestVerdict]
) -> FeedConformance:
    return FeedConformance(
        schema_version=FEED_SCHEMA_VERSION,
        min_schools=MIN_SCHOOLS,
        rule=RULE,
        products=[
            ProductConformance(
                mis_product=g.key,
                mis_version=g.version,
                **FeedFigures.of(g),
                **_verdict(verdicts.get((g.key, g.version))),
            )
            for g in products.groups
        ],
        products_withheld=products.withheld,
        senders=[SenderConformance(sender=g.key, **FeedFigures.of(g)) for g in senders.groups],
        senders_withheld=senders.withheld,
    )


async def read_record(conn: AsyncConnection[Any]) -> FeedConformance:
    """The record as the route answers it (the console's feed page shows the same)."""
    products = await conformance(conn, "product")
    senders = await conformance(conn, "sender")
    return _record(products, senders, await latest_verdicts(conn))


@get(
    "/v1/feed/conformance",
    opt=PUBLIC_AUDITED,
    summary="Feed conformance by MIS product and sender",
    tags=TAGS,
)
async def feed_conformance(services: NamedDependency[Services]) -> FeedConformance:
    """How clean the register feeds each MIS product and version, and each sending aggregator, sent: batches,
    rows, reject rate by reason, late registers and corrections, and each product's latest verdict on the
    published test pack. Public and aggregated: no pupil data, and no
    group whose batches named fewer than `min_schools` schools. Every request is audited."""
    async with services.pool.connection() as conn:
        return await read_record(conn)


FEED_CONFORMANCE_ROUTES: Final = (feed_conformance,)
