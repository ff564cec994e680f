"""`gateway doctor`: check a deployment's configuration and say what to fix (issuers, key files, production
settings, database and migrations). Each check returns findings; nothing here changes the deployment."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import httpx
import psycopg
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from psycopg.conninfo import conninfo_to_dict

from gateway.auth.authenticator import trusted_issuers
from gateway.auth.devissuer import PRIVATE_KEY_FILE
from gateway.auth.keys import (
    ALGORITHM_KEY_TYPES,
    LOOPBACK_HOSTS,
    check_jwks_url,
    jwks_uri_from_discovery,
    parse_jwks,
)
from gateway.settings import IssuerSettings, Settings

Status = Literal["ok", "warn", "fail"]
SECURE_SSLMODES = frozenset({"require", "verify-ca", "verify-full"})
ISSUER_TIMEOUT_SECONDS = 5.0


@dataclass(frozen=True)
class Finding:
    """One check's verdict: `check` is a stable name, `fix` says what to do when it is not ok."""

    check: str
    status: Status
    detail: str
    fix: str = ""

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def _ok(check: str, detail: str) -> Finding:
    return Finding(check, "ok", detail)


def _fail(check: str, detail: str, fix: str) -> Finding:
    return Finding(check, "fail", detail, fix)


def _warn(check: str, detail: str, fix: str) -> Finding:
    return Finding(check, "warn", detail, fix)


# --- key files -------------------------------------------------------------------------------------------


def _signing_key(data: bytes) -> None:
    if not isinstance(serialization.load_pem_private_key(data, password=None), Ed25519PrivateKey):
        raise ValueError("not an Ed25519 private key")


def _subject_key(data: bytes) -> None:
    if len(data) < 32:
        raise ValueError(f"{len(data)} bytes; at least 32 are needed")


def _keyring(data: bytes) -> None:
    from gateway.privacy.keyring import Keyring

    Keyring.from_json(data.decode("utf-8"))


@dataclass(frozen=True)
class SecretFile:
    check: str
    path: Path
    what: str
    parse: Callable[[bytes], None]
    provision: str  # how to create it when missing


def secret_files(settings: Settings) -> list[SecretFile]:
    """The files holding secrets this configuration reads."""
    files = [
        SecretFile(
            "keys.audit_signing",
            settings.audit.signing_key_file,
            "audit checkpoint signing key",
            _signing_key,
            "mount the deployment's Ed25519 signing key (PEM) there",
        ),
        SecretFile(
            "keys.audit_subject",
            settings.audit.subject_key_file,
            "audit subject (pupil hash) key",
            _subject_key,
            "mount the deployment's 32-byte subject key there",
        ),
    ]
    if settings.privacy.keyring_json is None:
        files.append(
            SecretFile(
                "keys.pseudonym_keyring",
                settings.privacy.keyring_file,
                "pseudonym keyring",
                _keyring,
                "run `gateway pseudonyms keygen` (or mount the keyring there)",
            )
        )
    if settings.auth.trust_dev_issuer:
        files.append(
            SecretFile(
                "keys.dev_issuer",
                settings.auth.dev_key_dir / PRIVATE_KEY_FILE,
                "development issuer key",
                _signing_key,
                "run `gateway tokens keygen`",
            )
        )
    return files


