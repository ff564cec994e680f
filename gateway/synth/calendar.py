"""England's school calendar: terms, half-terms, bank holidays and the seasonality of absence."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Final

import numpy as np
from numpy.typing import NDArray

from gateway.store.calendar import Term, terms

# The terms are the store's reference calendar (gateway/store/reference/terms.csv): the named periods the
# gateway reads and the days the generator writes registers for are the same dates.
TERMS: Final[tuple[Term, ...]] = terms()

# Bank holidays in England (gov.uk/bank-holidays).
BANK_HOLIDAYS: Final[frozenset[date]] = frozenset(
    {
        date(2023, 12, 25), date(2023, 12, 26),
        date(2024, 1, 1), date(2024, 3, 29), date(2024, 4, 1), date(2024, 5, 6), date(2024, 5, 27),
        date(2024, 8, 26), date(2024, 12, 25), date(2024, 12, 26),
        date(2025, 1, 1), date(2025, 4, 18), date(2025, 4, 21), date(2025, 5, 5), date(2025, 5, 26),
        date(2025, 8, 25), date(2025, 12, 25), date(2025, 12, 26),
        date(2026, 1, 1), date(2026, 4, 3), date(2026, 4, 6), date(2026, 5, 4), date(2026, 5, 25),
        date(2026, 8, 31), date(2026, 12, 25), date(2026, 12, 28),
    }
)  # fmt: skip

# Religious festivals that fall on school days, with the ethnicity codes of pupils most likely to observe
# them and the share who do (R, religious observance). Eid al-Adha 2023 lifted that week's absence to 9.9%.
FESTIVALS: Final[tuple[tuple[date, str, frozenset[str], float], ...]] = (
    (date(2024, 6, 17), "Eid al-Adha", frozenset({"APKN", "ABAN", "AOTH", "OOTH", "BAFR"}), 0.40),
    (date(2025, 3, 31), "Eid al-Fitr", frozenset({"APKN", "ABAN", "AOTH", "OOTH", "BAFR"}), 0.45),
    (date(2025, 6, 6), "Eid al-Adha", frozenset({"APKN", "ABAN", "AOTH", "OOTH", "BAFR"}), 0.40),
    (date(2025, 10, 20), "Diwali", frozenset({"AIND"}), 0.30),
    (date(2026, 3, 20), "Eid al-Fitr", frozenset({"APKN", "ABAN", "AOTH", "OOTH", "BAFR"}), 0.45),
)

CALENDAR_FIRST: Final = TERMS[0].start
CALENDAR_LAST: Final = TERMS[-1].end


class CalendarError(ValueError):
    """The requested dates fall outside the calendar this generator knows."""


def term_of(day: date) -> Term | None:
    """The term `day` falls in (half-term included), or None in the holidays."""
    for term in TERMS:
        if term.start <= day <= term.end:
            return term
    return None


def is_school_day(day: date) -> bool:
    """A weekday in term time, outside half-term, that is not a bank holiday."""
    term = term_of(day)
    if term is None or day.weekday() >= 5 or day in BANK_HOLIDAYS:
        return False
    return not term.half_term_start <= day <= term.half_term_end


def school_days(start: date, end: date) -> list[date]:
    """Every school day from `start` to `end` inclusive."""
    if start > end:
        raise CalendarError(f"start {start} is after end {end}")
    if start < CALENDAR_FIRST or end > CALENDAR_LAST:
        raise CalendarError(f"term dates are known from {CALENDAR_FIRST} to {CALENDAR_LAST} only")
    days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    return [d for d in days if is_school_day(d)]


def academic_year(day: date) -> int:
    """The calendar year in which the academic year containing `day` starts (1 September)."""
    return day.year if day.month >= 9 else day.year - 1


# Absence rises through each half-term and peaks in the last week of a term; Fridays and Mondays a little.
_WEEKDAY_FACTOR: Final = (1.04, 0.97, 0.96, 0.98, 1.07)


def seasonality(days: list[date]) -> NDArray[np.float64]:
    """A relative absence factor per school day, with mean 1 over the whole terms that `days` touch
    (so September alone is below average and December above)."""
    terms = {term_of(d) for d in days}
    whole = sorted({d for t in terms if t is not None for d in school_days(t.start, t.end)})
    factors = _raw_seasonality(whole)
    mean = factors.mean() if len(whole) else 1.0
    index = {d: i for i, d in enumerate(whole)}
    return np.array([factors[index[d]] / mean for d in days], dtype=np.float64)


def _raw_seasonality(days: list[date]) -> NDArray[np.float64]:
    factors = np.empty(len(days), dtype=np.float64)
    for i, day in enumerate(days):
        term = term_of(day)
        assert term is not None
        if day < term.half_term_start:
            first, last = term.start, term.half_term_start - timedelta(days=1)
        else:
            first, last = term.half_term_end + timedelta(days=1), term.end
        span = max((last - first).days, 1)
        progress = (day - first).days / span
        factor = 0.78 + 0.42 * progress**2
        if day > term.half_term_end and (term.end - day).days < 7:
            factor += 0.25  # the last week of term: illness peaks, unauthorised holidays begin
        factors[i] = factor * _WEEKDAY_FACTOR[day.weekday()]
    return factors
