"""Cell readers return exactly what the date-range readers return for the same whole period."""

from __future__ import annotations

import itertools
from datetime import date

import psycopg
import pytest
from psycopg.rows import dict_row

from gateway.ingest.feed import FeedKind
from gateway.policy.decision import RowFilter
from gateway.store.aggregates import Period, school_profiles, summary_rows
from gateway.store.calendar import period_by_name
from gateway.store.cells import cells_answer, term_school_profiles, term_summary_rows
from gateway.store.named_periods import UnknownPeriodError, resolve_named, resolve_period
from gateway.store.scope import AreaFilter
from tests.ingest.conftest import ingest
from tests.ingest.feeds import URN_A, URN_B, csv_bytes, mark, pupil, school

DAYS = ["2024-09-02", "2024-09-04", "2024-09-05", "2024-09-06", "2024-09-09", "2024-12-20", "2025-01-06"]
ROSTER = [
    pupil(1), pupil(2, sex="M", fsm="true"), pupil(3, year_group=4, sen_provision="K"),
    pupil(4, urn=URN_B, ethnicity="BAFR"), pupil(5, urn=URN_B, year_group=4, fsm="true"), pupil(6, urn=URN_B),
]  # fmt: skip
# Pupil 1 always present, 2 absent once (over 10% of a short term), 3 mostly ill, 4-6 a mix.
CODES = {1: "/", 2: "/", 3: "I", 4: "O", 5: "M", 6: "/"}


def _marks() -> list[dict[str, object]]:
    rows = []
    for serial, (k, day) in itertools.product(range(1, 7), enumerate(DAYS)):
        for session in ("AM", "PM"):
            code = CODES[serial] if (serial + k) % 3 else ("/" if serial == 3 else "N")
            rows.append(mark(serial, day, session, code, urn=URN_A if serial < 4 else URN_B))
    return rows


@pytest.fixture
async def loaded(aconn, ingest_urls):
    await ingest(
        aconn,
        FeedKind.SCHOOLS,
        csv_bytes(
            FeedKind.SCHOOLS,
            [school(URN_A, trust=7), school(URN_B, 2002, la_code=202, phase="secondary", trust=0)],
        ),
    )
    await ingest(aconn, FeedKind.ROSTER, csv_bytes(FeedKind.ROSTER, ROSTER))
    await ingest(aconn, FeedKind.MARKS, csv_bytes(FeedKind.MARKS, _marks()))
    async with await psycopg.AsyncConnection.connect(ingest_urls.admin, row_factory=dict_row) as conn:
        yield conn


SCOPES = [
    (RowFilter(), AreaFilter()),
    (RowFilter(la_codes=(202,)), AreaFilter()),
    (RowFilter(urns=(URN_A,)), AreaFilter()),
    (RowFilter(), AreaFilter(phase="secondary")),
    (RowFilter(), AreaFilter(region="London", year_group=4)),
]


@pytest.mark.parametrize("name", ["autumn-2024", "2024-25"])
async def test_term_summaries_equal_the_date_range_summaries(loaded, name) -> None:
    period = period_by_name()[name]
    checked = 0
    for level, breakdown, (row_filter, area) in itertools.product(
        ("national", "region", "la", "school"), (None, "fsm", "sen", "sex", "ethnicity", "year_group"), SCOPES
    ):
        if not cells_answer(area, breakdown):
            continue
        kwargs = {"level": level, "row_filter": row_filter, "area": area, "breakdown": breakdown}
        expected = await summary_rows(loaded, period=Period(period.date_from, period.date_to), **kwargs)
        assert await term_summary_rows(loaded, period_id=period.period_id, **kwargs) == expected, kwargs
        checked += bool(expected)
    assert checked == 4 * 6 * 4 + 4 * 2  # every combination the cells answer had rows


async def test_trust_summary_counts_the_trusts_own_schools(loaded) -> None:
    rows = await term_summary_rows(
        loaded, level="trust", period_id=20241, row_filter=RowFilter(trust_ids=(7,)), area=AreaFilter(),
        breakdown=None,
    )  # fmt: skip
    school_a = await summary_rows(
        loaded, level="national", period=Period(date(2024, 9, 4), date(2024, 12, 20)),
        row_filter=RowFilter(urns=(URN_A,)), area=AreaFilter(), breakdown=None,
    )  # fmt: skip
    assert [{k: v for k, v in r.items() if k not in ("trust_id", "trust_name")} for r in rows] == school_a
    assert (rows[0]["trust_id"], rows[0]["trust_name"], rows[0]["enrolments"]) == (7, "Trust 7", 3)


async def test_term_school_profiles_equal_the_date_range_profiles(loaded) -> None:
    for phase in (None, "primary"):
        expected = await school_profiles(
            loaded, period=Period(date(2024, 9, 4), date(2024, 12, 20)), phase=phase
        )
        got = await term_school_profiles(loaded, period_id=20241, phase=phase)
        assert sorted(got, key=lambda r: r["urn"]) == sorted(expected, key=lambda r: r["urn"])
        assert len(got) == (2 if phase is None else 1)


# Pupil lists from enrolment_term: tests/store/test_cell_reads.py (through the query objects).


def test_named_periods_resolve_to_the_calendar() -> None:
    assert resolve_named("autumn-2025").as_dict() == {
        "period": "autumn-2025", "kind": "term", "academic_year": "2025-26",
        "date_from": "2025-09-03", "date_to": "2025-12-19",
    }  # fmt: skip
    half = resolve_named("autumn2-2025")
    assert (half.date_from, half.date_to, half.period_id) == (date(2025, 11, 1), date(2025, 12, 19), None)
    year = resolve_named("2025-26")
    assert (year.date_from, year.date_to, year.period_id) == (date(2025, 9, 1), date(2026, 8, 31), 20250)
    for bad in ("autumn-2030", "winter-2025", "ytd\n", "2025-26 "):
        with pytest.raises(UnknownPeriodError):
            resolve_named(bad)


async def test_year_to_date_runs_to_the_latest_possible_session_on_or_before_today(loaded) -> None:
    ytd = await resolve_period(loaded, "ytd", today=date(2025, 1, 31))
    assert (ytd.date_from, ytd.date_to, ytd.period_id) == (date(2024, 9, 1), date(2025, 1, 6), 20240)
    # A possible session dated later in the year (a typo ahead of today) is in the year's cells but not in
    # the range up to today, so year to date is then read from dates, not cells.
    earlier = await resolve_period(loaded, "ytd", today=date(2024, 12, 31))
    assert (earlier.date_to, earlier.period_id) == (date(2024, 12, 20), None)
    assert await fetch_count(loaded) == 84


async def fetch_count(conn) -> int:
    cur = await conn.execute("SELECT count(*) AS n FROM marks")
    return int((await cur.fetchone())["n"])


def test_cells_do_not_answer_a_year_group_filter_with_another_breakdown() -> None:
    assert cells_answer(AreaFilter(year_group=4), "fsm") is False
    assert cells_answer(AreaFilter(year_group=4), "year_group") is True
    assert cells_answer(AreaFilter(), "fsm", with_tops=True) is False