def check_secret_file(secret: SecretFile, *, production: bool) -> Finding:
    """Present, a regular file, readable by its owner only, and holding what it should."""
    path = secret.path
    try:
        info = path.stat()
    except FileNotFoundError:
        if production:
            return _fail(secret.check, f"{secret.what}: {path} is missing", secret.provision)
        return _warn(
            secret.check,
            f"{secret.what}: {path} is missing (created on first use outside production)",
            secret.provision,
        )
    if not stat.S_ISREG(info.st_mode):
        return _fail(
            secret.check, f"{secret.what}: {path} is not a regular file", f"put the key file itself at {path}"
        )
    mode = stat.S_IMODE(info.st_mode)
    if mode & 0o077:
        return _fail(
            secret.check,
            f"{secret.what}: {path} has permissions {mode:04o}; group or others can read it",
            f"chmod 600 {path}",
        )
    try:
        secret.parse(path.read_bytes())
    except PermissionError:
        return _fail(
            secret.check,
            f"{secret.what}: {path} is not readable by this user",
            f"chown the file to uid {os.geteuid()}",
        )
    except (ValueError, UnicodeDecodeError, TypeError) as error:
        # The parser's message names the defect, never the file's contents.
        return _fail(
            secret.check,
            f"{secret.what}: {path} is unusable ({type(error).__name__}: {error})",
            secret.provision,
        )
    return _ok(secret.check, f"{secret.what}: {path} present, mode {mode:04o}")


# --- issuers ---------------------------------------------------------------------------------------------


def usable_kids(jwks: dict[str, dict[str, Any]], algorithms: Iterable[str]) -> list[str]:
    """Key ids in the JWKS that can verify one of the issuer's allowed algorithms."""
    wanted = {ALGORITHM_KEY_TYPES[a] for a in algorithms}
    return sorted(
        kid
        for kid, jwk in jwks.items()
        if any(jwk.get("kty") == kty and (crv is None or jwk.get("crv") == crv) for kty, crv in wanted)
    )


def check_issuer(
    issuer: IssuerSettings, client: httpx.Client, *, production: bool, on_demand: bool = False
) -> Finding:
    """The issuer's JWKS can be read now and holds a key for one of its allowed algorithms. An `on_demand`
    issuer (the development identity provider, started only while someone signs in) that is not answering
    is a warning, not a failure."""
    check = f"issuer {issuer.issuer}"
    if production and urlsplit(issuer.issuer).scheme != "https":
        return _fail(
            check, f"issuer {issuer.issuer!r} is not an https URL", "use the issuer's https identifier"
        )
    try:
        if issuer.jwks_url:
            check_jwks_url(issuer.jwks_url)
            source = issuer.jwks_url
            response = client.get(issuer.jwks_url, timeout=ISSUER_TIMEOUT_SECONDS)
            if response.status_code != 200:
                return _fail(
                    check, f"{source} answered {response.status_code}", "check the issuer's jwks_url"
                )
            document = response.json()
        elif issuer.discovery_url:
            check_jwks_url(issuer.discovery_url)
            response = client.get(issuer.discovery_url, timeout=ISSUER_TIMEOUT_SECONDS)
            if response.status_code != 200:
                return _fail(
                    check,
                    f"{issuer.discovery_url} answered {response.status_code}",
                    "check the issuer's discovery_url",
                )
            source = jwks_uri_from_discovery(response.json(), issuer.issuer)
            check_jwks_url(source)
            document = client.get(source, timeout=ISSUER_TIMEOUT_SECONDS).json()
        elif issuer.jwks_file:
            source = str(issuer.jwks_file)
            document = _read_json(issuer.jwks_file)
        else:
            return _fail(
                check, "neither jwks_url nor jwks_file is set", "set jwks_url (https) for this issuer"
            )
        keys = parse_jwks(document)
    except httpx.HTTPError as error:
        address = issuer.jwks_url or issuer.discovery_url
        if on_demand:
            return _warn(
                check,
                f"{address} is not answering ({type(error).__name__})",
                "start the development identity provider with `gateway idp serve`",
            )
        return _fail(
            check,
            f"{address} is unreachable ({type(error).__name__}: {error})",
            "check the URL, DNS and egress to the issuer",
        )
    except FileNotFoundError:
        fix = "put the issuer's JWKS there, or set jwks_url"
        if production:
            return _fail(check, f"{issuer.jwks_file} is missing", fix)
        return _warn(
            check, f"{issuer.jwks_file} is missing (the development issuer creates it on first use)", fix
        )
    except ValueError as error:
        return _fail(
            check, f"the JWKS is unusable: {error}", "check that jwks_url/jwks_file is the issuer's JWKS"
        )
    kids = usable_kids(keys, issuer.algorithms)
    if not kids:
        return _fail(
            check,
            f"{source} holds no key for {', '.join(issuer.algorithms)} ({len(keys)} keys of other types)",
            "set the issuer's algorithms to what it signs with",
        )
    return _ok(
        check, f"{source}: {len(kids)} usable keys ({', '.join(kids[:3])}{', ...' if len(kids) > 3 else ''})"
    )


