"""Rosters and schools: checked row by row in Python (UPN check letters, names), COPYed, merged in SQL."""

from __future__ import annotations

from operator import attrgetter
from typing import Final

from psycopg import AsyncConnection
from psycopg.rows import tuple_row

from gateway.ingest.counts import BatchCounts
from gateway.ingest.feed import Reason, WriteScope
from gateway.ingest.records import Problem, iter_records
from gateway.ingest.source import Header, Source
from gateway.ingest.validate import RosterRow, RowError, SchoolRow, parse_roster, parse_school
from gateway.store.rollups import rebuild_school_days_of
from gateway.store.school_register import record_data_change
from gateway.store.terms import move_school_cells, regroup_statement

REJECT_COLUMNS: Final = ("batch_id", "line_number", "raw", "reason_code", "reason")
ROSTER_FIELDS: Final = tuple(RosterRow.__dataclass_fields__)
SCHOOL_FIELDS: Final = tuple(SchoolRow.__dataclass_fields__)
# A row's values in field order: dataclasses.astuple deep-copies every field, a third of a large roster's time.
roster_values: Final = attrgetter(*ROSTER_FIELDS)
school_values: Final = attrgetter(*SCHOOL_FIELDS)
# Tables whose rows carry a school's LA code (the distribution key).
MOVED_WITH_SCHOOL: Final = (
    "enrolments",
    "marks",
    "school_day_group",
    "school_day",
    "enrolment_week",
    "enrolment_week_cumulative",
    "enrolment_term",
    "school_cell",
)


async def _write_rejects(
    conn: AsyncConnection[object], batch_id: int, rejects: list[tuple[int, str, Problem]], counts: BatchCounts
) -> None:
    cur = conn.cursor()
    async with cur.copy(f"COPY ingest_rejects ({', '.join(REJECT_COLUMNS)}) FROM STDIN") as copy:
        for line_no, raw, problem in rejects:
            await copy.write_row((batch_id, line_no, raw, problem.reason.value, problem.text))
    counts.rejected = len(rejects)
    counts.reasons.update(p.reason.value for _, _, p in rejects)


async def _stored_schools(conn: AsyncConnection[object]) -> dict[int, tuple[int, str, str]]:
    """Every stored school's (la_code, phase, school_type) by URN."""
    cur = conn.cursor(row_factory=tuple_row)
    await cur.execute("SELECT urn, la_code, phase, school_type FROM schools")
    return {int(urn): (int(la), str(phase), str(kind)) for urn, la, phase, kind in await cur.fetchall()}


def _check_school_write(
    row: SchoolRow, stored: tuple[int, str, str] | None, scope: WriteScope | None
) -> None:
    """A sender writes only its own schools, and never moves one to another LA, phase or type: those
    are data-management actions (an operator's ingest, with no scope, still may)."""
    if scope is None:
        return
    if not scope.covers(row.urn, row.la_code) or (
        stored is not None and not scope.covers(row.urn, stored[0])
    ):
        raise RowError(Reason.NOT_YOUR_SCHOOL, f"school {row.urn} is not one this sender collects for")
    if stored is not None and stored != (row.la_code, row.phase, row.school_type):
        changed = [
            name
            for name, old, new in zip(
                ("la_code", "phase", "school_type"),
                stored,
                (row.la_code, row.phase, row.school_type),
                strict=True,
            )
            if old != new
        ]
        raise RowError(
            Reason.NEEDS_DATA_MANAGEMENT,
            f"changing {', '.join(changed)} of school {row.urn} is a data-management action, not a feed row",
        )


