"""A roster load gives every enrolment the pupil group of its own attributes (one probe of pupil_groups' key
per row), for every one of the 1,260 groups; a reload is unchanged, and a pupil whose sex changes moves."""

from __future__ import annotations

import itertools
from typing import Any

import psycopg

from gateway.ingest.feed import FeedKind
from gateway.store.ethnicity import ETHNICITY_MAJOR, MAJOR_GROUPS
from tests.ingest.conftest import fetch, ingest
from tests.ingest.feeds import LATER, URN_A, csv_bytes, pupil, upn

# One ethnicity code of each major group.
CODE_OF: dict[str, str] = {
    major: next(c for c, m in ETHNICITY_MAJOR.items() if m == major) for major in MAJOR_GROUPS
}
COMBOS = list(itertools.product(range(15), ("false", "true"), "NKE", "FM", MAJOR_GROUPS))


def _row(i: int, year: int, fsm: str, sen: str, sex: str, major: str, **changes: Any) -> dict[str, Any]:
    row = pupil(0, URN_A, year_group=year, fsm=fsm, sen_provision=sen, sex=sex, ethnicity=CODE_OF[major])
    row["upn"] = upn(i % 1000, estab=3000 + i // 1000)
    row.update(changes)
    return row


MISMATCHED = """
    SELECT count(*) FROM enrolments e JOIN pupils p USING (pupil_id) JOIN pupil_groups g USING (gid)
    WHERE (g.year_group, g.fsm, g.sen_provision, g.sex, g.ethnicity_major)
          IS DISTINCT FROM (e.year_group, e.fsm, e.sen_provision, p.sex, p.ethnicity_major)
"""


async def test_every_enrolment_gets_the_group_of_its_attributes(
    aconn: psycopg.AsyncConnection[tuple[object, ...]],
) -> None:
    rows = [_row(i, *combo) for i, combo in enumerate(COMBOS)]
    first = await ingest(aconn, FeedKind.ROSTER, csv_bytes(FeedKind.ROSTER, rows))
    assert (first.accepted, first.rejected) == (len(COMBOS), 0) == (1260, 0)
    assert await fetch(aconn, "SELECT count(*), count(DISTINCT gid) FROM enrolments") == [(1260, 1260)]
    assert await fetch(aconn, MISMATCHED) == [(0,)]

    again = await ingest(aconn, FeedKind.ROSTER, csv_bytes(FeedKind.ROSTER, rows))
    assert (again.accepted, again.updated, again.unchanged) == (0, 0, 1260)

    # A newer row for pupil 0 with the other sex moves its enrolment to that sex's group.
    year, fsm, sen, sex, major = COMBOS[0]
    other = "M" if sex == "F" else "F"
    moved = await ingest(aconn, FeedKind.ROSTER, csv_bytes(FeedKind.ROSTER, [
        _row(0, year, fsm, sen, other, major, recorded_at=LATER)
    ]))  # fmt: skip
    assert (moved.accepted, moved.updated) == (0, 1)
    assert await fetch(aconn, MISMATCHED) == [(0,)]
    assert await fetch(
        aconn,
        f"SELECT g.sex FROM enrolments e JOIN pupils p USING (pupil_id) JOIN pupil_groups g USING (gid)"
        f" WHERE p.upn = '{upn(0, estab=3000)}'",
    ) == [(other,)]
