"""The store's query objects read term cells for whole periods and give exactly the date path's rows."""

from __future__ import annotations

import itertools
import os
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import psycopg
import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st
from psycopg import sql
from psycopg.rows import dict_row

from gateway.db.migrate import upgrade
from gateway.db.urls import resolve_database, start_embedded
from gateway.ingest.feed import FeedKind
from gateway.ingest.run import ingest_stream
from gateway.policy.decision import RowFilter
from gateway.settings import Settings
from gateway.store.aggregates import CATEGORY_COLUMNS, CODE_JOIN, Period, weeks_and_edges_cte
from gateway.store.calendar import period_by_name
from gateway.store.named_periods import measure_dates, measure_named
from gateway.store.periods import plan_period
from gateway.store.queries import (
    ClosuresQuery,
    CodeSessionsQuery,
    DailyQuery,
    ExtractQuery,
    PupilListQuery,
    RegionalDailyQuery,
    SchoolProfilesQuery,
    SummaryQuery,
)
from gateway.store.scope import AreaFilter, Scope, combined
from tests.ingest.feeds import csv_bytes, mark, pupil, school

URN_A, URN_B, URN_C, URN_D = 100001, 100002, 100003, 100004
# Trust 7 spans two LAs in two regions (201 London, 330 West Midlands); trust 8 has one school in 202.
SCHOOLS = [
    school(URN_A, 2001, la_code=201, trust=7),
    school(URN_B, 2002, la_code=202, phase="secondary", trust=0),
    school(URN_C, 2003, la_code=330, trust=7),
    school(URN_D, 2004, la_code=202, trust=8),
]
ROSTER = [
    pupil(1), pupil(2, sex="M", fsm="true"), pupil(3, year_group=4, sen_provision="K"),
    pupil(4, urn=URN_B, ethnicity="BAFR", year_group=8), pupil(5, urn=URN_B, year_group=9, fsm="true"),
    pupil(6, urn=URN_C, sex="M"), pupil(7, urn=URN_C, year_group=4, sen_provision="E"),
    pupil(8, urn=URN_D, fsm="true"), pupil(9, urn=URN_D, admission="2024-10-01"),
]  # fmt: skip
URNS = {1: URN_A, 2: URN_A, 3: URN_A, 4: URN_B, 5: URN_B, 6: URN_C, 7: URN_C, 8: URN_D, 9: URN_D}
# 2 September is in the academic year but before the autumn term (which starts on the 4th); 6 January is
# the spring term. Half-term week (28 October) has no marks.
DAYS = [
    "2024-09-02", "2024-09-04", "2024-09-05", "2024-09-06", "2024-09-09", "2024-09-10", "2024-10-01",
    "2024-10-02", "2024-11-04", "2024-12-19", "2024-12-20", "2025-01-06", "2025-01-07",
]  # fmt: skip
CODES = {1: "/", 2: "O", 3: "I", 4: "M", 5: "/", 6: "G", 7: "I", 8: "/", 9: "O"}
AUTUMN, YEAR = period_by_name()["autumn-2024"], period_by_name()["2024-25"]


def _marks() -> list[dict[str, object]]:
    rows = []
    for serial, (k, day) in itertools.product(URNS, enumerate(DAYS)):
        if serial == 9 and day < "2024-10-01":
            continue  # admitted on 1 October
        for session in ("AM", "PM"):
            absent = (serial * 3 + k + (session == "PM")) % (2 + serial % 3) == 0
            code = CODES[serial] if absent else ("/" if session == "AM" else "\\")
            rows.append(mark(serial, day, session, code, urn=URNS[serial]))
    return rows


