"""Bearer token verification: trusted issuers, allowed algorithms, required claims -> a Principal."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, cast, get_args

import httpx
import jwt

from gateway.auth.errors import AuthError
from gateway.auth.keys import ALGORITHM_KEY_TYPES, JwksSource
from gateway.auth.principal import OrganisationType, Principal
from gateway.settings import AuthSettings, IssuerSettings

REQUIRED_CLAIMS = ("exp", "iat", "iss", "aud", "sub", "jti")
TIME_CLAIMS = ("exp", "nbf", "iat")
ORGANISATION_TYPES: frozenset[str] = frozenset(get_args(OrganisationType))
MAX_TOKEN_LENGTH = 8192
MAX_TOKEN_ID_LENGTH = 200
# The area claim each organisation type carries; every other type carries none (a school's token naming an
# LA would otherwise be read as LA-wide scope by a rule that looks at la_code first).
AREA_CLAIMS: dict[str, frozenset[str]] = {
    "la": frozenset({"la_code"}),
    "school": frozenset({"urn"}),
    "trust": frozenset({"trust_id"}),
}


def dev_issuer_settings(auth: AuthSettings) -> IssuerSettings:
    """The local development issuer as a trusted issuer (its JWKS file sits beside its private key)."""
    return IssuerSettings(
        issuer=auth.dev_issuer,
        jwks_file=auth.dev_key_dir / "jwks.json",
        algorithms=["EdDSA"],
        max_token_seconds=auth.dev_max_token_seconds,
    )


def dev_idp_settings(auth: AuthSettings) -> IssuerSettings:
    """The development identity provider (`gateway idp serve`), trusted through its discovery document."""
    return IssuerSettings(
        issuer=auth.dev_idp_issuer,
        discovery_url=discovery_url(auth.dev_idp_issuer),
        algorithms=["EdDSA"],
        max_token_seconds=auth.dev_max_token_seconds,
    )


def discovery_url(issuer: str) -> str:
    return issuer.rstrip("/") + "/.well-known/openid-configuration"


def trusted_issuers(auth: AuthSettings) -> list[IssuerSettings]:
    issuers = list(auth.issuers)
    if auth.trust_dev_issuer:
        for dev in (dev_issuer_settings(auth), dev_idp_settings(auth)):
            if all(i.issuer != dev.issuer for i in issuers):
                issuers.append(dev)
    return issuers


def bearer_token(authorization: str | None) -> str:
    if authorization is None or not authorization.strip():
        raise AuthError("missing-token", "This request needs a bearer token (Authorization: Bearer ...).")
    scheme, _, token = authorization.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or " " in token:
        raise AuthError("malformed-token", "The Authorization header must be 'Bearer <token>'.")
    if len(token) > MAX_TOKEN_LENGTH:
        raise AuthError("malformed-token", "The bearer token is too long.")
    return token


class Authenticator:
    """Verifies bearer JWTs from the configured issuers. Never takes a key or key URL from the token."""

    def __init__(self, auth: AuthSettings, *, client: httpx.AsyncClient | None = None) -> None:
        self.leeway = auth.leeway_seconds
        self.audience = auth.audience  # one audience, this gateway's, whichever issuer signed
        self.issuers: dict[str, IssuerSettings] = {i.issuer: i for i in trusted_issuers(auth)}
        self.sources: dict[str, JwksSource] = {
            i.issuer: JwksSource(
                file=i.jwks_file,
                url=i.jwks_url,
                discovery_url=i.discovery_url,
                issuer=i.issuer,
                refetch_min_seconds=auth.jwks_refetch_min_seconds,
                cache_seconds=auth.jwks_cache_seconds,
                client=client,
            )
            for i in self.issuers.values()
        }

    async def authenticate(self, authorization: str | None) -> Principal:
        token = bearer_token(authorization)
        try:
            header = jwt.get_unverified_header(token)
            unverified = jwt.decode(token, options={"verify_signature": False})
        except jwt.PyJWTError as exc:
            raise AuthError("malformed-token", "The bearer token is not a well-formed JWT.") from exc
        algorithm = header.get("alg")
        if not isinstance(algorithm, str) or algorithm.lower() == "none":
            raise AuthError("alg-not-allowed", "Unsigned tokens (alg none) are refused.")
        issuer_name = unverified.get("iss")
        if not isinstance(issuer_name, str):
            raise AuthError("missing-claim", "The token has no issuer (iss).")
        issuer = self.issuers.get(issuer_name)
        if issuer is None:
            raise AuthError("unknown-issuer", "The token's issuer is not trusted by this gateway.")
        # Checked against the issuer's list before any key is touched: HS256-with-a-public-key never gets far.
        # The message is fixed: the header is the caller's text (it may hold CR/LF or any character).
        if algorithm not in issuer.algorithms or algorithm not in ALGORITHM_KEY_TYPES:
            raise AuthError("alg-not-allowed", "The token's algorithm is not allowed for this issuer.")
        check_claim_types(unverified)
        kid = header.get("kid")  # a string or absent: reading the header refused any other kid above
        key = await self.sources[issuer_name].key(kid, algorithm)
        claims = self._verify(token, key, algorithm, issuer)
        check_lifetime(claims, issuer.max_token_seconds)
        return principal_from_claims(claims, single_use=issuer.single_use)

    def _verify(self, token: str, key: jwt.PyJWK, algorithm: str, issuer: IssuerSettings) -> dict[str, Any]:
        try:
            return jwt.decode(
                token,
                key,
                algorithms=[algorithm],
                audience=self.audience,
                issuer=issuer.issuer,
                leeway=self.leeway,
                options={"require": list(REQUIRED_CLAIMS), "verify_sub": True},
            )
        except jwt.ExpiredSignatureError as exc:
            raise AuthError("token-expired", "The token has expired.") from exc
        except jwt.ImmatureSignatureError as exc:
            raise AuthError(
                "token-not-yet-valid", "The token is not valid yet (nbf or iat in the future)."
            ) from exc
        except jwt.InvalidAudienceError as exc:
            raise AuthError("wrong-audience", "The token is not meant for this gateway (aud).") from exc
        except jwt.MissingRequiredClaimError as exc:
            claim = exc.claim if exc.claim in REQUIRED_CLAIMS else "?"  # one of ours, never the token's text
            raise AuthError("missing-claim", f"The token lacks the required claim {claim}.") from exc
        except jwt.InvalidSignatureError as exc:
            raise AuthError("bad-signature", "The token's signature does not verify.") from exc
        # A wrong issuer, algorithm or encoding cannot reach here: `authenticate` already read the token
        # unverified (DecodeError), picked the issuer by its iss and the key by its alg. What is left (a
        # non-string sub, say) is one kind.
        except jwt.PyJWTError as exc:
            raise AuthError("invalid-token", "The token's claims are not valid.") from exc


def _is_time(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def check_claim_types(claims: Mapping[str, Any]) -> None:
    """exp, iat (and nbf when present) are NumericDates (RFC 7519 s.2): numbers, never strings or booleans
    (PyJWT would read "9999999999" or true as a time); jti, when present, a short string."""
    for name in TIME_CLAIMS:
        if name in claims and not _is_time(claims[name]):
            raise AuthError("invalid-claim", f"The claim {name} must be a number of seconds (NumericDate).")
    jti = claims.get("jti")
    if "jti" in claims and (not isinstance(jti, str) or not jti or len(jti) > MAX_TOKEN_ID_LENGTH):
        raise AuthError(
            "invalid-claim", f"The claim jti must be a string of 1 to {MAX_TOKEN_ID_LENGTH} characters."
        )


def check_lifetime(claims: Mapping[str, Any], max_seconds: int) -> None:
    """A token minted to live longer than its issuer's maximum is refused, however far from expiry it is."""
    if float(claims["exp"]) - float(claims["iat"]) > max_seconds:
        raise AuthError(
            "token-lifetime-too-long",
            f"The token's lifetime (exp - iat) is longer than this issuer's maximum of {max_seconds} seconds.",
        )


