"""Term cells: trusts, stable pupil groups, the academic calendar, enrolment_term and school/LA/trust cells.

Revision ID: 0004_term_cells
Revises: 0003_read_paths
"""

from alembic import op

from gateway.store.calendar import CELL_KINDS, academic_periods
from gateway.store.groups import CELL_LABELS, DIMENSIONS, pupil_groups
from gateway.store.terms import REBUILD_STATEMENTS

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
    groups = pupil_groups()
    op.execute(
        f"""
        CREATE TABLE trusts (
            trust_id    integer PRIMARY KEY CHECK (trust_id BETWEEN 1 AND 99999999),  -- GIAS group UID
            name        text NOT NULL
        );
        ALTER TABLE schools ADD COLUMN trust_id integer REFERENCES trusts;
        CREATE INDEX schools_trust ON schools (trust_id) WHERE trust_id IS NOT NULL;

        -- Every combination of the five breakdown dimensions, numbered once (gateway.store.groups).
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

        -- Named periods: academic years (id = year * 10), terms and half-terms (gateway.store.calendar).
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
    op.execute(
        "INSERT INTO pupil_groups VALUES "
        + ", ".join(
            f"({g.gid}, {g.year_group}, {g.fsm}, {_q(g.sen_provision)}, {_q(g.sex)}, {_q(g.ethnicity_major)})"
            for g in groups
        )
    )
    op.execute(
        "INSERT INTO group_cells VALUES "
        + ", ".join(f"({g.gid}, {dim}, {val})" for g in groups for dim, val in g.cell_values().items())
    )
    names = {v: k for k, v in DIMENSIONS.items()}
    op.execute(
        "INSERT INTO cell_labels VALUES "
        + ", ".join(f"({d}, {v}, {_q(names[d])}, {_q(label)})" for (d, v), label in CELL_LABELS.items())
    )
    op.execute(
        "INSERT INTO academic_periods VALUES "
        + ", ".join(
            f"({p.period_id}, {_q(p.name)}, {_q(p.kind)}, {p.academic_year}, {_q(p.date_from)},"
            f" {_q(p.date_to)}, {p.kind in CELL_KINDS})"
            for p in academic_periods()
        )
    )
    op.execute(
        "INSERT INTO period_days SELECT d::date, p.period_id FROM academic_periods p,"
        " generate_series(p.date_from, p.date_to, interval '1 day') AS d WHERE p.has_cells"
    )
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
    for statement in REBUILD_STATEMENTS:
        op.execute(statement)
    for table in NEW_TABLES:
        op.execute(f"GRANT SELECT, INSERT, UPDATE ON {table} TO {app_role}")
    op.execute(f"GRANT DELETE ON enrolment_term, school_cell, la_cell, trust_cell TO {app_role}")


def downgrade(app_role: str = "gateway_app") -> None:
    op.execute("ALTER TABLE enrolments DROP COLUMN IF EXISTS gid")
    op.execute("ALTER TABLE schools DROP COLUMN IF EXISTS trust_id")
    for table in reversed(NEW_TABLES):
        op.execute(f"DROP TABLE IF EXISTS {table} CASCADE")
