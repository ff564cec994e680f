"""The conformance checker's verdicts on the published feed test pack, per MIS product and version (issue 15
item 6). A supplier submits its own system's output for the pack (POST /v1/feed/conformance/checks); the
gateway runs the checker as a dry run and records the verdict here. Supplier facts only: no pupil data.

Revision ID: 0020_feed_pack_verdicts
Revises: 0019_pupil_merge
"""

from alembic import op

revision = "0020_feed_pack_verdicts"
down_revision = "0019_pupil_merge"
branch_labels = None
depends_on = None


def upgrade(app_role: str = "gateway_app") -> None:
    op.execute(
        """
        CREATE TABLE feed_pack_verdicts (
            verdict_id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            mis_product  text NOT NULL,
            mis_version  text,
            sender       text NOT NULL,
            pack_version text NOT NULL,
            pack_digest  text NOT NULL CHECK (pack_digest ~ '^[0-9a-f]{64}$'),
            passed       boolean NOT NULL,
            files        jsonb NOT NULL,
            checked_at   timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX feed_pack_verdicts_latest
            ON feed_pack_verdicts (mis_product, mis_version, checked_at DESC, verdict_id DESC);
        """
    )
    op.execute(f"GRANT SELECT, INSERT ON feed_pack_verdicts TO {app_role}")


def downgrade(app_role: str = "gateway_app") -> None:
    op.execute("DROP TABLE IF EXISTS feed_pack_verdicts")
