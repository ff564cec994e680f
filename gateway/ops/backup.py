"""`gateway backup`: one pg_dump (custom format) of the store and the audit log, taken from the same snapshot as
a manifest of what it holds, with the audit log's public keys pinned from the signing key, not the database."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import psycopg
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from psycopg import IsolationLevel

from gateway.audit.keys import PublicKey, public_key_of
from gateway.db.embedded import binary
from gateway.db.urls import DatabaseUrls, libpq_command_target
from gateway.ops.facts import DatabaseFacts, collect
from gateway.settings import Settings

BACKUP_FORMAT = "attendance-gateway/backup/v1"
DUMP_FILE = "database.dump"
MANIFEST_FILE = "manifest.json"
KEYS_FILE = "audit-keys.json"
PG_TIMEOUT_SECONDS = 6 * 3600


class BackupError(RuntimeError):
    """The backup could not be made or read; the message says what to fix."""


@dataclass(frozen=True)
class Manifest:
    """What a backup holds: enough to restore it and to check that the restore is the same database."""

    created_at: str
    database: str
    server_version: str
    dump_tool: str
    dump_sha256: str
    dump_bytes: int
    app_role: str
    facts: DatabaseFacts
    pinned_keys: list[dict[str, str]] = field(default_factory=list)  # key_id, fingerprint (sha256)
    database_keys: list[dict[str, Any]] = field(default_factory=list)  # key_id, fingerprint, pinned
    pseudonym_key_versions: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "format": BACKUP_FORMAT,
            "created_at": self.created_at,
            "database": self.database,
            "server_version": self.server_version,
            "dump_tool": self.dump_tool,
            "dump": {"file": DUMP_FILE, "sha256": self.dump_sha256, "bytes": self.dump_bytes},
            "app_role": self.app_role,
            "facts": self.facts.as_dict(),
            "keys": {
                "pinned": self.pinned_keys,
                "in_database": self.database_keys,
                "pseudonym_key_versions": self.pseudonym_key_versions,
            },
        }

    @classmethod
    def read(cls, folder: Path) -> Manifest:
        try:
            data = orjson.loads((folder / MANIFEST_FILE).read_bytes())
        except FileNotFoundError:
            raise BackupError(f"{folder} is not a backup: no {MANIFEST_FILE}") from None
        except orjson.JSONDecodeError:
            raise BackupError(f"{folder / MANIFEST_FILE} is not valid JSON") from None
        if not isinstance(data, dict) or data.get("format") != BACKUP_FORMAT:
            raise BackupError(f"{folder / MANIFEST_FILE} is not a {BACKUP_FORMAT} manifest")
        try:
            return cls(
                created_at=str(data["created_at"]),
                database=str(data["database"]),
                server_version=str(data["server_version"]),
                dump_tool=str(data["dump_tool"]),
                dump_sha256=str(data["dump"]["sha256"]),
                dump_bytes=int(data["dump"]["bytes"]),
                app_role=str(data["app_role"]),
                facts=DatabaseFacts.from_dict(data["facts"]),
                pinned_keys=list(data["keys"]["pinned"]),
                database_keys=list(data["keys"]["in_database"]),
                pseudonym_key_versions=[int(v) for v in data["keys"]["pseudonym_key_versions"]],
            )
        except (KeyError, TypeError, ValueError) as error:
            raise BackupError(f"{folder / MANIFEST_FILE} is incomplete ({error})") from None


def fingerprint(key: PublicKey) -> str:
    """The full SHA-256 of the raw public key (its key id is the first 16 hex digits of this)."""
    return hashlib.sha256(key.public_key).hexdigest()


def signing_public_key(settings: Settings) -> PublicKey | None:
    """The public half of the configured signing key, read (never created) from its file."""
    path = settings.audit.signing_key_file
    if not path.exists():
        return None
    private = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(private, Ed25519PrivateKey):
        raise BackupError(f"{path} does not hold an Ed25519 private key")
    return public_key_of(private)


def pseudonym_versions(settings: Settings) -> list[int]:
    """The keyring's versions (never its keys): a restore needs a keyring holding every one of them."""
    from gateway.privacy.keyring import KeyringError, load_keyring

    try:
        return load_keyring(settings.privacy).versions
    except KeyringError:
        return []


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def run_pg_tool(command: list[str], env: dict[str, str], what: str) -> str:
    """Run pg_dump / pg_restore; a failure raises BackupError with the tool's own message."""
    try:
        done = subprocess.run(  # noqa: S603 - a fixed program with arguments we built
            command,
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            timeout=PG_TIMEOUT_SECONDS,
            check=False,
        )
    except FileNotFoundError:
        raise BackupError(f"{what}: {command[0]} not found") from None
    if done.returncode != 0:
        raise BackupError(f"{what} failed: {done.stderr.strip() or done.stdout.strip()}")
    return done.stdout


