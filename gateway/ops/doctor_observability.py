"""`gateway doctor`'s checks of the observability settings: the /metrics scrape token is strong enough to
stand in for an identity (in production), and the OTLP traces endpoint is a URL an exporter can post to."""

from __future__ import annotations

import math
import string
from urllib.parse import urlsplit

from gateway.auth.keys import LOOPBACK_HOSTS
from gateway.ops.doctor import Finding
from gateway.settings import Settings

# A scrape token is a shared secret compared as a whole: 128 bits is what `secrets.token_urlsafe(16)` gives
# (22 characters); anything under it is guessable in a way a signed token is not.
MIN_TOKEN_BITS = 128
MIN_TOKEN_CHARS = 20
GENERATE_COMMAND = "python -c 'import secrets; print(secrets.token_urlsafe(32))'"
CHARACTER_CLASSES = (string.ascii_lowercase, string.ascii_uppercase, string.digits)
OTHER_CHARACTERS = 33  # printable ASCII outside the three classes above
TRACES_PATH = "/v1/traces"


def token_bits(token: str) -> float:
    """An upper bound on the token's entropy: its length times log2 of the alphabet its character classes
    span, and no more than its distinct characters could carry (so "aaaa…" or "abab…" scores low)."""
    if not token:
        return 0.0
    alphabet = sum(len(c) for c in CHARACTER_CLASSES if any(ch in c for ch in token))
    alphabet += OTHER_CHARACTERS if any(not any(ch in c for c in CHARACTER_CLASSES) for ch in token) else 0
    by_classes = len(token) * math.log2(max(alphabet, 2))
    distinct = len(set(token))
    by_distinct = len(token) * math.log2(distinct) if distinct > 1 else 0.0
    return min(by_classes, by_distinct)


def metrics_token_finding(settings: Settings) -> Finding:
    check = "metrics.token"
    if settings.metrics_token is None:
        return Finding(check, "ok", "/metrics is off (no GATEWAY_METRICS_TOKEN): it answers 404")
    token = settings.metrics_token.get_secret_value()
    bits = token_bits(token)
    if len(token) >= MIN_TOKEN_CHARS and bits >= MIN_TOKEN_BITS:
        return Finding(check, "ok", f"/metrics needs a {len(token)}-character bearer token")
    # Never the token itself: only its length and the estimate.
    detail = f"GATEWAY_METRICS_TOKEN is weak ({len(token)} characters, about {int(bits)} bits; needs {MIN_TOKEN_BITS})"
    fix = f"set GATEWAY_METRICS_TOKEN to a random token, e.g. {GENERATE_COMMAND}"
    return Finding(check, "fail" if settings.environment == "production" else "warn", detail, fix)


def tracing_endpoint_finding(settings: Settings) -> Finding:
    check = "tracing.endpoint"
    endpoint = settings.tracing_otlp_endpoint
    if not endpoint:
        return Finding(check, "ok", "traces are off (no GATEWAY_TRACING_OTLP_ENDPOINT)")
    fix = "set GATEWAY_TRACING_OTLP_ENDPOINT to the collector's OTLP/HTTP URL, e.g. http://collector:4318/v1/traces"
    try:
        parts = urlsplit(endpoint)
        port = parts.port
    except ValueError as exc:
        return Finding(check, "fail", f"not a URL: {exc}", fix)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return Finding(check, "fail", "not an http(s) URL with a host", fix)
    if parts.username is not None or parts.password is not None:
        # The URL would be logged and shown; a collector's credentials belong in headers, not here.
        return Finding(
            check, "fail", "the URL carries credentials", "remove the user and password from the URL"
        )
    where = f"{parts.scheme}://{parts.hostname}" + (f":{port}" if port else "") + parts.path
    if not parts.path.endswith(TRACES_PATH):
        return Finding(
            check, "warn", f"{where} does not end in {TRACES_PATH}: the exporter posts to it as given", fix
        )
    remote = parts.hostname not in LOOPBACK_HOSTS
    if settings.environment == "production" and parts.scheme == "http" and remote:
        detail = f"{where}: spans (routes, decisions, timings) would cross the network unencrypted"
        return Finding(check, "warn", detail, "use https, or a collector on the same host")
    return Finding(check, "ok", f"traces are exported to {where}")


def observability_findings(settings: Settings) -> list[Finding]:
    return [metrics_token_finding(settings), tracing_endpoint_finding(settings)]
