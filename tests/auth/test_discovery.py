"""Issuers trusted by OpenID discovery: the JWKS address comes from the discovery document, whose issuer
must be the one trusted; the document is read once and the keys are cached as for a JWKS URL."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from gateway.auth.authenticator import Authenticator
from gateway.auth.errors import AuthError
from gateway.auth.keys import JwksSource
from gateway.settings import AuthSettings, IssuerSettings
from tests.auth.test_jwks import ISSUER, es256_key, token


class DiscoveryServer:
    """A real loopback HTTP server publishing a discovery document and a JWKS, counting each."""

    def __init__(self) -> None:
        self.documents: dict[str, Any] = {}
        self.hits: dict[str, int] = {}
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.hits[self.path] = server.hits.get(self.path, 0) + 1
                body = json.dumps(server.documents.get(self.path)).encode()
                self.send_response(200 if self.path in server.documents else 404)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                return

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def publish(self, issuer: str, jwks_uri: str, keys: list[dict[str, Any]]) -> None:
        self.documents["/.well-known/openid-configuration"] = {"issuer": issuer, "jwks_uri": jwks_uri}
        self.documents["/jwks.json"] = {"keys": keys}

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def discovery() -> Iterator[DiscoveryServer]:
    server = DiscoveryServer()
    yield server
    server.close()


def discovered(server: DiscoveryServer) -> Authenticator:
    issuer = IssuerSettings(
        issuer=ISSUER, discovery_url=f"{server.base}/.well-known/openid-configuration", algorithms=["ES256"]
    )
    return Authenticator(AuthSettings(issuers=[issuer], trust_dev_issuer=False))


async def test_a_token_verifies_with_a_key_found_through_discovery(discovery: DiscoveryServer) -> None:
    key, jwk = es256_key("k1")
    discovery.publish(ISSUER, f"{discovery.base}/jwks.json", [jwk])
    authenticator = discovered(discovery)
    for _ in range(3):
        assert (await authenticator.authenticate(f"Bearer {token(key, 'k1', 'ES256')}")).la_code == 202
    assert discovery.hits == {"/.well-known/openid-configuration": 1, "/jwks.json": 1}


async def test_a_discovery_document_naming_another_issuer_trusts_nothing(discovery: DiscoveryServer) -> None:
    key, jwk = es256_key("k1")
    discovery.publish("https://impostor.example", f"{discovery.base}/jwks.json", [jwk])
    with pytest.raises(AuthError) as refused:
        await discovered(discovery).authenticate(f"Bearer {token(key, 'k1', 'ES256')}")
    assert (refused.value.kind, discovery.hits.get("/jwks.json")) == ("unknown-key", None)


async def test_a_discovered_jwks_address_over_plain_http_off_loopback_is_refused(
    discovery: DiscoveryServer,
) -> None:
    key, jwk = es256_key("k1")
    discovery.publish(ISSUER, "http://keys.example.gov.uk/jwks.json", [jwk])
    with pytest.raises(AuthError) as refused:
        await discovered(discovery).authenticate(f"Bearer {token(key, 'k1', 'ES256')}")
    assert refused.value.kind == "unknown-key"


def test_an_issuer_trusted_by_discovery_names_itself() -> None:
    with pytest.raises(ValueError, match="needs its issuer name"):
        JwksSource(discovery_url="https://idp.example.gov.uk/.well-known/openid-configuration")


def test_an_issuer_has_exactly_one_source_of_keys() -> None:
    with pytest.raises(ValueError, match="exactly one of jwks_file, jwks_url and discovery_url"):
        JwksSource(
            url="https://idp.example.gov.uk/jwks", discovery_url="https://idp.example.gov.uk/d", issuer="x"
        )
