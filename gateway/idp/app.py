"""The development identity provider as a Litestar app of its own: discovery, JWKS, the persona picker
(authorization endpoint) and the token endpoint. Run by `gateway idp serve`; never part of the gateway."""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
import secrets
import warnings
from typing import Any
from urllib.parse import urlsplit

from authlib.oauth2 import OAuth2Error
from litestar import Litestar, Request, Response, get, post
from litestar.datastructures import Cookie, State
from litestar.enums import MediaType

from gateway.auth.devissuer import JWKS_FILE, keygen
from gateway.auth.personas import DEFAULT_LA, DEFAULT_URN, PERSONAS, persona_claims
from gateway.console.rendering import page, static_router
from gateway.idp.registry import TOKEN_AUTH_METHODS_SUPPORTED, load_registry
from gateway.idp.server import DevAuthorizationServer, HttpRequest, Person
from gateway.settings import Settings

CSRF_COOKIE = "idp_csrf"
# The authorization request's own parameters, carried through the picker form unchanged.
AUTHORIZE_PARAMS = (
    "response_type", "client_id", "redirect_uri", "scope", "state", "nonce",
    "code_challenge", "code_challenge_method", "prompt",
)  # fmt: skip


def discovery_document(issuer: str) -> dict[str, Any]:
    base = issuer.rstrip("/")
    return {
        "issuer": issuer,
        "authorization_endpoint": f"{base}/authorize",
        "token_endpoint": f"{base}/token",
        "jwks_uri": f"{base}/jwks.json",
        "response_types_supported": ["code"],
        "grant_types_supported": ["authorization_code", "refresh_token", "client_credentials"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["EdDSA"],
        "token_endpoint_auth_methods_supported": list(TOKEN_AUTH_METHODS_SUPPORTED),
        "token_endpoint_auth_signing_alg_values_supported": ["EdDSA"],
        "code_challenge_methods_supported": ["S256"],
        "scopes_supported": ["openid", "profile", "gateway"],
        "claims_supported": ["sub", "org", "org_type", "roles", "la_code", "urn", "trust_id", "agreement"],
    }


async def http_request(request: Request[Any, Any, Any]) -> HttpRequest:
    form = dict(await request.form()) if request.method == "POST" else {}
    return HttpRequest(
        method=request.method,
        url=str(request.url),
        headers=request.headers,
        query={k: str(v) for k, v in request.query_params.items()},
        form={k: str(v) for k, v in form.items()},
    )


def _as_response(result: tuple[int, Any, dict[str, str]]) -> Response[Any]:
    status, body, headers = result
    if isinstance(body, dict):
        headers = {**headers, "Cache-Control": "no-store"}
        return Response(json.dumps(body), status_code=status, headers=headers, media_type=MediaType.JSON)
    return Response(body or "", status_code=status, headers=headers)


def _parse_scope_number(text: str | None, default: int) -> int | None:
    if not text:
        return default
    return int(text) if text.isdigit() and 0 < int(text) < 10**7 else None


def create_idp_app(settings: Settings) -> Litestar:
    issuer = settings.auth.dev_idp_issuer
    signer = dataclasses.replace(keygen(settings.auth), issuer=issuer)
    registry = load_registry(settings.idp.clients_dir, settings.idp.console_redirect_uris)
    server = DevAuthorizationServer(
        registry,
        signer,
        access_token_seconds=settings.idp.access_token_seconds,
        refresh_token_seconds=settings.idp.refresh_token_seconds,
    )
    form_key = secrets.token_bytes(32)  # per process: a restart invalidates open picker forms

    def form_token(cookie: str) -> str:
        return hmac.new(form_key, cookie.encode(), hashlib.sha256).hexdigest()

    def error_page(status: int, title: str, text: str) -> Response[str]:
        return page("message.html", {"title": title, "paragraphs": [text]}, status_code=status)

    @get("/.well-known/openid-configuration", media_type=MediaType.JSON)
    async def discovery() -> dict[str, Any]:
        return discovery_document(issuer)

    @get("/jwks.json", media_type=MediaType.JSON)
    async def jwks() -> Any:
        return json.loads((settings.auth.dev_key_dir / JWKS_FILE).read_text())

    @get("/authorize")
    async def authorize_form(request: Request[Any, Any, Any]) -> Response[str]:
        http = await http_request(request)
        try:
            grant = server.get_consent_grant(http)
        except OAuth2Error as exc:
            return error_page(400, "Sign-in request refused", str(exc.description or exc.error))
        redirect_uri = grant.request.payload.redirect_uri or grant.client.get_default_redirect_uri()
        redirect_origin = "{0.scheme}://{0.netloc}".format(urlsplit(redirect_uri))
        cookie = secrets.token_urlsafe(32)
        personas = [
            {"value": p.name, "text": p.name, "hint": {"text": p.description}, "checked": i == 0}
            for i, p in enumerate(PERSONAS.values())
        ]
        return page(
            "idp_picker.html",
            {
                "title": "Sign in as a persona",
                "home_url": "/authorize",
                "client_id": grant.client.client_id,
                "action": "/authorize",
                "csrf_token": form_token(cookie),
                "request_params": [(k, http.query[k]) for k in AUTHORIZE_PARAMS if k in http.query],
                "personas": personas,
                "la_code": str(DEFAULT_LA),
                "urn": str(DEFAULT_URN),
            },
            form_action=[redirect_origin],
            cookies=[
                Cookie(
                    key=CSRF_COOKIE,
                    value=cookie,
                    path="/authorize",
                    httponly=True,
                    samesite="strict",
                    max_age=600,
                )
            ],
        )

    @post("/authorize", status_code=302)
    async def authorize_submit(request: Request[Any, Any, Any]) -> Response[Any]:
        http = await http_request(request)
        cookie = request.cookies.get(CSRF_COOKIE, "")
        if not cookie or not hmac.compare_digest(form_token(cookie), http.form.get("csrf_token", "")):
            return error_page(403, "Sign-in form expired", "Go back to the service and sign in again.")
        persona = http.form.get("persona", "")
        la_code = _parse_scope_number(http.form.get("la_code"), DEFAULT_LA)
        urn = _parse_scope_number(http.form.get("urn"), DEFAULT_URN)
        if persona not in PERSONAS or la_code is None or urn is None:
            return error_page(
                400, "Sign-in refused", "Choose a persona, and give the LA code and URN as numbers."
            )
        # The authorization request is read from the form (the picker carried it), not the query string.
        try:
            grant = server.get_consent_grant(dataclasses.replace(http, query={}))
        except OAuth2Error as exc:
            return error_page(400, "Sign-in request refused", str(exc.description or exc.error))
        person = Person(persona_claims(persona, la_code=la_code, urn=urn))
        return _as_response(server.create_authorization_response(grant.request, person, grant))

    @post("/token", status_code=200)
    async def token(request: Request[Any, Any, Any]) -> Response[Any]:
        http = await http_request(request)
        with warnings.catch_warnings():
            # The ID token is signed with the Ed25519 key published as alg "EdDSA" (as PyJWT and the
            # gateway name it); joserfc warns that RFC 9864 prefers "Ed25519": same key, same signature.
            warnings.filterwarnings("ignore", message=".*EdDSA is deprecated.*")
            return _as_response(server.create_token_response(server.create_oauth2_request(http)))

    return Litestar(
        route_handlers=[discovery, jwks, authorize_form, authorize_submit, token, static_router()],
        debug=False,
        logging_config=None,
        openapi_config=None,
        state=State({"authorization_server": server}),
    )