@pytest.fixture(scope="module")
async def store(settings: Settings) -> AsyncIterator[psycopg.AsyncConnection[dict[str, Any]]]:
    """A store of its own with four schools in three LAs and two trusts, loaded through real ingest."""
    name = f"gateway_cellreads_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    own = settings.model_copy(update={"database_name": name})
    server = start_embedded(own.pg_data_dir)
    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(drop)
    urls = resolve_database(own)
    upgrade(urls, own.app_db_role)
    async with await psycopg.AsyncConnection.connect(urls.admin, autocommit=True) as conn:
        for kind, rows in (
            (FeedKind.SCHOOLS, SCHOOLS), (FeedKind.ROSTER, ROSTER), (FeedKind.MARKS, _marks())
        ):  # fmt: skip
            summary = await ingest_stream(conn, None, f"{kind.value}.csv", csv_bytes(kind, rows))
            assert summary.rejected == 0
    async with await psycopg.AsyncConnection.connect(
        urls.admin, autocommit=True, row_factory=dict_row
    ) as conn:
        yield conn
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(drop)


def whole(p: Any) -> tuple[Period, Period]:
    """The period read from its cells, and the same dates read the exact date way."""
    return Period(p.date_from, p.date_to, p.period_id), Period(p.date_from, p.date_to)


LEVELS = ("national", "region", "la", "school", "trust")
BREAKDOWNS = (None, "fsm", "sen", "sex", "ethnicity", "year_group")
SCOPES = [
    Scope(RowFilter()),
    Scope(RowFilter(la_codes=(202,))),
    Scope(RowFilter(urns=(URN_A,))),
    Scope(RowFilter(trust_ids=(7,))),
    Scope(RowFilter(trust_ids=(7,)), AreaFilter(la_code=330)),
    Scope(RowFilter(), AreaFilter(phase="primary")),
    Scope(RowFilter(), AreaFilter(trust_id=8)),
    Scope(RowFilter(), AreaFilter(region="London", year_group=4)),
]


@pytest.mark.parametrize("named", [AUTUMN, YEAR], ids=["term", "year"])
async def test_summaries_read_from_cells_equal_the_date_path_at_every_level_and_scope(store, named) -> None:
    cells, dates = whole(named)
    non_empty = 0
    for level, breakdown, scope in itertools.product(LEVELS, BREAKDOWNS, SCOPES):
        expected = await SummaryQuery(level, dates, scope, breakdown).fetch(store)
        assert await SummaryQuery(level, cells, scope, breakdown).fetch(store) == expected, (level, scope)
        non_empty += bool(expected)
    # Every combination has rows (the year-group scope with another breakdown is read the date way).
    assert non_empty == len(LEVELS) * len(BREAKDOWNS) * len(SCOPES)


async def test_a_whole_term_is_read_from_the_cells_and_other_dates_are_not(store) -> None:
    """Shown by changing one LA cell inside a transaction that is rolled back: only cell reads see it."""
    cells, dates = whole(AUTUMN)
    scope = Scope(RowFilter(la_codes=(202,)))
    before = await SummaryQuery("la", cells, scope, None).fetch(store)
    async with store.transaction(force_rollback=True):
        await store.execute(
            "UPDATE la_cell SET possible = possible + 1000 WHERE la_code = 202 AND period_id = %s AND dim = 0",
            (AUTUMN.period_id,),
        )
        from_cells = await SummaryQuery("la", cells, scope, None).fetch(store)
        from_dates = await SummaryQuery("la", dates, scope, None).fetch(store)
        with_tops = await SummaryQuery("la", cells, scope, None, with_tops=True).fetch(store)
    assert from_cells[0]["possible"] == before[0]["possible"] + 1000
    assert from_dates[0]["possible"] == before[0]["possible"]
    assert with_tops[0]["possible"] == before[0]["possible"]  # dominance tops need per-enrolment rows


async def test_trust_level_rows_name_each_trust_with_only_its_own_schools(store) -> None:
    cells, _ = whole(AUTUMN)
    rows = await SummaryQuery("trust", cells, Scope(RowFilter()), None).fetch(store)
    assert [(r["trust_id"], r["trust_name"], r["enrolments"]) for r in rows] == [
        (7, "Trust 7", 5),
        (8, "Trust 8", 2),
    ]
    own = await SummaryQuery("school", cells, Scope(RowFilter(trust_ids=(7,))), None).fetch(store)
    assert [(r["urn"], r["la_code"]) for r in own] == [(URN_A, 201), (URN_C, 330)]


