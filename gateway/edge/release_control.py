"""Disclosure control across queries at the aggregate routes: the query space before the query, the
minimum population before protection, and the release ledger after it (gateway.privacy does the deciding).

1. `enforce_query_space` (the prologue, once the period is measured): a profile with a grid serves only
   whole grid periods, published breakdowns and known levels; the named `ytd` is cut to the grid's year
   to date first. Refusals are 403 problems whose reason code names the rule.
2. `refuse_small_cells` (the handler, after the read): a filtered request with any cell below the
   profile's minimum population is refused, so such a cell is never served, not even as `c`.
   `release_gate` runs it and step 3 for a response's tables: the API handlers and the console pages
   call it alike (one code path), naming each table's series by what it counts (`Batch`).
3. `ledger_gate` (the handler, after `protect`): the new cells with the requester's earlier releases
   must pin no small count; if they do, 403 and nothing leaves. Otherwise they are recorded before the
   response is built. The audit event is written by the audit log's group-commit writer on its own
   connection, batched with other requests' events, so it cannot share this transaction: the releases
   are committed first, under a per-requester advisory lock (two concurrent requests cannot both pass the
   check on the same history), and a ledger failure is a 503 with nothing released. A request whose audit
   write then fails leaves a recorded release that never left: the ledger errs towards refusing more.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

import structlog
from psycopg import AsyncConnection

from gateway.edge.problems import ProblemError
from gateway.privacy.differencing import Publication, Release, check_releases, novel_releases
from gateway.privacy.disclosure import DisclosureError, DisclosureProfile, Measure, ProtectedTable
from gateway.privacy.query_space import (
    SchoolTerm,
    Violation,
    academic_year_start,
    cells_below_minimum,
    check_query,
    year_to_date_end,
)
from gateway.privacy.releases import path_series, released_counts, series_area
from gateway.store.calendar import terms
from gateway.store.ledger import read_releases, record_releases
from gateway.store.named_periods import MeasuredPeriod, measure_dates
from gateway.store.scope import AreaFilter

if TYPE_CHECKING:
    from gateway.edge.governed import GovernedRequest

log = structlog.get_logger("gateway.ledger")

# The stable reason codes, in the policy's style (DENY_...): one per rule of gateway.privacy.
REASON_CODES = {
    "period_not_on_grid": "PERIOD_OFF_GRID",
    "breakdown_not_published": "BREAKDOWN_NOT_PUBLISHED",
    "level_not_published": "LEVEL_NOT_PUBLISHED",
    "population_below_minimum": "FILTER_BELOW_MINIMUM",
    "differencing_would_pin": "DIFFERENCING_WOULD_PIN",
    "ledger_chain_full": "LEDGER_CHAIN_FULL",
}
CITATION = "the agreement's disclosure profile (query space and release ledger)"


def calendar() -> tuple[SchoolTerm, ...]:
    return tuple(SchoolTerm(t.name, t.start, t.end, t.half_term_start, t.half_term_end) for t in terms())


def refusal(violations: Sequence[Violation]) -> ProblemError:
    return ProblemError(
        403,
        "disclosure-refused",
        "; ".join(v.detail for v in violations),
        title="Outside what this disclosure profile releases",
        reasons=[
            {"code": REASON_CODES[v.rule], "message": v.detail, "citation": CITATION} for v in violations
        ],
    )


def profile_of(obligation: Mapping[str, Any] | None) -> DisclosureProfile | None:
    """The decision's disclosure profile, or None when it names none (non-aggregate routes)."""
    if obligation is None:
        return None
    try:
        return DisclosureProfile.from_policy(obligation)
    except DisclosureError as exc:
        raise ProblemError(
            500, "disclosure-profile-invalid", f"The disclosure profile is invalid: {exc}"
        ) from exc


