"""The real server's logs (stdout and stderr) hold no pupil data, tokens or keys, whatever is asked of it;
token content never reaches a response header; and the server names no software in a banner."""

from __future__ import annotations

import base64
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
from tests.api.pupil_records import PERMANENT_UPN, SPARE_UPN, TEMPORARY_UPN, two_records

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


def crafted_alg_token(tokens: Tokens, alg: str) -> str:
    """A token from the trusted issuer whose header's alg is the attacker's text (signature irrelevant)."""

    def b64(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    now = int(time.time())
    claims = {"iss": tokens.issuer.issuer, "aud": tokens.issuer.audience, "iat": now, "exp": now + 60}
    return f"{b64({'alg': alg, 'kid': tokens.issuer.kid})}.{b64(claims)}.c2ln"


INJECTED = "X-Injected-By-Alg"
CRAFTED_ALGS = {"crlf-alg": f"EdDSA\r\n{INJECTED}: yes", "non-latin-1-alg": "EdDSA\u2603\u0100"}
SEEN: dict[str, httpx.Response] = {}


@pytest.fixture(scope="module")
def server_output(
    api_settings: Settings,
    loaded: Any,
    tokens: Tokens,
    areas: dict[str, Any],
    store: psycopg.Connection[Any],
) -> str:
    """Run `gateway serve` as its own process, send it sensitive requests, and return all it printed
    (the responses to the crafted tokens and to a health probe are kept in SEEN)."""
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
        # An identity correction carries the pupil's name and date of birth in its body (here to what they
        # already are, so nothing changes): none of it may reach the logs.
        who = store.execute(
            "SELECT forename, surname, date_of_birth::text, sex, ethnicity FROM pupils WHERE upn = %s",
            (own["upn"],),
        ).fetchone()
        identity = dict(zip(("forename", "surname", "date_of_birth", "sex", "ethnicity"), who, strict=True))
        requests.append(
            (
                "POST",
                f"/v1/admin/pupils/{own['upn']}/identity",
                {
                    "json": {
                        "purpose": "data-management",
                        "agreement": "dfe-data-management",
                        "reason": "Register check: the pupil's identity is right",
                        **identity,
                    },
                    "headers": tokens.headers("data-manager"),
                },
            )
        )
        # A merge names two UPNs, one in the path and one in the body: the own pupil "merged" into a UPN no pupil
        # has (refused, nothing changes), and two arranged records of one child merged (tests/api/pupil_records.py).
        manager = tokens.headers("data-manager")
        merge = {"purpose": "data-management", "agreement": "dfe-data-management", "reason": "Register check"}
        requests.append(
            (
                "POST",
                f"/v1/admin/pupils/{own['upn']}/merge",
                {"json": {**merge, "into": SPARE_UPN}, "headers": manager},
            )
        )
        for method, path, kwargs in requests:
            httpx.request(method, base + path, timeout=60, **kwargs)
        with two_records(store):
            merged = httpx.post(
                f"{base}/v1/admin/pupils/{TEMPORARY_UPN}/merge",
                json={**merge, "into": PERMANENT_UPN},
                headers=manager,
                timeout=60,
            )
            assert merged.status_code == 200, merged.text[:300]
        for name, alg in CRAFTED_ALGS.items():
            SEEN[name] = httpx.get(
                base + "/v1/attendance/summary",
                params={"purpose": "official-statistics", "agreement": "ons-srsa-s45a", **PERIOD},
                headers={"Authorization": f"Bearer {crafted_alg_token(tokens, alg)}"},
                timeout=60,
            )
        SEEN["health"] = httpx.get(base + "/health/live", timeout=60)
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


def test_no_date_of_birth_appears_in_the_logs(
    server_output: str, store: psycopg.Connection[Any], areas: dict[str, Any]
) -> None:
    """The identity correction above sent it in a body."""
    born = store.execute(
        "SELECT date_of_birth::text FROM pupils WHERE upn = %s", (areas["own"]["upn"],)
    ).fetchone()
    assert born is not None
    assert born[0] not in server_output


def test_no_key_material_appears_in_the_logs(server_output: str, api_settings: Settings) -> None:
    keyring = json.loads(api_settings.privacy.keyring_file.read_text())
    secrets = [entry["key"] for entry in keyring["keys"]]
    signing_key = api_settings.audit.signing_key_file.read_text()
    body_lines = [line for line in signing_key.splitlines() if line and not line.startswith("-----")]
    assert [s for s in secrets + body_lines if s in server_output] == []


def test_no_query_string_appears_in_the_logs(server_output: str) -> None:
    assert "reason=" not in server_output
    assert "Termly targeting meeting" not in server_output


@pytest.mark.parametrize("name", sorted(CRAFTED_ALGS))
def test_a_crafted_alg_gets_a_401_with_the_stable_kind_and_a_fixed_header(
    server_output: str, name: str
) -> None:
    response = SEEN[name]
    assert (response.status_code, response.json()["type"].rsplit("/", 1)[-1]) == (401, "alg-not-allowed")
    assert response.headers["www-authenticate"] == (
        'Bearer error="invalid_token", error_description="The token\'s algorithm is not allowed for this issuer."'
    )
    assert INJECTED.lower() not in {k.lower() for k in response.headers}


def test_a_crafted_alg_never_reaches_the_logs(server_output: str) -> None:
    assert INJECTED not in server_output
    assert "\u2603" not in server_output
    assert "\\u2603" not in server_output
    assert "Traceback" not in server_output


def test_the_server_sends_no_banner(server_output: str) -> None:
    assert "server" not in {k.lower() for k in SEEN["health"].headers}
