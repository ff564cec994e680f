"""Term rows and cells kept by ingest always equal a recomputation from raw marks, whatever the batches."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from gateway.ingest.feed import FeedKind
from tests.ingest.conftest import STORE, fetch, ingest
from tests.ingest.feeds import URN_A, URN_B, csv_bytes, mark, pupil, school

# Days before the autumn term starts (year only), in autumn 2024, in its half-term, in spring 2025.
DAYS = ["2024-09-02", "2024-09-04", "2024-09-05", "2024-10-28", "2024-12-20", "2025-01-06", "2025-01-07"]
CODES = ["/", "\\", "L", "N", "I", "O", "M", "V", "#", "D", "G", "U", "X"]
TIMES = ["2024-09-02T09:00:00Z", "2024-09-03T09:00:00Z", "2024-09-04T09:00:00Z", "2024-09-05T09:00:00Z"]
MEASURES = (
    "enrolments, possible, attended, authorised, unauthorised, persistent, severe, rk_enrolments,"
    " rk_persistent, rk_severe"
)

# The expected values, written independently of ingest's SQL: per enrolment and period straight from
# marks and the code table, grouped by the enrolment's and pupil's own columns (not the stored gid).
PER_ENROLMENT = """
    SELECT m.enrolment_id, ap.period_id, count(*) FILTER (WHERE c.category <> 'NC') AS possible,
           count(*) FILTER (WHERE c.category IN ('P', 'AEA')) AS attended,
           count(*) FILTER (WHERE c.category = 'AUTH') AS authorised,
           count(*) FILTER (WHERE c.category = 'UNAUTH') AS unauthorised
    FROM marks m
    JOIN attendance_codes c ON c.code = m.code AND m.date >= c.valid_from AND (c.valid_to IS NULL OR m.date < c.valid_to)
    JOIN academic_periods ap ON m.date BETWEEN ap.date_from AND ap.date_to AND ap.kind IN ('year', 'term')
    GROUP BY 1, 2
"""
EXPECTED_TERMS = f"""
    SELECT s.la_code, x.period_id, x.enrolment_id, e.urn, x.possible, x.attended, x.authorised, x.unauthorised
    FROM ({PER_ENROLMENT}) x JOIN enrolments e USING (enrolment_id) JOIN schools s ON s.urn = e.urn
    ORDER BY 1, 2, 3
"""
_CELL_ROWS = f"""
    SELECT s.la_code, e.urn, s.trust_id, x.period_id, d.dim, d.val, (x.possible > 0)::int AS counted,
           x.possible, x.attended, x.authorised, x.unauthorised,
           (x.possible > 0 AND (x.authorised + x.unauthorised) * 10 >= x.possible)::int AS pa,
           (x.possible > 0 AND (x.authorised + x.unauthorised) * 2 >= x.possible)::int AS sa, e.record_key
    FROM ({PER_ENROLMENT}) x JOIN enrolments e USING (enrolment_id) JOIN pupils p USING (pupil_id)
    JOIN schools s ON s.urn = e.urn
    CROSS JOIN LATERAL (VALUES (0, 0), (1, e.fsm::int),
        (2, CASE e.sen_provision WHEN 'N' THEN 0 WHEN 'K' THEN 1 ELSE 2 END), (3, (p.sex = 'M')::int),
        (4, array_position(ARRAY['White', 'Mixed', 'Asian', 'Black', 'Chinese', 'Other', 'Unclassified'],
                           p.ethnicity_major) - 1),
        (5, e.year_group)) AS d(dim, val)
