"""The whole gateway on a small synthetic dataset of its own: real database, policies, tokens and audit."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
import pytest
from litestar.testing import TestClient
from psycopg import sql

from gateway.app import create_app
from gateway.auth.devissuer import DevIssuer, keygen
from gateway.auth.personas import persona_claims
from gateway.db.urls import resolve_database, start_embedded
from gateway.demo import DemoSummary, prepare_demo_data
from gateway.settings import Settings
from gateway.synth.generate import SynthParams
from tests.release_ledger import delete_releases

# Two LAs, 10 schools, the first half of autumn 2025: seconds to build, every endpoint has data.
API_DATA = SynthParams(schools=10, start=date(2025, 9, 1), end=date(2025, 10, 24), seed=21, las=(886, 202))
# Year to date to a Sunday: a period on every aggregate profile's grid (the data ends on Friday 24 October).
PERIOD = {"date_from": "2025-09-01", "date_to": "2025-10-26"}


@pytest.fixture(scope="session")
def api_settings(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    server_url = start_embedded(settings.pg_data_dir)
    name = f"{settings.database_name}_api"
    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(drop)
    yield settings.model_copy(update={"database_name": name, "var_dir": tmp_path_factory.mktemp("api-var")})
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(drop)


@pytest.fixture(scope="session")
def loaded(api_settings: Settings) -> DemoSummary:
    return prepare_demo_data(api_settings, API_DATA)


@pytest.fixture(scope="session")
def issuer(api_settings: Settings) -> DevIssuer:
    return keygen(api_settings.auth)


@pytest.fixture(scope="session")
def client(api_settings: Settings, loaded: DemoSummary, issuer: DevIssuer) -> Iterator[TestClient[Any]]:
    with TestClient(app=create_app(api_settings)) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def store(api_settings: Settings, loaded: DemoSummary) -> Iterator[psycopg.Connection[Any]]:
    """An owner connection to the API tests' database, for arranging and checking."""
    urls = resolve_database(api_settings)
    with psycopg.connect(urls.admin, autocommit=True) as conn:
        yield conn


@pytest.fixture(scope="session")
def areas(store: psycopg.Connection[Any]) -> dict[str, Any]:
    """Own LA (886) and the other (202), each with a school and a pupil on roll."""
    out: dict[str, Any] = {}
    for label, la in (("own", 886), ("other", 202)):
        urn, upn = store.execute(
            "SELECT e.urn, p.upn FROM enrolments e JOIN pupils p USING (pupil_id) JOIN schools s ON s.urn = e.urn"
            " WHERE e.la_code = %s ORDER BY s.phase DESC, e.enrolment_id LIMIT 1",
            (la,),
        ).fetchone()
        out[label] = {"la_code": la, "urn": urn, "upn": upn}
    return out


class Tokens:
    def __init__(self, issuer: DevIssuer, areas: dict[str, Any]) -> None:
        self.issuer = issuer
        self.areas = areas

    def claims(self, persona: str, *, la_code: int | None = None, urn: int | None = None) -> dict[str, Any]:
        return persona_claims(
            persona, la_code=la_code or self.areas["own"]["la_code"], urn=urn or self.areas["own"]["urn"]
        )

    def headers(self, persona: str, *, la_code: int | None = None, urn: int | None = None) -> dict[str, str]:
        return {
            "Authorization": f"Bearer {self.issuer.issue(self.claims(persona, la_code=la_code, urn=urn))}"
        }


@pytest.fixture(scope="session")
def tokens(issuer: DevIssuer, areas: dict[str, Any]) -> Tokens:
    return Tokens(issuer, areas)


def audit_count(store: psycopg.Connection[Any], request_id: str) -> int:
    row = store.execute("SELECT count(*) FROM audit_events WHERE request_id = %s", (request_id,)).fetchone()
    return int(row[0]) if row else 0


def write_feed(path: Path, header: str, lines: list[str]) -> bytes:
    data = (header + "\n" + "\n".join(lines) + "\n").encode()
    path.write_bytes(data)
    return data


@pytest.fixture(autouse=True)
def fresh_release_ledger(request: pytest.FixtureRequest) -> None:
    """Every API test starts with an empty release ledger: a test states its own history of releases.

    The ledger is per requester and the tests share a few personas on one database per worker, so
    without this a test's answer would depend on which tests ran before it on that worker (a researcher's
    walk in one test makes a later table of the same cells a differencing refusal). The ledger is
    append-only for the gateway; its owner deletes (tests/release_ledger.py)."""
    if "client" not in request.fixturenames and "store" not in request.fixturenames:
        return
    store: psycopg.Connection[Any] = request.getfixturevalue("store")
    delete_releases(store)
