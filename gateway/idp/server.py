"""The development identity provider's OAuth 2.0 / OpenID Connect protocol work, done by Authlib.

Authorization codes and refresh tokens are kept in this process's memory: the development provider runs as
one process, and a restart signs everyone out, as a real provider's would on losing its session store."""

from __future__ import annotations

import secrets
import threading
import time
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from authlib.oauth2.rfc6749 import (
    AuthorizationServer,
    InvalidClientError,
    InvalidRequestError,
    OAuth2Request,
    grants,
)
from authlib.oauth2.rfc6749.requests import BasicOAuth2Payload, JsonPayload, JsonRequest
from authlib.oauth2.rfc7523 import JWTBearerClientAssertion
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import UserInfo
from authlib.oidc.core.grants import OpenIDCode
from cryptography.hazmat.primitives import serialization
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import OKPKey

from gateway.auth.devissuer import DevIssuer
from gateway.idp.registry import (
    PRIVATE_KEY_JWT,
    TOKEN_AUTH_METHODS_SUPPORTED,
    ClientRegistry,
    RegisteredClient,
)

CODE_SECONDS = 120
TOKEN_AUTH_METHODS = list(TOKEN_AUTH_METHODS_SUPPORTED)


@dataclass(frozen=True, slots=True)
class Person:
    """A signed-in persona: the claims its tokens carry."""

    claims: Mapping[str, Any]

    def get_user_id(self) -> str:
        return str(self.claims["sub"])


@dataclass(frozen=True, slots=True)
class IssuedCode:
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    person: Person
    auth_time: int
    expires_at: float

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str | None:
        return self.nonce

    def get_auth_time(self) -> int:
        return self.auth_time

    def get_acr(self) -> str | None:
        return None

    def get_amr(self) -> list[str] | None:
        return None


@dataclass(frozen=True, slots=True)
class IssuedRefreshToken:
    token: str
    client_id: str
    scope: str
    person: Person
    expires_at: float

    def check_client(self, client: RegisteredClient) -> bool:
        return client.client_id == self.client_id

    def get_scope(self) -> str:
        return self.scope

    def get_expires_in(self) -> int:
        return int(self.expires_at - time.time())

    def is_expired(self) -> bool:
        return time.time() >= self.expires_at

    def is_revoked(self) -> bool:
        return False


@dataclass
class Grants:
    """Codes and refresh tokens in flight, each used at most once."""

    codes: dict[str, IssuedCode] = field(default_factory=dict)
    refresh_tokens: dict[str, IssuedRefreshToken] = field(default_factory=dict)
    nonces: set[tuple[str, str]] = field(default_factory=set)
    assertion_ids: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def take_code(self, code: str, client_id: str) -> IssuedCode | None:
        with self.lock:
            issued = self.codes.get(code)
            if issued is None or issued.client_id != client_id or issued.expires_at < time.time():
                return None
            return issued

    def prune(self) -> None:
        now = time.time()
        with self.lock:
            for key in [k for k, c in self.codes.items() if c.expires_at < now]:
                del self.codes[key]
            for key in [k for k, t in self.refresh_tokens.items() if t.expires_at < now]:
                del self.refresh_tokens[key]


class _AuthorizationCodeGrant(grants.AuthorizationCodeGrant):  # type: ignore[misc]
    TOKEN_ENDPOINT_AUTH_METHODS = TOKEN_AUTH_METHODS

    def save_authorization_code(self, code: str, request: OAuth2Request) -> None:
        server: DevAuthorizationServer = self.server
        payload = request.payload
        issued = IssuedCode(
            code=code,
            client_id=payload.client_id,
            redirect_uri=payload.redirect_uri,
            scope=payload.scope or "",
            nonce=payload.data.get("nonce"),
            code_challenge=payload.data.get("code_challenge"),
            code_challenge_method=payload.data.get("code_challenge_method"),
            person=request.user,
            auth_time=int(time.time()),
            expires_at=time.time() + CODE_SECONDS,
        )
        with server.grants.lock:
            server.grants.codes[code] = issued
            if issued.nonce:
                server.grants.nonces.add((issued.client_id, issued.nonce))

    def query_authorization_code(self, code: str, client: RegisteredClient) -> IssuedCode | None:
        server: DevAuthorizationServer = self.server
        return server.grants.take_code(code, client.client_id)

    def delete_authorization_code(self, authorization_code: IssuedCode) -> None:
        server: DevAuthorizationServer = self.server
        with server.grants.lock:
            server.grants.codes.pop(authorization_code.code, None)

    def authenticate_user(self, authorization_code: IssuedCode) -> Person:
        return authorization_code.person


