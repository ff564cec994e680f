"""The gateway's one typed configuration object, read from the environment once and passed in."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AliasChoices, BaseModel, Field, SecretStr, StringConstraints, model_validator
from pydantic_core import to_jsonable_python
from pydantic_settings import BaseSettings, SettingsConfigDict


class IssuerSettings(BaseModel):
    """One trusted token issuer: tokens are accepted only if `iss` matches and a key from its JWKS verifies."""

    issuer: str
    jwks_file: Path | None = None
    jwks_url: str | None = None
    # OpenID discovery: the JWKS address is read from the issuer's discovery document (issuer must match).
    discovery_url: str | None = None
    algorithms: list[Literal["EdDSA", "ES256", "RS256"]] = Field(default_factory=lambda: ["EdDSA"])  # type: ignore[arg-type]
    # The longest lifetime (exp - iat) accepted from this issuer; a token minted for longer is refused.
    max_token_seconds: int = Field(default=2 * 3600, ge=60)
    # Every token of this issuer may be presented once (its jti is remembered until it expires).
    single_use: bool = False


class AuthSettings(BaseModel):
    """Authentication: trusted issuers and the local development issuer."""

    issuers: list[IssuerSettings] = Field(default_factory=list)
    # The development issuer's key lives here; the default configuration trusts it when `trust_dev_issuer`.
    dev_issuer: str = "https://dev-issuer.attendance-gateway.local"
    dev_key_dir: Path = Path("var/keys/dev-issuer")  # default: var_dir/keys/dev-issuer
    # Default: trusted outside production, never in production (start-up refuses production trusting it).
    trust_dev_issuer: bool = True
    # The longest lifetime accepted from the development issuer and identity provider (`--ttl` up to this).
    dev_max_token_seconds: int = Field(default=24 * 3600, ge=60)
    # The development identity provider (`gateway idp serve`), trusted by discovery when `trust_dev_issuer`.
    dev_idp_issuer: str = "http://127.0.0.1:8001"
    # The audience every accepted token must name (`aud`): this gateway, whichever issuer signed it.
    audience: str = "attendance-gateway"
    leeway_seconds: int = 30
    jwks_refetch_min_seconds: float = 30.0
    jwks_cache_seconds: float = 3600.0


class IdpSettings(BaseModel):
    """The development identity provider: its client registry and token lifetimes (never used in production)."""

    clients_dir: Path = Path("var/keys/idp")
    access_token_seconds: int = 900
    refresh_token_seconds: int = 8 * 3600
    # Where the console may be sent back after sign-in (the gateway's own /console/callback).
    console_redirect_uris: list[str] = Field(
        default_factory=lambda: ["http://127.0.0.1:8000/console/callback"]
    )


class ConsoleSettings(BaseModel):
    """The web console: which OIDC issuer people sign in with, and how its sessions are kept."""

    issuer: str | None = None  # default: the development identity provider (auth.dev_idp_issuer)
    client_id: str = "console"
    # None outside production: read from the development identity provider's client registry.
    client_secret: SecretStr | None = None
    redirect_uri: str = "http://127.0.0.1:8000/console/callback"
    session_key_file: Path = Path("var/keys/console-session-key.bin")
    session_max_seconds: int = 8 * 3600
    # Refresh the access token when it has fewer than this many seconds left.
    refresh_margin_seconds: int = 30
    # SHA-256 (hex) of each Ed25519 checkpoint key the DPO's verification page trusts, published out of band;
    # empty: the fingerprint of the key this gateway signs with (read from its key file, never the database).
    pinned_audit_keys: list[Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]] = []


class PolicySettings(BaseModel):
    """Which engine decides, where the bundle is, and how long a decision may take."""

    # regorus (default, embedded), regopy (embedded rego-cpp; "rego" is its former name) or an OPA server.
    engine: Literal["regorus", "regopy", "rego", "opa"] = "regorus"
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
    # regorus: decide with its compiled program where it agrees with the interpreter on every probe input.
    compiled_program: bool = True


class PrivacySettings(BaseModel):
    """Where the pseudonym keyring is kept (never logged)."""

    keyring_file: Path = Path("var/keys/pseudonym-keyring.json")  # default: var_dir/keys/...
    # The keyring document itself (GATEWAY_PRIVACY__KEYRING_JSON); when set it wins over keyring_file.
    keyring_json: SecretStr | None = None


class AuditSettings(BaseModel):
    """Audit log signing and checkpoint cadence."""

    signing_key_file: Path = Path("var/keys/audit-signing-key.pem")  # default: var_dir/keys/...
    subject_key_file: Path = Path("var/keys/audit-subject-key.bin")  # default: var_dir/keys/...
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


class IngestSettings(BaseModel):
    """Caps on one HTTP feed body (each over-cap body is refused with 413 naming the cap, nothing written)."""

    max_body_bytes: int = Field(default=512 * 1024 * 1024, ge=1)  # as sent (gzip or not)
    # Unpacked: a 14 M-mark file is about 1 GB of CSV.
    max_unpacked_bytes: int = Field(default=4 * 1024 * 1024 * 1024, ge=1)
    max_line_bytes: int = Field(default=64 * 1024, ge=1)  # a feed row is well under 1 KiB


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
    idp: IdpSettings = Field(default_factory=IdpSettings)
    console: ConsoleSettings = Field(default_factory=ConsoleSettings)
    ingest: IngestSettings = Field(default_factory=IngestSettings)

    max_range_days: int = 400
    # Aggregate query results kept per data version (0 turns the cache off).
    aggregate_cache_entries: int = 512
    # Requests a minute per client for requests naming no agreement, or one that declares no
    # `rate_limit_per_minute` in the policy data (None: unlimited). Held per worker process.
    rate_limit_default_per_minute: int | None = Field(default=600, ge=1)
    # The bearer token a Prometheus scraper presents at /metrics; None (the default): /metrics answers 404.
    metrics_token: SecretStr | None = None
    # OTLP/HTTP traces endpoint, e.g. http://collector:4318/v1/traces; None (the default): no traces.
    tracing_otlp_endpoint: str | None = None
    # The key that signs pagination cursors (default: var_dir/keys/cursor-key.bin, created on first start).
    cursor_key_file: Path = Path("var/keys/cursor-key.bin")

    @model_validator(mode="after")
    def _no_development_issuer_by_default_in_production(self) -> Settings:
        """Production trusts the development issuer only if told to (and then refuses to start)."""
        if self.environment == "production" and "trust_dev_issuer" not in self.auth.model_fields_set:
            self.auth.trust_dev_issuer = False
        return self

    @model_validator(mode="after")
    def _key_paths_under_var_dir(self) -> Settings:
        """Key files not set explicitly live under `var_dir`, so one setting moves all of the state."""
        keys = self.var_dir / "keys"
        derived: list[tuple[BaseModel, str, Path]] = [
            (self.auth, "dev_key_dir", keys / "dev-issuer"),
            (self.privacy, "keyring_file", keys / "pseudonym-keyring.json"),
            (self.audit, "signing_key_file", keys / "audit-signing-key.pem"),
            (self.audit, "subject_key_file", keys / "audit-subject-key.bin"),
        ]
        for section, name, path in derived:
            if name not in section.model_fields_set:
                setattr(section, name, path)
        if "cursor_key_file" not in self.model_fields_set:
            self.cursor_key_file = keys / "cursor-key.bin"
        return self


class UnsafeProductionSettingsError(RuntimeError):
    """Production settings that must not serve (the gateway refuses to start with them)."""


def refuse_unsafe_production(settings: Settings) -> None:
    """Start-up refuses production trusting the development issuer, whose key sits in the var folder
    (`gateway doctor` reports the same setting as the failure `production.dev_issuer`)."""
    if settings.environment == "production" and settings.auth.trust_dev_issuer:
        raise UnsafeProductionSettingsError(
            "production must not trust the development issuer: set GATEWAY_AUTH__TRUST_DEV_ISSUER=false"
        )


def load_settings() -> Settings:
    """Read settings from the process environment (call once, at the edge)."""
    return Settings()


def environment_for(settings: Settings) -> dict[str, str]:
    """The environment variables that make a child process (`gateway serve`, a worker) read these settings.

    Secrets are written as their values (a child given asterisks would read a broken keyring)."""
    env: dict[str, str] = {}
    aliases = {"database_url": "DATABASE_URL", "database_admin_url": "DATABASE_ADMIN_URL"}
    for name in Settings.model_fields:
        value = getattr(settings, name)
        if value is None:
            continue
        key = aliases.get(name, f"GATEWAY_{name.upper()}")
        if isinstance(value, BaseModel):
            for sub in type(value).model_fields:
                sub_value = getattr(value, sub)
                if sub_value is not None:
                    env[f"{key}__{sub.upper()}"] = _env_text(sub_value)
        else:
            env[key] = str(value).lower() if isinstance(value, bool) else _env_text(value)
    return env


def _env_text(value: Any) -> str:
    if isinstance(value, SecretStr):
        return value.get_secret_value()
    if isinstance(value, str):
        return value
    if isinstance(value, Path):
        return str(value)
    return json.dumps(to_jsonable_python(value))