def principal_from_claims(claims: Mapping[str, Any], *, single_use: bool = False) -> Principal:
    """Check the gateway's own claims (org, org_type, roles, la_code / urn / trust_id, jti) and build the Principal."""
    organisation = _claim(claims, "org")
    if not isinstance(organisation, str) or not organisation.strip():
        raise AuthError("invalid-claim", "The claim org must be a non-empty string.")
    organisation_type = _claim(claims, "org_type")
    if organisation_type not in ORGANISATION_TYPES:
        raise AuthError(
            "invalid-claim", "The claim org_type must be one of " + ", ".join(sorted(ORGANISATION_TYPES))
        )
    roles = _claim(claims, "roles")
    if not isinstance(roles, list) or not all(isinstance(r, str) and r for r in roles):
        raise AuthError("invalid-claim", "The claim roles must be a list of role names.")
    area_claims = AREA_CLAIMS.get(organisation_type, frozenset())
    for name in ("la_code", "urn", "trust_id"):
        if name not in area_claims and claims.get(name) is not None:
            raise AuthError(
                "invalid-claim",
                f"The claim {name} does not belong on a token of organisation type {organisation_type}.",
            )
    la_code = _scope_claim(claims, "la_code", required=organisation_type == "la")
    urn = _scope_claim(claims, "urn", required=organisation_type == "school")
    trust_id = _scope_claim(claims, "trust_id", required=organisation_type == "trust")
    subject = claims["sub"]
    if not isinstance(subject, str) or not subject:
        raise AuthError("invalid-claim", "The claim sub must be a non-empty string.")
    jti = claims.get("jti")
    if not isinstance(jti, str) or not jti or len(jti) > MAX_TOKEN_ID_LENGTH:
        raise AuthError(
            "invalid-claim", f"The claim jti must be a string of 1 to {MAX_TOKEN_ID_LENGTH} characters."
        )
    return Principal(
        subject=subject,
        issuer=str(claims["iss"]),
        organisation=organisation,
        organisation_type=cast(OrganisationType, organisation_type),
        roles=tuple(roles),
        la_code=la_code,
        urn=urn,
        trust_id=trust_id,
        token_id=jti,
        expires_at=int(claims["exp"]),
        single_use=single_use,
    )


def _claim(claims: Mapping[str, Any], name: str) -> Any:
    if name not in claims:
        raise AuthError("missing-claim", f"The token lacks the required claim {name}.")
    return claims[name]


def _scope_claim(claims: Mapping[str, Any], name: str, *, required: bool) -> int | None:
    if name not in claims or claims[name] is None:
        if required:
            raise AuthError("missing-claim", f"The token lacks the required claim {name}.")
        return None
    value = claims[name]
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise AuthError("invalid-claim", f"The claim {name} must be a positive integer.")
    return value