class _CodeChallenge(CodeChallenge):  # type: ignore[misc]
    """PKCE (S256 only) for every client, confidential ones too (OAuth 2.1 and the console's brief)."""

    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]

    def validate_code_challenge(self, grant: Any, redirect_uri: str) -> None:
        if not grant.request.payload.data.get("code_challenge"):
            raise InvalidRequestError("PKCE is required: send code_challenge with code_challenge_method S256")
        super().validate_code_challenge(grant, redirect_uri)

    def get_authorization_code_challenge(self, authorization_code: IssuedCode) -> str | None:
        return authorization_code.code_challenge

    def get_authorization_code_challenge_method(self, authorization_code: IssuedCode) -> str | None:
        return authorization_code.code_challenge_method


class _ClientCredentialsGrant(grants.ClientCredentialsGrant):  # type: ignore[misc]
    TOKEN_ENDPOINT_AUTH_METHODS = TOKEN_AUTH_METHODS


class _RefreshTokenGrant(grants.RefreshTokenGrant):  # type: ignore[misc]
    TOKEN_ENDPOINT_AUTH_METHODS = TOKEN_AUTH_METHODS
    INCLUDE_NEW_REFRESH_TOKEN = True  # rotation: each refresh token is used once

    def authenticate_refresh_token(self, refresh_token: str) -> IssuedRefreshToken | None:
        server: DevAuthorizationServer = self.server
        with server.grants.lock:
            issued = server.grants.refresh_tokens.get(refresh_token)
        return None if issued is None or issued.is_expired() else issued

    def authenticate_user(self, refresh_token: IssuedRefreshToken) -> Person:
        return refresh_token.person

    def revoke_old_credential(self, refresh_token: IssuedRefreshToken) -> None:
        server: DevAuthorizationServer = self.server
        with server.grants.lock:
            server.grants.refresh_tokens.pop(refresh_token.token, None)


class _OpenIDCode(OpenIDCode):  # type: ignore[misc]
    def __init__(self, server: DevAuthorizationServer) -> None:
        super().__init__(require_nonce=True)
        self.idp = server

    def exists_nonce(self, nonce: str, request: OAuth2Request) -> bool:
        with self.idp.grants.lock:
            return (request.payload.client_id, nonce) in self.idp.grants.nonces

    def resolve_client_private_key(self, client: RegisteredClient) -> OKPKey:
        return self.idp.signing_jwk

    def get_client_algorithm(self, client: RegisteredClient) -> str:
        return "EdDSA"

    def get_encode_header(self, client: RegisteredClient) -> dict[str, str]:
        return {"alg": "EdDSA", "kid": self.idp.signer.kid}

    def get_client_claims(self, client: RegisteredClient) -> dict[str, Any]:
        now = int(time.time())
        return {"iss": self.idp.signer.issuer, "aud": [client.client_id], "exp": now + 300}

    def generate_user_info(self, user: Person, scope: str) -> UserInfo:
        return UserInfo(user.claims)


class _PrivateKeyJwt(JWTBearerClientAssertion):  # type: ignore[misc]
    """private_key_jwt (RFC 7523 client authentication): the assertion is signed by the client's own key."""

    CLIENT_AUTH_METHOD = PRIVATE_KEY_JWT

    def __init__(self, server: DevAuthorizationServer) -> None:
        super().__init__(validate_jti=True, leeway=30)
        self.idp = server

    def get_audiences(self) -> list[str]:
        return [self.idp.token_endpoint, self.idp.signer.issuer]

    def process_assertion_claims(self, assertion: str, resolve_key: Any) -> dict[str, Any]:
        # joserfc accepts only "recommended" algorithms unless told; Ed25519 keys sign as "EdDSA" (PyJWT's
        # name, and the clients') or "Ed25519" (RFC 9864's): both are the same signature.
        try:
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", message=".*EdDSA is deprecated.*")
                token = jwt.decode(assertion, resolve_key, algorithms=["EdDSA", "Ed25519"])
        except JoseError as exc:
            raise InvalidClientError(description=exc.description) from exc
        self.verify_claims(token.claims)
        return dict(token.claims)

    def validate_jti(self, claims: Mapping[str, Any], jti: str) -> bool:
        with self.idp.grants.lock:
            if jti in self.idp.grants.assertion_ids:
                return False
            self.idp.grants.assertion_ids.add(jti)
            return True

    def resolve_client_public_key(self, client: RegisteredClient) -> dict[str, str]:
        if client.public_jwk is None:
            raise InvalidClientError(description="This client has no registered key.")
        return client.public_jwk


