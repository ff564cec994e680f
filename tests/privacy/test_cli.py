"""`gateway pseudonyms`: keygen, rotate and show, and re-identification that fails closed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from gateway.cli import main
from gateway.privacy.keyring import Keyring
from gateway.privacy.pseudonyms import Pseudonymiser

ROOT = Path(__file__).resolve().parents[2]
UPN = "A823456789012"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {
        "GATEWAY_PRIVACY__KEYRING_FILE": str(tmp_path / "keys" / "keyring.json"),
        "GATEWAY_AUTH__DEV_KEY_DIR": str(tmp_path / "dev-issuer"),
        "GATEWAY_POLICY__BUNDLE_DIR": str(ROOT / "policies"),
    }


def run(env: dict[str, str], *args: str) -> Result:
    return CliRunner().invoke(main, list(args), env=env)


def test_keygen_writes_an_owner_only_keyring_and_refuses_to_overwrite(env: dict[str, str]) -> None:
    first = run(env, "pseudonyms", "keygen")
    assert first.exit_code == 0, first.output
    path = Path(env["GATEWAY_PRIVACY__KEYRING_FILE"])
    assert path.stat().st_mode & 0o777 == 0o600
    assert Keyring.from_json(path.read_text()).versions == [1]
    again = run(env, "pseudonyms", "keygen")
    assert again.exit_code == 1
    assert "use `gateway pseudonyms rotate`" in again.output


def test_rotate_adds_a_version_and_show_prints_no_key(env: dict[str, str]) -> None:
    run(env, "pseudonyms", "keygen")
    assert run(env, "pseudonyms", "rotate").exit_code == 0
    shown = run(env, "pseudonyms", "show")
    assert shown.output.strip() == "versions [1, 2], current 2"
    keys = [k["key"] for k in json.loads(Path(env["GATEWAY_PRIVACY__KEYRING_FILE"]).read_text())["keys"]]
    assert not any(key in shown.output for key in keys)


def test_keygen_refuses_when_the_keyring_comes_from_the_environment(env: dict[str, str]) -> None:
    result = run(
        {**env, "GATEWAY_PRIVACY__KEYRING_JSON": Keyring.generate().to_json()}, "pseudonyms", "keygen"
    )
    assert result.exit_code == 1
    assert "update the secret store" in result.output


def _reversible(env: dict[str, str]) -> str:
    run(env, "pseudonyms", "keygen")
    keyring = Keyring.from_json(Path(env["GATEWAY_PRIVACY__KEYRING_FILE"]).read_text())
    return Pseudonymiser(keyring).pseudonymise(UPN, "la-886", "siv", reversible_allowed=True)


def test_reidentify_refuses_an_unverifiable_token(env: dict[str, str]) -> None:
    token = _reversible(env)
    run(env, "tokens", "keygen")
    result = run(
        env, "pseudonyms", "reidentify", token, "--domain", "la-886", "--token", "not.a.jwt", "--reason", "x"
    )
    assert result.exit_code == 3
    assert "not authenticated" in result.output
    assert UPN not in result.output


def test_reidentify_refuses_when_the_policy_does_not_allow_it(env: dict[str, str]) -> None:
    token = _reversible(env)
    run(env, "tokens", "keygen")
    jwt = run(env, "tokens", "issue", "--persona", "la-safeguarding").output.strip()
    result = run(
        env,
        "pseudonyms",
        "reidentify",
        token,
        "--domain",
        "la-886",
        "--token",
        jwt,
        "--reason",
        "safeguarding",
    )
    assert result.exit_code == 3
    assert "the policy denied re-identification" in result.output
    assert UPN not in result.output


def test_reidentify_refuses_one_way_tokens_before_asking_anyone(env: dict[str, str]) -> None:
    run(env, "pseudonyms", "keygen")
    keyring = Keyring.from_json(Path(env["GATEWAY_PRIVACY__KEYRING_FILE"]).read_text())
    token = Pseudonymiser(keyring).pseudonymise(UPN, "la-886")
    result = run(
        env, "pseudonyms", "reidentify", token, "--domain", "la-886", "--token", "x", "--reason", "x"
    )
    assert result.exit_code == 3
    assert "only reversible tokens" in result.output
