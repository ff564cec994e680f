"""`gateway doctor`: each check finds what is wrong and says how to fix it, against real files, a real HTTP
issuer on loopback and the real database."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from click.testing import CliRunner
from psycopg import sql

from gateway.audit.keys import load_or_create_signing_key, load_or_create_subject_key
from gateway.auth.devissuer import keygen
from gateway.cli import main
from gateway.db.migrate import head_revision, upgrade
from gateway.db.urls import DatabaseUrls, resolve_database, start_embedded
from gateway.ops.doctor import (
    Finding,
    SecretFile,
    _signing_key,
    check_issuer,
    check_secret_file,
    database_findings,
    production_findings,
    rate_limit_findings,
    run_doctor,
)
from gateway.privacy.keyring import Keyring, write_keyring
from gateway.settings import AuthSettings, IssuerSettings, Settings
from tests.ops.conftest import ED25519_JWK, child_env, private_settings


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client() as http:
        yield http


def _issuer(url: str, algorithms: list[str] | None = None) -> IssuerSettings:
    return IssuerSettings(
        issuer="https://login.example.gov.uk", jwks_url=url, algorithms=algorithms or ["EdDSA"]
    )


def _secret(path: Path) -> SecretFile:
    return SecretFile(
        "keys.audit_signing", path, "audit checkpoint signing key", _signing_key, "mount it there"
    )


# --- key files -------------------------------------------------------------------------------------------


def test_a_key_readable_by_others_fails_with_chmod_600(tmp_path: Path) -> None:
    path = tmp_path / "signing.pem"
    load_or_create_signing_key(path)
    path.chmod(0o644)
    assert check_secret_file(_secret(path), production=True) == Finding(
        "keys.audit_signing",
        "fail",
        f"audit checkpoint signing key: {path} has permissions 0644; group or others can read it",
        f"chmod 600 {path}",
    )


def test_a_key_with_mode_0600_passes(tmp_path: Path) -> None:
    path = tmp_path / "signing.pem"
    load_or_create_signing_key(path)
    assert check_secret_file(_secret(path), production=True) == Finding(
        "keys.audit_signing", "ok", f"audit checkpoint signing key: {path} present, mode 0600"
    )


def test_a_missing_key_fails_in_production_and_warns_elsewhere(tmp_path: Path) -> None:
    path = tmp_path / "absent.pem"
    assert check_secret_file(_secret(path), production=True).status == "fail"
    development = check_secret_file(_secret(path), production=False)
    assert (development.status, development.fix) == ("warn", "mount it there")


def test_a_key_file_holding_something_else_fails(tmp_path: Path) -> None:
    path = tmp_path / "signing.pem"
    path.write_bytes(b"not a key")
    path.chmod(0o600)
    finding = check_secret_file(_secret(path), production=True)
    assert finding.status == "fail"
    assert finding.detail.startswith(f"audit checkpoint signing key: {path} is unusable (ValueError: ")
    assert "not a key" not in finding.detail


# --- issuers ---------------------------------------------------------------------------------------------


def test_a_reachable_issuer_with_a_usable_key_passes(issuer_base: str, client: httpx.Client) -> None:
    finding = check_issuer(_issuer(issuer_base + "/jwks.json"), client, production=False)
    assert finding == Finding(
        "issuer https://login.example.gov.uk",
        "ok",
        f"{issuer_base}/jwks.json: 1 usable keys ({ED25519_JWK['kid']})",
    )


def test_an_unreachable_issuer_fails(client: httpx.Client) -> None:
    with httpx.Client() as probe:  # a port nothing listens on: bind one, then let it go
        import socket

        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        sock.close()
        finding = check_issuer(_issuer(f"http://127.0.0.1:{port}/jwks.json"), probe, production=False)
    assert (finding.status, finding.fix) == ("fail", "check the URL, DNS and egress to the issuer")
    assert finding.detail.startswith(f"http://127.0.0.1:{port}/jwks.json is unreachable (ConnectError: ")


@pytest.mark.parametrize(
    ("path", "detail"),
    [
        ("/missing.json", "{base}/missing.json answered 404"),
        ("/not-jwks.json", "the JWKS is unusable: a JWKS is an object with a keys array"),
        ("/private.json", "the JWKS is unusable: the JWKS holds private or symmetric key material"),
        ("/ec-only.json", "{base}/ec-only.json holds no key for EdDSA (1 keys of other types)"),
    ],
)
def test_an_issuer_without_a_usable_jwks_fails(
    issuer_base: str, client: httpx.Client, path: str, detail: str
) -> None:
    finding = check_issuer(_issuer(issuer_base + path), client, production=False)
    assert (finding.status, finding.detail) == ("fail", detail.format(base=issuer_base))


def test_an_issuer_over_plain_http_to_another_host_fails(client: httpx.Client) -> None:
    finding = check_issuer(_issuer("http://login.example.gov.uk/jwks.json"), client, production=True)
    assert (finding.status, finding.detail) == (
        "fail",
        "the JWKS is unusable: a JWKS URL must use https: http://login.example.gov.uk/jwks.json",
    )


# --- production settings ---------------------------------------------------------------------------------


def _production(**update: Any) -> Settings:
    base = Settings(
        environment="production",
        database_url="postgresql://gateway_app@db.internal:5432/gateway?sslmode=verify-full",
        database_admin_url="postgresql://gateway_owner@db.internal:5432/gateway?sslmode=verify-full",
        auth=AuthSettings(
            trust_dev_issuer=False, issuers=[_issuer("https://login.example.gov.uk/jwks.json")]
        ),
    )
    return base.model_copy(update=update)


def test_sane_production_settings_pass() -> None:
    assert [(f.check, f.status) for f in production_findings(_production())] == [
        ("environment", "ok"),
        ("production.database", "ok"),
    ]


@pytest.mark.parametrize(
    ("update", "check", "status", "fix"),
    [
        (
            {
                "auth": AuthSettings(
                    trust_dev_issuer=True, issuers=[_issuer("https://login.example.gov.uk/j")]
                )
            },
            "production.dev_issuer",
            "fail",
            "set GATEWAY_AUTH__TRUST_DEV_ISSUER=false",
        ),
        (
            {"auth": AuthSettings(trust_dev_issuer=False)},
            "production.issuers",
            "fail",
            "set GATEWAY_AUTH__ISSUERS",
        ),
        (
            {"database_url": None, "database_admin_url": None},
            "production.database",
            "fail",
            "set DATABASE_URL (application role) and DATABASE_ADMIN_URL (owner) to a managed PostgreSQL",
        ),
        (
            {
                "database_url": "postgresql://gateway_owner@db.internal/gateway?sslmode=require",
                "database_admin_url": None,
            },
            "production.database_role",
            "fail",
            "connect DATABASE_URL as gateway_app; give the owner's URL to DATABASE_ADMIN_URL",
        ),
        (
            {"database_url": "postgresql://gateway_app@db.internal/gateway"},
            "production.database_tls",
            "warn",
            "add ?sslmode=verify-full to DATABASE_URL and DATABASE_ADMIN_URL",
        ),
        ({"log_level": "DEBUG"}, "production.log_level", "warn", "set GATEWAY_LOG_LEVEL=INFO"),
    ],
    ids=["dev-issuer", "no-issuer", "embedded-db", "owner-role", "no-tls", "debug-logs"],
)
def test_an_unsafe_production_setting_is_named_with_its_fix(
    update: dict[str, Any], check: str, status: str, fix: str
) -> None:
    found = [f for f in production_findings(_production(**update)) if f.check == check]
    assert [(f.status, f.fix) for f in found] == [(status, fix)]


def test_outside_production_the_production_checks_are_said_to_be_skipped() -> None:
    (finding,) = production_findings(Settings(environment="development"))
    assert (finding.check, finding.status) == ("environment", "warn")
    assert finding.fix == "set GATEWAY_ENVIRONMENT=production on a deployment"


# --- database --------------------------------------------------------------------------------------------


@pytest.fixture
def empty_database(settings: Settings) -> Iterator[Settings]:
    name = f"{settings.database_name}_doctor"
    server_url = start_embedded(settings.pg_data_dir)
    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(drop)
    yield settings.model_copy(update={"database_name": name})
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(drop)


def test_a_database_without_the_schema_fails_until_upgraded(empty_database: Settings) -> None:
    findings = {f.check: f for f in database_findings(empty_database)}
    assert (findings["database.migrations"].status, findings["database.migrations"].fix) == (
        "fail",
        "run `gateway db upgrade`",
    )
    upgrade(resolve_database(empty_database), empty_database.app_db_role)
    after = {f.check: f for f in database_findings(empty_database)}
    assert after["database.migrations"] == Finding(
        "database.migrations", "ok", f"schema at {head_revision()} (current)"
    )
    assert after["database.app_role"].status == "ok"


def test_a_database_behind_this_code_fails(empty_database: Settings) -> None:
    upgrade(resolve_database(empty_database), empty_database.app_db_role, revision="0002_audit")
    findings = {f.check: f for f in database_findings(empty_database)}
    assert (
        findings["database.migrations"].detail
        == f"schema at 0002_audit, this gateway needs {head_revision()}"
    )


def test_an_unreachable_database_fails_without_printing_its_password(settings: Settings) -> None:
    broken = settings.model_copy(
        update={
            "database_url": "postgresql://gateway_app:hunter2@127.0.0.1:1/gateway",
            "database_admin_url": None,
        }
    )
    (finding,) = database_findings(broken)
    assert (finding.check, finding.status) == ("database", "fail")
    assert "hunter2" not in finding.detail
    assert finding.detail.startswith(
        "cannot connect as the owner (user=gateway_app dbname=gateway host=127.0.0.1 port=1)"
    )


# --- the whole command -----------------------------------------------------------------------------------


@pytest.fixture
def deployment(tmp_path: Path, settings: Settings, db_urls: DatabaseUrls) -> Settings:
    """A development deployment on this worker's migrated database, with every key file in place."""
    own = private_settings(tmp_path).model_copy(
        update={"pg_data_dir": settings.pg_data_dir, "database_name": settings.database_name}
    )
    load_or_create_signing_key(own.audit.signing_key_file)
    load_or_create_subject_key(own.audit.subject_key_file)
    write_keyring(Keyring.generate(), own.privacy.keyring_file)
    keygen(own.auth)
    return own


