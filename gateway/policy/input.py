"""Build the decision input document (see policies/README.md) from what the gateway knows of a request."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from gateway.auth.principal import Principal
from gateway.policy.actions import ACTION_RESOURCES, REQUEST_KEYS


def utc_now() -> str:
    """The decision time, to the minute: enough for any validity rule, and equal inputs share a decision."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:00Z")


def request_document(action: str, resource: Mapping[str, Any] | None) -> dict[str, Any]:
    """The `request` part of the input, every key present, dates as ISO strings, fields as a list."""
    given = dict(resource or {})
    unknown = set(given) - set(REQUEST_KEYS)
    if unknown:
        raise ValueError(f"unknown policy request keys: {sorted(unknown)}")
    document: dict[str, Any] = {key: given.get(key) for key in REQUEST_KEYS}
    if document["resource"] is None:
        document["resource"] = ACTION_RESOURCES.get(action)
    document["fields"] = list(document["fields"] or [])
    for key in ("date_from", "date_to"):
        if isinstance(document[key], date):
            document[key] = document[key].isoformat()
    return document


def policy_input(
    principal: Principal,
    *,
    action: str,
    purpose: str | None,
    agreement: str | None,
    reason: str | None,
    resource: Mapping[str, Any] | None,
    now: str | None = None,
) -> dict[str, Any]:
    """The decision input contract (see policies/README.md)."""
    return {
        "principal": principal.policy_input(),
        "action": action,
        "purpose": purpose or None,
        "agreement": agreement or None,
        "reason": reason or None,
        "now": now or utc_now(),
        "request": request_document(action, resource),
    }