class DevAuthorizationServer(AuthorizationServer):  # type: ignore[misc]
    """Authlib's authorization server over plain request data (method, URL, headers, form)."""

    def __init__(
        self,
        registry: ClientRegistry,
        signer: DevIssuer,
        *,
        access_token_seconds: int,
        refresh_token_seconds: int,
    ) -> None:
        super().__init__(scopes_supported=["openid", "profile", "gateway"])
        self.registry = registry
        self.signer = signer
        self.signing_jwk = OKPKey.import_key(
            signer.key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
        self.access_token_seconds = access_token_seconds
        self.refresh_token_seconds = refresh_token_seconds
        self.grants = Grants()
        self.token_endpoint = signer.issuer.rstrip("/") + "/token"
        self.register_token_generator("default", self._generate_token)
        self.register_client_auth_method(PRIVATE_KEY_JWT, _PrivateKeyJwt(self))
        self.register_grant(_AuthorizationCodeGrant, [_CodeChallenge(required=True), _OpenIDCode(self)])
        self.register_grant(_ClientCredentialsGrant)
        self.register_grant(_RefreshTokenGrant)

    def query_client(self, client_id: str) -> RegisteredClient | None:
        return self.registry.get(client_id)

    def save_token(self, token: dict[str, Any], request: OAuth2Request) -> None:
        refresh = token.get("refresh_token")
        if refresh and request.user is not None:
            issued = IssuedRefreshToken(
                refresh,
                request.client.client_id,
                token.get("scope", ""),
                request.user,
                time.time() + self.refresh_token_seconds,
            )
            with self.grants.lock:
                self.grants.refresh_tokens[refresh] = issued
        self.grants.prune()

    def _generate_token(
        self,
        grant_type: str,
        client: RegisteredClient,
        user: Person | None = None,
        scope: str | None = None,
        expires_in: int | None = None,
        include_refresh_token: bool = True,
    ) -> dict[str, Any]:
        if user is not None:
            claims = dict(user.claims)
        elif client.service is not None:
            claims = client.service.claims()
        else:
            raise InvalidClientError(description="This client acts for no one.")
        claims["client_id"] = client.client_id
        if scope:
            claims["scope"] = scope
        access_token = self.signer.issue(claims, ttl_seconds=self.access_token_seconds)
        token: dict[str, Any] = {
            "token_type": "Bearer",
            "access_token": access_token,
            "expires_in": self.access_token_seconds,
        }
        if scope:
            token["scope"] = scope
        if include_refresh_token and user is not None and "refresh_token" in client.grant_types:
            token["refresh_token"] = secrets.token_urlsafe(48)
        return token

    def create_oauth2_request(self, request: HttpRequest | OAuth2Request) -> OAuth2Request:
        return request if isinstance(request, OAuth2Request) else _PlainRequest(request)

    def create_json_request(self, request: HttpRequest) -> JsonRequest:
        json_request = JsonRequest(request.method, request.url, request.headers)
        json_request.payload = JsonPayload(request.form)
        return json_request

    def handle_response(self, status: int, body: Any, headers: Any) -> tuple[int, Any, dict[str, str]]:
        return status, body, dict(headers or [])

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        return None


@dataclass(frozen=True, slots=True)
class HttpRequest:
    """What the protocol needs of an HTTP request, read by the web layer (method, URL, headers, form)."""

    method: str
    url: str
    headers: Mapping[str, str]  # case-insensitive, as the web framework gives them
    query: dict[str, str]
    form: dict[str, str]


class _PlainRequest(OAuth2Request):  # type: ignore[misc]
    """An OAuth2Request whose `args` and `form` come from an HttpRequest."""

    def __init__(self, http: HttpRequest) -> None:
        super().__init__(http.method, http.url, headers=http.headers)
        self._http = http
        self.payload = BasicOAuth2Payload({**http.query, **http.form})

    @property
    def args(self) -> dict[str, str]:
        return self._http.query

    @property
    def form(self) -> dict[str, str]:
        return self._http.form