def test_a_sound_deployment_has_nothing_to_fix(deployment: Settings, client: httpx.Client) -> None:
    statuses = {f.check: f.status for f in run_doctor(deployment, client)}
    assert statuses == {
        "environment": "warn",
        "keys.audit_signing": "ok",
        "keys.audit_subject": "ok",
        "keys.pseudonym_keyring": "ok",
        "keys.dev_issuer": "ok",
        "issuer https://dev-issuer.attendance-gateway.local": "ok",
        # the development identity provider is not running (it is started only for signing in)
        "issuer http://127.0.0.1:8001": "warn",
        "database": "ok",
        "database.app_role": "ok",
        "database.migrations": "ok",
        "policy.rate_limits": "ok",
        "metrics.token": "ok",
        "tracing.endpoint": "ok",
    }


def test_doctor_exits_1_and_says_what_to_fix(deployment: Settings) -> None:
    deployment.privacy.keyring_file.chmod(0o640)
    result = CliRunner().invoke(main, ["doctor"], env=child_env(deployment))
    assert result.exit_code == 1
    path = deployment.privacy.keyring_file
    assert f"FAIL  keys.pseudonym_keyring: pseudonym keyring: {path} has permissions 0640" in result.output
    assert f"      fix: chmod 600 {path}\n" in result.output
    assert result.output.splitlines()[-1] == "1 to fix, 2 warnings, 10 ok"


