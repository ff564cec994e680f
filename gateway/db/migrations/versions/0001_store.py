"""The attendance store: reference data, pupils, enrolments, marks (partitioned), rollups, ingest records.

Revision ID: 0001_store
Revises: 0000_roles
"""

from alembic import op

from gateway.store.codes import CODES
from gateway.store.reference import local_authorities

revision = "0001_store"
down_revision = "0000_roles"
branch_labels = None
depends_on = None

STORE_TABLES = (
    "local_authorities", "schools", "attendance_codes", "pupils", "enrolments", "marks",
    "school_day_group", "enrolment_week", "ingest_batches", "ingest_rejects",
)


def upgrade(app_role: str = "gateway_app") -> None:
    op.execute(
        """
        CREATE TABLE local_authorities (
            la_code     smallint PRIMARY KEY CHECK (la_code BETWEEN 200 AND 999),
            name        text NOT NULL,
            region      text NOT NULL
        );

        CREATE TABLE schools (
            urn         integer PRIMARY KEY CHECK (urn BETWEEN 100000 AND 999999),
            name        text NOT NULL,
            la_code     smallint NOT NULL REFERENCES local_authorities,
            estab_number smallint NOT NULL CHECK (estab_number BETWEEN 1000 AND 9999),
            phase       text NOT NULL CHECK (phase IN ('primary', 'secondary', 'special')),
            school_type text NOT NULL,
            UNIQUE (la_code, estab_number)
        );
        CREATE INDEX schools_la ON schools (la_code, phase);

        -- The code table is versioned by date: a code is valid on d when valid_from <= d < valid_to.
        CREATE TABLE attendance_codes (
            code        text NOT NULL,
            valid_from  date NOT NULL,
            valid_to    date,
            category    text NOT NULL CHECK (category IN ('P', 'AEA', 'AUTH', 'UNAUTH', 'NC')),
            ordinal     smallint NOT NULL,  -- position in the rollups' per-code count arrays (1-based)
            meaning     text NOT NULL,
            PRIMARY KEY (code, valid_from),
            CHECK (valid_to IS NULL OR valid_to > valid_from)
        );

        CREATE TABLE pupils (
            pupil_id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            upn             char(13) NOT NULL UNIQUE,
            forename        text NOT NULL,
            surname         text NOT NULL,
            date_of_birth   date NOT NULL,
            sex             char(1) NOT NULL CHECK (sex IN ('F', 'M')),
            ethnicity       text NOT NULL,          -- DfE minor code, e.g. WBRI
            ethnicity_major text NOT NULL,          -- White, Mixed, Asian, Black, Chinese, Other, Unclassified
            recorded_at     timestamptz NOT NULL    -- of the roster row that last set these fields
        );

        CREATE TABLE enrolments (
            enrolment_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            pupil_id        bigint NOT NULL REFERENCES pupils,
            urn             integer NOT NULL REFERENCES schools,
            la_code         smallint NOT NULL,      -- distribution key
            year_group      smallint NOT NULL CHECK (year_group BETWEEN 0 AND 14),  -- 0 = reception
            fsm             boolean NOT NULL,
            sen_provision   char(1) NOT NULL CHECK (sen_provision IN ('N', 'K', 'E')),  -- none, SEN support, EHC plan
            looked_after    boolean NOT NULL,
            previously_looked_after boolean NOT NULL,
            child_in_need   boolean NOT NULL,
            child_protection_plan boolean NOT NULL,
            admission_date  date NOT NULL,
            leaving_date    date,
            record_key      smallint NOT NULL CHECK (record_key BETWEEN 0 AND 255),  -- cell-key perturbation
            recorded_at     timestamptz NOT NULL,
            UNIQUE (urn, pupil_id)
        );
        CREATE INDEX enrolments_la ON enrolments (la_code, urn);
        CREATE INDEX enrolments_pupil ON enrolments (pupil_id);

        -- One mark per enrolment, day and session; the newest recorded_at wins.
        CREATE TABLE marks (
            enrolment_id bigint NOT NULL,
            date         date NOT NULL,
            session      smallint NOT NULL CHECK (session IN (0, 1)),  -- 0 = AM, 1 = PM
            la_code      smallint NOT NULL,  -- distribution key
            urn          integer NOT NULL,
            code         text NOT NULL,
            recorded_at  timestamptz NOT NULL,
            batch_id     bigint NOT NULL,
            PRIMARY KEY (enrolment_id, date, session)
        ) PARTITION BY RANGE (date);

        -- Per school, day and pupil group: session counts by category and by code.
        CREATE TABLE school_day_group (
            urn             integer NOT NULL,
            date            date NOT NULL,
            year_group      smallint NOT NULL,
            fsm             boolean NOT NULL,
            sen_provision   char(1) NOT NULL,
            sex             char(1) NOT NULL,
            ethnicity_major text NOT NULL,
            la_code         smallint NOT NULL,  -- distribution key
            pupils          integer NOT NULL,   -- enrolments with at least one mark that day
            possible        integer NOT NULL,
            present         integer NOT NULL,
            aea             integer NOT NULL,
            authorised      integer NOT NULL,
            unauthorised    integer NOT NULL,
            not_counted     integer NOT NULL,
            code_counts     integer[] NOT NULL,  -- indexed by attendance_codes.ordinal
            PRIMARY KEY (urn, date, year_group, fsm, sen_provision, sex, ethnicity_major)
        ) WITH (fillfactor = 70);  -- room on each page for corrections' updates to stay HOT
        CREATE INDEX school_day_group_la_date ON school_day_group (la_code, date);
        CREATE INDEX school_day_group_date ON school_day_group (date);

        -- Per enrolment and school week (week_start is the Monday): persistent and severe absence
        -- and rolling unauthorised counts come from here, never from raw marks.
        CREATE TABLE enrolment_week (
            enrolment_id  bigint NOT NULL,
            week_start    date NOT NULL CHECK (extract(isodow FROM week_start) = 1),
            la_code       smallint NOT NULL,  -- distribution key
            urn           integer NOT NULL,
            possible      smallint NOT NULL,
            present       smallint NOT NULL,
            aea           smallint NOT NULL,
            authorised    smallint NOT NULL,
            unauthorised  smallint NOT NULL,
            PRIMARY KEY (enrolment_id, week_start)
        ) WITH (fillfactor = 50);  -- every day's batch updates each row: room for the new version on its page
        -- (HOT, without new index entries, only while no index carries a measure column)
        CREATE INDEX enrolment_week_la_week ON enrolment_week (la_code, week_start);
        CREATE INDEX enrolment_week_urn_week ON enrolment_week (urn, week_start);

        CREATE TABLE ingest_batches (
            batch_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            feed_kind     text NOT NULL CHECK (feed_kind IN ('schools', 'roster', 'marks')),
            source_name   text NOT NULL,
            content_sha256 text NOT NULL,
            started_at    timestamptz NOT NULL DEFAULT now(),
            finished_at   timestamptz,
            accepted      integer NOT NULL DEFAULT 0,
            updated       integer NOT NULL DEFAULT 0,
            unchanged     integer NOT NULL DEFAULT 0,
            rejected      integer NOT NULL DEFAULT 0
        );

        -- Rows that failed validation, kept whole with a precise reason: nothing is dropped.
        CREATE TABLE ingest_rejects (
            batch_id    bigint NOT NULL REFERENCES ingest_batches,
            line_number integer NOT NULL,
            raw         text NOT NULL,
            reason_code text NOT NULL,
            reason      text NOT NULL,
            PRIMARY KEY (batch_id, line_number)
        );
        """
    )
    for table in STORE_TABLES:
        op.execute(f"GRANT SELECT, INSERT, UPDATE ON {table} TO {app_role}")
    op.execute(f"GRANT DELETE ON school_day_group, enrolment_week TO {app_role}")
    op.execute(
        f"""
        CREATE INDEX enrolments_urn ON enrolments (urn);
        CREATE INDEX ingest_batches_sha ON ingest_batches (content_sha256);

        -- Elementwise sum of two equal-length count arrays (rollup code_counts deltas).
        CREATE FUNCTION int_array_add(a integer[], b integer[]) RETURNS integer[]
        LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
        RETURN ARRAY(SELECT x + y FROM unnest(a, b) WITH ORDINALITY AS t(x, y, i) ORDER BY i);

        -- The UPN check letter (UK Government Data Standards): weights 2..13 on characters 2..13,
        -- mod 23, over the alphabet without I, O and S. Used for marks that match no enrolment.
        CREATE FUNCTION upn_check_letter(upn text) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
        RETURN substr('ABCDEFGHJKLMNPQRTUVWXYZ0123456789', 1 + (
            SELECT sum(i * (strpos('ABCDEFGHJKLMNPQRTUVWXYZ0123456789', substr(upn, i, 1)) - 1))
            FROM generate_series(2, 13) AS i)::integer % 23, 1);

        -- Monthly partitions of marks, created on demand by ingest. SECURITY DEFINER so the
        -- application role can ingest without owning tables; it only ever creates marks_YYYY_MM.
        CREATE FUNCTION ensure_marks_partitions(first_day date, last_day date) RETURNS integer
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
        DECLARE
            month date := date_trunc('month', first_day)::date;
            created integer := 0;
            part text;
        BEGIN
            WHILE month <= last_day LOOP
                part := format('marks_%s', to_char(month, 'YYYY_MM'));
                IF to_regclass(part) IS NULL THEN
                    EXECUTE format(
                        'CREATE TABLE %I PARTITION OF marks FOR VALUES FROM (%L) TO (%L)',
                        part, month, (month + interval '1 month')::date);
                    EXECUTE format('GRANT SELECT, INSERT, UPDATE ON %I TO {app_role}', part);
                    created := created + 1;
                END IF;
                month := (month + interval '1 month')::date;
            END LOOP;
            RETURN created;
        END $$;
        REVOKE ALL ON FUNCTION ensure_marks_partitions(date, date) FROM PUBLIC;
        GRANT EXECUTE ON FUNCTION ensure_marks_partitions(date, date) TO {app_role};
        """
    )
    _seed_reference_data()


