"""The audit log: append-only events, subject index, tree head, signed checkpoints, and the append function.

Revision ID: 0002_audit
Revises: 0001_store
"""

from alembic import op

revision = "0002_audit"
down_revision = "0001_store"
branch_labels = None
depends_on = None

APPEND_ONLY_TABLES = ("audit_events", "audit_subjects", "audit_checkpoints", "audit_keys", "audit_subtrees")


def upgrade(app_role: str = "gateway_app") -> None:
    op.execute(
        """
        -- ISO 8601 with an explicit offset parses the same whatever the session's TimeZone or DateStyle,
        -- so the cast is immutable for the only inputs the gateway writes.
        CREATE FUNCTION audit_time(text) RETURNS timestamptz
            LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$ SELECT $1::timestamptz $$;

        -- `content` is the event's canonical JSON, hashed byte for byte. The search columns are filled by
        -- audit_append from that same text (parsed once; the application cannot write them), and the
        -- verifier checks they still agree with it.
        CREATE TABLE audit_events (
            seq         bigint PRIMARY KEY CHECK (seq > 0),
            content     text NOT NULL,
            prev_hash   bytea NOT NULL,
            event_hash  bytea NOT NULL,
            leaf_hash   bytea NOT NULL,
            occurred_at timestamptz NOT NULL,
            request_id  text,
            organisation text,
            principal_subject text,
            agreement   text,
            legal_gateway text,
            purpose     text,
            outcome     text NOT NULL,
            route       text NOT NULL
        );
        -- Events arrive in time order, so a BRIN index finds a period at a fraction of a B-tree's upkeep
        -- (index upkeep runs inside the appenders' critical section).
        CREATE INDEX audit_events_time ON audit_events USING brin (occurred_at);
        CREATE INDEX audit_events_org ON audit_events (organisation, seq);

        -- Keyed hash (HMAC-SHA256 under the audit subject key) of each pupil an event touched.
        CREATE TABLE audit_subjects (
            subject_hash bytea NOT NULL,
            seq          bigint NOT NULL,  -- no foreign key: audit_append writes both; the verifier checks them
            PRIMARY KEY (subject_hash, seq)
        );

        -- `frontier` (the perfect-subtree roots at `size`) lets the next checkpoint extend the tree from
        -- here instead of from the first event; it is not signed, and verifiers recompute everything.
        CREATE TABLE audit_checkpoints (
            size        bigint PRIMARY KEY CHECK (size > 0),
            root        bytea NOT NULL,
            signed_at   timestamptz NOT NULL,
            key_id      text NOT NULL,
            signature   bytea NOT NULL,
            frontier    bytea[] NOT NULL
        );

        -- The Merkle root of each complete block of 1024 events (block idx covers seq idx*1024+1 ..
        -- (idx+1)*1024), kept as checkpoints are signed so proofs need not read every leaf. A cache:
        -- verifiers never trust it, and a wrong entry only makes a proof fail to verify.
        CREATE TABLE audit_subtrees (
            idx         bigint PRIMARY KEY CHECK (idx >= 0),
            root        bytea NOT NULL
        );

        CREATE TABLE audit_keys (
            key_id      text PRIMARY KEY,
            algorithm   text NOT NULL CHECK (algorithm = 'Ed25519'),
            public_key  bytea NOT NULL,
            created_at  timestamptz NOT NULL DEFAULT now()
        );

        CREATE FUNCTION audit_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'audit table % is append-only: % rejected', TG_TABLE_NAME, TG_OP
                USING ERRCODE = 'insufficient_privilege';
        END $$;

        -- Sequences, chains and inserts the event and its subject index in one round trip. Appenders take
        -- one transaction-scoped advisory lock (7010, 1), so they run one at a time in one gap-free order
        -- and each sees its predecessor committed; the tip of the (append-only, never updated) event table
        -- is the head, so nothing bloats however long another transaction holds the xmin horizon back.
        -- The commit is asynchronous so the lock is not held across a disk flush; the caller then runs
        -- audit_sync(), which returns once this commit is on disk, before it lets the response start.
        CREATE FUNCTION audit_append(
            p_content text, p_subjects bytea[], OUT seq bigint, OUT event_hash bytea, OUT leaf_hash bytea
        ) LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
        #variable_conflict use_variable
        DECLARE
            -- Everything that does not need the position is worked out before taking the lock.
            v_doc jsonb := p_content::jsonb;
            v_digest bytea := sha256(convert_to(p_content, 'UTF8'));
            v_time timestamptz := audit_time(v_doc ->> 'time');
            v_request_id text := v_doc ->> 'request_id';
            v_organisation text := v_doc -> 'principal' ->> 'organisation';
            v_principal text := v_doc -> 'principal' ->> 'subject';
            v_agreement text := v_doc ->> 'agreement';
            v_gateway text := v_doc ->> 'legal_gateway';
            v_purpose text := v_doc ->> 'purpose';
            v_outcome text := v_doc ->> 'outcome';
            v_route text := v_doc ->> 'route';
            v_prev bytea;
        BEGIN
            PERFORM set_config('synchronous_commit', 'off', true);
            PERFORM pg_advisory_xact_lock(7010, 1);
            SELECT e.seq + 1, e.event_hash INTO seq, v_prev FROM audit_events e ORDER BY e.seq DESC LIMIT 1;
            IF NOT FOUND THEN
                seq := 1;
                v_prev := decode(repeat('00', 32), 'hex');
            END IF;
            event_hash := sha256(v_prev || int8send(seq) || v_digest);
            leaf_hash := sha256('\\x00'::bytea || event_hash);
            INSERT INTO audit_events AS e (seq, content, prev_hash, event_hash, leaf_hash, occurred_at, request_id,
                                           organisation, principal_subject, agreement, legal_gateway, purpose,
                                           outcome, route)
                VALUES (seq, p_content, v_prev, event_hash, leaf_hash, v_time, v_request_id, v_organisation,
                        v_principal, v_agreement, v_gateway, v_purpose, v_outcome, v_route);
            IF cardinality(p_subjects) > 0 THEN
                INSERT INTO audit_subjects (subject_hash, seq) SELECT DISTINCT s, seq FROM unnest(p_subjects) AS s;
            END IF;
        END $$;

        -- A synchronous commit that writes WAL: returning means every earlier commit is on disk. Many
        -- writers' syncs share one flush, which is what lets appends scale without batching commits.
        CREATE FUNCTION audit_sync() RETURNS pg_lsn
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
        BEGIN
            PERFORM set_config('synchronous_commit', 'on', true);
            RETURN pg_logical_emit_message(true, 'gateway.audit', ''::text);
        END $$;
        """
    )
    for table in APPEND_ONLY_TABLES:
        # Statement-level, so even a change that matches no row is refused; ENABLE ALWAYS, so the trigger
        # fires under session_replication_role = replica too.
        op.execute(
            f"""
            CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON {table}
                FOR EACH STATEMENT EXECUTE FUNCTION audit_reject_change();
            ALTER TABLE {table} ENABLE ALWAYS TRIGGER {table}_append_only;
            """
        )
    op.execute(
        f"""
        REVOKE ALL ON FUNCTION audit_append(text, bytea[]) FROM PUBLIC;
        REVOKE ALL ON FUNCTION audit_sync() FROM PUBLIC;
        GRANT EXECUTE ON FUNCTION audit_append(text, bytea[]) TO {app_role};
        GRANT EXECUTE ON FUNCTION audit_sync() TO {app_role};
        GRANT SELECT ON audit_events, audit_subjects TO {app_role};
        GRANT SELECT, INSERT ON audit_checkpoints, audit_keys, audit_subtrees TO {app_role};
        """
    )


def downgrade(app_role: str = "gateway_app") -> None:
    op.execute(
        """
        DROP FUNCTION IF EXISTS audit_sync();
        DROP FUNCTION IF EXISTS audit_append(text, bytea[]);
        DROP TABLE IF EXISTS audit_subtrees, audit_keys, audit_checkpoints, audit_subjects, audit_events CASCADE;
        DROP FUNCTION IF EXISTS audit_reject_change();
        DROP FUNCTION IF EXISTS audit_time(text);
        """
    )
