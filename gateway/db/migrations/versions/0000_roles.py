"""The application's database role (least privilege; grants come with each table).

Revision ID: 0000_roles
Revises:
"""

from alembic import op

revision = "0000_roles"
down_revision = None
branch_labels = None
depends_on = None


def upgrade(app_role: str = "gateway_app") -> None:
    op.execute(
        f"""
        DO $$
        BEGIN
          IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{app_role}') THEN
            CREATE ROLE {app_role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION;
          END IF;
        END $$;
        """
    )
    op.execute(f"GRANT USAGE ON SCHEMA public TO {app_role}")
    op.execute("SELECT current_database()")  # keeps the connection's database explicit in logs


def downgrade(app_role: str = "gateway_app") -> None:
    op.execute(f"REVOKE USAGE ON SCHEMA public FROM {app_role}")
