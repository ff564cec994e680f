"""The academic calendar as data: academic years, terms and half-terms, each a named period with an id."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from importlib.resources import files
from typing import Final, Literal

PeriodKind = Literal["year", "term", "half_term"]

# Period ids encode the academic year so a mark's year period needs no lookup: year * 10 for the whole
# academic year, + 1..3 for its autumn, spring and summer terms, + 4..9 for their six half-terms.
_TERM_OFFSET: Final = {"autumn": 1, "spring": 2, "summer": 3}
# Kinds that have per-enrolment rows (enrolment_term) and cells, maintained by ingest. Half-terms are
# named periods read through the weekly rollup (they are whole weeks), which keeps ingest to two
# enrolment_term rows per mark.
CELL_KINDS: Final[frozenset[str]] = frozenset({"year", "term"})
FIRST_YEAR: Final = 2006  # the oldest code set ingest accepts (gateway.store.codes.LEGACY_FROM)
LAST_YEAR: Final = 2040


@dataclass(frozen=True, slots=True)
class Term:
    """A term with its half-term break (all dates inclusive), as the reference calendar publishes it."""

    name: str  # e.g. autumn-2025
    start: date
    end: date
    half_term_start: date
    half_term_end: date

    @property
    def season(self) -> str:
        return self.name.split("-")[0]

    @property
    def academic_year(self) -> int:
        return academic_year_of(self.start)


@dataclass(frozen=True, slots=True)
class AcademicPeriod:
    """A named period: every mark dated date_from..date_to (inclusive) belongs to it."""

    period_id: int
    name: str
    kind: PeriodKind
    academic_year: int
    date_from: date
    date_to: date

    @property
    def has_cells(self) -> bool:
        return self.kind in CELL_KINDS


def academic_year_of(day: date) -> int:
    """The calendar year in which the academic year containing `day` starts (1 September)."""
    return day.year if day.month >= 9 else day.year - 1


def year_period_id(academic_year: int) -> int:
    return academic_year * 10


def year_name(academic_year: int) -> str:
    return f"{academic_year}-{(academic_year + 1) % 100:02d}"


@cache
def terms() -> tuple[Term, ...]:
    """The reference calendar's terms (common term dates in England), oldest first."""
    text = files("gateway.store.reference").joinpath("terms.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(io.StringIO(text))
    found = tuple(
        Term(
            r["term"],
            date.fromisoformat(r["start"]),
            date.fromisoformat(r["end"]),
            date.fromisoformat(r["half_term_start"]),
            date.fromisoformat(r["half_term_end"]),
        )
        for r in rows
    )
    for term in found:
        if not term.start < term.half_term_start <= term.half_term_end < term.end:
            raise ValueError(f"term {term.name}: dates out of order")
    return found


def _year(academic_year: int) -> AcademicPeriod:
    return AcademicPeriod(
        year_period_id(academic_year),
        year_name(academic_year),
        "year",
        academic_year,
        date(academic_year, 9, 1),
        date(academic_year + 1, 8, 31),
    )


def _term_periods(term: Term) -> list[AcademicPeriod]:
    base = year_period_id(term.academic_year)
    offset = _TERM_OFFSET[term.season]
    year = term.academic_year
    season, calendar_year = term.season, term.name.split("-")[1]
    one_day = timedelta(days=1)
    return [
        AcademicPeriod(base + offset, term.name, "term", year, term.start, term.end),
        AcademicPeriod(
            base + 2 + 2 * offset, f"{season}1-{calendar_year}", "half_term", year, term.start,
            term.half_term_start - one_day,
        ),
        AcademicPeriod(
            base + 3 + 2 * offset, f"{season}2-{calendar_year}", "half_term", year,
            term.half_term_end + one_day, term.end,
        ),
    ]  # fmt: skip


@cache
def academic_periods() -> tuple[AcademicPeriod, ...]:
    """Every academic year from FIRST_YEAR to LAST_YEAR, and the terms and half-terms of the calendar."""
    periods = [_year(y) for y in range(FIRST_YEAR, LAST_YEAR + 1)]
    for term in terms():
        periods.extend(_term_periods(term))
    return tuple(sorted(periods, key=lambda p: p.period_id))


@cache
def period_by_name() -> dict[str, AcademicPeriod]:
    return {p.name: p for p in academic_periods()}


def period_by_id(period_id: int) -> AcademicPeriod | None:
    return next((p for p in academic_periods() if p.period_id == period_id), None)


def cell_periods_of(day: date) -> list[AcademicPeriod]:
    """The periods with cells that a mark dated `day` counts in: its academic year, and its term if any."""
    return [
        p for p in academic_periods() if p.has_cells and p.date_from <= day <= p.date_to
    ]  # fmt: skip
