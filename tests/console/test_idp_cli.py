"""`gateway idp`: the client list, and no development provider in production."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from gateway.cli import main


def test_clients_lists_the_console_and_one_service_client_per_department_agreement(tmp_path: Path) -> None:
    env = {"GATEWAY_IDP__CLIENTS_DIR": str(tmp_path), "GATEWAY_AUTH__DEV_KEY_DIR": str(tmp_path / "dev")}
    result = CliRunner().invoke(main, ["idp", "clients"], env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    listed = [line.split()[0] for line in result.output.splitlines()[:-1]]
    assert listed == [
        "console", "dwp-dea-s35", "ons-srsa-s45a", "srs-research-p2025-017", "dfe-statistics",
        "dfe-data-management", "home-office-2016",
    ]  # fmt: skip
    assert sorted(json.loads((tmp_path / "clients.json").read_text())) == sorted(listed)
    assert (tmp_path / "clients.json").stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "client-keys" / "dwp-dea-s35.pem").stat().st_mode & 0o777 == 0o600


def test_clients_keeps_the_secrets_it_made(tmp_path: Path) -> None:
    env = {"GATEWAY_IDP__CLIENTS_DIR": str(tmp_path), "GATEWAY_AUTH__DEV_KEY_DIR": str(tmp_path / "dev")}
    CliRunner().invoke(main, ["idp", "clients"], env=env, catch_exceptions=False)
    first = (tmp_path / "clients.json").read_text()
    CliRunner().invoke(main, ["idp", "clients"], env=env, catch_exceptions=False)
    assert (tmp_path / "clients.json").read_text() == first


def test_serve_refuses_to_run_in_production(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["idp", "serve"], env={"GATEWAY_ENVIRONMENT": "production"})
    assert (result.exit_code, "does not run in production" in result.output) == (1, True)
