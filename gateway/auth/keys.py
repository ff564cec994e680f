"""Trusted issuers' signing keys: JWKS from a file or an https URL, cached, refetched (throttled) on an unknown kid."""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import httpx
import jwt
import structlog

from gateway.auth.errors import AuthError

# The key type and curve each allowed algorithm needs; anything else is refused before verification.
ALGORITHM_KEY_TYPES: dict[str, tuple[str, str | None]] = {
    "EdDSA": ("OKP", "Ed25519"),
    "ES256": ("EC", "P-256"),
    "RS256": ("RSA", None),
}
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})
log = structlog.get_logger("gateway.auth")


def parse_jwks(document: Any) -> dict[str, dict[str, Any]]:
    """kid -> JWK (public members only). Keys without a kid or with private members are refused."""
    if not isinstance(document, dict) or not isinstance(document.get("keys"), list):
        raise ValueError("a JWKS is an object with a keys array")
    keys: dict[str, dict[str, Any]] = {}
    for jwk in document["keys"]:
        if not isinstance(jwk, dict) or not isinstance(jwk.get("kid"), str):
            raise ValueError("every key in the JWKS needs a kid")
        if any(member in jwk for member in ("d", "p", "q", "k")):
            raise ValueError("the JWKS holds private or symmetric key material")
        keys[jwk["kid"]] = jwk
    return keys


def check_jwks_url(url: str) -> None:
    parsed = urlparse(url)
    # Plain http only to the loopback interface (a local issuer in development and tests).
    if parsed.scheme != "https" and not (parsed.scheme == "http" and parsed.hostname in LOOPBACK_HOSTS):
        raise ValueError(f"a JWKS URL must use https: {url}")


@dataclass
class JwksSource:
    """The keys of one issuer, read from `file`, fetched from `url`, or from the `jwks_uri` its OpenID
    discovery document names (fetched once; the document must name `issuer` as its issuer)."""

    file: Path | None = None
    url: str | None = None
    discovery_url: str | None = None
    issuer: str | None = None
    refetch_min_seconds: float = 30.0
    cache_seconds: float = 3600.0
    client: httpx.AsyncClient | None = None
    _keys: dict[str, dict[str, Any]] = field(default_factory=dict)
    _loaded_at: float = float("-inf")
    _file_mtime: int | None = None
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    def __post_init__(self) -> None:
        if sum(x is not None for x in (self.file, self.url, self.discovery_url)) != 1:
            raise ValueError("an issuer needs exactly one of jwks_file, jwks_url and discovery_url")
        if self.discovery_url is not None and self.issuer is None:
            raise ValueError("an issuer trusted by discovery needs its issuer name")
        for url in (self.url, self.discovery_url):
            if url is not None:
                check_jwks_url(url)

    async def key(self, kid: str | None, algorithm: str) -> jwt.PyJWK:
        """The verification key for `kid` (or the only key, when the token names none)."""
        await self._refresh(force=False)
        jwk = self._pick(kid)
        if jwk is None:
            await self._refresh(force=True)  # a rotated key: look again, at most every refetch_min_seconds
            jwk = self._pick(kid)
        if jwk is None:
            raise AuthError("unknown-key", "The token's signing key is not one the issuer publishes.")
        expected_kty, expected_crv = ALGORITHM_KEY_TYPES[algorithm]
        if jwk.get("kty") != expected_kty or (expected_crv is not None and jwk.get("crv") != expected_crv):
            raise AuthError("alg-not-allowed", f"The key {kid} cannot verify {algorithm} signatures.")
        if "alg" in jwk and jwk["alg"] != algorithm:
            raise AuthError(
                "alg-not-allowed", f"The key {kid} is published for {jwk['alg']}, not {algorithm}."
            )
        try:
            return jwt.PyJWK(jwk, algorithm)
        except jwt.PyJWTError as exc:
            raise AuthError("unknown-key", "The issuer's published key could not be used.") from exc

    def _pick(self, kid: str | None) -> dict[str, Any] | None:
        if kid is not None:
            return self._keys.get(kid)
        return next(iter(self._keys.values())) if len(self._keys) == 1 else None

    async def _refresh(self, *, force: bool) -> None:
        async with self._lock:
            now = time.monotonic()
            age = now - self._loaded_at
            if self.file is not None:
                mtime = self.file.stat().st_mtime_ns if self.file.exists() else None
                if mtime is not None and mtime == self._file_mtime and age < self.cache_seconds:
                    return
                try:
                    self._keys = parse_jwks(json.loads(self.file.read_text())) if mtime is not None else {}
                except (OSError, ValueError):
                    self._keys = {}  # an unreadable key file trusts nothing: every token is refused
                    log.error("jwks_file_unreadable", path=str(self.file))
                self._file_mtime = mtime
                self._loaded_at = now
                return
            if (not force and age < self.cache_seconds) or (force and age < self.refetch_min_seconds):
                return
            self._loaded_at = now  # throttle failures too: a down issuer is not hammered
            try:
                self._keys = parse_jwks(await self._fetch())
            except (httpx.HTTPError, ValueError):
                if not self._keys:
                    raise AuthError("unknown-key", "The issuer's keys could not be fetched.") from None

    async def _fetch(self) -> Any:
        if self.url is None:
            self.url = jwks_uri_from_discovery(await self._get(str(self.discovery_url)), str(self.issuer))
        return await self._get(self.url)

    async def _get(self, url: str) -> Any:
        if self.client is not None:
            response = await self.client.get(url, timeout=5.0)
        else:
            async with httpx.AsyncClient(follow_redirects=False) as client:
                response = await client.get(url, timeout=5.0)
        response.raise_for_status()
        return response.json()


def jwks_uri_from_discovery(document: Any, issuer: str) -> str:
    """The JWKS address an OpenID discovery document names, once its issuer is the one we trust."""
    if not isinstance(document, dict) or document.get("issuer") != issuer:
        raise ValueError("the discovery document names another issuer")
    jwks_uri = document.get("jwks_uri")
    if not isinstance(jwks_uri, str):
        raise ValueError("the discovery document has no jwks_uri")
    check_jwks_url(jwks_uri)
    return jwks_uri
