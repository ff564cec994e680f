"""A DfE analyst's pages: the daily national and regional series (strike and closure days marked), and which
schools were open, partially closed or closed on a chosen date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Final

from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter

from gateway.api.publishing import Protected, profile_from, protect_closures, protect_daily
from gateway.api.schemas import DailyRow
from gateway.console.charts import Band, Series, line_chart
from gateway.console.pages import PAGE_BY_KEY, agreement_for
from gateway.console.reads import dates_of
from gateway.console.school import Download, PeriodParam
from gateway.console.tables import Column, Table
from gateway.console.views import csv_download, page_view, period_choices, period_label, period_name, resolve
from gateway.edge.governed import Governed, Requested, governed_route
from gateway.edge.release_control import Batch, area_series, release_gate
from gateway.services import Services
from gateway.store.named_periods import YTD
from gateway.store.queries import ClosuresQuery, RegionalDailyQuery
from gateway.store.reference import local_authorities
from gateway.store.scope import AreaFilter

# A day on which this share of the sessions marked were not possible (closure codes #, Y3, Y4 and the like)
# is marked on the chart: in 2023 the national strike day stood out at about 40%; an ordinary day is ~1%.
DISRUPTION_SHARE: Final = 5.0
STATUS_LABELS: Final = {
    "open": "Open",
    "partially_closed": "Partially closed",
    "closed": "Closed",
    "no_register": "No register received",
}
LISTED_SCHOOLS: Final = 500


def regions() -> list[str]:
    return sorted({la.region for la in local_authorities()})


@dataclass(frozen=True, slots=True)
class NationalRequested(Requested):
    period_name: str = YTD
    day: date | None = None
    download: str | None = None


async def _national_request(
    request: Request[Any, Any, Any], services: Services, key: str, **extra: Any
) -> NationalRequested:
    agreement = await agreement_for(request, services, key)
    return NationalRequested(
        purpose=agreement.purposes[0] if agreement else None,
        agreement=agreement.agreement_id if agreement else None,
        resource="attendance_aggregate",
        fields=("aggregate_counts",),
        level="national",
        **extra,
    )


async def daily_request(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    period: PeriodParam = None,
    download: Download = None,
) -> NationalRequested:
    return await _national_request(
        request, services, "national-daily", period_name=period_name(period), download=download
    )


def _not_possible_share(row: DailyRow) -> float | None:
    marked = row.possible_sessions, row.not_counted_sessions
    if not all(isinstance(v, int) for v in marked) or not sum(marked):  # type: ignore[arg-type]
        return None
    return round(
        100.0 * int(row.not_counted_sessions) / (int(row.possible_sessions) + int(row.not_counted_sessions)),
        1,
    )


@get("/national/daily", **governed_route("attendance.daily", requested=daily_request))
async def national_daily(request: Request[Any, Any, Any], gov: Governed[NationalRequested]) -> Response[Any]:
    """England and each region, day by day: pupils in school, the official attendance rate, closures."""
    chosen = await resolve(gov, gov.requested.period_name)
    ytd = chosen if chosen.name == YTD else await resolve(gov, YTD)
    period, profile = dates_of(chosen), gov.obligations.disclosure_profile
    collected: list[Protected] = []
    # England and every region in one read of the rollup; each series is then protected on its own.
    series = await gov.read(RegionalDailyQuery(period, gov.scope))
    england, disclosure = protect_daily([r for r in series if r["whole_area"]], profile, collected)
    # Every day of England and of each region goes through the ledger, as the API's daily series does.
    batches = [Batch(collected, period.date_from, period.date_to, day_series=area_series(AreaFilter()))]
    by_region: dict[str, dict[date, DailyRow]] = {}
    for region in regions():
        collected = []
        in_region = [r for r in series if not r["whole_area"] and r["region"] == region]
        rows, _ = protect_daily(in_region, profile, collected)
        batches.append(
            Batch(
                collected,
                period.date_from,
                period.date_to,
                day_series=area_series(AreaFilter(region=region)),
            )
        )
        if rows:
            by_region[region] = {r.date: r for r in rows}
    await release_gate(gov, profile_from(profile), batches)
    days = [r.date for r in england]
    columns = [
        Column("date", "Date", "text"),
        Column("schools", "Schools with registers", "count"),
        Column("england", "England: pupils in school (%)"),
        Column("official", "England: attendance (%)"),
        Column("not_possible", "England: sessions not possible (%)"),
        *(Column(f"region:{r}", f"{r} (%)") for r in by_region),
    ]
    table = Table(
        "daily", "Daily attendance: pupils in school as a share of all sessions marked", tuple(columns)
    )
    bands: list[Band] = []
    for i, row in enumerate(england):
        share = _not_possible_share(row)
        entry: dict[str, Any] = {
            "date": f"{row.date:%a %-d %b}",
            "iso": row.date.isoformat(),
            "schools": row.schools_with_registers,
            "england": row.attendance_of_all_sessions_rate,
            "official": row.attendance_rate,
            "not_possible": share if share is not None else "x",
            "disrupted": share is not None and share >= DISRUPTION_SHARE,
        }
        for region, of_region in by_region.items():
            found = of_region.get(row.date)
            entry[f"region:{region}"] = found.attendance_of_all_sessions_rate if found else "x"
        if entry["disrupted"]:
            bands.append(Band(i, "closures"))
        table.rows.append(entry)
    if gov.requested.download == "daily":
        gov.release(len(table.rows))
        return csv_download(f"daily-{chosen.name}.csv", table.header(), table.values())
    gov.release(len(table.rows))

    def values(key: str) -> tuple[float | None, ...]:
        return tuple(v if isinstance(v, float) else None for v in (r[key] for r in table.rows))

    chart = line_chart(
        "daily-chart",
        "Pupils in school each day: England and its regions",
        "Pupils in school as a percentage of all sessions marked, for England and each region, by school day; "
        "shaded days had many sessions not possible because of closures (such as a strike). The same figures "
        "are in the table.",
        [f"{d:%d %b}" for d in days],
        [Series("England", values("england")), *(Series(r, values(f"region:{r}")) for r in by_region)],
        bands=bands,
        label_every=max(1, len(days) // 8),
    )
    return await page_view(
        request,
        gov,
        "national_daily.html",
        {
            "title": "Daily series",
            "period": chosen,
            "period_label": period_label(chosen.name),
            "choices": period_choices(ytd.academic_year, ytd.date_to),
            "table": table,
            "chart": chart,
            "disclosure": disclosure,
            "disrupted": [r for r in table.rows if r["disrupted"]],
            "threshold": DISRUPTION_SHARE,
        },
        path=PAGE_BY_KEY["national-daily"].path,
    )


async def closures_request(
    request: Request[Any, Any, Any],
    services: NamedDependency[Services],
    on: Annotated[date | None, QueryParameter(name="date", description="The school day (ISO 8601).")] = None,
    download: Download = None,
) -> NationalRequested:
    return await _national_request(
        request, services, "national-closures", day=on, date_from=on, date_to=on, download=download
    )


@get("/national/closures", **governed_route("attendance.closures", requested=closures_request))
async def national_closures(
    request: Request[Any, Any, Any], gov: Governed[NationalRequested]
) -> Response[Any]:
    """Schools open, partially closed and closed on the chosen day (the latest school day by default)."""
    day = gov.requested.day or (await resolve(gov, YTD)).date_to
    collected: list[Protected] = []
    published = protect_closures(
        await gov.read(ClosuresQuery(day, gov.scope)), gov.obligations.disclosure_profile, collected
    )
    await release_gate(gov, profile_from(gov.obligations.disclosure_profile), [Batch(collected, day, day)])
    region_of = {la.la_code: la.region for la in local_authorities()}
    by_region = Table(
        "regions",
        f"Schools by status on {day:%-d %B %Y}, by region",
        (
            Column("region", "Region", "text"),
            *(Column(s, label, "count") for s, label in STATUS_LABELS.items()),
        ),
    )
    counts: dict[str, dict[str, int]] = {}
    for school in published.schools:
        region = region_of.get(school.la_code, "Unknown")
        counts.setdefault(region, dict.fromkeys(STATUS_LABELS, 0))[school.status] += 1
    by_region.rows.extend({"region": r, **c} for r, c in sorted(counts.items()))
    closed = Table(
        "schools",
        "Schools closed or partially closed",
        (
            Column("urn", "URN", "text"),
            Column("name", "School", "text"),
            Column("la_code", "LA", "text"),
            Column("phase", "Phase", "text"),
            Column("status", "Status", "text"),
            Column("attendance_rate", "Attendance of possible sessions (%)"),
        ),
    )
    closed.rows.extend(
        {**{k: getattr(s, k) for k in ("urn", "name", "la_code", "phase", "attendance_rate")},
         "status": STATUS_LABELS[s.status]}
        for s in published.schools
        if s.status in ("closed", "partially_closed")
    )  # fmt: skip
    if gov.requested.download in ("regions", "schools"):
        table = by_region if gov.requested.download == "regions" else closed
        gov.release(len(table.rows))
        return csv_download(f"closures-{day}-{table.key}.csv", table.header(), table.values())
    gov.release(len(published.schools))
    shown = Table(closed.key, closed.caption, closed.columns, closed.rows[:LISTED_SCHOOLS])
    return await page_view(
        request,
        gov,
        "national_closures.html",
        {
            "title": "Closures",
            "day": day,
            "counts": published.counts,
            "labels": STATUS_LABELS,
            "attendance_rate": published.attendance_rate,
            "regions": by_region,
            "closed": shown,
            "closed_total": len(closed.rows),
            "disclosure": published.disclosure,
        },
        path=PAGE_BY_KEY["national-closures"].path,
    )


NATIONAL_ROUTES = [national_daily, national_closures]
