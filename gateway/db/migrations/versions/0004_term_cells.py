"""Term cells: trusts, stable pupil groups, the academic calendar, enrolment_term and school/LA/trust cells.

Revision ID: 0004_term_cells
Revises: 0003_read_paths
"""

from alembic import op

revision = "0004_term_cells"
down_revision = "0003_read_paths"
branch_labels = None
depends_on = None

NEW_TABLES = (
    "trusts", "pupil_groups", "group_cells", "cell_labels", "academic_periods", "period_days",
    "enrolment_term", "school_cell", "la_cell", "trust_cell",
)  # fmt: skip
_MEASURES = """
    enrolments    integer NOT NULL,  -- enrolments with possible sessions in the period
    possible      integer NOT NULL,
    attended      integer NOT NULL,  -- present + approved educational activity
    authorised    integer NOT NULL,
    unauthorised  integer NOT NULL,
    persistent    integer NOT NULL,  -- enrolments with 10% or more of their possible sessions missed
    severe        integer NOT NULL,  -- 50% or more
    rk_enrolments bigint NOT NULL,   -- record-key sums of the three counts (cell-key perturbation)
    rk_persistent bigint NOT NULL,
    rk_severe     bigint NOT NULL
"""


def _q(value: object) -> str:
    return "NULL" if value is None else "'" + str(value).replace("'", "''") + "'"


def upgrade(app_role: str = "gateway_app") -> None:
    op.execute(
        f"""
        CREATE TABLE trusts (
            trust_id    integer PRIMARY KEY CHECK (trust_id BETWEEN 1 AND 99999999),  -- GIAS group UID
            name        text NOT NULL
        );
        ALTER TABLE schools ADD COLUMN trust_id integer REFERENCES trusts;
        CREATE INDEX schools_trust ON schools (trust_id) WHERE trust_id IS NOT NULL;

        -- Every combination of the five breakdown dimensions, numbered once (as gateway.store.groups).
        CREATE TABLE pupil_groups (
            gid             smallint PRIMARY KEY,
            year_group      smallint NOT NULL,
            fsm             boolean NOT NULL,
            sen_provision   char(1) NOT NULL,
            sex             char(1) NOT NULL,
            ethnicity_major text NOT NULL,
            UNIQUE (year_group, fsm, sen_provision, sex, ethnicity_major)
        );
        -- The breakdown cell (dimension, value) of each group in each dimension, and the cells' labels.
        CREATE TABLE group_cells (
            gid  smallint NOT NULL REFERENCES pupil_groups,
            dim  smallint NOT NULL,
            val  smallint NOT NULL,
            PRIMARY KEY (gid, dim)
        );
        CREATE TABLE cell_labels (
            dim       smallint NOT NULL,
            val       smallint NOT NULL,
            breakdown text NOT NULL,
            label     text,
            PRIMARY KEY (dim, val)
        );

        -- Named periods: academic years (id = year * 10), terms and half-terms (as gateway.store.calendar).
        CREATE TABLE academic_periods (
            period_id     smallint PRIMARY KEY,
            name          text NOT NULL UNIQUE,
            kind          text NOT NULL CHECK (kind IN ('year', 'term', 'half_term')),
            academic_year smallint NOT NULL,
            date_from     date NOT NULL,
            date_to       date NOT NULL,
            has_cells     boolean NOT NULL,
            CHECK (date_from <= date_to)
        );
        -- Each day of every period with cells: how ingest maps a mark's date to its periods.
        CREATE TABLE period_days (
            day        date NOT NULL,
            period_id  smallint NOT NULL REFERENCES academic_periods,
            PRIMARY KEY (day, period_id)
        );

        -- Per enrolment and period with cells: its sessions so far (the year row is year-to-date).
        CREATE TABLE enrolment_term (
            la_code       smallint NOT NULL,  -- distribution key
            period_id     smallint NOT NULL,
            enrolment_id  bigint NOT NULL,
            urn           integer NOT NULL,
            possible      smallint NOT NULL,
            attended      smallint NOT NULL,
            authorised    smallint NOT NULL,
            unauthorised  smallint NOT NULL,
            PRIMARY KEY (la_code, period_id, enrolment_id)
        ) WITH (fillfactor = 50);  -- every daily batch updates each row: room for HOT updates
        CREATE INDEX enrolment_term_school ON enrolment_term (urn, period_id);
        CREATE INDEX enrolment_term_enrolment ON enrolment_term (enrolment_id);

        CREATE TABLE school_cell (
            la_code   smallint NOT NULL,  -- distribution key
            urn       integer NOT NULL,
            period_id smallint NOT NULL,
            dim       smallint NOT NULL,
            val       smallint NOT NULL,
            {_MEASURES},
            PRIMARY KEY (la_code, urn, period_id, dim, val)
        ) WITH (fillfactor = 70);
        CREATE INDEX school_cell_period ON school_cell (period_id, dim, urn);
        CREATE INDEX school_cell_urn ON school_cell (urn, period_id);
        CREATE TABLE la_cell (
            la_code   smallint NOT NULL,  -- distribution key
            period_id smallint NOT NULL,
            dim       smallint NOT NULL,
            val       smallint NOT NULL,
            {_MEASURES},
            PRIMARY KEY (la_code, period_id, dim, val)
        ) WITH (fillfactor = 70);
        CREATE INDEX la_cell_period ON la_cell (period_id, dim);
        CREATE TABLE trust_cell (
            trust_id  integer NOT NULL,  -- distribution key
            period_id smallint NOT NULL,
            dim       smallint NOT NULL,
            val       smallint NOT NULL,
            {_MEASURES},
            PRIMARY KEY (trust_id, period_id, dim, val)
        ) WITH (fillfactor = 70);
        """
    )
    _seed_groups_and_calendar()
    # Each enrolment's group, assigned at roster load from its own and its pupil's columns.
    op.execute(
        """
        ALTER TABLE enrolments ADD COLUMN gid smallint REFERENCES pupil_groups;
        UPDATE enrolments e SET gid = g.gid FROM pupils p, pupil_groups g
        WHERE p.pupil_id = e.pupil_id AND (g.year_group, g.fsm, g.sen_provision, g.sex, g.ethnicity_major)
              = (e.year_group, e.fsm, e.sen_provision, p.sex, p.ethnicity_major);
        ALTER TABLE enrolments ALTER COLUMN gid SET NOT NULL;
        """
    )
    op.execute(BACKFILL_ENROLMENT_TERM)
    op.execute(BACKFILL_CELLS)
    for table in NEW_TABLES:
        op.execute(f"GRANT SELECT, INSERT, UPDATE ON {table} TO {app_role}")
    op.execute(f"GRANT DELETE ON enrolment_term, school_cell, la_cell, trust_cell TO {app_role}")


