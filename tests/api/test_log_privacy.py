"""The real server's logs (stdout and stderr) hold no pupil data, tokens or keys, whatever is asked of it."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from gateway.settings import Settings, environment_for
from tests.api.conftest import PERIOD, Tokens

ROOT = Path(__file__).resolve().parents[2]
UPN = re.compile(r"\b[A-HJ-NP-RT-Z]\d{11}[0-9A-HJ-NP-RT-Z]\b")
CASEWORK = {
    "purpose": "attendance-support",
    "agreement": "la-attendance-support",
    "reason": "Termly targeting meeting",
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _env(settings: Settings) -> dict[str, str]:
    return {**os.environ, **environment_for(settings), "GATEWAY_LOG_LEVEL": "DEBUG"}


@pytest.fixture(scope="module")
def server_output(api_settings: Settings, loaded: Any, tokens: Tokens, areas: dict[str, Any]) -> str:
    """Run `gateway serve` as its own process, send it sensitive requests, and return all it printed."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gateway.cli", "serve", "--port", str(port)],
        env=_env(api_settings),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(base + "/health/ready", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.3)
        la = tokens.headers("la-attendance")
        own, other = areas["own"], areas["other"]
        requests: list[tuple[str, str, dict[str, Any]]] = [
            ("GET", f"/v1/pupils/{own['upn']}/attendance", {"params": {**CASEWORK, **PERIOD}, "headers": la}),
            (
                "GET",
                f"/v1/pupils/{other['upn']}/attendance",
                {"params": {**CASEWORK, **PERIOD}, "headers": la},
            ),
            ("GET", "/v1/pupils", {"params": {**CASEWORK, **PERIOD, "criterion": "all"}, "headers": la}),
            (
                "GET",
                "/v1/pupils",
                {
                    "params": {**CASEWORK, "upn": own["upn"]},
                    "headers": {"Authorization": "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."},
                },
            ),
            (
                "GET",
                f"/v1/audit/subjects/{own['upn']}",
                {"params": {"purpose": "audit-oversight"}, "headers": tokens.headers("dfe-dpo")},
            ),
            (
                "POST",
                "/v1/ingest/registers",
                {
                    "params": {"purpose": "data-collection", "agreement": "aggregator-collection"},
                    "headers": {**tokens.headers("aggregator"), "content-type": "text/csv"},
                    "content": f"urn,upn,date,session,code,recorded_at\n999999,{own['upn']},2025-09-03,AM,/,2025-09-03T09:00:00+00:00\n".encode(),
                },
            ),
            (
                "POST",
                "/v1/extracts",
                {
                    "json": {
                        "purpose": "multiple-disadvantages",
                        "agreement": "dwp-dea-s35",
                        "la_code": own["la_code"],
                        **PERIOD,
                    },
                    "headers": tokens.headers("ogd-analyst"),
                },
            ),
        ]
        for method, path, kwargs in requests:
            httpx.request(method, base + path, timeout=60, **kwargs)
        names = [tokens.headers(p)["Authorization"].split()[1] for p in ("la-attendance", "dfe-dpo")]
        assert names  # the tokens exist; each call above minted its own, all printed nowhere
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=60)
    return output.decode("utf-8", "replace")


def test_server_logged_the_requests(server_output: str) -> None:
    assert '"event": "request"' in server_output or '"event":"request"' in server_output


def test_no_upn_appears_in_the_logs(server_output: str) -> None:
    assert UPN.findall(server_output) == []


def test_no_token_appears_in_the_logs(server_output: str) -> None:
    assert "eyJ" not in server_output


def test_no_pupil_name_appears_in_the_logs(
    server_output: str, store: psycopg.Connection[Any], areas: dict[str, Any]
) -> None:
    forename, surname = store.execute(
        "SELECT forename, surname FROM pupils WHERE upn = %s", (areas["own"]["upn"],)
    ).fetchone()
    assert f'"{forename}"' not in server_output
    assert surname not in server_output


def test_no_key_material_appears_in_the_logs(server_output: str, api_settings: Settings) -> None:
    keyring = json.loads(api_settings.privacy.keyring_file.read_text())
    secrets = [entry["key"] for entry in keyring["keys"]]
    signing_key = api_settings.audit.signing_key_file.read_text()
    body_lines = [line for line in signing_key.splitlines() if line and not line.startswith("-----")]
    assert [s for s in secrets + body_lines if s in server_output] == []


def test_no_query_string_appears_in_the_logs(server_output: str) -> None:
    assert "reason=" not in server_output
    assert "Termly targeting meeting" not in server_output
