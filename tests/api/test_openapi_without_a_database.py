"""Building the app does no I/O: the OpenAPI document is made with no database, no keys and no var dir."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from gateway.cli import main

ROOT = Path(__file__).resolve().parents[2]


def test_gateway_openapi_starts_no_database_and_creates_no_keys(tmp_path: Path) -> None:
    state = tmp_path / "var"
    out = tmp_path / "openapi.json"
    env = {
        "GATEWAY_VAR_DIR": str(state),
        "GATEWAY_PG_DATA_DIR": str(state / "pgdata"),
        # A server that does not exist: reaching for it would fail the command.
        "DATABASE_URL": "postgresql://gateway@127.0.0.1:1/none",
        "GATEWAY_POLICY__BUNDLE_DIR": str(ROOT / "policies"),
    }
    result = CliRunner().invoke(main, ["openapi", "--out", str(out)], env=env)
    assert result.exit_code == 0, result.output
    assert out.read_text() == (ROOT / "openapi" / "openapi.json").read_text()
    assert not state.exists()  # no embedded database directory, no key files
