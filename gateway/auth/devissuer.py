"""The local development issuer: an Ed25519 key pair on disk and real signed tokens for personas."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import time
import uuid
from dataclasses import dataclass
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from gateway.settings import AuthSettings

PRIVATE_KEY_FILE = "signing-key.pem"
JWKS_FILE = "jwks.json"


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def public_jwk(key: Ed25519PrivateKey) -> dict[str, str]:
    """The public JWK with its RFC 7638 thumbprint as kid."""
    x = _b64url(key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))
    thumbprint = _b64url(
        hashlib.sha256(
            json.dumps({"crv": "Ed25519", "kty": "OKP", "x": x}, separators=(",", ":")).encode()
        ).digest()
    )
    return {"kty": "OKP", "crv": "Ed25519", "x": x, "kid": thumbprint, "alg": "EdDSA", "use": "sig"}


@dataclass(frozen=True, slots=True)
class DevIssuer:
    issuer: str
    audience: str
    key: Ed25519PrivateKey
    kid: str

    def issue(self, claims: dict[str, Any], *, ttl_seconds: int = 3600, now: int | None = None) -> str:
        """A signed token with iss, aud, iat, nbf, exp and jti filled in (claims may override them)."""
        issued = int(time.time()) if now is None else now
        payload: dict[str, Any] = {
            "iss": self.issuer,
            "aud": self.audience,
            "iat": issued,
            "nbf": issued,
            "exp": issued + ttl_seconds,
            "jti": uuid.uuid4().hex,
            **claims,
        }
        return jwt.encode(payload, self.key, algorithm="EdDSA", headers={"kid": self.kid})


def keygen(auth: AuthSettings, *, rotate: bool = False) -> DevIssuer:
    """Create the issuer key if absent (or a new one with `rotate`, keeping old public keys in the JWKS)."""
    directory = auth.dev_key_dir
    directory.mkdir(parents=True, exist_ok=True)
    private_path = directory / PRIVATE_KEY_FILE
    jwks_path = directory / JWKS_FILE
    if private_path.exists() and jwks_path.exists() and not rotate:
        return load_dev_issuer(auth)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    previous = json.loads(jwks_path.read_text())["keys"] if jwks_path.exists() else []
    jwk = public_jwk(key)
    # The newest key comes first; retired keys stay published so tokens already issued keep verifying.
    keys = [jwk, *[k for k in previous if k.get("kid") != jwk["kid"]]]
    tmp = private_path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    jwks_tmp = jwks_path.with_suffix(".tmp")
    jwks_tmp.write_text(json.dumps({"keys": keys}, indent=2) + "\n")
    os.replace(jwks_tmp, jwks_path)
    os.replace(tmp, private_path)
    return DevIssuer(auth.dev_issuer, auth.audience, key, jwk["kid"])


def load_dev_issuer(auth: AuthSettings) -> DevIssuer:
    private_path = auth.dev_key_dir / PRIVATE_KEY_FILE
    if not private_path.exists():
        raise FileNotFoundError(
            f"no development issuer key in {auth.dev_key_dir}: run `gateway tokens keygen`"
        )
    key = serialization.load_pem_private_key(private_path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("the development issuer key is not an Ed25519 key")
    return DevIssuer(auth.dev_issuer, auth.audience, key, public_jwk(key)["kid"])
