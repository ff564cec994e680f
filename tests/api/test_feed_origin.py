"""Issue 15 item 6, its first part: every batch sent over HTTP records the MIS product and version that produced
it (the `MIS-Product` / `MIS-Version` headers) and the organisation that sent it. Through the real app and
database; the headers are held to the contract like any declared parameter."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from litestar.testing import TestClient

from gateway.edge.parameters import check_headers, rule_from_parameter
from gateway.edge.problems import ProblemError
from tests.api.conftest import Tokens

INGEST = "/v1/ingest/registers"
PARAMS = {"purpose": "data-collection", "agreement": "aggregator-collection"}
SCHOOLS_HEADER = "urn,name,la_code,estab_number,phase,school_type"


def _unchanged_schools_file(store: psycopg.Connection[Any]) -> bytes:
    """One of the aggregator's own schools exactly as stored: sending it changes nothing but the batches."""
    row = store.execute(
        "SELECT urn, name, la_code, estab_number, phase, school_type FROM schools WHERE la_code = 202"
        " ORDER BY urn LIMIT 1"
    ).fetchone()
    assert row is not None
    return f"{SCHOOLS_HEADER}\n{','.join(str(v) for v in row)}\n".encode()


def _batch(store: psycopg.Connection[Any], batch_id: int) -> tuple[Any, ...]:
    row = store.execute(
        "SELECT mis_product, mis_version, sender FROM ingest_batches WHERE batch_id = %s", (batch_id,)
    ).fetchone()
    assert row is not None
    return tuple(row)


def _batches(store: psycopg.Connection[Any]) -> int:
    row = store.execute("SELECT count(*) FROM ingest_batches").fetchone()
    assert row is not None
    return int(row[0])


def _send(client: TestClient[Any], tokens: Tokens, body: bytes, extra: list[tuple[str, str]]) -> Any:
    headers = [*tokens.headers("aggregator").items(), ("content-type", "text/csv"), *extra]
    return client.post(INGEST, params=PARAMS, content=body, headers=headers)


def test_the_batch_records_the_mis_product_version_and_sender(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any]
) -> None:
    response = _send(
        client,
        tokens,
        _unchanged_schools_file(store),
        [("MIS-Product", "Arbor"), ("MIS-Version", "2026.3.1+b7")],
    )
    assert response.status_code == 200, response.text[:300]
    assert _batch(store, response.json()["batch_id"]) == ("Arbor", "2026.3.1+b7", "register-aggregator")


def test_without_the_headers_the_product_and_version_are_recorded_as_not_said(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any]
) -> None:
    response = _send(client, tokens, _unchanged_schools_file(store), [])
    assert response.status_code == 200, response.text[:300]
    assert _batch(store, response.json()["batch_id"]) == (None, None, "register-aggregator")


@pytest.mark.parametrize(
    ("headers", "named", "message"),
    [
        ([("MIS-Product", "Arbor;DROP")], "mis-product", "must match"),
        ([("MIS-Product", "x" * 65)], "mis-product", "must be at most 64 characters"),
        ([("MIS-Version", "1.0-")], "mis-version", "must match"),
    ],
    ids=["bad character", "too long", "trailing dash"],
)
def test_a_malformed_or_repeated_header_is_400_naming_it_and_nothing_is_written(
    client: TestClient[Any],
    tokens: Tokens,
    store: psycopg.Connection[Any],
    headers: list[tuple[str, str]],
    named: str,
    message: str,
) -> None:
    before = _batches(store)
    response = _send(client, tokens, _unchanged_schools_file(store), headers)
    assert response.status_code == 400, response.text[:300]
    [error] = response.json()["errors"]
    assert (error["field"], error["source"], error["message"].startswith(message)) == (named, "header", True)
    assert _batches(store) == before


def test_a_repeated_header_is_refused_by_the_validator() -> None:
    """As a server receives it (the test client joins repeated headers into one value, so this is checked on
    the ASGI header list itself): the second mis-product is a 400 naming the header."""
    rule = rule_from_parameter(
        {
            "name": "mis-product",
            "in": "header",
            "schema": {"type": "string", "maxLength": 64, "pattern": "^[A-Za-z0-9]+$"},
        },
        "POST /v1/ingest/registers",
    )
    headers = [(b"content-type", b"text/csv"), (b"MIS-Product", b"Arbor"), (b"mis-product", b"SIMS")]
    with pytest.raises(ProblemError) as refused:
        check_headers([rule], headers)
    assert (refused.value.status, refused.value.kind) == (400, "repeated-parameter")
    check_headers([rule], headers[:2])  # once is fine