def _read_json(path: Path) -> Any:
    import json

    return json.loads(path.read_text(encoding="utf-8"))


def issuer_findings(settings: Settings, client: httpx.Client) -> list[Finding]:
    issuers = trusted_issuers(settings.auth)
    if not issuers:
        return [
            _fail("issuers", "no trusted issuer: every token will be refused", "set GATEWAY_AUTH__ISSUERS")
        ]
    production = settings.environment == "production"
    dev_idp = None if production else settings.auth.dev_idp_issuer
    return [
        check_issuer(issuer, client, production=production, on_demand=issuer.issuer == dev_idp)
        for issuer in issuers
    ]


# --- production settings ---------------------------------------------------------------------------------


def production_findings(settings: Settings) -> list[Finding]:
    """Settings a production deployment must not keep at their development defaults."""
    if settings.environment != "production":
        return [
            _warn(
                "environment",
                f"environment is {settings.environment}: production checks were not applied",
                "set GATEWAY_ENVIRONMENT=production on a deployment",
            )
        ]
    findings = [_ok("environment", "production")]
    auth = settings.auth
    if auth.trust_dev_issuer:
        findings.append(
            _fail(
                "production.dev_issuer",
                "the development issuer is trusted",
                "set GATEWAY_AUTH__TRUST_DEV_ISSUER=false",
            )
        )
    if not auth.issuers:
        findings.append(_fail("production.issuers", "no issuer is configured", "set GATEWAY_AUTH__ISSUERS"))
    findings += _database_setting_findings(settings)
    if settings.log_level.upper() == "DEBUG":
        findings.append(_warn("production.log_level", "log level is DEBUG", "set GATEWAY_LOG_LEVEL=INFO"))
    if not settings.log_json:
        findings.append(_warn("production.log_json", "logs are not JSON", "set GATEWAY_LOG_JSON=true"))
    return findings


def _database_setting_findings(settings: Settings) -> list[Finding]:
    if not settings.database_url:
        return [
            _fail(
                "production.database",
                "no DATABASE_URL: the embedded PostgreSQL is for development (no replication, no WAL archive)",
                "set DATABASE_URL (application role) and DATABASE_ADMIN_URL (owner) to a managed PostgreSQL",
            )
        ]
    findings: list[Finding] = []
    app = conninfo_to_dict(settings.database_url)
    admin = conninfo_to_dict(settings.database_admin_url) if settings.database_admin_url else None
    if app.get("user") != settings.app_db_role or (
        admin is not None and admin.get("user") == app.get("user")
    ):
        findings.append(
            _fail(
                "production.database_role",
                f"the application connects as {app.get('user')!r}, not as its least-privilege role"
                f" {settings.app_db_role!r} (as the owner it could rewrite the audit log)",
                f"connect DATABASE_URL as {settings.app_db_role}; give the owner's URL to DATABASE_ADMIN_URL",
            )
        )
    host = str(app.get("host") or "")
    local = not host or host.startswith("/") or host in LOOPBACK_HOSTS
    if not local and app.get("sslmode") not in SECURE_SSLMODES:
        findings.append(
            _warn(
                "production.database_tls",
                f"the database at {host} is reached without sslmode=require/verify-full",
                "add ?sslmode=verify-full to DATABASE_URL and DATABASE_ADMIN_URL",
            )
        )
    return findings or [_ok("production.database", "external PostgreSQL, least-privilege application role")]


# --- database --------------------------------------------------------------------------------------------


