"""The release ledger: every aggregate cell released to a requester, append-only, for the differencing check.

Revision ID: 0006_release_ledger
Revises: 0005_audit_hardening
"""

from alembic import op

revision = "0006_release_ledger"
down_revision = "0005_audit_hardening"
branch_labels = None
depends_on = None


def upgrade(app_role: str = "gateway_app") -> None:
    op.execute(
        f"""
        -- One row per released cell. true_value is the count at release time (registers are corrected later,
        -- and the check must reason about what the requester was given then); it never leaves the gateway.
        CREATE TABLE release_ledger (
            seq          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            requester    text NOT NULL,
            released_at  timestamptz NOT NULL DEFAULT now(),
            area         text NOT NULL,
            date_from    date NOT NULL,
            date_to      date NOT NULL CHECK (date_to >= date_from),
            filters      jsonb NOT NULL CHECK (jsonb_typeof(filters) = 'array'),
            measure      text NOT NULL,
            published    text NOT NULL,
            true_value   integer NOT NULL CHECK (true_value >= 0),
            cell_key     smallint CHECK (cell_key BETWEEN 0 AND 255),
            request_id   text
        );
        -- The check reads one requester's releases of the chains (area, filters, measure) a query touches.
        CREATE INDEX release_ledger_chain ON release_ledger (requester, area, measure);

        CREATE FUNCTION release_ledger_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'release_ledger is append-only: % rejected', TG_OP;
        END $$;
        CREATE TRIGGER release_ledger_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON release_ledger
            FOR EACH STATEMENT EXECUTE FUNCTION release_ledger_reject_change();
        ALTER TABLE release_ledger ENABLE ALWAYS TRIGGER release_ledger_append_only;
        GRANT SELECT, INSERT ON release_ledger TO {app_role};
        """
    )


def downgrade(app_role: str = "gateway_app") -> None:
    op.execute(
        """
        DROP TABLE IF EXISTS release_ledger;
        DROP FUNCTION IF EXISTS release_ledger_reject_change();
        """
    )
