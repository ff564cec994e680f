"""The "10 or more unauthorised sessions in any 10 school weeks" list and the early-warning rules, read one
enrolment at a time in key order, give exactly what the rules say, computed here independently from the
weekly rollup, for every scope and page size (pupils designed to sit on each side of every rule)."""

from __future__ import annotations

import itertools
import os
from collections.abc import AsyncIterator
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

import psycopg
import pytest
from psycopg import sql
from psycopg.rows import dict_row

from gateway.db.migrate import upgrade
from gateway.db.urls import resolve_database, start_embedded
from gateway.ingest.feed import FeedKind
from gateway.ingest.run import ingest_stream
from gateway.policy.decision import RowFilter
from gateway.settings import Settings
from gateway.store.aggregates import Period
from gateway.store.pupils import EARLY_WARNING_RULES, WarningWindow
from gateway.store.queries import EarlyWarningQuery, PupilListQuery, latest_marked_day
from gateway.store.scope import AreaFilter, Scope
from tests.ingest.feeds import csv_bytes, mark, pupil, school, upn

URN_A, URN_B, URN_C = 100001, 100002, 100003
SCHOOLS = [
    school(URN_A, 2001, la_code=201, trust=7),
    school(URN_B, 2002, la_code=201, trust=0),
    school(URN_C, 2003, la_code=202, trust=7),
]
FIRST_MONDAY, HALF_TERM = date(2024, 9, 2), date(2024, 10, 28)  # no marks at all in half-term week
WEEKS = [
    FIRST_MONDAY + timedelta(weeks=k) for k in range(15) if FIRST_MONDAY + timedelta(weeks=k) != HALF_TERM
]
# School weeks 0-9 are before the early-warning window's recent four weeks (10-13); the last two are 12-13.
RECENT, LAST2 = range(10, 14), range(12, 14)
Absences = dict[tuple[int, int, str], str]  # (school week, weekday, session) -> code


def on_mondays(weeks: Any, code: str = "O") -> Absences:
    return {(w, 0, "AM"): code for w in weeks}


def whole_weeks(weeks: Any, code: str = "O", days: int = 5) -> Absences:
    """Every morning of the first `days` weekdays of each week."""
    return {(w, d, "AM"): code for w in weeks for d in range(days)}


def every_session(weeks: Any, code: str) -> Absences:
    return {(w, d, s): code for w in weeks for d in range(5) for s in ("AM", "PM")}


# serial -> (school, year group, absences). What each one is for is said beside it.
PUPILS: dict[int, tuple[int, int, Absences]] = {
    1: (URN_A, 3, on_mondays(range(10))),  # exactly 10 in school weeks 0-9: listed
    2: (URN_A, 3, on_mondays([*range(5), *range(6, 11)])),  # 10 in 11 weeks, at most 9 in any 10: not
    3: (URN_A, 4, {**whole_weeks([0]), **whole_weeks([9])}),  # 5 + 5, nine weeks apart: listed
    4: (URN_A, 4, {**whole_weeks([0]), **whole_weeks([10])}),  # 5 + 5, ten weeks apart: not
    5: (URN_B, 3, {**whole_weeks([1]), **whole_weeks([10])}),  # 10 school weeks over 11 calendar (half
    # term): listed, as the window counts school weeks
    6: (URN_A, 3, whole_weeks(RECENT, "I", 3)),  # 70% recent against 100% before: attendance_drop
    7: (URN_A, 3, {**on_mondays(range(9), "I"), **whole_weeks([10], "I")}),  # 9% before, 10% with: newly
    # persistent (and no drop: 87.5% recent against 91%)
    8: (URN_B, 4, whole_weeks([13])),  # 5 unauthorised in the last 2 weeks after none: unauthorised_run
    9: (URN_A, 3, {**whole_weeks(range(8), "I"), **every_session(RECENT, "I")}),  # 40% before, 57% with:
    # newly severe
    10: (URN_A, 3, {}),  # always in school: on no list
    11: (URN_C, 3, on_mondays(range(10))),  # pupil 1's pattern in LA 202
    12: (URN_C, 4, whole_weeks(RECENT, "I", 3)),  # pupil 6's pattern in LA 202
}


def whole_weeks_of(serial: int) -> list[dict[str, object]]:
    urn, _, absences = PUPILS[serial]
    rows = []
    for (k, monday), weekday, session in itertools.product(enumerate(WEEKS), range(5), ("AM", "PM")):
        day = (monday + timedelta(days=weekday)).isoformat()
        present = "/" if session == "AM" else "\\"
        rows.append(mark(serial, day, session, absences.get((k, weekday, session), present), urn=urn))
    return rows


