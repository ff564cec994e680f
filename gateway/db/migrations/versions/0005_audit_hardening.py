"""Audit hardening: a set-based batch append as the application's only door, narrow doors for keys and
checkpoints, and witness cosignatures.

Revision ID: 0005_audit_hardening
Revises: 0004b_console
"""

from alembic import op

revision = "0005_audit_hardening"
down_revision = "0004b_console"
branch_labels = None
depends_on = None

# The most events one call may append (the group-commit writer's batches are far smaller).
MAX_BATCH = 10_000


def upgrade(app_role: str = "gateway_app") -> None:
    op.execute(
        """
        -- What an event must look like to enter the log: the search columns and the subject index are
        -- derived from it, so it must carry what they need, in the shapes they need. (One expression, so
        -- the planner inlines it: a subquery here cost more than the rest of the append.)
        CREATE FUNCTION audit_event_is_valid(d jsonb) RETURNS boolean
            LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
            SELECT jsonb_typeof(d) = 'object'
               AND d -> 'v' = '1'::jsonb
               AND jsonb_typeof(d -> 'time') = 'string'
               AND (d ->> 'outcome') ~ '^[a-z][a-z-]{0,31}$'
               AND jsonb_typeof(d -> 'route') = 'string'
               AND jsonb_typeof(coalesce(d -> 'subjects', '[]'::jsonb)) = 'array'
        $$;

        -- Each subject is decoded from the content's hex (decode() rejects anything that is not hex);
        -- this keeps every entry a SHA-256-sized hash. NOT VALID: existing rows were written by
        -- audit_append, which only ever stored 32-byte hashes.
        ALTER TABLE audit_subjects ADD CONSTRAINT audit_subjects_hash_size
            CHECK (length(subject_hash) = 32) NOT VALID;
        """
    )
    op.execute(
        f"""
        -- The application's only way to write events. It takes nothing but the events' content: position,
        -- previous hash, event hash, leaf hash, search columns and subject index are all computed here, for
        -- the whole batch in one INSERT (the chain by a recursive CTE, in order), under the same advisory
        -- lock (7010, 1) audit_append takes, so batches from any number of processes are serialised into
        -- one gap-free order. As with audit_append the commit is asynchronous (the lock is not held across
        -- a disk flush); the caller runs audit_sync() before it releases any response.
        CREATE FUNCTION audit_append_batch(p_contents text[])
            RETURNS TABLE (seq bigint, prev_hash bytea, event_hash bytea)
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
        #variable_conflict use_column
        DECLARE
            v_n integer := coalesce(cardinality(p_contents), 0);
            v_docs jsonb[];
            v_digests bytea[];
            v_base bigint;
            v_prev bytea;
        BEGIN
            IF v_n = 0 OR v_n > {MAX_BATCH} OR array_ndims(p_contents) <> 1 THEN
                RAISE EXCEPTION 'audit_append_batch takes 1 to {MAX_BATCH} events in a flat array, not %', v_n
                    USING ERRCODE = 'invalid_parameter_value';
            END IF;
            -- Parse, hash and check every event before taking the lock.
            SELECT array_agg(c::jsonb ORDER BY o), array_agg(sha256(convert_to(c, 'UTF8')) ORDER BY o)
                INTO v_docs, v_digests FROM unnest(p_contents) WITH ORDINALITY AS u(c, o);
            IF EXISTS (SELECT 1 FROM unnest(v_docs) AS d WHERE NOT coalesce(audit_event_is_valid(d), false)) THEN
                RAISE EXCEPTION 'audit_append_batch: an event is not a version 1 audit event'
                    USING ERRCODE = 'check_violation';
            END IF;
            PERFORM set_config('synchronous_commit', 'off', true);
            PERFORM pg_advisory_xact_lock(7010, 1);
            SELECT e.seq, e.event_hash INTO v_base, v_prev FROM audit_events e ORDER BY e.seq DESC LIMIT 1;
            IF NOT FOUND THEN
                v_base := 0;
                v_prev := decode(repeat('00', 32), 'hex');
            END IF;
            RETURN QUERY
            WITH RECURSIVE chain (i, prev, hash) AS (
                SELECT 1, v_prev, sha256(v_prev || int8send(v_base + 1) || v_digests[1])
                UNION ALL
                SELECT c.i + 1, c.hash, sha256(c.hash || int8send(v_base + c.i + 1) || v_digests[c.i + 1])
                FROM chain c WHERE c.i < v_n
            ), inserted AS (
                INSERT INTO audit_events AS e (seq, content, prev_hash, event_hash, leaf_hash, occurred_at,
                                               request_id, organisation, principal_subject, agreement,
                                               legal_gateway, purpose, outcome, route)
                SELECT v_base + c.i, p_contents[c.i], c.prev, c.hash, sha256(decode('00', 'hex') || c.hash),
                       audit_time(x.d ->> 'time'), x.d ->> 'request_id', x.d -> 'principal' ->> 'organisation',
                       x.d -> 'principal' ->> 'subject', x.d ->> 'agreement', x.d ->> 'legal_gateway',
                       x.d ->> 'purpose', x.d ->> 'outcome', x.d ->> 'route'
                FROM chain c, LATERAL (SELECT v_docs[c.i] AS d) AS x
                ORDER BY c.i
                RETURNING e.seq, e.prev_hash, e.event_hash
            ), indexed AS (
                INSERT INTO audit_subjects (subject_hash, seq)
                SELECT DISTINCT decode(s, 'hex'), v_base + u.o
                FROM unnest(v_docs) WITH ORDINALITY AS u(d, o),
                     jsonb_array_elements_text(coalesce(u.d -> 'subjects', '[]'::jsonb)) AS s
            )
            SELECT i.seq, i.prev_hash, i.event_hash FROM inserted i ORDER BY i.seq;
        END $$;

        -- A signing key enters the table only through this door, named by its own hash. The table is a
        -- directory for exports: verifiers pin keys themselves and never trust it.
        CREATE FUNCTION audit_register_key(p_public_key bytea) RETURNS text
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
        DECLARE
            v_key_id text := left(encode(sha256(p_public_key), 'hex'), 16);
        BEGIN
            IF length(p_public_key) IS DISTINCT FROM 32 THEN
                RAISE EXCEPTION 'an Ed25519 public key is 32 bytes' USING ERRCODE = 'invalid_parameter_value';
            END IF;
            INSERT INTO audit_keys (key_id, algorithm, public_key) VALUES (v_key_id, 'Ed25519', p_public_key)
                ON CONFLICT (key_id) DO NOTHING;
            RETURN v_key_id;
        END $$;

        -- A checkpoint enters only through this door: for a registered key, a size the log has reached,
        -- and well-formed root, signature and frontier. (Signatures are checked by verifiers, not here.)
        CREATE FUNCTION audit_add_checkpoint(
            p_size bigint, p_root bytea, p_signed_at timestamptz, p_key_id text, p_signature bytea,
            p_frontier bytea[]
        ) RETURNS boolean
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
        BEGIN
            IF p_size < 1 OR p_size > (SELECT coalesce(max(seq), 0) FROM audit_events) THEN
                RAISE EXCEPTION 'no checkpoint beyond the log''s head' USING ERRCODE = 'check_violation';
            END IF;
            IF NOT EXISTS (SELECT 1 FROM audit_keys WHERE key_id = p_key_id) THEN
                RAISE EXCEPTION 'checkpoint key is not registered' USING ERRCODE = 'foreign_key_violation';
            END IF;
            IF length(p_root) <> 32 OR length(p_signature) <> 64
               OR coalesce(cardinality(p_frontier), 0) <> length(replace(p_size::bit(64)::text, '0', ''))
               OR EXISTS (SELECT 1 FROM unnest(p_frontier) AS h WHERE length(h) IS DISTINCT FROM 32) THEN
                RAISE EXCEPTION 'malformed checkpoint' USING ERRCODE = 'invalid_parameter_value';
            END IF;
            INSERT INTO audit_checkpoints (size, root, signed_at, key_id, signature, frontier)
                VALUES (p_size, p_root, p_signed_at, p_key_id, p_signature, p_frontier)
                ON CONFLICT (size) DO NOTHING;
            RETURN FOUND;
        END $$;

        -- A witness's signature over a checkpoint it found consistent with the last one it saw.
        CREATE TABLE audit_cosignatures (
            size        bigint NOT NULL,
            key_id      text NOT NULL,
            public_key  bytea NOT NULL,
            root        bytea NOT NULL,
            signed_at   timestamptz NOT NULL,
            signature   bytea NOT NULL,
            PRIMARY KEY (size, key_id)
        );

        CREATE FUNCTION audit_add_cosignature(
            p_size bigint, p_root bytea, p_signed_at timestamptz, p_public_key bytea, p_signature bytea
        ) RETURNS boolean
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
        BEGIN
            IF NOT EXISTS (SELECT 1 FROM audit_checkpoints WHERE size = p_size AND root = p_root) THEN
                RAISE EXCEPTION 'no checkpoint with that size and root' USING ERRCODE = 'foreign_key_violation';
            END IF;
            IF length(p_public_key) IS DISTINCT FROM 32 OR length(p_signature) IS DISTINCT FROM 64 THEN
                RAISE EXCEPTION 'malformed cosignature' USING ERRCODE = 'invalid_parameter_value';
            END IF;
            INSERT INTO audit_cosignatures (size, key_id, public_key, root, signed_at, signature)
                VALUES (p_size, left(encode(sha256(p_public_key), 'hex'), 16), p_public_key, p_root, p_signed_at,
                        p_signature)
                ON CONFLICT (size, key_id) DO NOTHING;
            RETURN FOUND;
        END $$;

        CREATE TRIGGER audit_cosignatures_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_cosignatures
            FOR EACH STATEMENT EXECUTE FUNCTION audit_reject_change();
        ALTER TABLE audit_cosignatures ENABLE ALWAYS TRIGGER audit_cosignatures_append_only;
        """
    )
    op.execute(
        f"""
        REVOKE EXECUTE ON FUNCTION audit_append(text, bytea[]) FROM {app_role};
        REVOKE INSERT ON audit_keys, audit_checkpoints FROM {app_role};
        REVOKE ALL ON FUNCTION audit_event_is_valid(jsonb) FROM PUBLIC;
        REVOKE ALL ON FUNCTION audit_append_batch(text[]) FROM PUBLIC;
        REVOKE ALL ON FUNCTION audit_register_key(bytea) FROM PUBLIC;
        REVOKE ALL ON FUNCTION audit_add_checkpoint(bigint, bytea, timestamptz, text, bytea, bytea[]) FROM PUBLIC;
        REVOKE ALL ON FUNCTION audit_add_cosignature(bigint, bytea, timestamptz, bytea, bytea) FROM PUBLIC;
        GRANT EXECUTE ON FUNCTION audit_append_batch(text[]) TO {app_role};
        GRANT EXECUTE ON FUNCTION audit_register_key(bytea) TO {app_role};
        GRANT EXECUTE ON FUNCTION audit_add_checkpoint(bigint, bytea, timestamptz, text, bytea, bytea[]) TO {app_role};
        GRANT EXECUTE ON FUNCTION audit_add_cosignature(bigint, bytea, timestamptz, bytea, bytea) TO {app_role};
        GRANT SELECT ON audit_cosignatures TO {app_role};
        """
    )


def downgrade(app_role: str = "gateway_app") -> None:
    op.execute(
        f"""
        DROP FUNCTION IF EXISTS audit_add_cosignature(bigint, bytea, timestamptz, bytea, bytea);
        DROP TABLE IF EXISTS audit_cosignatures;
        DROP FUNCTION IF EXISTS audit_add_checkpoint(bigint, bytea, timestamptz, text, bytea, bytea[]);
        DROP FUNCTION IF EXISTS audit_register_key(bytea);
        DROP FUNCTION IF EXISTS audit_append_batch(text[]);
        DROP FUNCTION IF EXISTS audit_event_is_valid(jsonb);
        ALTER TABLE audit_subjects DROP CONSTRAINT IF EXISTS audit_subjects_hash_size;
        GRANT INSERT ON audit_keys, audit_checkpoints TO {app_role};
        GRANT EXECUTE ON FUNCTION audit_append(text, bytea[]) TO {app_role};
        """
    )
