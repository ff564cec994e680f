"""Who may ask the development identity provider for tokens: the console and one service client per
department agreement, with their secrets and (for private_key_jwt) the public half of each client's key."""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from authlib.oauth2.rfc6749 import ClientMixin
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from gateway.auth.devissuer import public_jwk
from gateway.auth.personas import PERSONAS, Persona

REGISTRY_FILE = "clients.json"
CLIENT_KEYS_DIR = "client-keys"  # each service client's own private key: what a department would keep
CONSOLE_CLIENT_ID = "console"
SERVICE_ORGANISATION_TYPES = frozenset({"dfe", "ogd"})
SECRET_METHODS = ("client_secret_basic", "client_secret_post")
PRIVATE_KEY_JWT = "private_key_jwt"
TOKEN_AUTH_METHODS_SUPPORTED = (*SECRET_METHODS, PRIVATE_KEY_JWT)


@dataclass(frozen=True, slots=True)
class ServiceIdentity:
    """The claims a service client's tokens carry: the department and role its agreement is held by."""

    agreement: str
    persona: Persona

    def claims(self) -> dict[str, Any]:
        claims = self.persona.claims(0, 0)
        return {**claims, "sub": f"service:{self.agreement}", "agreement": self.agreement}


def service_identities() -> dict[str, ServiceIdentity]:
    """One service client per department agreement a persona stands for (client id = agreement id)."""
    identities: dict[str, ServiceIdentity] = {}
    for persona in PERSONAS.values():
        agreement = dict(persona.example_query).get("agreement")
        if persona.organisation_type in SERVICE_ORGANISATION_TYPES and agreement:
            identities.setdefault(agreement, ServiceIdentity(agreement, persona))
    return identities


@dataclass
class RegisteredClient(ClientMixin):  # type: ignore[misc]
    """A client as Authlib's grants see it."""

    client_id: str
    secret: str
    grant_types: tuple[str, ...]
    redirect_uris: tuple[str, ...] = ()
    public_jwk: dict[str, str] | None = None
    service: ServiceIdentity | None = None
    auth_methods: tuple[str, ...] = field(default=SECRET_METHODS)

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str | None:
        return self.redirect_uris[0] if self.redirect_uris else None

    def get_allowed_scope(self, scope: str | None) -> str:
        allowed = {"openid", "profile", "gateway"}
        return " ".join(s for s in (scope or "").split() if s in allowed)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret: str) -> bool:
        return secrets.compare_digest(client_secret.encode(), self.secret.encode())

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return endpoint == "token" and method in self.auth_methods

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code" and "authorization_code" in self.grant_types

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type in self.grant_types


@dataclass(frozen=True, slots=True)
class ClientRegistry:
    clients: dict[str, RegisteredClient]
    directory: Path

    def get(self, client_id: str) -> RegisteredClient | None:
        return self.clients.get(client_id)

    def client_key_file(self, client_id: str) -> Path:
        return self.directory / CLIENT_KEYS_DIR / f"{client_id}.pem"


def _write_private(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(tmp, path)


def _client_key(path: Path) -> Ed25519PrivateKey:
    if path.exists():
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError(f"{path} is not an Ed25519 key")
        return key
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    _write_private(path, pem)
    return key


def load_registry(directory: Path, console_redirect_uris: list[str]) -> ClientRegistry:
    """Read the registry, adding (and keeping, mode 0600) a secret for any client that has none yet."""
    path = directory / REGISTRY_FILE
    stored: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
    wanted = [CONSOLE_CLIENT_ID, *service_identities()]
    if any(client_id not in stored for client_id in wanted):
        stored = {client_id: stored.get(client_id) or secrets.token_urlsafe(32) for client_id in wanted}
        _write_private(path, (json.dumps(stored, indent=2, sort_keys=True) + "\n").encode())
    clients = {
        CONSOLE_CLIENT_ID: RegisteredClient(
            CONSOLE_CLIENT_ID,
            stored[CONSOLE_CLIENT_ID],
            ("authorization_code", "refresh_token"),
            redirect_uris=tuple(console_redirect_uris),
        )
    }
    for client_id, identity in service_identities().items():
        key = _client_key(directory / CLIENT_KEYS_DIR / f"{client_id}.pem")
        clients[client_id] = RegisteredClient(
            client_id,
            stored[client_id],
            ("client_credentials",),
            public_jwk=public_jwk(key),
            service=identity,
            auth_methods=(*SECRET_METHODS, PRIVATE_KEY_JWT),
        )
    return ClientRegistry(clients, directory)