# What this revision seeded and back-filled, frozen here: a migration must never import live code or data
# (a later change to gateway.store.groups, gateway.store.calendar, its terms.csv or gateway.store.terms
# would silently change what this revision did). Later changes to any of them are new migrations;
# tests/store/test_migration_seed.py holds the live modules to what the database holds.

# pupil_groups: every (year group 0-14, FSM no/yes, SEN N/K/E, sex F/M, major ethnic group) numbered from
# 1 in that nesting order; group_cells: each group's value in each dimension (0 total, 1 FSM, 2 SEN, 3 sex,
# 4 ethnicity, 5 year group), values being the positions in these lists (from 0).
_GROUP_LISTS = """
    WITH y AS (SELECT generate_series(0, 14) AS year_group),
         f AS (SELECT * FROM unnest(ARRAY[false, true]) WITH ORDINALITY AS f(fsm, fo)),
         n AS (SELECT * FROM unnest(ARRAY['N', 'K', 'E']) WITH ORDINALITY AS n(sen, no)),
         x AS (SELECT * FROM unnest(ARRAY['F', 'M']) WITH ORDINALITY AS x(sex, xo)),
         e AS (SELECT * FROM unnest(ARRAY['White', 'Mixed', 'Asian', 'Black', 'Chinese', 'Other',
                                          'Unclassified']) WITH ORDINALITY AS e(eth, eo)),
         g AS (SELECT row_number() OVER (ORDER BY year_group, fo, no, xo, eo)::smallint AS gid, *
               FROM y, f, n, x, e)
"""
SEED_PUPIL_GROUPS = (
    _GROUP_LISTS + "INSERT INTO pupil_groups SELECT gid, year_group, fsm, sen, sex, eth FROM g"
)
SEED_GROUP_CELLS = (
    _GROUP_LISTS
    + """INSERT INTO group_cells SELECT g.gid, c.dim, c.val FROM g, LATERAL (VALUES
        (0, 0), (1, fo - 1), (2, no - 1), (3, xo - 1), (4, eo - 1), (5, year_group)) AS c(dim, val)"""
)
SEED_CELL_LABELS: tuple[tuple[int, int, str, str | None], ...] = (
    (0, 0, "all", None), (1, 0, "fsm", "not FSM eligible"), (1, 1, "fsm", "FSM eligible"),
    (2, 0, "sen", "no SEN"), (2, 1, "sen", "SEN support"), (2, 2, "sen", "EHC plan"),
    (3, 0, "sex", "female"), (3, 1, "sex", "male"),
    (4, 0, "ethnicity", "White"), (4, 1, "ethnicity", "Mixed"), (4, 2, "ethnicity", "Asian"),
    (4, 3, "ethnicity", "Black"), (4, 4, "ethnicity", "Chinese"), (4, 5, "ethnicity", "Other"),
    (4, 6, "ethnicity", "Unclassified"), (5, 0, "year_group", "Reception"),
    *((5, y, "year_group", f"Year {y}") for y in range(1, 15)),
)  # fmt: skip
# Academic years 2006-07 to 2040-41 (id = year * 10, 1 September to 31 August, with cells), then the
# reference calendar's terms (with cells) and half-terms (without), as gateway/store/reference/terms.csv
# published them when this revision was written.
SEED_YEARS = """INSERT INTO academic_periods
    SELECT y * 10, y || '-' || lpad(((y + 1) % 100)::text, 2, '0'), 'year', y, make_date(y, 9, 1),
           make_date(y + 1, 8, 31), true
    FROM generate_series(2006, 2040) AS y"""
