"""Read paths for the API: the LA-scoped weekly rollup is read with index-only scans.

Revision ID: 0003_read_paths
Revises: 0002_audit
"""

from alembic import op

revision = "0003_read_paths"
down_revision = "0002_audit"
branch_labels = None
depends_on = None


def upgrade(app_role: str = "gateway_app") -> None:
    # Summaries, pupil lists and early warning read every enrolment-week of an LA over a period; carrying
    # the measures in the index lets PostgreSQL answer from the index alone (after vacuum).
    op.execute(
        "CREATE INDEX enrolment_week_la_cover ON enrolment_week (la_code, week_start)"
        " INCLUDE (enrolment_id, urn, possible, present, aea, authorised, unauthorised)"
    )
    op.execute("DROP INDEX enrolment_week_la_week")


def downgrade(app_role: str = "gateway_app") -> None:
    op.execute("CREATE INDEX enrolment_week_la_week ON enrolment_week (la_code, week_start)")
    op.execute("DROP INDEX enrolment_week_la_cover")