async def ingest_schools(
    conn: AsyncConnection[object],
    batch_id: int,
    source: Source,
    header: Header,
    write_scope: WriteScope | None = None,
) -> BatchCounts:
    counts = BatchCounts()
    stored = await _stored_schools(conn) if write_scope is not None else {}
    rows: list[SchoolRow] = []
    rejects: list[tuple[int, str, Problem]] = []
    first_line: dict[int, int] = {}
    trust_names: dict[int, tuple[str, int]] = {}
    for record in iter_records(source, header):
        try:
            if record.problem is not None:
                rejects.append((record.line_no, record.raw, record.problem))
                continue
            assert record.fields is not None
            row = parse_school(record.fields)
            _check_school_write(row, stored.get(row.urn), write_scope)
            if row.urn in first_line:
                raise RowError(
                    Reason.DUPLICATE_IN_BATCH, f"urn {row.urn} already on line {first_line[row.urn]}"
                )
            if row.trust_id is not None and row.trust_name is not None:
                name, line = trust_names.setdefault(row.trust_id, (row.trust_name, record.line_no))
                if name != row.trust_name:
                    raise RowError(
                        Reason.BAD_VALUE, f"trust_name differs from line {line} for trust {row.trust_id}"
                    )
            first_line[row.urn] = record.line_no
            rows.append(row)
        except RowError as exc:
            rejects.append((record.line_no, record.raw, exc.problem))
    await _write_rejects(conn, batch_id, rejects, counts)
    await conn.execute(
        """CREATE TEMP TABLE stage_schools (urn integer, name text, la_code smallint, estab_number smallint,
             phase text, school_type text, trust_given boolean, trust_id integer, trust_name text) ON COMMIT DROP"""
    )
    cur = conn.cursor(row_factory=tuple_row)
    async with cur.copy(f"COPY stage_schools ({', '.join(SCHOOL_FIELDS)}) FROM STDIN") as copy:
        for row in rows:
            await copy.write_row(school_values(row))
    await conn.execute(
        """INSERT INTO trusts (trust_id, name)
           SELECT DISTINCT trust_id, trust_name FROM stage_schools WHERE trust_id IS NOT NULL
           ON CONFLICT (trust_id) DO UPDATE SET name = excluded.name WHERE trusts.name <> excluded.name"""
    )
    await cur.execute(
        """WITH up AS (
             INSERT INTO schools (urn, name, la_code, estab_number, phase, school_type, trust_id)
             SELECT st.urn, st.name, st.la_code, st.estab_number, st.phase, st.school_type,
                    CASE WHEN st.trust_given THEN st.trust_id ELSE prev.trust_id END
             FROM stage_schools st LEFT JOIN schools prev ON prev.urn = st.urn
             ON CONFLICT (urn) DO UPDATE SET name = excluded.name, la_code = excluded.la_code,
                 estab_number = excluded.estab_number, phase = excluded.phase,
                 school_type = excluded.school_type, trust_id = excluded.trust_id
             WHERE (schools.name, schools.la_code, schools.estab_number, schools.phase, schools.school_type,
                    schools.trust_id)
                   IS DISTINCT FROM (excluded.name, excluded.la_code, excluded.estab_number, excluded.phase,
                                     excluded.school_type, excluded.trust_id)
             RETURNING new.urn, old.urn IS NULL AS inserted, old.la_code AS old_la, new.la_code AS new_la,
                       old.trust_id AS old_trust, new.trust_id AS new_trust
           )
           SELECT urn, inserted, old_la, new_la, old_trust, new_trust FROM up"""
    )
    changed = await cur.fetchall()
    counts.accepted = sum(1 for r in changed if r[1])
    counts.updated = len(changed) - counts.accepted
    counts.unchanged = len(rows) - len(changed)
    moved = [
        (urn, old_la, new_la, old_trust, new_trust)
        for urn, inserted, old_la, new_la, old_trust, new_trust in changed
        if not inserted and (old_la != new_la or old_trust != new_trust)
    ]
    if moved:
        await _move_schools(conn, moved)
    return counts


async def _move_schools(
    conn: AsyncConnection[object], moved: list[tuple[int, int, int, int | None, int | None]]
) -> None:
    """The LA code is the distribution key on every large table: a school that moves LA moves everywhere;
    its cells leave the old LA's (and trust's) cells and join the new ones'."""
    await conn.execute(
        "CREATE TEMP TABLE moved_schools (urn integer, old_la smallint, new_la smallint, old_trust integer,"
        " new_trust integer) ON COMMIT DROP"
    )
    cur = conn.cursor()
    async with cur.copy("COPY moved_schools FROM STDIN") as copy:
        for row in moved:
            await copy.write_row(row)
    for urn, old_la, new_la, _, _ in moved:
        if old_la != new_la:
            for table in MOVED_WITH_SCHOOL:
                await conn.execute(f"UPDATE {table} SET la_code = %s WHERE urn = %s", (new_la, urn))
    await move_school_cells(conn)


