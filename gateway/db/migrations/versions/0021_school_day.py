"""The school-day rollup: one row per (la_code, urn, date), the grain the daily and closure readers use.

school_day_group has a row per pupil group (about 65 per school-day), so England's year to date is over a
million rows to sum on every cold read of the national daily page. school_day holds each school-day's sums
over its groups; ingest keeps it exact in the same statements as school_day_group
(gateway/store/rollups.py). Backfilled here from school_day_group.

Revision ID: 0021_school_day
Revises: 0020_feed_pack_verdicts
"""

from alembic import op


revision = "0021_school_day"
down_revision = "0020_feed_pack_verdicts"
branch_labels = None
depends_on = None

# Elementwise sums of the groups' code arrays through unnest, so the migration needs no code count
# (tests/ingest/test_migration_backfill.py holds it equal to what ingest maintains).
BACKFILL = """
        INSERT INTO school_day (la_code, urn, date, pupils, possible, present, aea, authorised, unauthorised,
                                not_counted, code_counts)
        SELECT t.la_code, t.urn, t.date, t.pupils, t.possible, t.present, t.aea, t.authorised, t.unauthorised,
               t.not_counted, a.code_counts
        FROM (SELECT la_code, urn, date, sum(pupils)::integer AS pupils, sum(possible)::integer AS possible,
                     sum(present)::integer AS present, sum(aea)::integer AS aea,
                     sum(authorised)::integer AS authorised, sum(unauthorised)::integer AS unauthorised,
                     sum(not_counted)::integer AS not_counted
              FROM school_day_group GROUP BY la_code, urn, date) AS t
        JOIN (SELECT la_code, urn, date, array_agg(n ORDER BY o)::integer[] AS code_counts
              FROM (SELECT g.la_code, g.urn, g.date, u.o, sum(u.n)::integer AS n
                    FROM school_day_group g, unnest(g.code_counts) WITH ORDINALITY AS u(n, o)
                    GROUP BY 1, 2, 3, 4) AS per_code
              GROUP BY la_code, urn, date) AS a USING (la_code, urn, date)
"""


def upgrade(app_role: str = "gateway_app") -> None:
    op.execute(
        """
        CREATE TABLE school_day (
            la_code       smallint NOT NULL,  -- distribution key
            urn           integer NOT NULL,
            date          date NOT NULL,
            pupils        integer NOT NULL,   -- enrolments with at least one mark that day
            possible      integer NOT NULL,
            present       integer NOT NULL,
            aea           integer NOT NULL,
            authorised    integer NOT NULL,
            unauthorised  integer NOT NULL,
            not_counted   integer NOT NULL,
            code_counts   integer[] NOT NULL,  -- indexed by attendance_codes.ordinal
            PRIMARY KEY (la_code, urn, date)
        ) WITH (fillfactor = 70);  -- every correction batch updates its school-days' rows: keep them HOT
        CREATE INDEX school_day_date ON school_day (date);
        """
    )
    op.execute(BACKFILL)
    op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON school_day TO {app_role}")


def downgrade(app_role: str = "gateway_app") -> None:
    del app_role
    op.execute("DROP TABLE IF EXISTS school_day")