@pytest.fixture(scope="module")
async def store(settings: Settings) -> AsyncIterator[psycopg.AsyncConnection[dict[str, Any]]]:
    name = f"gateway_pupilrules_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    own = settings.model_copy(update={"database_name": name})
    server = start_embedded(own.pg_data_dir)
    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(drop)
    urls = resolve_database(own)
    upgrade(urls, own.app_db_role)
    roster = [pupil(s, urn=urn, year_group=year) for s, (urn, year, _) in PUPILS.items()]
    marks = [row for s in PUPILS for row in whole_weeks_of(s)]
    async with await psycopg.AsyncConnection.connect(urls.admin, autocommit=True) as conn:
        for kind, rows in ((FeedKind.SCHOOLS, SCHOOLS), (FeedKind.ROSTER, roster), (FeedKind.MARKS, marks)):
            summary = await ingest_stream(conn, None, f"{kind.value}.csv", csv_bytes(kind, rows))
            assert summary.rejected == 0
    async with await psycopg.AsyncConnection.connect(
        urls.admin, autocommit=True, row_factory=dict_row
    ) as conn:
        yield conn
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(drop)


SCOPES = {
    "la-201": Scope(RowFilter(la_codes=(201,)), AreaFilter(la_code=201)),
    "la-202": Scope(RowFilter(la_codes=(202,)), AreaFilter(la_code=202)),
    "trust-7": Scope(RowFilter(trust_ids=(7,))),
    "school-b": Scope(RowFilter(urns=(URN_B,))),
    "england-year-4": Scope(RowFilter(), AreaFilter(year_group=4)),
    "england-la-201": Scope(RowFilter(), AreaFilter(la_code=201)),
    "nothing": Scope(RowFilter(la_codes=())),
}
YEAR = Period(date(2024, 9, 2), date(2024, 12, 13))
FIELDS = ("upn", "year_group", "urn", "possible_sessions", "unauthorised_sessions")


async def weekly_rows(store: psycopg.AsyncConnection[dict[str, Any]], scope: Scope) -> list[dict[str, Any]]:
    """The rollup's rows in scope, with each enrolment's UPN and year group (the reference's only input)."""
    where = scope.on("ew")
    cur = await store.execute(
        sql.SQL(
            "SELECT p.upn, e.year_group, ew.* FROM enrolment_week ew JOIN enrolments e USING (enrolment_id)"
            " JOIN pupils p USING (pupil_id) WHERE ew.possible > 0 AND {} ORDER BY ew.enrolment_id, ew.week_start"
        ).format(where.sql),
        where.params,
    )
    rows = await cur.fetchall()
    year = scope.area.year_group
    return [r for r in rows if year is None or r["year_group"] == year]


def by_enrolment(rows: list[dict[str, Any]]) -> dict[int, list[dict[str, Any]]]:
    out: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        out.setdefault(row["enrolment_id"], []).append(row)
    return out


def ten_in_ten(weeks: list[dict[str, Any]], first: date, last: date) -> bool:
    """The rule as written: some run of 10 consecutive school weeks (weeks with sessions) has 10+."""
    counts = [w["unauthorised"] for w in weeks if first <= w["week_start"] <= last]
    return any(sum(counts[max(0, i - 9) : i + 1]) >= 10 for i in range(len(counts)))


def warning_rules(weeks: list[dict[str, Any]], window: WarningWindow, drop: int) -> dict[str, Any] | None:
    """Each early-warning rule in exact arithmetic, from the weeks between the period's start and as_of."""
    inside = [w for w in weeks if window.period_start <= w["week_start"] <= window.as_of]
    if not inside:
        return None
    last2 = window.recent_start + timedelta(weeks=window.recent_weeks - 2)
    recent = [w for w in inside if w["week_start"] >= window.recent_start]
    prior = [w for w in inside if w["week_start"] < window.recent_start]

    def total(ws: list[dict[str, Any]], key: str) -> int:
        return sum(w[key] if key != "attended" else w["present"] + w["aea"] for w in ws)

    r_pos, r_att, p_pos, p_att = (total(recent, "possible"), total(recent, "attended"),
                                  total(prior, "possible"), total(prior, "attended"))  # fmt: skip
    r_abs, p_abs = r_pos - r_att, p_pos - p_att
    last2_unauth = total([w for w in recent if w["week_start"] >= last2], "unauthorised")
    rules = {
        "attendance_drop": r_pos >= 10
        and p_pos >= 10
        and Fraction(100 * r_att, r_pos) <= Fraction(100 * p_att, p_pos) - drop,
        "newly_persistent": p_pos > 0 and p_abs * 10 < p_pos and (p_abs + r_abs) * 10 >= p_pos + r_pos,
        "newly_severe": p_pos > 0 and p_abs * 2 < p_pos and (p_abs + r_abs) * 2 >= p_pos + r_pos,
        "unauthorised_run": last2_unauth >= 5 and total(prior, "unauthorised") * 100 < p_pos,
    }
    fired = [name for name in EARLY_WARNING_RULES if rules[name]]
    if not fired:
        return None
    return {
        "rules": fired,
        "r_possible": r_pos,
        "r_attended": r_att,
        "p_possible": p_pos,
        "p_attended": p_att,
    }