"""
_SUMS = (
    "sum(counted), sum(possible), sum(attended), sum(authorised), sum(unauthorised), sum(pa), sum(sa),"
    " sum(record_key * counted), sum(record_key * pa), sum(record_key * sa)"
)


def _expected(keys: str, where: str = "TRUE") -> str:
    return (
        f"SELECT {keys}, {_SUMS} FROM ({_CELL_ROWS}) r WHERE {where} GROUP BY {keys}"
        f" HAVING sum(counted) <> 0 OR sum(possible) <> 0 ORDER BY {keys}"
    )


EXPECTED_CELLS = {
    "school_cell": _expected("la_code, urn, period_id, dim, val"),
    "la_cell": _expected("la_code, period_id, dim, val"),
    "trust_cell": _expected("trust_id, period_id, dim, val", "trust_id IS NOT NULL"),
}
STORED_KEYS = {
    "school_cell": "la_code, urn, period_id, dim, val",
    "la_cell": "la_code, period_id, dim, val",
    "trust_cell": "trust_id, period_id, dim, val",
}


async def _assert_cells_equal_recomputation(conn: Any) -> tuple[int, int]:
    """Compare every stored row with the recomputation; return how many term rows and non-empty cells."""
    terms = await fetch(conn, "SELECT * FROM enrolment_term ORDER BY 1, 2, 3")
    assert terms == await fetch(conn, EXPECTED_TERMS)
    total = 0
    for table, keys in STORED_KEYS.items():
        stored = await fetch(
            conn,
            f"SELECT {keys}, {MEASURES} FROM {table} WHERE ({MEASURES}) <> (0, 0, 0, 0, 0, 0, 0, 0, 0, 0)"
            f" ORDER BY {keys}",
        )
        assert stored == await fetch(conn, EXPECTED_CELLS[table]), table
        total += len(stored)
    return len(terms), total


SERIALS = range(1, 7)
ROSTER = [
    pupil(1), pupil(2, sex="M"), pupil(3, fsm="true"), pupil(4, urn=URN_B), pupil(5, urn=URN_B, year_group=4),
    pupil(6, urn=URN_B, ethnicity="BAFR"),
]  # fmt: skip
SCHOOLS = [school(URN_A, trust=7), school(URN_B, 2002, trust=0)]

mark_rows = st.builds(
    lambda serial, day, session, code, ts: mark(
        serial, day, session, code, ts, urn=URN_A if serial < 4 else URN_B
    ),
    st.sampled_from(SERIALS),
    st.sampled_from(DAYS),
    st.sampled_from(["AM", "PM"]),
    st.sampled_from(CODES),
    st.sampled_from(TIMES),
)
marks_batch = st.lists(mark_rows, min_size=1, max_size=14).map(lambda rows: ("marks", rows))
# A newer roster row that may move the enrolment to another pupil group (or change nothing that matters).
roster_change = st.builds(
    lambda serial, changes, ts: (
        "roster",
        [pupil(serial, urn=URN_A if serial < 4 else URN_B, recorded_at=ts, **changes)],
    ),
    st.sampled_from(SERIALS),
    st.sampled_from(
        [{"fsm": "true"}, {"year_group": 5}, {"sex": "M"}, {"ethnicity": "CHNE"}, {"sen_provision": "E"}, {}]
    ),
    st.sampled_from(["2024-09-10T09:00:00Z", "2024-09-11T09:00:00Z"]),
)
# School B moves to another LA, or joins a trust (A's or a new one), or leaves it.
school_change = st.sampled_from([
    ("schools", [school(URN_B, 2002, la_code=202, trust=0)]),
    ("schools", [school(URN_B, 2002, trust=7)]),
    ("schools", [school(URN_B, 2002, trust=9)]),
    ("schools", [school(URN_B, 2002, trust=0)]),
])  # fmt: skip
# The first batch again, recorded later with other codes: every one of its stored marks is corrected.
correction = st.sampled_from(["I", "/", "N", "D"]).map(lambda code: ("correct", code))
actions = st.lists(
    st.one_of(marks_batch, marks_batch, correction, roster_change, school_change), min_size=0, max_size=6
)
CORRECTED_AT = "2024-09-06T09:00:00Z"


async def _reset(conn: Any) -> None:
    await conn.execute(f"TRUNCATE {STORE} CASCADE")
    await ingest(conn, FeedKind.SCHOOLS, csv_bytes(FeedKind.SCHOOLS, SCHOOLS))
    await ingest(conn, FeedKind.ROSTER, csv_bytes(FeedKind.ROSTER, ROSTER))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=marks_batch, rest=actions, repeat=st.booleans())
async def test_cells_after_any_sequence_of_batches_equal_a_recomputation_from_marks(
    aconn, first, rest, repeat
) -> None:
    await _reset(aconn)
    done: list[bytes] = []
    for kind, rows in [first, *rest, *([first] if repeat else [])]:
        if kind == "correct":
            kind, rows = "marks", [dict(r, code=rows, recorded_at=CORRECTED_AT) for r in first[1]]
        data = csv_bytes(FeedKind(kind), rows)
        event(f"action: {kind}{' (repeated file)' if data in done else ''}")
        summary = await ingest(aconn, FeedKind(kind), data)
        if kind == "marks" and summary.updated:
            event("a correction changed stored marks")
        done.append(data)
    terms, cells = await _assert_cells_equal_recomputation(aconn)
    assert terms > 0  # the first batch always stores at least one mark (a year row at least)
    event(f"non-empty cells: {min(cells // 50 * 50, 200)}+")


async def test_a_mark_crossing_the_persistent_line_moves_one_enrolment_between_counts(aconn) -> None:
    await ingest(aconn, FeedKind.ROSTER, csv_bytes(FeedKind.ROSTER, [pupil(1)]))
    days = ["2024-09-04", "2024-09-05", "2024-09-06", "2024-09-09", "2024-09-10"]
    present = [mark(1, d, s, "/" if s == "AM" else "\\") for d in days for s in ("AM", "PM")]
    await ingest(aconn, FeedKind.MARKS, csv_bytes(FeedKind.MARKS, present))
    autumn = 20241  # period ids: academic year 2024 * 10 + 1 (autumn term)
    query = (
        f"SELECT enrolments, possible, persistent, severe FROM la_cell WHERE period_id = {autumn} AND dim = 0"
    )
    assert await fetch(aconn, query) == [(1, 10, 0, 0)]
    late = "2024-09-20T09:00:00Z"
    await ingest(
        aconn, FeedKind.MARKS, csv_bytes(FeedKind.MARKS, [mark(1, days[0], code="I", recorded_at=late)])
    )
    assert await fetch(aconn, query) == [(1, 10, 1, 0)]
    await _assert_cells_equal_recomputation(aconn)


async def test_a_school_that_moves_la_and_trust_takes_its_cells_with_it(aconn) -> None:
    await _reset(aconn)
    rows = [
        mark(4, "2024-09-04", urn=URN_B),
        mark(5, "2024-09-04", code="O", urn=URN_B),
        mark(1, "2024-09-04"),
    ]
    await ingest(aconn, FeedKind.MARKS, csv_bytes(FeedKind.MARKS, rows))
    totals = "SELECT {key}, enrolments, possible FROM {table} WHERE period_id = 20241 AND dim = 0 ORDER BY 1"
    assert await fetch(aconn, totals.format(key="la_code", table="la_cell")) == [(201, 3, 3)]
    await ingest(
        aconn, FeedKind.SCHOOLS, csv_bytes(FeedKind.SCHOOLS, [school(URN_B, 2002, la_code=202, trust=7)])
    )
    assert await fetch(aconn, totals.format(key="la_code", table="la_cell")) == [(201, 1, 1), (202, 2, 2)]
    assert await fetch(aconn, totals.format(key="trust_id", table="trust_cell")) == [(7, 3, 3)]
    await ingest(
        aconn, FeedKind.SCHOOLS, csv_bytes(FeedKind.SCHOOLS, [school(URN_B, 2002, la_code=202, trust=0)])
    )
    assert await fetch(aconn, totals.format(key="trust_id", table="trust_cell")) == [(7, 1, 1)]
    await _assert_cells_equal_recomputation(aconn)


async def test_a_roster_change_moves_an_enrolment_between_breakdown_cells(aconn) -> None:
    await _reset(aconn)
    await ingest(
        aconn, FeedKind.MARKS, csv_bytes(FeedKind.MARKS, [mark(1, "2024-09-04"), mark(2, "2024-09-04")])
    )
    fsm = "SELECT val, enrolments FROM la_cell WHERE period_id = 20240 AND dim = 1 AND enrolments <> 0 ORDER BY 1"
    assert await fetch(aconn, fsm) == [(0, 2)]
    later = "2024-09-10T09:00:00Z"
    await ingest(
        aconn, FeedKind.ROSTER, csv_bytes(FeedKind.ROSTER, [pupil(2, sex="M", fsm="true", recorded_at=later)])
    )
    assert await fetch(aconn, fsm) == [(0, 1), (1, 1)]
    await _assert_cells_equal_recomputation(aconn)
