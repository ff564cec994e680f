"""The console as an OpenID Connect client (Authlib): authorization code with PKCE, the ID token checked
(signature, issuer, audience, expiry, nonce), and refresh. Works against any issuer with discovery."""

from __future__ import annotations

import secrets
import time
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import authlib.deprecate  # noqa: F401  (first, so its own "always" filter sits behind ours below)
import httpx
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from gateway.auth.keys import check_jwks_url
from gateway.console.sessions import Tokens

with warnings.catch_warnings():
    # Authlib 1.9 announces a move from httpx to its successor package; httpx is what this project pins.
    warnings.filterwarnings("ignore", message=".*httpx module is deprecated.*")
    from authlib.integrations.httpx_client import AsyncOAuth2Client, OAuthError

SCOPE = "openid gateway"


class SignInError(Exception):
    """The issuer refused, or its answer did not check out: the person is not signed in."""


@dataclass(frozen=True, slots=True)
class PendingSignIn:
    """What the callback must match: kept sealed in a short-lived cookie between the two legs."""

    state: str
    nonce: str
    code_verifier: str
    issued_at: float

    def as_dict(self) -> dict[str, Any]:
        return {"state": self.state, "nonce": self.nonce, "v": self.code_verifier, "t": self.issued_at}

    @classmethod
    def from_dict(cls, value: dict[str, Any]) -> PendingSignIn:
        return cls(str(value["state"]), str(value["nonce"]), str(value["v"]), float(value["t"]))


@dataclass(frozen=True, slots=True)
class SignedIn:
    tokens: Tokens
    subject: str


def _expiry(token: dict[str, Any]) -> datetime:
    expires_at = token.get("expires_at")
    if not isinstance(expires_at, int | float):
        expires_at = time.time() + float(token.get("expires_in") or 0)
    return datetime.fromtimestamp(float(expires_at), UTC)


class OidcClient:
    def __init__(self, issuer: str, client_id: str, client_secret: str, redirect_uri: str) -> None:
        self.issuer = issuer
        self.client_id = client_id
        self.client_secret = client_secret
        self.redirect_uri = redirect_uri
        self._metadata: dict[str, Any] | None = None
        self._keys: KeySet | None = None

    def _client(self) -> AsyncOAuth2Client:
        return AsyncOAuth2Client(
            client_id=self.client_id,
            client_secret=self.client_secret,
            redirect_uri=self.redirect_uri,
            scope=SCOPE,
            code_challenge_method="S256",
            token_endpoint_auth_method="client_secret_basic",  # noqa: S106  (a method name, not a secret)
            timeout=10.0,
        )

    async def metadata(self) -> dict[str, Any]:
        if self._metadata is None:
            url = self.issuer.rstrip("/") + "/.well-known/openid-configuration"
            check_jwks_url(url)
            try:
                async with httpx.AsyncClient(follow_redirects=False, timeout=10.0) as client:
                    response = await client.get(url)
                    response.raise_for_status()
                    document = response.json()
            except (httpx.HTTPError, ValueError) as exc:
                raise SignInError("the identity provider could not be reached") from exc
            if not isinstance(document, dict) or document.get("issuer") != self.issuer:
                raise SignInError("the identity provider's discovery document names another issuer")
            self._metadata = document
        return self._metadata

    async def _jwks(self, *, refresh: bool = False) -> KeySet:
        if self._keys is None or refresh:
            url = str((await self.metadata())["jwks_uri"])
            check_jwks_url(url)
            async with httpx.AsyncClient(follow_redirects=False, timeout=10.0) as client:
                response = await client.get(url)
                response.raise_for_status()
                self._keys = KeySet.import_key_set(response.json())
        return self._keys

    async def start(self) -> tuple[str, PendingSignIn]:
        """The authorization URL to send the browser to, and what the callback must match."""
        metadata = await self.metadata()
        pending = PendingSignIn(
            state=secrets.token_urlsafe(24),
            nonce=secrets.token_urlsafe(24),
            code_verifier=secrets.token_urlsafe(48),
            issued_at=time.time(),
        )
        async with self._client() as client:
            url, _ = client.create_authorization_url(
                metadata["authorization_endpoint"],
                state=pending.state,
                code_verifier=pending.code_verifier,
                nonce=pending.nonce,
            )
        return url, pending

    async def finish(self, code: str, pending: PendingSignIn) -> SignedIn:
        """Exchange the code (with the PKCE verifier) and check the ID token."""
        metadata = await self.metadata()
        try:
            async with self._client() as client:
                token = await client.fetch_token(
                    metadata["token_endpoint"], code=code, code_verifier=pending.code_verifier
                )
        except (OAuthError, httpx.HTTPError) as exc:
            raise SignInError("the identity provider refused the sign-in code") from exc
        id_token = token.get("id_token")
        access_token = token.get("access_token")
        if not isinstance(id_token, str) or not isinstance(access_token, str):
            raise SignInError("the identity provider returned no ID token")
        claims = await self._verify_id_token(id_token, pending.nonce)
        refresh = token.get("refresh_token")
        tokens = Tokens(access_token, refresh if isinstance(refresh, str) else None, _expiry(token))
        return SignedIn(tokens, str(claims["sub"]))

    async def _verify_id_token(self, id_token: str, nonce: str) -> dict[str, Any]:
        registry = jwt.JWTClaimsRegistry(
            leeway=30,
            iss={"essential": True, "value": self.issuer},
            aud={"essential": True, "value": self.client_id},
            sub={"essential": True},
            exp={"essential": True},
            nonce={"essential": True, "value": nonce},
        )
        try:
            for refresh in (False, True):  # one refetch, for a key rotated since the last fetch
                try:
                    keys = await self._jwks(refresh=refresh)
                    with warnings.catch_warnings():
                        # The issuer publishes Ed25519 keys as "EdDSA" (as PyJWT and the gateway do);
                        # joserfc warns that RFC 9864 prefers the name "Ed25519": same key, same check.
                        warnings.filterwarnings("ignore", message=".*EdDSA is deprecated.*")
                        decoded = jwt.decode(id_token, keys, algorithms=["EdDSA"])
                    break
                except JoseError:
                    if refresh:
                        raise
            registry.validate(decoded.claims)
        except (JoseError, ValueError, httpx.HTTPError) as exc:
            raise SignInError("the ID token did not verify") from exc
        return dict(decoded.claims)

    async def refresh(self, tokens: Tokens) -> Tokens | None:
        """New tokens for a refresh token, or None (the session ends) if there is none or it is refused."""
        if tokens.refresh_token is None:
            return None
        metadata = await self.metadata()
        try:
            async with self._client() as client:
                token = await client.refresh_token(
                    metadata["token_endpoint"], refresh_token=tokens.refresh_token
                )
        except (OAuthError, httpx.HTTPError):
            return None
        access_token = token.get("access_token")
        if not isinstance(access_token, str):
            return None
        refresh = token.get("refresh_token")
        return Tokens(
            access_token, refresh if isinstance(refresh, str) else tokens.refresh_token, _expiry(token)
        )