@pytest.mark.parametrize("phase", [None, "primary"])
async def test_benchmark_profiles_from_cells_equal_the_date_path(store, phase) -> None:
    cells, dates = whole(AUTUMN)
    got = await SchoolProfilesQuery(cells, phase).fetch(store)
    expected = await SchoolProfilesQuery(dates, phase).fetch(store)
    assert sorted(got, key=lambda r: r["urn"]) == sorted(expected, key=lambda r: r["urn"])
    assert [(r["urn"], r["trust_id"]) for r in sorted(got, key=lambda r: r["urn"])] == [
        (URN_A, 7),
        *([(URN_B, None)] if phase is None else []),
        (URN_C, 7),
        (URN_D, 8),
    ]


FIELDS = ("upn", "year_group", "urn", "possible_sessions", "absence_rate", "persistent_absence")


@pytest.mark.parametrize("criterion", ["all", "persistent", "severe", "rate", "unauthorised_10_in_10"])
@pytest.mark.parametrize(
    "scope",
    [
        Scope(RowFilter(la_codes=(201, 202))),
        Scope(RowFilter(trust_ids=(7,))),
        Scope(RowFilter(urns=(URN_D,))),
    ],
    ids=["las", "trust", "school"],
)
async def test_pupil_lists_from_enrolment_term_equal_the_date_path(store, criterion, scope) -> None:
    cells, dates = whole(YEAR)
    pages = []
    for period in (cells, dates):
        after, rows = 0, []
        while True:  # every page: the keyset pagination is the same query on either source
            page = await PupilListQuery(criterion, 12.0, period, scope, FIELDS, after, 2).fetch(store)
            rows.append(page.rows)
            if page.next_after is None:
                break
            after = page.next_after
        pages.append(rows)
    assert pages[0] == pages[1]


async def test_a_trust_pupil_list_holds_only_the_trusts_schools(store) -> None:
    cells, _ = whole(YEAR)
    scope = Scope(RowFilter(trust_ids=(7,)))
    page = await PupilListQuery("all", None, cells, scope, FIELDS, 0, 100).fetch(store)
    assert sorted({r["urn"] for r in page.rows}) == [URN_A, URN_C]
    assert len(page.rows) == 5


async def test_extracts_from_enrolment_term_equal_the_date_path(store) -> None:
    cells, dates = whole(AUTUMN)
    scope = Scope(RowFilter(), AreaFilter(phase="primary"))
    got = await ExtractQuery(cells, scope, FIELDS, 100).fetch(store)
    assert got == await ExtractQuery(dates, scope, FIELDS, 100).fetch(store)
    assert len(got) == 7


async def test_explicit_dates_of_a_whole_term_or_a_term_to_date_use_its_cells(store) -> None:
    whole_term = await measure_dates(store, AUTUMN.date_from, AUTUMN.date_to)
    assert (whole_term.period.cell_period, whole_term.latest_session) == (
        AUTUMN.period_id,
        date(2024, 12, 20),
    )
    # To the latest session received in the term, nothing after it: the term's cells hold these dates.
    to_date = await measure_dates(store, AUTUMN.date_from, date(2024, 12, 20))
    assert to_date.period.cell_period == AUTUMN.period_id
    # Sessions after date_to in the term are in its cells but not in these dates.
    part = await measure_dates(store, AUTUMN.date_from, date(2024, 12, 19))
    assert (part.period.cell_period, part.latest_session) == (None, date(2024, 12, 19))
    # The year to 7 January (the last session): the year's cells; a day off the term's start: dates.
    assert (await measure_dates(store, date(2024, 9, 1), date(2025, 1, 31))).period.cell_period == 20240
    assert (await measure_dates(store, date(2024, 9, 5), AUTUMN.date_to)).period.cell_period is None


