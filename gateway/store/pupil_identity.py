"""A pupil's identity as DfE data management corrects it (the action `pupils.correct_identity`): the fields a
feed may not rewrite across schools, changed in one transaction, with the pupil's statistics regrouped."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from psycopg import AsyncConnection
from psycopg.rows import tuple_row

from gateway.store.ethnicity import ETHNICITY_MAJOR
from gateway.store.rollups import rebuild_school_days_of
from gateway.store.school_register import RegisterError, record_data_change
from gateway.store.terms import regroup_statement

# The identity a roster row sets (gateway/ingest/roster.py IDENTITY), in that order.
IDENTITY_FIELDS: Final = ("forename", "surname", "date_of_birth", "sex", "ethnicity")


@dataclass(frozen=True, slots=True)
class Identity:
    forename: str
    surname: str
    date_of_birth: date
    sex: str
    ethnicity: str


async def correct_identity(conn: AsyncConnection[Any], upn: str, identity: Identity) -> tuple[str, ...]:
    """Set the pupil's identity; returns the names of the fields that changed (none: nothing written). The
    caller holds the transaction. `recorded_at` is kept, so a feed row no newer than the last roster row
    still changes nothing, and a newer one with the corrected identity is accepted.

    A change of sex or ethnicity group moves every enrolment of the pupil to another pupil group, and with it
    their daily rollups and statistical cells, exactly as a roster correction does (gateway/ingest/roster.py)."""
    major = ETHNICITY_MAJOR[identity.ethnicity]  # the edge has checked the code
    cur = conn.cursor(row_factory=tuple_row)
    await cur.execute(
        f"SELECT pupil_id, {', '.join(IDENTITY_FIELDS)}, ethnicity_major FROM pupils WHERE upn = %s FOR UPDATE",
        (upn,),
    )
    found = await cur.fetchone()
    if found is None:
        raise RegisterError("unknown-pupil", "No pupil in the store has this UPN.")
    pupil_id, old_major = int(found[0]), str(found[-1])
    stored = dict(zip(IDENTITY_FIELDS, found[1:-1], strict=True))
    stored["sex"] = str(stored["sex"]).strip()
    changed = tuple(f for f in IDENTITY_FIELDS if stored[f] != getattr(identity, f))
    if not changed:
        return changed
    await conn.execute(
        """UPDATE pupils SET forename = %s, surname = %s, date_of_birth = %s, sex = %s, ethnicity = %s,
               ethnicity_major = %s WHERE pupil_id = %s""",
        (identity.forename, identity.surname, identity.date_of_birth, identity.sex, identity.ethnicity, major,
         pupil_id),
    )  # fmt: skip
    if (stored["sex"], old_major) != (identity.sex, major):
        await regroup_pupil(conn, pupil_id)
    # Fields and the pupil id only: no name or date of birth is hashed into the batch record.
    await record_data_change(conn, "roster", "pupils.correct_identity", f"{pupil_id}:{','.join(changed)}")
    return changed


async def regroup_pupil(conn: AsyncConnection[Any], pupil_id: int) -> None:
    """Move every enrolment of the pupil whose pupil group no longer matches their sex and ethnicity group
    (and their year group, FSM and SEN) to the right group, with its daily rollups and cells."""
    await conn.execute(
        "CREATE TEMP TABLE regrouped (enrolment_id bigint, old_gid integer, new_gid integer) ON COMMIT DROP"
    )
    await conn.execute(
        """WITH up AS (
             UPDATE enrolments e SET gid = g.gid
             FROM pupils p, pupil_groups g
             WHERE e.pupil_id = %(pupil)s AND p.pupil_id = %(pupil)s
               AND (g.year_group, g.fsm, g.sen_provision, g.sex, g.ethnicity_major)
                   = (e.year_group, e.fsm, e.sen_provision, p.sex, p.ethnicity_major)
               AND e.gid <> g.gid
             RETURNING new.enrolment_id, old.gid AS old_gid, new.gid AS new_gid
           )
           INSERT INTO regrouped SELECT * FROM up""",
        {"pupil": pupil_id},
    )
    await rebuild_school_days_of(conn, "regrouped")
    await conn.execute(regroup_statement("regrouped"))
    await conn.execute("DROP TABLE regrouped")
