"""The gateway's one typed configuration object, read from the environment once and passed in."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, BaseModel, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class IssuerSettings(BaseModel):
    """One trusted token issuer: tokens are accepted only if `iss` matches and a key from its JWKS verifies."""

    issuer: str
    audience: str = "attendance-gateway"
    jwks_file: Path | None = None
    jwks_url: str | None = None
    algorithms: list[Literal["EdDSA", "ES256", "RS256"]] = Field(default_factory=lambda: ["EdDSA"])  # type: ignore[arg-type]


class AuthSettings(BaseModel):
    """Authentication: trusted issuers and the local development issuer."""

    issuers: list[IssuerSettings] = Field(default_factory=list)
    # The development issuer's key lives here; the default configuration trusts it when `trust_dev_issuer`.
    dev_issuer: str = "https://dev-issuer.attendance-gateway.local"
    dev_key_dir: Path = Path("var/keys/dev-issuer")
    trust_dev_issuer: bool = True
    audience: str = "attendance-gateway"
    leeway_seconds: int = 30
    jwks_refetch_min_seconds: float = 30.0
    jwks_cache_seconds: float = 3600.0


class PolicySettings(BaseModel):
    """Which engine decides, where the bundle is, and how long a decision may take."""

    engine: Literal["rego", "opa"] = "rego"
    bundle_dir: Path = Path("policies")
    entrypoint: str = "data.gateway.decision"
    opa_url: str = "http://127.0.0.1:8181"
    timeout_ms: int = 500
    watch: bool = True
    # With the OPA engine: upload policies/ to the server at start and on reload (False: OPA serves it itself).
    opa_push_bundle: bool = False
    # Decisions kept per process, keyed by bundle revision and exact input (0: no cache).
    cache_entries: int = 4096
    # A bundle whose decisions keep within this many ms of CPU is decided inline, not in a thread (0: never).
    inline_budget_ms: float = 5.0


class PrivacySettings(BaseModel):
    """Where the pseudonym keyring is kept (never logged)."""

    keyring_file: Path = Path("var/keys/pseudonym-keyring.json")
    # The keyring document itself (GATEWAY_PRIVACY__KEYRING_JSON); when set it wins over keyring_file.
    keyring_json: SecretStr | None = None


class AuditSettings(BaseModel):
    """Audit log signing and checkpoint cadence."""

    signing_key_file: Path = Path("var/keys/audit-signing-key.pem")
    subject_key_file: Path = Path("var/keys/audit-subject-key.bin")
    checkpoint_every: int = 1000
    checkpoint_seconds: float = 60.0
    # Group commit: events waiting for the writer (a full queue makes requests wait, then 503), events per batch.
    queue_max: int = 10_000
    batch_max: int = 500
    queue_wait_seconds: float = 5.0
    # The signer's own record of the head it produced (default: beside the signing key, one per database).
    head_file: Path | None = None
    # How long an event nobody on this host produced may sit after the trusted head before signing stops.
    unclaimed_grace_seconds: float = 10.0
    # Public keys the gateway published before (still valid for old checkpoints), and the witnesses' keys.
    retired_keys_file: Path | None = None
    witness_keys_file: Path | None = None
    # `gateway audit witness`: its own signing key and its record of the last checkpoint it co-signed.
    witness_key_file: Path = Path("var/keys/audit-witness-key.pem")
    witness_state_file: Path = Path("var/keys/audit-witness-state.json")


class Settings(BaseSettings):
    """Everything the gateway reads from its environment. Nested fields use `__`, e.g. GATEWAY_POLICY__ENGINE."""

    model_config = SettingsConfigDict(
        env_prefix="GATEWAY_", env_nested_delimiter="__", extra="ignore", populate_by_name=True
    )

    # Without a database URL the gateway starts an embedded PostgreSQL in `pg_data_dir`.
    database_url: str | None = Field(
        default=None, validation_alias=AliasChoices("DATABASE_URL", "GATEWAY_DATABASE_URL")
    )
    # The owner connection that runs migrations; defaults to database_url.
    database_admin_url: str | None = Field(
        default=None, validation_alias=AliasChoices("DATABASE_ADMIN_URL", "GATEWAY_DATABASE_ADMIN_URL")
    )
    database_name: str = "gateway"
    app_db_role: str = "gateway_app"
    var_dir: Path = Path("var")
    pg_data_dir: Path = Path("var/pgdata")
    pool_min_size: int = 2
    pool_max_size: int = 10
    # How long a request waits for a database connection before a 503 (the database is down or saturated).
    pool_wait_seconds: float = 3.0
    # The longest pause between reconnection attempts once the database has gone away.
    pool_reconnect_max_delay: float = 0.5

    host: str = "127.0.0.1"
    port: int = 8000
    environment: Literal["development", "test", "production"] = "development"
    log_level: str = "INFO"
    log_json: bool = True

    auth: AuthSettings = Field(default_factory=AuthSettings)
    policy: PolicySettings = Field(default_factory=PolicySettings)
    privacy: PrivacySettings = Field(default_factory=PrivacySettings)
    audit: AuditSettings = Field(default_factory=AuditSettings)

    max_range_days: int = 400
    # Aggregate query results kept per data version (0 turns the cache off).
    aggregate_cache_entries: int = 512
    page_size_max: int = 1000


def load_settings() -> Settings:
    """Read settings from the process environment (call once, at the edge)."""
    return Settings()


def environment_for(settings: Settings) -> dict[str, str]:
    """The environment variables that make a child process (`gateway serve`, a worker) read these settings."""
    env: dict[str, str] = {}
    aliases = {"database_url": "DATABASE_URL", "database_admin_url": "DATABASE_ADMIN_URL"}
    for name in Settings.model_fields:
        value = getattr(settings, name)
        if value is None:
            continue
        key = aliases.get(name, f"GATEWAY_{name.upper()}")
        if isinstance(value, BaseModel):
            for sub, sub_value in value.model_dump(mode="json", exclude_none=True).items():
                env[f"{key}__{sub.upper()}"] = (
                    sub_value if isinstance(sub_value, str) else json.dumps(sub_value)
                )
        elif isinstance(value, Path):
            env[key] = str(value)
        else:
            env[key] = str(value).lower() if isinstance(value, bool) else str(value)
    return env