async def enforce_query_space(
    conn: AsyncConnection[Any],
    obligation: Mapping[str, Any] | None,
    *,
    level: str | None,
    breakdown: str | None,
    measured: MeasuredPeriod | None,
    single_day: bool = False,
) -> MeasuredPeriod | None:
    """The period the request will measure, on the profile's grid; a 403 if the request is outside it.

    `single_day` routes (closures: which schools are open on a day) are held to the levels and
    breakdowns but not to the grid: a day is what they are about, and they publish school statuses and
    rates, not counts of pupils.
    """
    profile = profile_of(obligation)
    if profile is None or measured is None:
        return measured
    space = profile.query_space
    if space.periods is not None and measured.kind == "ytd" and measured.latest_session is not None:
        end = year_to_date_end(measured.latest_session)
        start = measured.period.date_from
        if end < start or academic_year_start(end) != start:
            raise refusal(
                [Violation("period_not_on_grid", "the year to date has no complete school week yet")]
            )
        dated = await measure_dates(conn, start, end)
        measured = replace(
            dated, name=measured.name, kind=measured.kind, academic_year=measured.academic_year
        )
    period = measured.period
    violations = check_query(
        space,
        level=level or "national",
        breakdown=breakdown,
        date_from=period.date_from,
        date_to=period.date_to,
        calendar=calendar(),
    )
    if single_day:
        violations = [v for v in violations if v.rule != "period_not_on_grid"]
    if violations:
        raise refusal(violations)
    return measured


def refuse_small_cells(
    profile: DisclosureProfile, populations: Iterable[tuple[Hashable, int]], *, filtered: bool
) -> None:
    """A filtered request (a filter or a breakdown) with a cell below the minimum population: 403."""
    small = cells_below_minimum(profile.query_space, populations, filtered=filtered)
    if small:
        minimum = profile.query_space.min_population
        raise refusal(
            [
                Violation(
                    "population_below_minimum",
                    f"{len(small)} cell(s) of this filtered request have fewer than {minimum} pupils and are "
                    "not served; ask for a larger area or drop the filter",
                )
            ]
        )


_PUBLICATIONS: dict[tuple[Any, ...], Publication] = {}


def publication_of(profile: DisclosureProfile) -> Publication:
    """One Publication per profile shape (its preimage masks are cached on it)."""
    key = (
        profile.name,
        profile.threshold,
        profile.zeros_disclosive,
        profile.round_to,
        profile.ptable,
        profile.key_dependent,
    )
    found = _PUBLICATIONS.get(key)
    if found is None:
        found = _PUBLICATIONS[key] = Publication.of(profile)
    return found


def requester_of(organisation: str, issuer: str) -> str:
    """Releases are per organisation (colleagues share what they have received), per issuer."""
    return f"{issuer}|{organisation}"


async def ledger_gate(
    conn: AsyncConnection[Any],
    profile: DisclosureProfile,
    releases: Sequence[Release],
    *,
    requester: str,
    request_id: str | None,
) -> int:
    """Check `releases` against the requester's earlier ones and record them (committed); returns how
    many were recorded (cells it holds already are not recorded again). 403 when they would pin a small count, 503 when the ledger cannot be used."""
    if not profile.query_space.ledger or not releases:
        return 0
    publication = publication_of(profile)
    try:
        await conn.commit()  # end the read transaction: the ledger's check and record are one of their own
        async with conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (requester,))
            prior = await read_releases(conn, requester, {(r.area, r.measure) for r in releases})
            # A release equal to one the requester holds (same cell, period, filters, value, key and
            # scheme) allows the same shifts, so it adds nothing to any chain: each is checked and
            # recorded once. The ledger then grows with what a requester has been told, not with how
            # often it asks again (a reloaded page), and its chains stay under MAX_CHAIN.
            held = list(dict.fromkeys(prior))  # old ledgers hold copies: each is read once
            verdict = check_releases(list(dict.fromkeys(releases)), held, publication)
            if not verdict.allowed:
                rule = verdict.rule or "differencing_would_pin"
                raise refusal([Violation(rule, verdict.detail)])
            return await record_releases(conn, requester, novel_releases(releases, held), request_id)
    except ProblemError:
        raise
    except Exception as exc:
        log.error("release ledger unavailable", error=type(exc).__name__)
        raise ProblemError(
            503,
            "release-ledger-unavailable",
            "The release ledger could not be checked or written, so no data was returned.",
            headers={"retry-after": "5"},
        ) from exc