IDENTITY: Final = ("forename", "surname", "date_of_birth", "sex", "ethnicity")
REWRITES_IDENTITY: Final = Problem(
    Reason.NEEDS_DATA_MANAGEMENT,
    "would change the name, date of birth, sex or ethnicity of a pupil also enrolled at a school this"
    " sender does not collect for: correcting or merging an identity across schools is a data-management"
    " action, not a feed row",
)


async def _identity_rewrites(
    conn: AsyncConnection[object], kept: list[tuple[int, str, RosterRow]], scope: WriteScope
) -> set[int]:
    """Lines whose newer row would rewrite the identity of a pupil enrolled outside the sender's scope."""
    if not kept:
        return set()
    cur = conn.cursor(row_factory=tuple_row)
    await cur.execute(
        f"""SELECT p.upn, {", ".join(f"p.{c}" for c in IDENTITY)}, p.recorded_at FROM pupils p
            WHERE p.upn = ANY(%(upns)s) AND EXISTS (
              SELECT 1 FROM enrolments e WHERE e.pupil_id = p.pupil_id
                AND NOT (e.la_code = ANY(%(las)s::integer[]) OR e.urn = ANY(%(urns)s::integer[])))""",
        {
            "upns": sorted({row.upn for _, _, row in kept}),
            "las": sorted(scope.la_codes),
            "urns": sorted(scope.urns),
        },
    )
    stored = {str(r[0]): (tuple(r[1:-1]), r[-1]) for r in await cur.fetchall()}
    rewrites = set()
    for line_no, _, row in kept:
        found = stored.get(row.upn)
        identity = tuple(getattr(row, c) for c in IDENTITY)
        if found is not None and row.recorded_at > found[1] and identity != found[0]:
            rewrites.add(line_no)
    return rewrites


