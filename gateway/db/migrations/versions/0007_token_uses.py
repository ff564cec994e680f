"""Single-use tokens: the jti of every token from a single-use issuer, kept until the token expires.

Revision ID: 0007_token_uses
Revises: 0006_release_ledger
"""

from alembic import op

revision = "0007_token_uses"
down_revision = "0006_release_ledger"
branch_labels = None
depends_on = None


def upgrade(app_role: str = "gateway_app") -> None:
    # In the database, not in a process: every gateway process behind the load balancer sees one record, and
    # the primary key makes "first use" a single atomic INSERT.
    op.execute(
        """
        CREATE TABLE token_uses (
            issuer text NOT NULL,
            jti text NOT NULL,
            expires_at timestamptz NOT NULL,
            first_used_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (issuer, jti)
        )
        """
    )
    op.execute("CREATE INDEX token_uses_expires ON token_uses (expires_at)")
    op.execute(f"GRANT SELECT, INSERT, DELETE ON token_uses TO {app_role}")


def downgrade(app_role: str = "gateway_app") -> None:
    op.execute("DROP TABLE token_uses")
