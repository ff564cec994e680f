"""Migrations 0004's and 0021's frozen back-fills compute exactly what ingest maintains from the same marks."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from gateway.ingest.feed import FeedKind
from tests.ingest.conftest import fetch, ingest
from tests.ingest.feeds import LATER, URN_A, URN_B, csv_bytes, mark, pupil, school

VERSIONS = Path(__file__).parents[2] / "gateway" / "db" / "migrations" / "versions"
TABLES = {
    "enrolment_term": "la_code, period_id, enrolment_id",
    "school_cell": "la_code, urn, period_id, dim, val",
    "la_cell": "la_code, period_id, dim, val",
    "trust_cell": "trust_id, period_id, dim, val",
}


def _migration(name: str = "0004_term_cells") -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"migration_{name}", VERSIONS / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


async def _tables(conn) -> dict[str, list[tuple[object, ...]]]:
    return {t: await fetch(conn, f"SELECT * FROM {t} ORDER BY {keys}") for t, keys in TABLES.items()}


async def test_the_frozen_backfill_equals_the_cells_ingest_maintained(aconn) -> None:
    schools = [school(URN_A, 2001, trust=0), school(URN_B, 2002, trust=7)]
    await ingest(aconn, FeedKind.SCHOOLS, csv_bytes(FeedKind.SCHOOLS, schools))
    roster = [pupil(1), pupil(2, fsm="true"), pupil(3, sen_provision="E", sex="M"), pupil(4, urn=URN_B)]
    await ingest(aconn, FeedKind.ROSTER, csv_bytes(FeedKind.ROSTER, roster))
    days = ["2024-09-02", "2024-09-03", "2024-09-04", "2025-01-06"]
    marks = [
        mark(s, d, session, code, urn=URN_B if s == 4 else URN_A)
        for s, code in ((1, "/"), (2, "N"), (3, "I"), (4, "G"))
        for d in days
        for session in ("AM", "PM")
    ]
    await ingest(aconn, FeedKind.MARKS, csv_bytes(FeedKind.MARKS, marks))
    # A correction moving pupil 1 over the persistent-absence line, applied through the delta path.
    await ingest(
        aconn, FeedKind.MARKS, csv_bytes(FeedKind.MARKS, [mark(1, days[0], code="O", recorded_at=LATER)])
    )
    maintained = await _tables(aconn)
    # 4 enrolments x (academic year, autumn and spring term); A's 3 pupils fill 9 breakdown cells, B's 1 pupil
    # 6, in each of 3 periods; the LA holds both schools; the trust holds B only.
    assert [len(maintained[t]) for t in TABLES] == [12, 45, 27, 18]
    migration = _migration()
    async with aconn.transaction(force_rollback=True):
        for table in TABLES:
            await aconn.execute(f"DELETE FROM {table}")
        await aconn.execute(migration.BACKFILL_ENROLMENT_TERM)
        await aconn.execute(migration.BACKFILL_CELLS)
        assert await _tables(aconn) == maintained


async def test_the_frozen_school_day_backfill_equals_the_rows_ingest_maintained(aconn) -> None:
    await ingest(aconn, FeedKind.SCHOOLS, csv_bytes(FeedKind.SCHOOLS, [school(URN_A), school(URN_B, 2002)]))
    roster = [pupil(1), pupil(2, fsm="true"), pupil(3, sex="M", year_group=4), pupil(4, urn=URN_B)]
    await ingest(aconn, FeedKind.ROSTER, csv_bytes(FeedKind.ROSTER, roster))
    marks = [
        mark(s, d, session, code, urn=URN_B if s == 4 else URN_A)
        for s, code in ((1, "/"), (2, "N"), (3, "#"), (4, "Y4"))
        for d in ("2024-09-02", "2024-09-03")
        for session in ("AM", "PM")
    ]
    await ingest(aconn, FeedKind.MARKS, csv_bytes(FeedKind.MARKS, marks))
    await ingest(
        aconn, FeedKind.MARKS, csv_bytes(FeedKind.MARKS, [mark(1, "2024-09-02", code="O", recorded_at=LATER)])
    )
    query = "SELECT * FROM school_day ORDER BY la_code, urn, date"
    # (urn, date, pupils, possible): the closure codes # and Y4 are not possible sessions.
    maintained = await fetch(aconn, query)
    assert [(r[1], r[2].isoformat(), r[3], r[4]) for r in maintained] == [  # type: ignore[attr-defined]
        (URN_A, "2024-09-02", 3, 4), (URN_A, "2024-09-03", 3, 4),
        (URN_B, "2024-09-02", 1, 0), (URN_B, "2024-09-03", 1, 0),
    ]  # fmt: skip
    async with aconn.transaction(force_rollback=True):
        await aconn.execute("DELETE FROM school_day")
        await aconn.execute(_migration("0021_school_day").BACKFILL)
        assert await fetch(aconn, query) == maintained
