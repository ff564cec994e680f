"""The query space an aggregate profile serves: a period grid, a minimum population, published breakdowns.

A walk needs two tables whose populations differ by a known pupil or two: two date ranges a day apart,
or one school's year group asked for with and without a filter. A profile's `query_space` closes the
cheap walks before disclosure control sees a table:

- `periods`: the grid of periods served ("week": Monday to Sunday; "month": a calendar month;
  "half_term" and "term": from the school calendar; "year_to_date": 1 September to a Sunday), or
  "free" where the agreement allows any range (casework);
- `min_population`: a filtered cell (any cell of a request with a filter or a breakdown, e.g. one
  school's year group) whose population is below it is not served at all (the query is refused with
  `population_below_minimum`; nothing is published for it, not even `c`);
- `breakdowns`: per level, the breakdowns published (anything else is refused); `trust` may be left
  out, and then publishes the `school` list (a trust is a handful of schools: no coarser than its parts);
- `ledger`: whether releases are recorded and checked against the requester's earlier ones
  (gateway.privacy.differencing).

Named periods are on the grid by construction: an academic year (1 September to 31 August) is served
wherever terms are (it is a union of whole terms, coarser than any of them), and the named `ytd` is cut
to the grid's year to date by `year_to_date_end` (the Sunday closing the latest complete school week)
for every profile with a grid, so it moves once a week, never daily.

Pure: the edge supplies the calendar and the cells' populations; these functions only decide.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

PERIOD_KINDS = ("week", "month", "half_term", "term", "year_to_date")
LEVELS = ("national", "region", "la", "school", "trust")
REQUIRED_LEVELS = LEVELS[:4]  # `trust` is optional in the data: it then publishes the school list
# A whole academic year: served wherever terms are (below). Not a key of the data's `periods`.
ACADEMIC_YEAR = "academic_year"
BREAKDOWNS = ("fsm", "sen", "sex", "ethnicity", "year_group")
QUERY_SPACE_KEYS = frozenset({"periods", "min_population", "breakdowns", "ledger"})
ACADEMIC_YEAR_START_MONTH = 9


class QuerySpaceError(ValueError):
    """The profile's query space is malformed (fail closed: the profile is refused)."""


@dataclass(frozen=True, slots=True)
class SchoolTerm:
    """A term with its half-term break (all dates inclusive)."""

    name: str
    start: date
    end: date
    half_term_start: date
    half_term_end: date


@dataclass(frozen=True, slots=True)
class Violation:
    """A query outside the profile's space: `rule` is the stable reason code, `detail` says what to change."""

    rule: str
    detail: str


@dataclass(frozen=True, slots=True)
class QuerySpace:
    periods: tuple[str, ...] | None  # None: free ranges
    min_population: int
    breakdowns: tuple[tuple[str, tuple[str, ...]], ...]  # (level, breakdowns), in LEVELS order
    ledger: bool

    @classmethod
    def from_policy(cls, data: Any) -> QuerySpace:
        if not isinstance(data, Mapping) or set(data) != QUERY_SPACE_KEYS:
            raise QuerySpaceError(f"query_space needs exactly the keys {sorted(QUERY_SPACE_KEYS)}")
        periods_raw = data["periods"]
        periods: tuple[str, ...] | None
        if periods_raw == "free":
            periods = None
        elif (
            isinstance(periods_raw, list)
            and periods_raw
            and all(p in PERIOD_KINDS for p in periods_raw)
            and len(set(periods_raw)) == len(periods_raw)
        ):
            periods = tuple(periods_raw)
        else:
            raise QuerySpaceError(
                f"query_space periods must be 'free' or distinct kinds from {list(PERIOD_KINDS)}"
            )
        minimum = data["min_population"]
        if not isinstance(minimum, int) or isinstance(minimum, bool) or minimum < 0:
            raise QuerySpaceError("query_space min_population must be an integer >= 0")
        published = data["breakdowns"]
        if (
            not isinstance(published, Mapping)
            or not set(REQUIRED_LEVELS) <= set(published)
            or not set(published) <= set(LEVELS)
        ):
            raise QuerySpaceError(
                f"query_space breakdowns must list every level {list(REQUIRED_LEVELS)} (and may list trust)"
            )
        breakdowns: list[tuple[str, tuple[str, ...]]] = []
        for level in LEVELS:
            names = published.get(level, published["school"])
            if not isinstance(names, list) or not all(n in BREAKDOWNS for n in names):
                raise QuerySpaceError(
                    f"query_space breakdowns[{level!r}] must be a list from {list(BREAKDOWNS)}"
                )
            breakdowns.append((level, tuple(names)))
        if not isinstance(data["ledger"], bool):
            raise QuerySpaceError("query_space ledger must be true or false")
        return cls(periods, minimum, tuple(breakdowns), data["ledger"])

    def breakdowns_at(self, level: str) -> tuple[str, ...]:
        return dict(self.breakdowns).get(level, ())

    def describe(self) -> dict[str, Any]:
        """The rules as `/v1/me` and the contract state them."""
        return {
            "periods": "free" if self.periods is None else list(self.periods),
            "min_population": self.min_population,
            "breakdowns": {level: list(names) for level, names in self.breakdowns},
            "ledger": self.ledger,
            "named_periods": "served as their grid period"
            if self.periods is None
            else "academic years where terms are served; ytd ends on the Sunday closing the latest complete week",
        }