async def every_page(fetch: Any, limit: int) -> list[dict[str, Any]]:
    after, rows = 0, []
    while True:
        page = await fetch(after, limit)
        assert len(page.rows) <= limit
        rows.extend(page.rows)
        if page.next_after is None:
            return rows
        after = page.next_after


@pytest.mark.parametrize("limit", [1, 2, 50])
@pytest.mark.parametrize("name", SCOPES)
async def test_ten_in_ten_lists_exactly_the_enrolments_the_rule_selects(store, name, limit) -> None:
    scope = SCOPES[name]
    expected = [
        weeks[0]["upn"]
        for weeks in by_enrolment(await weekly_rows(store, scope)).values()
        if ten_in_ten(weeks, YEAR.date_from, YEAR.date_to)
    ]

    async def fetch(after: int, n: int) -> Any:
        return await PupilListQuery("unauthorised_10_in_10", None, YEAR, scope, FIELDS, after, n).fetch(store)

    rows = await every_page(fetch, limit)
    assert [r["upn"] for r in rows] == expected  # in enrolment order
    assert [r["possible_sessions"] for r in rows] == [140] * len(expected)


async def test_ten_in_ten_selects_the_designed_pupils(store) -> None:
    scope = SCOPES["la-201"]
    page = await PupilListQuery("unauthorised_10_in_10", None, YEAR, scope, FIELDS, 0, 50).fetch(store)
    # Rows come in enrolment order, and roster ingest numbers enrolments in whatever order its plan
    # produces, so the designed pupils are compared by UPN.
    assert sorted((r["upn"], r["unauthorised_sessions"]) for r in page.rows) == sorted(
        [(upn(1), 10), (upn(3), 10), (upn(5), 10)]
    )
    # A period that ends before school week 9 leaves pupil 1 with 9, pupil 3 with 5 and pupil 5 with 5.
    short = Period(YEAR.date_from, WEEKS[8] + timedelta(days=4))
    page = await PupilListQuery("unauthorised_10_in_10", None, short, scope, FIELDS, 0, 50).fetch(store)
    assert page.rows == []


def window_of(as_of: date) -> WarningWindow:
    return WarningWindow(period_start=date(2024, 9, 1), as_of=as_of)


@pytest.mark.parametrize("limit", [1, 2, 50])
@pytest.mark.parametrize("name", SCOPES)
async def test_early_warning_flags_exactly_what_the_rules_say(store, name, limit) -> None:
    scope = SCOPES[name]
    as_of = await latest_marked_day(store, scope) or WEEKS[-1] + timedelta(days=4)
    window = window_of(as_of)
    expected = [
        {"upn": weeks[0]["upn"], **found}
        for weeks in by_enrolment(await weekly_rows(store, scope)).values()
        if (found := warning_rules(weeks, window, 10)) is not None
    ]

    async def fetch(after: int, n: int) -> Any:
        return await EarlyWarningQuery(window, scope, ("upn",), 10.0, after, n).fetch(store)

    measures = ("r_possible", "r_attended", "p_possible", "p_attended")
    got = [
        {"upn": r["upn"], "rules": r["_rules"], **{k: int(r[k]) for k in measures}}
        for r in await every_page(fetch, limit)
    ]
    assert got == expected


async def test_early_warning_flags_the_designed_pupils_with_their_rules(store) -> None:
    window = window_of(WEEKS[-1] + timedelta(days=4))
    page = await EarlyWarningQuery(window, SCOPES["la-201"], ("upn",), 10.0, 0, 50).fetch(store)
    assert sorted((r["upn"], r["_rules"]) for r in page.rows) == sorted(  # by UPN, as above
        [
            (upn(6), ["attendance_drop"]),
            (upn(7), ["newly_persistent"]),
            (upn(8), ["attendance_drop", "unauthorised_run"]),
            (upn(9), ["attendance_drop", "newly_severe"]),
        ]
    )
    assert page.next_after is None