def test_doctor_json_lists_every_finding(deployment: Settings) -> None:
    result = CliRunner().invoke(main, ["doctor", "--json"], env=child_env(deployment))
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["ok"] is True
    assert len(document["findings"]) == 13
    assert set(document["findings"][0]) == {"check", "status", "detail", "fix"}


def test_a_malformed_rate_limit_in_the_policy_data_fails_with_its_fix(
    deployment: Settings, tmp_path: Path
) -> None:
    bundle = tmp_path / "policies"
    shutil.copytree(deployment.policy.bundle_dir, bundle)
    agreements_file = bundle / "data" / "agreements" / "data.json"
    agreements = json.loads(agreements_file.read_text())
    agreements["dwp-dea-s35"]["rate_limit_per_minute"] = 0
    del agreements["ons-srsa-s45a"]["rate_limit_per_minute"]
    agreements_file.write_text(json.dumps(agreements))
    broken = deployment.model_copy(
        update={"policy": deployment.policy.model_copy(update={"bundle_dir": bundle})}
    )
    (finding,) = rate_limit_findings(broken)
    assert (finding.status, finding.detail) == (
        "fail",
        "agreement dwp-dea-s35: rate_limit_per_minute must be a whole number of at least 1",
    )
    agreements["dwp-dea-s35"]["rate_limit_per_minute"] = 60
    agreements_file.write_text(json.dumps(agreements))
    (finding,) = rate_limit_findings(broken)
    assert (finding.status, finding.fix) == ("warn", "declare rate_limit_per_minute for ons-srsa-s45a")


def test_a_bundle_without_agreements_is_a_warning_naming_the_folder(tmp_path: Path) -> None:
    settings = private_settings(tmp_path)
    empty = settings.model_copy(
        update={"policy": settings.policy.model_copy(update={"bundle_dir": tmp_path})}
    )
    (finding,) = rate_limit_findings(empty)
    assert (finding.status, finding.detail) == ("warn", f"no agreements in {tmp_path}")
