"""An index on the audit events' request id, for the writer's in-doubt lookup.

When the writer's connection is lost during the append statement itself, the writer cannot know from the
connection whether the batch committed. It finds out by content on a fresh connection: the batch's events
are looked up by their request ids (and then compared byte for byte with what it sent). Without an index that
lookup is a scan of the whole log, on the path of a request that is waiting for its answer.

Revision ID: 0014_audit_request_index
Revises: 0012_feed_conformance
"""

from alembic import op

revision = "0014_audit_request_index"
down_revision = "0012_feed_conformance"
branch_labels = None
depends_on = None


def upgrade(app_role: str = "gateway_app") -> None:
    op.execute("CREATE INDEX audit_events_request_id ON audit_events (request_id)")


def downgrade(app_role: str = "gateway_app") -> None:
    op.execute("DROP INDEX IF EXISTS audit_events_request_id")