async def test_named_periods_say_what_they_measured(store) -> None:
    ytd = await measure_named(store, "ytd", today=date(2025, 3, 1))
    assert ytd.as_dict() == {
        "name": "ytd", "kind": "ytd", "academic_year": "2024-25", "date_from": "2024-09-01",
        "date_to": "2025-01-07", "latest_session": "2025-01-07",
    }  # fmt: skip
    assert ytd.period == Period(date(2024, 9, 1), date(2025, 1, 7), 20240)
    half = await measure_named(store, "autumn1-2024", today=date(2025, 3, 1))
    assert (half.kind, half.period.cell_period, half.latest_session) == ("half_term", None, date(2024, 10, 2))
    term = await measure_named(store, "autumn-2024", today=date(2025, 3, 1))
    assert (term.period, term.latest_session) == (whole(AUTUMN)[0], date(2024, 12, 20))


first_day, last_day = date(2024, 9, 1), date(2025, 1, 10)
days = st.integers(0, (last_day - first_day).days).map(lambda n: first_day + timedelta(days=n))
term_starts = st.sampled_from([date(2024, 9, 1), AUTUMN.date_from, period_by_name()["spring-2025"].date_from])
# The last session of the autumn term and of the data, and the ends of the term and the data's range.
last_sessions = st.sampled_from([date(2024, 12, 20), date(2025, 1, 7), last_day])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    start=st.one_of(days, term_starts),
    end=st.one_of(days, last_sessions),
    level=st.sampled_from(LEVELS),
    breakdown=st.sampled_from(BREAKDOWNS),
    scope=st.sampled_from(SCOPES),
)
async def test_any_dates_read_as_measured_equal_the_exact_date_path(
    store, start, end, level, breakdown, scope
):
    assume(start <= end)
    measured = await measure_dates(store, start, end)
    event(f"read from cells: {measured.period.cell_period is not None}")
    expected = await SummaryQuery(level, Period(start, end), scope, breakdown).fetch(store)
    assert await SummaryQuery(level, measured.period, scope, breakdown).fetch(store) == expected


_RAW_PER_ENROLMENT = sql.SQL(
    "SELECT m.enrolment_id, " + ", ".join(f"sum({c})::int AS s{i}" for i, c in enumerate(CATEGORY_COLUMNS)) + " FROM marks m "
    + CODE_JOIN + " WHERE m.date BETWEEN %(lo)s AND %(hi)s AND {} GROUP BY 1"
    + f" HAVING sum({CATEGORY_COLUMNS[0]}) > 0 ORDER BY 1"
)  # fmt: skip


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=days, end=days, scope=st.sampled_from(SCOPES[:3]))
async def test_the_date_path_gives_each_enrolment_the_sums_of_its_raw_marks(store, start, end, scope) -> None:
    """Whole weeks from enrolment_week and edge days from marks, summed per source and joined, are each
    enrolment's sums over its raw marks: enrolments with marks only in the weeks or only on the edges too."""
    assume(start <= end)
    plan = plan_period(start, end)
    event(f"weeks: {plan.has_weeks}, edges: {len(plan.edges)}")
    pe = weeks_and_edges_cte(Period(start, end), scope.row_filter, scope.area)
    cur = await store.execute(
        sql.SQL("WITH {} SELECT * FROM pe ORDER BY enrolment_id").format(pe.sql), pe.params
    )
    got = [tuple(r.values()) for r in await cur.fetchall()]
    m = combined(scope.row_filter, scope.area, "m")
    cur = await store.execute(_RAW_PER_ENROLMENT.format(m.sql), {**m.params, "lo": start, "hi": end})
    assert got == [tuple(r.values()) for r in await cur.fetchall()]