def make_backup(
    settings: Settings,
    urls: DatabaseUrls,
    out: Path,
    *,
    extra_keys: dict[str, PublicKey] | None = None,
    bin_dir: Path | None = None,
) -> Manifest:
    """Write the backup folder `out` (created here, owner-only; it holds pupil data, and no secret key).

    The dump and the manifest's facts come from one exported snapshot, so the counts are the dump's counts
    even while the gateway keeps writing. The folder appears whole or not at all."""
    if out.exists():
        raise BackupError(f"{out} already exists: a backup goes into a new folder")
    pg_dump = (bin_dir / "pg_dump") if bin_dir else binary("pg_dump")
    staging = out.with_name(f".{out.name}.partial-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(mode=0o700, parents=True)
    try:
        manifest = _dump_into(settings, urls, staging, pg_dump, extra_keys or {})
        staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return manifest


def _dump_into(
    settings: Settings, urls: DatabaseUrls, folder: Path, pg_dump: Path, extra_keys: dict[str, PublicKey]
) -> Manifest:
    dump = folder / DUMP_FILE
    os.close(os.open(dump, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))  # pg_dump keeps this mode
    target, env = libpq_command_target(urls.admin)
    tool_version = run_pg_tool([str(pg_dump), "--version"], {}, "pg_dump").strip()
    with psycopg.connect(urls.admin) as conn:
        conn.isolation_level = IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        row = conn.execute(
            "SELECT pg_export_snapshot(), current_database(), current_setting('server_version')"
        ).fetchone()
        assert row is not None
        snapshot, database, server_version = (str(v) for v in row)
        facts = collect(conn)
        database_keys = conn.execute(
            "SELECT key_id, public_key FROM audit_keys ORDER BY created_at, key_id"
            if "audit_keys" in facts.tables
            else "SELECT NULL, NULL WHERE false"
        ).fetchall()
        # The snapshot lives as long as this transaction: pg_dump must finish before it ends.
        run_pg_tool(
            [
                str(pg_dump),
                "--format=custom",
                f"--snapshot={snapshot}",
                f"--file={dump}",
                f"--dbname={target}",
            ],
            env,
            "pg_dump",
        )
        conn.rollback()
    pinned = dict(extra_keys)
    signer = signing_public_key(settings)
    if signer is not None:
        pinned[signer.key_id] = signer
    keys_document = {
        "keys": [k.as_dict() for k in pinned.values()],
        "current": signer.key_id if signer else None,
    }
    (folder / KEYS_FILE).write_bytes(orjson.dumps(keys_document, option=orjson.OPT_INDENT_2))
    manifest = Manifest(
        created_at=datetime.now(UTC).replace(microsecond=0).isoformat(),
        database=database,
        server_version=server_version,
        dump_tool=tool_version,
        dump_sha256=sha256_file(dump),
        dump_bytes=dump.stat().st_size,
        app_role=settings.app_db_role,
        facts=facts,
        pinned_keys=[{"key_id": k.key_id, "fingerprint": fingerprint(k)} for k in pinned.values()],
        database_keys=[
            {
                "key_id": str(key_id),
                "fingerprint": hashlib.sha256(bytes(raw)).hexdigest(),
                "pinned": str(key_id) in pinned and pinned[str(key_id)].public_key == bytes(raw),
            }
            for key_id, raw in database_keys
        ],
        pseudonym_key_versions=pseudonym_versions(settings),
    )
    (folder / MANIFEST_FILE).write_bytes(orjson.dumps(manifest.as_dict(), option=orjson.OPT_INDENT_2))
    return manifest
