"""Tokens and identity through the real app (issue 10 section 4): a single-use issuer's token works once,
the caller's x-request-id is recorded beside the gateway's own id, never instead."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import orjson
import psycopg
import pytest
from litestar.testing import TestClient

from gateway.app import create_app
from gateway.auth.devissuer import DevIssuer, keygen
from gateway.auth.personas import persona_claims
from gateway.settings import AuthSettings, IssuerSettings, Settings
from tests.api.conftest import Tokens

ONE_SHOT = "https://one-shot.issuer.example"
EXPLAIN = {"action": "attendance.summary", "purpose": "official-statistics", "agreement": "ons-srsa-s45a"}


def events(store: psycopg.Connection[Any], where: str, value: str) -> list[dict[str, Any]]:
    rows = store.execute(f"SELECT content FROM audit_events WHERE {where} ORDER BY seq", (value,)).fetchall()
    return [orjson.loads(r[0]) for r in rows]


@pytest.fixture(scope="module")
def one_shot(
    api_settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[TestClient[Any], DevIssuer]]:
    """The gateway trusting one more issuer, whose every token may be presented once."""
    key_dir = tmp_path_factory.mktemp("one-shot-issuer")
    issuer = keygen(AuthSettings(dev_key_dir=key_dir, dev_issuer=ONE_SHOT))
    trusted = IssuerSettings(issuer=ONE_SHOT, jwks_file=key_dir / "jwks.json", single_use=True)
    settings = api_settings.model_copy(
        update={"auth": api_settings.auth.model_copy(update={"issuers": [trusted]})}
    )
    with TestClient(app=create_app(settings)) as client:
        yield client, issuer


def test_a_single_use_token_is_honoured_once_and_refused_after(
    one_shot: tuple[TestClient[Any], DevIssuer], store: psycopg.Connection[Any]
) -> None:
    client, issuer = one_shot
    headers = {"Authorization": f"Bearer {issuer.issue(persona_claims('ons-statistician'))}"}
    first = client.get("/v1/decisions/explain", params=EXPLAIN, headers=headers)
    second = client.get("/v1/decisions/explain", params=EXPLAIN, headers=headers)
    assert first.status_code == 200
    assert (second.status_code, second.json()["type"].rsplit("/", 1)[-1]) == (401, "token-replayed")
    replayed = events(store, "request_id = %s", second.headers["x-request-id"])
    assert [(e["outcome"], e["auth_error"]) for e in replayed] == [("unauthenticated", "token-replayed")]


def test_another_single_use_token_of_the_same_issuer_is_honoured(
    one_shot: tuple[TestClient[Any], DevIssuer],
) -> None:
    client, issuer = one_shot
    for _ in range(2):
        token = issuer.issue(persona_claims("ons-statistician"))  # a fresh jti each time
        response = client.get(
            "/v1/decisions/explain", params=EXPLAIN, headers={"Authorization": f"Bearer {token}"}
        )
        assert response.status_code == 200


def test_tokens_of_other_issuers_may_be_presented_again(client: TestClient[Any], tokens: Tokens) -> None:
    headers = tokens.headers("ons-statistician")
    statuses = [
        client.get("/v1/decisions/explain", params=EXPLAIN, headers=headers).status_code for _ in range(2)
    ]
    assert statuses == [200, 200]


def test_the_callers_request_id_is_recorded_beside_the_gateways_own(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any]
) -> None:
    supplied = "client-chosen-id-0001"
    responses = [
        client.get(
            "/v1/decisions/explain",
            params=EXPLAIN,
            headers={**tokens.headers("ons-statistician"), "x-request-id": supplied},
        )
        for _ in range(2)
    ]
    ours = [r.headers["x-request-id"] for r in responses]
    recorded = events(store, "(content::jsonb ->> 'client_request_id') = %s", supplied)
    assert [(e["request_id"], e["client_request_id"]) for e in recorded] == [
        (ours[0], supplied),
        (ours[1], supplied),
    ]
    assert ours[0] != ours[1]
    assert supplied not in ours


def test_a_malformed_request_id_is_not_recorded(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any]
) -> None:
    response = client.get(
        "/v1/decisions/explain",
        params=EXPLAIN,
        headers={**tokens.headers("ons-statistician"), "x-request-id": "has spaces in it"},
    )
    [event] = events(store, "request_id = %s", response.headers["x-request-id"])
    assert event["client_request_id"] is None


def test_a_upn_given_as_request_id_is_recorded_hashed(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any], areas: dict[str, Any]
) -> None:
    upn = areas["own"]["upn"]
    response = client.get(
        "/v1/decisions/explain",
        params=EXPLAIN,
        headers={**tokens.headers("ons-statistician"), "x-request-id": upn},
    )
    [event] = events(store, "request_id = %s", response.headers["x-request-id"])
    assert event["client_request_id"].startswith("hmac-sha256:")
    assert upn not in orjson.dumps(event).decode()
