"""Feed conformance figures that only the load can know: which schools a batch's valid rows named, and how many
of its valid sessions were dated before the day the batch was received (late registers). Recorded once per
batch at ingest, so the public conformance table is an aggregate of `ingest_batches` alone and never reads
marks (issue 15 item 6).

Revision ID: 0016_feed_checks
Revises: 0014_audit_request_index
"""

from alembic import op

revision = "0016_feed_checks"
down_revision = "0014_audit_request_index"
branch_labels = None
depends_on = None


def upgrade(app_role: str = "gateway_app") -> None:
    # Batches loaded before this revision keep the defaults: no schools known, no late sessions counted.
    op.execute(
        """
        ALTER TABLE ingest_batches
            ADD COLUMN urns integer[] NOT NULL DEFAULT '{}',
            ADD COLUMN late_sessions integer NOT NULL DEFAULT 0 CHECK (late_sessions >= 0);
        """
    )


def downgrade(app_role: str = "gateway_app") -> None:
    op.execute("ALTER TABLE ingest_batches DROP COLUMN IF EXISTS late_sessions, DROP COLUMN IF EXISTS urns;")