def describe_query_space(profile: Mapping[str, Any]) -> dict[str, Any]:
    """What `/v1/me` and the contract state for a disclosure profile as the policy decision carries it
    (its `query_space` key): the period grid, minimum population, published breakdowns and the ledger.
    Raises QuerySpaceError for a malformed profile (fail closed)."""
    if not isinstance(profile, Mapping) or "query_space" not in profile:
        raise QuerySpaceError("the disclosure profile carries no query_space")
    return QuerySpace.from_policy(profile["query_space"]).describe()


def academic_year_start(day: date) -> date:
    year = day.year if day.month >= ACADEMIC_YEAR_START_MONTH else day.year - 1
    return date(year, ACADEMIC_YEAR_START_MONTH, 1)


def period_kinds(date_from: date, date_to: date, calendar: Sequence[SchoolTerm]) -> tuple[str, ...]:
    """Every grid kind the range [date_from, date_to] is exactly one period of (none: off the grid)."""
    kinds: list[str] = []
    if date_from == academic_year_start(date_from) and date_to == date(date_from.year + 1, 8, 31):
        kinds.append(ACADEMIC_YEAR)
    if date_from.weekday() == 0 and date_to == date_from + timedelta(days=6):
        kinds.append("week")
    next_month = date(date_from.year + date_from.month // 12, date_from.month % 12 + 1, 1)
    if date_from.day == 1 and date_to == next_month - timedelta(days=1):
        kinds.append("month")
    for term in calendar:
        halves = (
            (term.start, term.half_term_start - timedelta(days=1)),
            (term.half_term_end + timedelta(days=1), term.end),
        )
        if (date_from, date_to) in halves:
            kinds.append("half_term")
        if (date_from, date_to) == (term.start, term.end):
            kinds.append("term")
    if date_from == academic_year_start(date_to) and date_to.weekday() == 6:
        kinds.append("year_to_date")
    return tuple(dict.fromkeys(kinds))


def served_kinds(space: QuerySpace) -> frozenset[str]:
    """The period kinds a profile serves: its grid, plus whole academic years wherever terms are."""
    if space.periods is None:
        return frozenset((*PERIOD_KINDS, ACADEMIC_YEAR))
    return frozenset((*space.periods, *((ACADEMIC_YEAR,) if "term" in space.periods else ())))


def year_to_date_end(latest_session: date) -> date:
    """Where a grid's year to date ends for data up to `latest_session`: the Sunday closing the latest
    complete school week (the week of the latest session once it reaches Friday, else the week before).

    A year to date that ended at the latest session would move every school day, and two of them a day
    apart are the cheapest walk there is; cut to a Sunday it moves once a week, as the grid's weeks do.
    """
    weekday = latest_session.weekday()  # Monday 0 .. Sunday 6
    if weekday >= 4:
        return latest_session + timedelta(days=6 - weekday)
    return latest_session - timedelta(days=weekday + 1)


def check_query(
    space: QuerySpace,
    *,
    level: str,
    breakdown: str | None,
    date_from: date,
    date_to: date,
    calendar: Sequence[SchoolTerm],
) -> list[Violation]:
    """Every rule the request breaks (empty: it is inside the space)."""
    violations: list[Violation] = []
    if level not in LEVELS:
        violations.append(Violation("level_not_published", f"level {level!r} is not one of {list(LEVELS)}"))
    if space.periods is not None and not set(period_kinds(date_from, date_to, calendar)) & served_kinds(
        space
    ):
        violations.append(
            Violation(
                "period_not_on_grid",
                f"{date_from.isoformat()} to {date_to.isoformat()} is not one whole period of: "
                + ", ".join(space.periods),
            )
        )
    if breakdown is not None and breakdown not in space.breakdowns_at(level):
        allowed = ", ".join(space.breakdowns_at(level)) or "none"
        violations.append(
            Violation(
                "breakdown_not_published",
                f"breakdown {breakdown!r} is not published at {level} level (published: {allowed})",
            )
        )
    return violations


def cells_below_minimum(
    space: QuerySpace, populations: Iterable[tuple[Hashable, int]], *, filtered: bool
) -> list[Hashable]:
    """The cells of a filtered request (a filter or a breakdown) whose population is under the minimum.

    A non-empty answer means the request is refused (`population_below_minimum`): such a cell is not
    served at all. Unfiltered requests (whole areas) are not held to it.
    """
    if not filtered or space.min_population == 0:
        return []
    return [cell for cell, population in populations if population < space.min_population]
