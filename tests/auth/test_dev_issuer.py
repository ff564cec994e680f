"""The development issuer: `gateway tokens keygen|issue`, key rotation, personas and demo tokens."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ec import SECP256R1, generate_private_key

from gateway.auth.authenticator import Authenticator
from gateway.auth.cli import parse_ttl
from gateway.auth.devissuer import PRIVATE_KEY_FILE, keygen, load_dev_issuer
from gateway.auth.personas import PERSONAS, demo_tokens, grid_year_to_date, persona_claims
from gateway.cli import main
from gateway.settings import AuthSettings, Settings

REQUIRED_PERSONAS = {
    "la-safeguarding", "la-attendance", "ogd-analyst", "ons-statistician", "researcher", "school-lead",
    "dfe-analyst", "dfe-dpo", "ogd-dpo", "aggregator", "policy-admin", "data-manager",
}  # fmt: skip


def run(settings_dir: Path, *args: str) -> str:
    env = {"GATEWAY_AUTH__DEV_KEY_DIR": str(settings_dir)}
    result = CliRunner().invoke(main, ["tokens", *args], env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output.strip()


async def test_issued_token_verifies_as_the_persona(tmp_path: Path) -> None:
    run(tmp_path, "keygen")
    token = run(tmp_path, "issue", "--persona", "la-attendance", "--la", "330", "--ttl", "30m")
    principal = await Authenticator(AuthSettings(dev_key_dir=tmp_path)).authenticate(f"Bearer {token}")
    assert (principal.organisation, principal.roles, principal.la_code) == (
        "la-330",
        ("attendance-officer",),
        330,
    )


def test_keygen_is_idempotent(tmp_path: Path) -> None:
    first = run(tmp_path, "keygen")
    assert run(tmp_path, "keygen") == first


async def test_rotation_keeps_tokens_of_the_old_key_valid(tmp_path: Path) -> None:
    auth = AuthSettings(dev_key_dir=tmp_path)
    old = keygen(auth)
    old_token = old.issue(PERSONAS["school-lead"].claims(202, 100001))
    new = keygen(auth, rotate=True)
    kids = [k["kid"] for k in json.loads((tmp_path / "jwks.json").read_text())["keys"]]
    assert kids == [new.kid, old.kid]
    assert load_dev_issuer(auth).kid == new.kid
    assert (await Authenticator(auth).authenticate(f"Bearer {old_token}")).urn == 100001


def test_private_key_is_readable_by_the_owner_only(tmp_path: Path) -> None:
    keygen(AuthSettings(dev_key_dir=tmp_path))
    assert (tmp_path / "signing-key.pem").stat().st_mode & 0o777 == 0o600


def test_issue_on_a_fresh_checkout_creates_the_development_key(tmp_path: Path) -> None:
    token = run(tmp_path, "issue", "--persona", "dfe-dpo")
    assert (tmp_path / "signing-key.pem").stat().st_mode & 0o777 == 0o600
    assert token.count(".") == 2


async def test_a_key_created_on_first_issue_verifies_its_token(tmp_path: Path) -> None:
    token = run(tmp_path, "issue", "--persona", "dfe-dpo")
    principal = await Authenticator(AuthSettings(dev_key_dir=tmp_path)).authenticate(f"Bearer {token}")
    assert principal.roles == ("dpo",)


def test_issue_in_production_without_a_key_says_how_to_make_one(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        ["tokens", "issue", "--persona", "dfe-dpo"],
        env={"GATEWAY_AUTH__DEV_KEY_DIR": str(tmp_path), "GATEWAY_ENVIRONMENT": "production"},
    )
    assert result.exit_code == 1
    assert "gateway tokens keygen" in result.output
    assert not (tmp_path / "signing-key.pem").exists()


@pytest.mark.parametrize(("text", "seconds"), [("90", 90), ("30m", 1800), ("1h", 3600), ("2d", 172800)])
def test_ttl_parsing(text: str, seconds: int) -> None:
    assert parse_ttl(text) == seconds


def test_personas_cover_the_required_set() -> None:
    assert set(PERSONAS) >= REQUIRED_PERSONAS


async def test_demo_tokens_authenticate_as_their_persona(tmp_path: Path) -> None:
    settings = Settings(auth=AuthSettings(dev_key_dir=tmp_path))
    rows = demo_tokens(settings, la_code=330, urn=123456)
    assert [name for name, _, _ in rows] == list(PERSONAS)
    authenticator = Authenticator(settings.auth)
    for name, token, curl in rows:
        principal = await authenticator.authenticate(f"Bearer {token}")
        assert principal.roles == PERSONAS[name].roles
        assert f"Authorization: Bearer {token}" in curl
        assert curl.startswith("curl -s ")
    school = next(curl for name, _, curl in rows if name == "school-lead")
    assert "/v1/schools/123456/benchmark" in school


def test_a_development_key_that_is_not_ed25519_is_refused(tmp_path: Path) -> None:
    auth = AuthSettings(dev_key_dir=tmp_path)
    other = generate_private_key(SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    (tmp_path / PRIVATE_KEY_FILE).write_bytes(other)
    with pytest.raises(ValueError, match=r"^the development issuer key is not an Ed25519 key$"):
        load_dev_issuer(auth)


def test_an_unknown_persona_is_named_with_the_known_ones() -> None:
    with pytest.raises(KeyError, match="unknown persona 'nobody'; known: aggregator, data-manager, "):
        persona_claims("nobody")


def test_the_grid_year_to_date_of_a_first_incomplete_week_is_that_first_week() -> None:
    # Wednesday 3 September 2025: no school week is complete yet, so the example period is the first week.
    assert grid_year_to_date(date(2025, 9, 1), date(2025, 9, 3)) == (date(2025, 9, 1), date(2025, 9, 7))


def test_the_grid_year_to_date_ends_on_the_sunday_after_the_latest_friday() -> None:
    assert grid_year_to_date(date(2025, 9, 1), date(2025, 10, 24)) == (date(2025, 9, 1), date(2025, 10, 26))