async def ingest_roster(
    conn: AsyncConnection[object],
    batch_id: int,
    source: Source,
    header: Header,
    write_scope: WriteScope | None = None,
) -> BatchCounts:
    counts = BatchCounts()
    cur = conn.cursor(row_factory=tuple_row)
    await cur.execute("SELECT urn, la_code FROM schools")
    schools = {int(urn): int(la) for urn, la in await cur.fetchall()}
    kept: list[tuple[int, str, RosterRow]] = []
    rejects: list[tuple[int, str, Problem]] = []
    first_line: dict[tuple[int, str], int] = {}
    for record in iter_records(source, header):
        try:
            if record.problem is not None:
                rejects.append((record.line_no, record.raw, record.problem))
                continue
            assert record.fields is not None
            row = parse_roster(record.fields)
            if row.urn not in schools:
                raise RowError(Reason.UNKNOWN_SCHOOL, f"no school with urn {row.urn}")
            if write_scope is not None and not write_scope.covers(row.urn, schools[row.urn]):
                raise RowError(
                    Reason.NOT_YOUR_SCHOOL, f"school {row.urn} is not one this sender collects for"
                )
            key = (row.urn, row.upn)
            if key in first_line:
                raise RowError(Reason.DUPLICATE_IN_BATCH, f"same urn and upn as line {first_line[key]}")
            first_line[key] = record.line_no
            kept.append((record.line_no, record.raw, row))
        except RowError as exc:
            rejects.append((record.line_no, record.raw, exc.problem))
    rewrites = await _identity_rewrites(conn, kept, write_scope) if write_scope is not None else set()
    rows = [row for line_no, _, row in kept if line_no not in rewrites]
    rejects += [(line_no, raw, REWRITES_IDENTITY) for line_no, raw, _ in kept if line_no in rewrites]
    rejects.sort(key=lambda r: r[0])
    await _write_rejects(conn, batch_id, rejects, counts)
    await conn.execute(
        """CREATE TEMP TABLE stage_roster (
             urn integer, upn char(13), forename text, surname text, date_of_birth date, sex char(1),
             ethnicity text, ethnicity_major text, year_group smallint, fsm boolean, sen_provision char(1),
             looked_after boolean, previously_looked_after boolean, child_in_need boolean,
             child_protection_plan boolean, admission_date date, leaving_date date, recorded_at timestamptz
           ) ON COMMIT DROP"""
    )
    async with cur.copy(f"COPY stage_roster ({', '.join(ROSTER_FIELDS)}) FROM STDIN") as copy:
        for row in rows:
            await copy.write_row(roster_values(row))
    # A temporary table has no statistics until analysed (autovacuum never sees it); without them the planner
    # guesses its size and the spread of its columns (500,000 rows were taken for 210,552).
    await conn.execute("ANALYZE stage_roster")
    # Identity: one row per pupil, the newest roster row's version; grouping changes are remembered.
    await conn.execute(
        """CREATE TEMP TABLE regrouped (enrolment_id bigint, old_gid integer, new_gid integer) ON COMMIT DROP;
           CREATE TEMP TABLE regrouped_pupils (pupil_id bigint) ON COMMIT DROP"""
    )
    await conn.execute(
        """INSERT INTO pupil_upns (upn, pupil_id)
           SELECT upn, nextval(pg_get_serial_sequence('pupils', 'pupil_id'))
           FROM (SELECT DISTINCT upn FROM stage_roster) AS s
           WHERE NOT EXISTS (SELECT 1 FROM pupil_upns u WHERE u.upn = s.upn)
           ON CONFLICT (upn) DO NOTHING"""
    )
    await conn.execute(
        """WITH up AS (
             INSERT INTO pupils (pupil_id, upn, forename, surname, date_of_birth, sex, ethnicity, ethnicity_major,
                                 recorded_at) OVERRIDING SYSTEM VALUE
             SELECT DISTINCT ON (s.upn) u.pupil_id, s.upn, forename, surname, date_of_birth, sex, ethnicity,
                    ethnicity_major, recorded_at
             FROM stage_roster s JOIN pupil_upns u ON u.upn = s.upn ORDER BY s.upn, recorded_at DESC
             ON CONFLICT (pupil_id) DO UPDATE SET forename = excluded.forename, surname = excluded.surname,
                 date_of_birth = excluded.date_of_birth, sex = excluded.sex, ethnicity = excluded.ethnicity,
                 ethnicity_major = excluded.ethnicity_major, recorded_at = excluded.recorded_at
             WHERE excluded.recorded_at > pupils.recorded_at
             RETURNING new.pupil_id, (old.sex, old.ethnicity_major) IS DISTINCT FROM
                                     (new.sex, new.ethnicity_major) AND old.pupil_id IS NOT NULL AS regrouped
           )
           INSERT INTO regrouped_pupils SELECT pupil_id FROM up WHERE regrouped"""
    )
    # Each enrolment's group is one probe of pupil_groups' unique key (a subquery, not a join: joined on
    # five columns the planner could not estimate, it crossed pupils with pupil_groups first, 45,000,000
    # rows for a 500,000-row roster); a combination with no group fails the batch (gid is NOT NULL).
    await cur.execute(
        """WITH up AS (
             INSERT INTO enrolments (pupil_id, urn, la_code, year_group, fsm, sen_provision, looked_after,
                 previously_looked_after, child_in_need, child_protection_plan, admission_date, leaving_date,
                 record_key, recorded_at, gid)
             SELECT p.pupil_id, s.urn, sc.la_code, s.year_group, s.fsm, s.sen_provision, s.looked_after,
                    s.previously_looked_after, s.child_in_need, s.child_protection_plan, s.admission_date,
                    s.leaving_date, floor(random() * 256)::smallint, s.recorded_at,
                    (SELECT g.gid FROM pupil_groups g
                     WHERE (g.year_group, g.fsm, g.sen_provision, g.sex, g.ethnicity_major)
                           = (s.year_group, s.fsm, s.sen_provision, p.sex, p.ethnicity_major))
             FROM stage_roster s JOIN pupil_upns u ON u.upn = s.upn JOIN pupils p ON p.pupil_id = u.pupil_id
             JOIN schools sc ON sc.urn = s.urn
             ON CONFLICT (la_code, urn, pupil_id) DO UPDATE SET year_group = excluded.year_group, fsm = excluded.fsm,
                 sen_provision = excluded.sen_provision, looked_after = excluded.looked_after,
                 previously_looked_after = excluded.previously_looked_after,
                 child_in_need = excluded.child_in_need, child_protection_plan = excluded.child_protection_plan,
                 admission_date = excluded.admission_date, leaving_date = excluded.leaving_date,
                 recorded_at = excluded.recorded_at, gid = excluded.gid
             WHERE excluded.recorded_at > enrolments.recorded_at
             RETURNING new.enrolment_id, old.enrolment_id IS NULL AS inserted, old.gid AS old_gid,
                 new.gid AS new_gid
           ), kept AS (
             INSERT INTO regrouped SELECT enrolment_id, old_gid, new_gid FROM up WHERE old_gid <> new_gid
           )
           SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM up"""
    )
    accepted, updated = await cur.fetchone() or (0, 0)
    counts.accepted, counts.updated = int(accepted), int(updated)
    counts.unchanged = len(rows) - counts.accepted - counts.updated
    # A pupil whose sex or ethnicity changed moves every enrolment of theirs to another group, including
    # enrolments this roster did not touch.
    await conn.execute(
        """WITH up AS (
             UPDATE enrolments e SET gid = g.gid
             FROM regrouped_pupils r, pupils p, pupil_groups g
             WHERE e.pupil_id = r.pupil_id AND p.pupil_id = r.pupil_id
               AND (g.year_group, g.fsm, g.sen_provision, g.sex, g.ethnicity_major)
                   = (e.year_group, e.fsm, e.sen_provision, p.sex, p.ethnicity_major)
               AND e.gid <> g.gid
             RETURNING new.enrolment_id, old.gid AS old_gid, new.gid AS new_gid
           )
           INSERT INTO regrouped SELECT * FROM up"""
    )
    await cur.execute("SELECT EXISTS (SELECT 1 FROM regrouped)")
    found = await cur.fetchone()
    if found is not None and found[0]:
        await rebuild_school_days_of(conn, "regrouped")
        await conn.execute(regroup_statement("regrouped"))
    return counts