SEED_TERMS: tuple[tuple[int, str, str, int, str, str], ...] = (
    (20231, "autumn-2023", "term", 2023, "2023-09-05", "2023-12-20"),
    (20232, "spring-2024", "term", 2023, "2024-01-04", "2024-03-28"),
    (20233, "summer-2024", "term", 2023, "2024-04-15", "2024-07-23"),
    (20234, "autumn1-2023", "half_term", 2023, "2023-09-05", "2023-10-29"),
    (20235, "autumn2-2023", "half_term", 2023, "2023-11-04", "2023-12-20"),
    (20236, "spring1-2024", "half_term", 2023, "2024-01-04", "2024-02-11"),
    (20237, "spring2-2024", "half_term", 2023, "2024-02-17", "2024-03-28"),
    (20238, "summer1-2024", "half_term", 2023, "2024-04-15", "2024-05-26"),
    (20239, "summer2-2024", "half_term", 2023, "2024-06-01", "2024-07-23"),
    (20241, "autumn-2024", "term", 2024, "2024-09-04", "2024-12-20"),
    (20242, "spring-2025", "term", 2024, "2025-01-06", "2025-04-04"),
    (20243, "summer-2025", "term", 2024, "2025-04-22", "2025-07-22"),
    (20244, "autumn1-2024", "half_term", 2024, "2024-09-04", "2024-10-27"),
    (20245, "autumn2-2024", "half_term", 2024, "2024-11-02", "2024-12-20"),
    (20246, "spring1-2025", "half_term", 2024, "2025-01-06", "2025-02-16"),
    (20247, "spring2-2025", "half_term", 2024, "2025-02-22", "2025-04-04"),
    (20248, "summer1-2025", "half_term", 2024, "2025-04-22", "2025-05-25"),
    (20249, "summer2-2025", "half_term", 2024, "2025-05-31", "2025-07-22"),
    (20251, "autumn-2025", "term", 2025, "2025-09-03", "2025-12-19"),
    (20252, "spring-2026", "term", 2025, "2026-01-05", "2026-03-27"),
    (20253, "summer-2026", "term", 2025, "2026-04-13", "2026-07-22"),
    (20254, "autumn1-2025", "half_term", 2025, "2025-09-03", "2025-10-26"),
    (20255, "autumn2-2025", "half_term", 2025, "2025-11-01", "2025-12-19"),
    (20256, "spring1-2026", "half_term", 2025, "2026-01-05", "2026-02-15"),
    (20257, "spring2-2026", "half_term", 2025, "2026-02-21", "2026-03-27"),
    (20258, "summer1-2026", "half_term", 2025, "2026-04-13", "2026-05-24"),
    (20259, "summer2-2026", "half_term", 2025, "2026-05-30", "2026-07-22"),
    (20261, "autumn-2026", "term", 2026, "2026-09-03", "2026-12-18"),
    (20264, "autumn1-2026", "half_term", 2026, "2026-09-03", "2026-10-25"),
    (20265, "autumn2-2026", "half_term", 2026, "2026-10-31", "2026-12-18"),
)

# The back-fill from the marks already stored, as gateway.store.terms.REBUILD_STATEMENTS computed it when
# this revision was written (the tables are new, so plain inserts): enrolment_term per enrolment and period
# with cells; then each row's status summed per pupil group and spread into the breakdown cells.
BACKFILL_ENROLMENT_TERM = """
    INSERT INTO enrolment_term (la_code, period_id, enrolment_id, urn, possible, attended, authorised, unauthorised)
    SELECT m.la_code, pd.period_id, m.enrolment_id, m.urn, count(*) FILTER (WHERE c.category <> 'NC'),
           count(*) FILTER (WHERE c.category IN ('P', 'AEA')), count(*) FILTER (WHERE c.category = 'AUTH'),
           count(*) FILTER (WHERE c.category = 'UNAUTH')
    FROM marks m
    JOIN attendance_codes c ON c.code = m.code AND m.date >= c.valid_from
         AND (c.valid_to IS NULL OR m.date < c.valid_to)
    JOIN period_days pd ON pd.day = m.date
    GROUP BY 1, 2, 3, 4"""
