"""Feed conformance: each batch records the MIS product and version that produced it and the organisation that
sent it, so the gateway can publish, per product and version, how clean its feeds are (issue 15 item 6).

Revision ID: 0012_feed_conformance
Revises: 0011_ledger_series
"""

from alembic import op

revision = "0012_feed_conformance"
down_revision = "0011_ledger_series"
branch_labels = None
depends_on = None


def upgrade(app_role: str = "gateway_app") -> None:
    # Null: not said (an operator's `gateway ingest`, a feed sent without the headers, a data-management change).
    op.execute(
        """
        ALTER TABLE ingest_batches
            ADD COLUMN mis_product text CHECK (length(mis_product) BETWEEN 1 AND 64),
            ADD COLUMN mis_version text CHECK (length(mis_version) BETWEEN 1 AND 32),
            ADD COLUMN sender text CHECK (length(sender) BETWEEN 1 AND 200);
        """
    )


def downgrade(app_role: str = "gateway_app") -> None:
    op.execute(
        """
        ALTER TABLE ingest_batches
            DROP COLUMN IF EXISTS sender,
            DROP COLUMN IF EXISTS mis_version,
            DROP COLUMN IF EXISTS mis_product;
        """
    )