def _sql_literal(value: object) -> str:
    if value is None:
        return "NULL"
    return "'" + str(value).replace("'", "''") + "'"


def _seed_reference_data() -> None:
    las = ",\n".join(
        f"({la.la_code}, {_sql_literal(la.name)}, {_sql_literal(la.region)})" for la in local_authorities()
    )
    op.execute(f"INSERT INTO local_authorities (la_code, name, region) VALUES {las}")
    codes = ",\n".join(
        f"({_sql_literal(c.code)}, {_sql_literal(c.valid_from)}, {_sql_literal(c.valid_to)}, "
        f"{_sql_literal(c.category)}, {c.ordinal}, {_sql_literal(c.meaning)})"
        for c in CODES
    )
    op.execute(
        "INSERT INTO attendance_codes (code, valid_from, valid_to, category, ordinal, meaning) "
        f"VALUES {codes}"
    )


def downgrade(app_role: str = "gateway_app") -> None:
    op.execute("DROP FUNCTION IF EXISTS ensure_marks_partitions(date, date)")
    op.execute("DROP FUNCTION IF EXISTS int_array_add(integer[], integer[])")
    op.execute("DROP FUNCTION IF EXISTS upn_check_letter(text)")
    for table in reversed(STORE_TABLES):
        op.execute(f"DROP TABLE IF EXISTS {table} CASCADE")