@pytest.mark.parametrize("scope", SCOPES, ids=range(len(SCOPES)))
async def test_the_regional_daily_read_equals_a_daily_read_per_area(store, scope: Scope) -> None:
    """One read gives the scope's daily series and each region's, exactly as a DailyQuery per area."""
    period = Period(YEAR.date_from, YEAR.date_to)
    rows = await RegionalDailyQuery(period, scope).fetch(store)
    keys = ("region", "whole_area")

    def series(region: str | None) -> list[dict[str, Any]]:
        return [
            {k: v for k, v in r.items() if k not in keys}
            for r in rows
            if r["whole_area"] == (region is None) and (region is None or r["region"] == region)
        ]

    assert series(None) == await DailyQuery(period, scope).fetch(store)
    assert series(None), "the scope has a daily series"
    regions = {r["region"] for r in rows if not r["whole_area"]}
    assert regions <= {"London", "West Midlands"}
    for region in ("London", "West Midlands", "North East"):
        area = replace(scope.area, region=region) if scope.area.region in (None, region) else None
        if area is None:
            assert series(region) == []  # a region outside the scope's own has no rows
            continue
        assert series(region) == await DailyQuery(period, Scope(scope.row_filter, area)).fetch(store)


# Each school-day group's row as a row of "school_day": a reader over it sums the group rows, which is
# exactly what it read before school_day existed. A temp view comes first on the search path.
AS_GROUP_ROWS = (
    "CREATE TEMP VIEW school_day AS SELECT la_code, urn, date, pupils, possible, present, aea, authorised,"
    " unauthorised, not_counted, code_counts FROM public.school_day_group"
)
CLOSURE_DAYS = [date.fromisoformat(d) for d in ("2024-09-02", "2024-10-01", "2025-01-07", "2025-01-08")]


def _day_reads(period: Period) -> list[Any]:
    reads: list[Any] = []
    for scope in SCOPES:
        reads += [DailyQuery(period, scope), RegionalDailyQuery(period, scope)]
        reads += [CodeSessionsQuery(level, period, scope, None) for level in LEVELS]
        reads += [ClosuresQuery(day, scope) for day in CLOSURE_DAYS]
    return reads


async def _fetch_all(conn: Any, reads: list[Any]) -> list[Any]:
    """Each read's rows as a sorted list: code sessions come in hash-aggregate order (no ORDER BY), which
    differs between the two tables' plans; the rows must be equal, not their order."""
    return [sorted((await q.fetch(conn)), key=repr) for q in reads]


async def test_the_day_readers_give_from_school_day_the_rows_they_give_from_the_group_rollup(store) -> None:
    reads = _day_reads(Period(YEAR.date_from, YEAR.date_to))
    from_days = await _fetch_all(store, reads)
    async with store.transaction(force_rollback=True):
        await store.execute(AS_GROUP_ROWS)
        from_groups = await _fetch_all(store, reads)
    assert from_days == from_groups
    assert all(from_days)  # every read has rows (8 January, no marks: the schools on roll, zeros)


async def test_the_day_readers_read_school_day_unless_a_year_group_narrows_them(store) -> None:
    period = Period(YEAR.date_from, YEAR.date_to)
    whole, year_4 = Scope(RowFilter()), Scope(RowFilter(), AreaFilter(year_group=4))
    async with store.transaction(force_rollback=True):
        await store.execute("CREATE TEMP VIEW school_day AS SELECT * FROM public.school_day WHERE false")
        assert await DailyQuery(period, whole).fetch(store) == []
        assert await RegionalDailyQuery(period, whole).fetch(store) == []
        assert await CodeSessionsQuery("national", period, whole, None).fetch(store) == []
        closures = await ClosuresQuery(CLOSURE_DAYS[0], whole).fetch(store)
        assert [(r["urn"], r["marks"]) for r in closures] == [(u, 0) for u in (URN_A, URN_B, URN_C, URN_D)]
        assert await DailyQuery(period, year_4).fetch(store) != []
        assert await CodeSessionsQuery("national", period, whole, "fsm").fetch(store) != []