class ReassignError(Exception):
    """A reassignment that cannot be made (`code` names why); nothing was written."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


async def reassign_school(
    conn: AsyncConnection[object], urn: int, la_code: int, trust_id: int | None
) -> tuple[int, int | None]:
    """Move a school to another LA and/or trust (the data-management action), everywhere its LA is the
    distribution key, as a school move in a feed would have; returns its (old LA, old trust), and writes
    nothing when they are already the new ones. The caller holds the transaction and has checked that the
    LA and trust exist; the school's establishment number must be free in the new LA."""
    cur = conn.cursor(row_factory=tuple_row)
    await cur.execute("SELECT la_code, trust_id, estab_number FROM schools WHERE urn = %s FOR UPDATE", (urn,))
    found = await cur.fetchone()
    if found is None:
        raise ReassignError("unknown-school", f"No school in the store has the URN {urn}.")
    old_la, old_trust, estab = int(found[0]), found[1], int(found[2])
    if (old_la, old_trust) == (la_code, trust_id):
        return old_la, old_trust
    if old_la != la_code:
        await cur.execute(
            "SELECT urn FROM schools WHERE la_code = %s AND estab_number = %s", (la_code, estab)
        )
        taken = await cur.fetchone()
        if taken is not None:
            raise ReassignError(
                "establishment-number-taken",
                f"School {taken[0]} already has establishment number {estab} in LA {la_code}.",
            )
    await conn.execute(
        "UPDATE schools SET la_code = %s, trust_id = %s WHERE urn = %s", (la_code, trust_id, urn)
    )
    await _move_schools(conn, [(urn, old_la, la_code, old_trust, trust_id)])
    # Recorded as a one-row schools batch: the change is to the schools table (record_data_change says why).
    change = f"{urn}:{old_la}:{old_trust}->{la_code}:{trust_id}"
    await record_data_change(conn, "schools", f"schools.reassign {urn}", change)
    return old_la, old_trust
