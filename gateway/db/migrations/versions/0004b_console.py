"""Console sessions: one row per signed-in browser, keyed by a hash of its cookie's session id.

Revision ID: 0004b_console
Revises: 0003_read_paths
"""

from alembic import op

revision = "0004b_console"
down_revision = "0004a_distributable_keys"
branch_labels = None
depends_on = None


def upgrade(app_role: str = "gateway_app") -> None:
    # The id in the browser's cookie is never stored, only its SHA-256; the tokens are sealed (AES-GCM)
    # under the console's session key, so a copy of this table signs no one in and shows no token.
    op.execute(
        """
        CREATE TABLE console_sessions (
            id_hash bytea PRIMARY KEY,
            subject text NOT NULL,
            issuer text NOT NULL,
            sealed_tokens bytea NOT NULL,
            access_expires_at timestamptz NOT NULL,
            expires_at timestamptz NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(),
            refreshed_at timestamptz
        )
        """
    )
    op.execute("CREATE INDEX console_sessions_expires ON console_sessions (expires_at)")
    op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON console_sessions TO {app_role}")


def downgrade(app_role: str = "gateway_app") -> None:
    op.execute("DROP TABLE console_sessions")
