"""The cumulative weekly rollup, so early warning reads two rows per enrolment and period, not every week.

Per enrolment and week, the enrolment's running totals (possible, attended, absent, unauthorised) up to
and including that week, beside the week's own values. Backfilled from enrolment_week; ingest keeps it
from then on (gateway/store/cumulative.py).

Revision ID: 0018_enrolment_week_cumulative
Revises: 0016_feed_checks
"""

from alembic import op


revision = "0018_enrolment_week_cumulative"
down_revision = "0016_feed_checks"
branch_labels = None
depends_on = None


def upgrade(app_role: str = "gateway_app") -> None:
    op.execute(
        """
        CREATE TABLE enrolment_week_cumulative (
            la_code        smallint NOT NULL,  -- distribution key
            enrolment_id   bigint NOT NULL,
            week_start     date NOT NULL CHECK (extract(isodow FROM week_start) = 1),
            urn            integer NOT NULL,
            possible       integer NOT NULL,  -- totals over the enrolment's weeks up to this one
            attended       integer NOT NULL,
            absent         integer NOT NULL,
            unauthorised   integer NOT NULL,
            w_possible     integer NOT NULL,  -- this week's own values
            w_attended     integer NOT NULL,
            w_absent       integer NOT NULL,
            w_unauthorised integer NOT NULL,
            PRIMARY KEY (la_code, enrolment_id, week_start)
        );
        CREATE INDEX enrolment_week_cumulative_la_week ON enrolment_week_cumulative (la_code, week_start);
        """
    )
    # The backfill, frozen here as gateway.store.cumulative.REBUILD_ALL read when this was written
    # (a migration imports no gateway module: tests/test_layering.py).
    op.execute(
        "INSERT INTO enrolment_week_cumulative (la_code, enrolment_id, week_start, urn, possible, attended,"
        " absent, unauthorised, w_possible, w_attended, w_absent, w_unauthorised)"
        " SELECT ew.la_code, ew.enrolment_id, ew.week_start, ew.urn, sum(ew.possible) OVER w,"
        " sum(ew.present + ew.aea) OVER w, sum(ew.authorised + ew.unauthorised) OVER w, sum(ew.unauthorised) OVER w,"
        " ew.possible, ew.present + ew.aea, ew.authorised + ew.unauthorised, ew.unauthorised"
        " FROM enrolment_week ew WINDOW w AS (PARTITION BY ew.la_code, ew.enrolment_id ORDER BY ew.week_start)"
    )
    op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON enrolment_week_cumulative TO {app_role}")


def downgrade(app_role: str = "gateway_app") -> None:
    del app_role
    op.execute("DROP TABLE enrolment_week_cumulative")