def database_findings(settings: Settings) -> list[Finding]:
    """Both roles connect and the schema is at this code's head revision."""
    from gateway.db.migrate import current_revision, head_revision
    from gateway.db.urls import redacted, resolve_database

    try:
        urls = resolve_database(settings)
        revision = current_revision(urls)
    except psycopg.Error as error:
        url = settings.database_admin_url or settings.database_url
        where = redacted(url) if url else f"embedded, {settings.pg_data_dir}"
        return [
            _fail(
                "database",
                f"cannot connect as the owner ({where}): {_first_line(error)}",
                "check DATABASE_ADMIN_URL and that the server is up",
            )
        ]
    findings = [_ok("database", "the owner connects")]
    try:
        with psycopg.connect(urls.app, connect_timeout=10) as conn:
            conn.execute("SELECT 1")
        findings.append(_ok("database.app_role", f"the application role {settings.app_db_role} connects"))
    except psycopg.Error as error:
        findings.append(
            _fail(
                "database.app_role",
                f"the application role cannot connect: {_first_line(error)}",
                "check DATABASE_URL, the role's password and pg_hba",
            )
        )
    head = head_revision()
    if revision == head:
        findings.append(_ok("database.migrations", f"schema at {head} (current)"))
    elif revision is None:
        findings.append(
            _fail("database.migrations", "the database has no schema", "run `gateway db upgrade`")
        )
    else:
        findings.append(
            _fail(
                "database.migrations",
                f"schema at {revision}, this gateway needs {head}",
                "run `gateway db upgrade`",
            )
        )
    return findings


def _first_line(error: Exception) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


def rate_limit_findings(settings: Settings) -> list[Finding]:
    """The agreements' rate limits parse (the gateway would not start otherwise); each declares one."""
    from gateway.edge.rate_limit import rate_limits_from_policy_data
    from gateway.policy.bundle import load_bundle

    try:
        data = load_bundle(settings.policy.bundle_dir).data
        limits = rate_limits_from_policy_data(data, settings.rate_limit_default_per_minute)
    except Exception as exc:
        fix = "give each agreement a whole-number rate_limit_per_minute of at least 1 in the policy data"
        return [_fail("policy.rate_limits", _first_line(exc), fix)]
    agreements = set(data.get("data", {}).get("agreements", {}))
    if not agreements:
        fix = "set GATEWAY_POLICY__BUNDLE_DIR to the policy bundle"
        return [_warn("policy.rate_limits", f"no agreements in {settings.policy.bundle_dir}", fix)]
    unlimited = sorted(agreements - set(limits.per_agreement))
    default = f"default {limits.default_per_minute or 'unlimited'} a minute per client"
    if unlimited:
        fix = "declare rate_limit_per_minute for " + ", ".join(unlimited)
        return [_warn("policy.rate_limits", f"{len(unlimited)} agreements use the {default}", fix)]
    return [_ok("policy.rate_limits", f"{len(limits.per_agreement)} agreements declare limits; {default}")]


def run_doctor(settings: Settings, client: httpx.Client) -> list[Finding]:
    production = settings.environment == "production"
    findings = production_findings(settings)
    findings += [check_secret_file(f, production=production) for f in secret_files(settings)]
    findings += issuer_findings(settings, client)
    findings += database_findings(settings)
    from gateway.ops.doctor_observability import observability_findings

    return findings + rate_limit_findings(settings) + observability_findings(settings)


def report_lines(findings: list[Finding]) -> list[str]:
    lines: list[str] = []
    for finding in findings:
        lines.append(f"{finding.status.upper():4}  {finding.check}: {finding.detail}")
        if finding.fix and finding.status != "ok":
            lines.append(f"      fix: {finding.fix}")
    failed = sum(f.status == "fail" for f in findings)
    warned = sum(f.status == "warn" for f in findings)
    lines.append(f"{failed} to fix, {warned} warnings, {len(findings) - failed - warned} ok")
    return lines
