"""The audit log: append-only events, subject index, tree head, signed checkpoints, and the append function.

Revision ID: 0002_audit
Revises: 0001_store
"""

from alembic import op

revision = "0002_audit"
down_revision = "0001_store"
branch_labels = None
depends_on = None

APPEND_ONLY_TABLES = ("audit_events", "audit_subjects", "audit_checkpoints", "audit_keys")


def upgrade(app_role: str = "gateway_app") -> None:
    op.execute(
        """
        -- ISO 8601 with an explicit offset parses the same whatever the session's TimeZone or DateStyle,
        -- so the cast is immutable for the only inputs the gateway writes.
        CREATE FUNCTION audit_time(text) RETURNS timestamptz
            LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$ SELECT $1::timestamptz $$;

        -- One row: the log's size, the last event hash (chain) and the Merkle frontier (one subtree root
        -- per set bit of size, largest first). Locking it serialises appends into one gap-free order.
        CREATE TABLE audit_head (
            id          boolean PRIMARY KEY DEFAULT true CHECK (id),
            size        bigint NOT NULL CHECK (size >= 0),
            last_hash   bytea NOT NULL,
            frontier    bytea[] NOT NULL
        );
        INSERT INTO audit_head (id, size, last_hash, frontier)
            VALUES (true, 0, decode(repeat('00', 32), 'hex'), '{}');

        -- `content` is the event's canonical JSON, hashed byte for byte; the search columns are derived
        -- from it by the database so they can never disagree with what was hashed.
        CREATE TABLE audit_events (
            seq         bigint PRIMARY KEY CHECK (seq > 0),
            content     text NOT NULL,
            prev_hash   bytea NOT NULL,
            event_hash  bytea NOT NULL,
            leaf_hash   bytea NOT NULL,
            occurred_at timestamptz GENERATED ALWAYS AS (audit_time(content::jsonb ->> 'time')) STORED,
            request_id  text GENERATED ALWAYS AS (content::jsonb ->> 'request_id') STORED,
            organisation text GENERATED ALWAYS AS (content::jsonb -> 'principal' ->> 'organisation') STORED,
            principal_subject text GENERATED ALWAYS AS (content::jsonb -> 'principal' ->> 'subject') STORED,
            agreement   text GENERATED ALWAYS AS (content::jsonb ->> 'agreement') STORED,
            legal_gateway text GENERATED ALWAYS AS (content::jsonb ->> 'legal_gateway') STORED,
            purpose     text GENERATED ALWAYS AS (content::jsonb ->> 'purpose') STORED,
            outcome     text GENERATED ALWAYS AS (content::jsonb ->> 'outcome') STORED,
            route       text GENERATED ALWAYS AS (content::jsonb ->> 'route') STORED
        );
        CREATE INDEX audit_events_time ON audit_events (occurred_at);
        CREATE INDEX audit_events_org ON audit_events (organisation, seq);

        -- Keyed hash (HMAC-SHA256 under the audit subject key) of each pupil an event touched.
        CREATE TABLE audit_subjects (
            subject_hash bytea NOT NULL,
            seq          bigint NOT NULL REFERENCES audit_events,
            PRIMARY KEY (subject_hash, seq)
        );

        CREATE TABLE audit_checkpoints (
            size        bigint PRIMARY KEY CHECK (size > 0),
            root        bytea NOT NULL,
            signed_at   timestamptz NOT NULL,
            key_id      text NOT NULL,
            signature   bytea NOT NULL
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

        -- Sequences, chains, extends the Merkle frontier and inserts the event and its subject index in one
        -- round trip. The commit is asynchronous so the head row lock is not held across a disk flush;
        -- the caller then runs audit_sync(), which waits until this commit is on disk, before it responds.
        CREATE FUNCTION audit_append(p_content text, p_subjects bytea[], p_checkpoint_every integer)
            RETURNS TABLE (seq bigint, event_hash bytea, leaf_hash bytea, tree_root bytea)
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
        DECLARE
            v_digest bytea := sha256(convert_to(p_content, 'UTF8'));
            v_size bigint;
            v_prev bytea;
            v_frontier bytea[];
            v_seq bigint;
            v_event bytea;
            v_leaf bytea;
            v_node bytea;
            v_root bytea;
            v_bits bigint;
            v_len integer;
        BEGIN
            PERFORM set_config('synchronous_commit', 'off', true);
            SELECT h.size, h.last_hash, h.frontier INTO v_size, v_prev, v_frontier
                FROM audit_head h WHERE h.id FOR UPDATE;
            v_seq := v_size + 1;
            v_event := sha256(v_prev || int8send(v_seq) || v_digest);
            v_leaf := sha256('\\x00'::bytea || v_event);
            v_node := v_leaf;
            v_bits := v_size;
            v_len := coalesce(array_length(v_frontier, 1), 0);
            WHILE v_bits & 1 = 1 LOOP
                v_node := sha256('\\x01'::bytea || v_frontier[v_len] || v_node);
                v_len := v_len - 1;
                v_bits := v_bits >> 1;
            END LOOP;
            v_frontier := v_frontier[1 : v_len] || v_node;
            UPDATE audit_head SET size = v_seq, last_hash = v_event, frontier = v_frontier WHERE id;
            INSERT INTO audit_events (seq, content, prev_hash, event_hash, leaf_hash)
                VALUES (v_seq, p_content, v_prev, v_event, v_leaf);
            IF cardinality(p_subjects) > 0 THEN
                INSERT INTO audit_subjects (subject_hash, seq)
                    SELECT DISTINCT s, v_seq FROM unnest(p_subjects) AS s;
            END IF;
            IF p_checkpoint_every > 0 AND v_seq % p_checkpoint_every = 0 THEN
                v_len := array_length(v_frontier, 1);
                v_root := v_frontier[v_len];
                FOR i IN REVERSE v_len - 1 .. 1 LOOP
                    v_root := sha256('\\x01'::bytea || v_frontier[i] || v_root);
                END LOOP;
            END IF;
            RETURN QUERY SELECT v_seq, v_event, v_leaf, v_root;
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
        # ENABLE ALWAYS: the triggers fire even under session_replication_role = replica.
        op.execute(
            f"""
            CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table}
                FOR EACH ROW EXECUTE FUNCTION audit_reject_change();
            CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
                FOR EACH STATEMENT EXECUTE FUNCTION audit_reject_change();
            ALTER TABLE {table} ENABLE ALWAYS TRIGGER {table}_no_change;
            ALTER TABLE {table} ENABLE ALWAYS TRIGGER {table}_no_truncate;
            """
        )
    op.execute(
        f"""
        REVOKE ALL ON FUNCTION audit_append(text, bytea[], integer) FROM PUBLIC;
        REVOKE ALL ON FUNCTION audit_sync() FROM PUBLIC;
        GRANT EXECUTE ON FUNCTION audit_append(text, bytea[], integer) TO {app_role};
        GRANT EXECUTE ON FUNCTION audit_sync() TO {app_role};
        GRANT SELECT ON audit_head, audit_events, audit_subjects TO {app_role};
        GRANT SELECT, INSERT ON audit_checkpoints, audit_keys TO {app_role};
        """
    )


def downgrade(app_role: str = "gateway_app") -> None:
    op.execute(
        """
        DROP FUNCTION IF EXISTS audit_sync();
        DROP FUNCTION IF EXISTS audit_append(text, bytea[], integer);
        DROP TABLE IF EXISTS audit_keys, audit_checkpoints, audit_subjects, audit_events, audit_head CASCADE;
        DROP FUNCTION IF EXISTS audit_reject_change();
        DROP FUNCTION IF EXISTS audit_time(text);
        """
    )
