"""The school calendar: no marks on weekends, bank holidays, half-terms or in the holidays."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from hypothesis import event, given
from hypothesis import strategies as st

from gateway.synth.calendar import (
    BANK_HOLIDAYS,
    CALENDAR_FIRST,
    CALENDAR_LAST,
    school_days,
    seasonality,
    term_of,
)
from gateway.synth.generate import Manifest


def test_autumn_2025_has_73_school_days_from_3_september_to_19_december() -> None:
    days = school_days(date(2025, 9, 1), date(2025, 12, 19))
    assert (len(days), days[0], days[-1]) == (73, date(2025, 9, 3), date(2025, 12, 19))


def test_autumn_2025_half_term_has_no_school_days() -> None:
    assert school_days(date(2025, 10, 25), date(2025, 11, 2)) == []


@given(
    st.dates(min_value=CALENDAR_FIRST, max_value=CALENDAR_LAST),
    st.integers(min_value=0, max_value=120),
)
def test_school_days_are_term_weekdays_that_are_not_bank_holidays(start: date, length: int) -> None:
    end = min(start + timedelta(days=length), CALENDAR_LAST)
    days = school_days(start, end)
    event("school days in the range" if days else "no school day in the range")
    for day in days:
        term = term_of(day)
        assert term is not None
        assert day.weekday() < 5
        assert day not in BANK_HOLIDAYS
        assert not term.half_term_start <= day <= term.half_term_end


def test_absence_is_seasonal_lowest_in_september_highest_in_the_last_week() -> None:
    days = school_days(date(2025, 9, 1), date(2025, 12, 19))
    factors = dict(zip(days, seasonality(days).tolist(), strict=True))
    september = [f for d, f in factors.items() if d.month == 9]
    last_week = [f for d, f in factors.items() if d >= date(2025, 12, 15)]
    assert max(september) < 1.0 < min(last_week)


def test_marks_files_exist_exactly_for_the_school_days(small_dataset: tuple[Path, Manifest]) -> None:
    folder, manifest = small_dataset
    dates = sorted(p.name[6:16] for p in folder.glob("marks-*.csv.gz") if "corrections" not in p.name)
    expected = [d.isoformat() for d in school_days(date(2025, 9, 1), date(2025, 10, 24))]
    assert dates == expected == manifest.school_days