def filters_of(phase: str | None, year_group: int | str | None) -> tuple[tuple[str, str], ...]:
    """The request's own filters as the ledger keys them."""
    found = [("phase", phase), ("year_group", year_group)]
    return tuple((k, str(v)) for k, v in found if v is not None)


def area_series(area: AreaFilter) -> str:
    """The series an area filter's whole population is in (the ledger's name for it)."""
    if area.urn:
        return series_area("school", area.urn)
    if area.trust_id:
        return series_area("trust", area.trust_id)
    if area.la_code:
        return series_area("la", area.la_code)
    if area.region:
        return series_area("region", area.region)
    return series_area("national")


def period_bounds(measured: MeasuredPeriod) -> tuple[date, date]:
    return measured.period.date_from, measured.period.date_to


class Tabled(Protocol):
    """A protected table with the rows and measures it was protected from, and the profile it was
    protected with (gateway.api.publishing.Protected)."""

    @property
    def rows(self) -> list[dict[str, Any]]: ...
    @property
    def measures(self) -> tuple[str | Measure, ...]: ...
    @property
    def table(self) -> ProtectedTable: ...
    @property
    def profile(self) -> DisclosureProfile: ...


def _path_of(path: tuple[str, ...]) -> str:
    return "/".join(path)


@dataclass(frozen=True, slots=True)
class Batch:
    """Tables one response publishes over one period, and how the ledger names their cells.

    `area_of` names a cell's series from its table path (`path_series` for hierarchy tables; a
    benchmark maps each group's name). `day_series` marks day-by-day tables (each table cell's path is
    its day): every cell is then a release of that series on its own day. `population` is the measure
    the minimum population is checked on, when the request is `filtered` (a filter or a breakdown).
    """

    tables: Sequence[Tabled]
    date_from: date
    date_to: date
    area_of: Callable[[tuple[str, ...]], str] = path_series
    filters: tuple[tuple[str, str], ...] = ()
    breakdown: str | None = None
    day_series: str | None = None
    population: str | None = None
    filtered: bool = False
    shown: frozenset[str] | None = None  # the series measures the response shows (None: every count)

    def releases(self) -> list[Release]:
        out: list[Release] = []
        for t in self.tables:
            cells = released_counts(
                t.rows,
                t.measures,
                t.table,
                date_from=self.date_from,
                date_to=self.date_to,
                filters=self.filters,
                breakdown=self.breakdown,
                area_of=_path_of if self.day_series is not None else self.area_of,
            )
            scheme = publication_of(t.profile).scheme
            shown = [c for c in cells if self.shown is None or c.measure in self.shown]
            if self.day_series is None:
                out.extend(replace(c, scheme=scheme) for c in shown)
                continue
            # One copy per cell (a national daily page releases ~1,500 of them): the day's series and date
            # and the scheme together.
            for c in shown:
                day = date.fromisoformat(c.area)
                out.append(replace(c, area=self.day_series, date_from=day, date_to=day, scheme=scheme))
        return out

    def populations(self) -> list[tuple[Hashable, int]]:
        if self.population is None:
            return []
        name = self.population
        return [((i, j), int(row[name])) for i, t in enumerate(self.tables) for j, row in enumerate(t.rows)]


async def release_gate(
    gov: GovernedRequest[Any], profile: DisclosureProfile, batches: Sequence[Batch]
) -> int:
    """The minimum population, then the release ledger, for everything one response publishes (API or
    console page): 403 `FILTER_BELOW_MINIMUM` or `DIFFERENCING_WOULD_PIN`, 503 when the ledger cannot
    be written; else the cells are recorded for the requester and the count returned."""
    for batch in batches:
        refuse_small_cells(profile, batch.populations(), filtered=batch.filtered)
    # Without a ledger (casework) the releases are not even built.
    releases = [r for batch in batches for r in batch.releases()] if profile.query_space.ledger else []
    return await ledger_gate(
        gov.conn,
        profile,
        releases,
        requester=requester_of(gov.principal.organisation, gov.principal.issuer),
        request_id=gov.request_id,
    )