_SUMS = """sum(enrolments)::integer AS enrolments, sum(possible)::integer AS possible,
           sum(attended)::integer AS attended, sum(authorised)::integer AS authorised,
           sum(unauthorised)::integer AS unauthorised, sum(persistent)::integer AS persistent,
           sum(severe)::integer AS severe, sum(rk_enrolments)::bigint AS rk_enrolments,
           sum(rk_persistent)::bigint AS rk_persistent, sum(rk_severe)::bigint AS rk_severe"""
_COLUMNS = (
    "enrolments, possible, attended, authorised, unauthorised, persistent, severe, rk_enrolments, rk_persistent,"
    " rk_severe"
)
BACKFILL_CELLS = f"""
    WITH rows AS (
        SELECT et.urn, et.la_code, et.period_id, e.gid, e.record_key,
               (et.possible > 0)::integer AS enrolments, et.possible::integer AS possible,
               et.attended::integer AS attended, et.authorised::integer AS authorised,
               et.unauthorised::integer AS unauthorised,
               (et.possible > 0 AND (et.authorised + et.unauthorised) * 10 >= et.possible)::integer AS persistent,
               (et.possible > 0 AND (et.authorised + et.unauthorised) * 2 >= et.possible)::integer AS severe
        FROM enrolment_term et JOIN enrolments e ON e.enrolment_id = et.enrolment_id
    ), by_gid AS (
        SELECT urn, la_code, period_id, gid, sum(enrolments) AS enrolments, sum(possible) AS possible,
               sum(attended) AS attended, sum(authorised) AS authorised, sum(unauthorised) AS unauthorised,
               sum(persistent) AS persistent, sum(severe) AS severe,
               sum(record_key::bigint * enrolments) AS rk_enrolments,
               sum(record_key::bigint * persistent) AS rk_persistent, sum(record_key::bigint * severe) AS rk_severe
        FROM rows GROUP BY urn, la_code, period_id, gid
    ), by_cell AS MATERIALIZED (
        SELECT b.la_code, b.urn, b.period_id, gc.dim, gc.val, {_SUMS}
        FROM by_gid b JOIN group_cells gc ON gc.gid = b.gid
        GROUP BY b.la_code, b.urn, b.period_id, gc.dim, gc.val
        HAVING sum(enrolments) <> 0 OR sum(possible) <> 0 OR sum(attended) <> 0 OR sum(authorised) <> 0
            OR sum(unauthorised) <> 0 OR sum(persistent) <> 0 OR sum(severe) <> 0 OR sum(rk_enrolments) <> 0
            OR sum(rk_persistent) <> 0 OR sum(rk_severe) <> 0
    ), school AS (
        INSERT INTO school_cell (la_code, urn, period_id, dim, val, {_COLUMNS}) SELECT * FROM by_cell
    ), la AS (
        INSERT INTO la_cell (la_code, period_id, dim, val, {_COLUMNS})
        SELECT la_code, period_id, dim, val, {_SUMS} FROM by_cell GROUP BY 1, 2, 3, 4
    )
    INSERT INTO trust_cell (trust_id, period_id, dim, val, {_COLUMNS})
    SELECT s.trust_id, b.period_id, b.dim, b.val, {_SUMS}
    FROM by_cell b JOIN schools s ON s.urn = b.urn WHERE s.trust_id IS NOT NULL GROUP BY 1, 2, 3, 4"""


def _seed_groups_and_calendar() -> None:
    op.execute(SEED_PUPIL_GROUPS)
    op.execute(SEED_GROUP_CELLS)
    op.execute(
        "INSERT INTO cell_labels VALUES "
        + ", ".join(f"({d}, {v}, {_q(name)}, {_q(label)})" for d, v, name, label in SEED_CELL_LABELS)
    )
    op.execute(SEED_YEARS)
    op.execute(
        "INSERT INTO academic_periods VALUES "
        + ", ".join(
            f"({pid}, {_q(name)}, {_q(kind)}, {year}, {_q(d_from)}, {_q(d_to)}, {kind == 'term'})"
            for pid, name, kind, year, d_from, d_to in SEED_TERMS
        )
    )
    op.execute(
        "INSERT INTO period_days SELECT d::date, p.period_id FROM academic_periods p,"
        " generate_series(p.date_from, p.date_to, interval '1 day') AS d WHERE p.has_cells"
    )


def downgrade(app_role: str = "gateway_app") -> None:
    op.execute("ALTER TABLE enrolments DROP COLUMN IF EXISTS gid")
    op.execute("ALTER TABLE schools DROP COLUMN IF EXISTS trust_id")
    for table in reversed(NEW_TABLES):
        op.execute(f"DROP TABLE IF EXISTS {table} CASCADE")
