"""A month's first marks go into an unindexed table whose primary key is built after the insert.

Inserting a batch into a table with a primary key updates the index row by row (on this machine about
twice the cost of inserting without it and then building the key with one sort). For a month that has
no partition yet, ingest creates the partition as a standalone table with the marks columns and a CHECK
constraint on its dates, inserts the batch's rows of that month into it, builds the primary key (a
duplicate still fails the batch with a unique violation) and attaches it; the CHECK constraint lets
ATTACH skip its scan. All inside the batch's transaction, so a failed batch leaves no table behind.

Revision ID: 0010_ingest_speed
Revises: 0007_token_uses
"""

from alembic import op

revision = "0010_ingest_speed"
down_revision = "0007_token_uses"
branch_labels = None
depends_on = None


def upgrade(app_role: str = "gateway_app") -> None:
    op.execute(
        f"""
        -- The months of first_day..last_day with no marks table yet, each created unattached and
        -- unindexed; returns their names in date order. SECURITY DEFINER like ensure_marks_partitions:
        -- it only ever creates marks_YYYY_MM.
        CREATE FUNCTION begin_marks_months(first_day date, last_day date) RETURNS text[]
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
        DECLARE
            month date := date_trunc('month', first_day)::date;
            part text;
            created text[] := ARRAY[]::text[];
        BEGIN
            WHILE month <= last_day LOOP
                part := format('marks_%s', to_char(month, 'YYYY_MM'));
                IF to_regclass(part) IS NULL THEN
                    EXECUTE format('CREATE TABLE %I (LIKE marks INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part);
                    EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I CHECK (date >= %L AND date < %L)',
                                   part, part || '_range', month, (month + interval '1 month')::date);
                    EXECUTE format('GRANT SELECT, INSERT, UPDATE ON %I TO {app_role}', part);
                    created := created || part;
                END IF;
                month := (month + interval '1 month')::date;
            END LOOP;
            RETURN created;
        END $$;
        REVOKE ALL ON FUNCTION begin_marks_months(date, date) FROM PUBLIC;
        GRANT EXECUTE ON FUNCTION begin_marks_months(date, date) TO {app_role};

        -- Build each begun month's primary key and attach it to marks. Only unattached marks_YYYY_MM
        -- tables are touched; a duplicate mark raises unique_violation.
        CREATE FUNCTION attach_marks_months(parts text[]) RETURNS void
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
        DECLARE
            part text;
            month date;
        BEGIN
            FOREACH part IN ARRAY parts LOOP
                IF part !~ '^marks_[0-9]{{4}}_[0-9]{{2}}$' OR to_regclass(part) IS NULL
                   OR EXISTS (SELECT FROM pg_inherits WHERE inhrelid = to_regclass(part)) THEN
                    RAISE EXCEPTION '% is not a begun marks month', part;
                END IF;
                month := to_date(substr(part, 7), 'YYYY_MM');
                EXECUTE format('ALTER TABLE %I ADD PRIMARY KEY (date, enrolment_id, session, la_code)', part);
                EXECUTE format('ALTER TABLE marks ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)',
                               part, month, (month + interval '1 month')::date);
            END LOOP;
        END $$;
        REVOKE ALL ON FUNCTION attach_marks_months(text[]) FROM PUBLIC;
        GRANT EXECUTE ON FUNCTION attach_marks_months(text[]) TO {app_role};
        """
    )


def downgrade(app_role: str = "gateway_app") -> None:
    op.execute("DROP FUNCTION attach_marks_months(text[]); DROP FUNCTION begin_marks_months(date, date)")
