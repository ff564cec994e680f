"""The JWKS source's remaining paths: malformed documents, key selection without a kid, unusable keys,
a failed refetch that keeps the keys already held, and a caller-supplied HTTP client."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest

from gateway.auth.errors import AuthError
from gateway.auth.keys import JwksSource, jwks_uri_from_discovery, parse_jwks
from tests.auth.test_jwks import JwksServer, es256_key


@pytest.fixture
def server() -> Iterator[JwksServer]:
    served = JwksServer()
    yield served
    served.close()


def file_source(tmp_path: Path, keys: list[dict[str, Any]]) -> JwksSource:
    path = tmp_path / "jwks.json"
    path.write_text(json.dumps({"keys": keys}))
    return JwksSource(file=path)


@pytest.mark.parametrize("document", [[], {"keys": {}}, "keys"])
def test_a_jwks_that_is_not_an_object_with_a_keys_array_is_refused(document: Any) -> None:
    with pytest.raises(ValueError, match=r"^a JWKS is an object with a keys array$"):
        parse_jwks(document)


@pytest.mark.parametrize("jwk", [{"kty": "OKP"}, {"kty": "OKP", "kid": 7}, "k1"])
def test_a_key_without_a_string_kid_is_refused(jwk: Any) -> None:
    with pytest.raises(ValueError, match=r"^every key in the JWKS needs a kid$"):
        parse_jwks({"keys": [jwk]})


async def test_a_key_published_for_another_algorithm_is_refused(tmp_path: Path) -> None:
    _, jwk = es256_key("k1")
    source = file_source(tmp_path, [{**jwk, "alg": "ES384"}])
    with pytest.raises(AuthError) as caught:
        await source.key("k1", "ES256")
    assert (caught.value.kind, caught.value.description) == (
        "alg-not-allowed",
        "The key k1 is published for ES384, not ES256.",
    )


async def test_a_published_key_that_is_not_a_valid_key_is_unknown(tmp_path: Path) -> None:
    source = file_source(tmp_path, [{"kty": "OKP", "crv": "Ed25519", "x": "AA", "kid": "short"}])
    with pytest.raises(AuthError) as caught:
        await source.key("short", "EdDSA")
    assert (caught.value.kind, caught.value.description) == (
        "unknown-key",
        "The issuer's published key could not be used.",
    )


async def test_a_token_without_a_kid_uses_the_only_key(tmp_path: Path) -> None:
    _, jwk = es256_key("k1")
    key = await file_source(tmp_path, [jwk]).key(None, "ES256")
    assert (key.key_id, key.algorithm_name) == ("k1", "ES256")


async def test_a_token_without_a_kid_is_refused_when_the_issuer_has_two_keys(tmp_path: Path) -> None:
    keys = [es256_key("k1")[1], es256_key("k2")[1]]
    with pytest.raises(AuthError) as caught:
        await file_source(tmp_path, keys).key(None, "ES256")
    assert caught.value.kind == "unknown-key"


async def test_a_failed_refetch_keeps_the_keys_already_fetched(server: JwksServer) -> None:
    _, jwk = es256_key("k1")
    server.jwks = {"keys": [jwk]}
    source = JwksSource(url=server.url, refetch_min_seconds=0.0)
    assert (await source.key("k1", "ES256")).key_id == "k1"
    server.jwks = {"keys": "broken"}
    with pytest.raises(AuthError) as caught:
        await source.key("k2", "ES256")  # forces a refetch, which fails to parse
    assert caught.value.kind == "unknown-key"
    assert (await source.key("k1", "ES256")).key_id == "k1"
    assert server.hits == 2


async def test_a_caller_supplied_client_fetches_the_keys(server: JwksServer) -> None:
    _, jwk = es256_key("k1")
    server.jwks = {"keys": [jwk]}
    async with httpx.AsyncClient() as client:
        key = await JwksSource(url=server.url, client=client).key("k1", "ES256")
    assert (key.key_id, server.hits) == ("k1", 1)
    assert isinstance(key, jwt.PyJWK)


def test_a_discovery_document_without_a_jwks_uri_is_refused() -> None:
    issuer = "https://idp.example.gov.uk"
    with pytest.raises(ValueError, match=r"^the discovery document has no jwks_uri$"):
        jwks_uri_from_discovery({"issuer": issuer, "jwks_uri": 5}, issuer)
