"""What the edge keeps in an ASGI scope's state: the request id and the request's access record."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gateway.audit.record import AccessRecord

ACCESS_STATE_KEY = "access"
REQUEST_ID_KEY = "request_id"
CLIENT_REQUEST_ID_KEY = "client_request_id"


def _state(scope: Mapping[str, Any]) -> Mapping[str, Any]:
    state = scope.get("state")
    return state if isinstance(state, Mapping) else {}


def access_record(scope: Mapping[str, Any]) -> AccessRecord | None:
    """The request's record, if the audit trail created one."""
    record = _state(scope).get(ACCESS_STATE_KEY)
    return record if isinstance(record, AccessRecord) else None


def request_id_of(scope: Mapping[str, Any]) -> str | None:
    request_id = _state(scope).get(REQUEST_ID_KEY)
    return request_id if isinstance(request_id, str) and request_id else None


def client_request_id_of(scope: Mapping[str, Any]) -> str | None:
    supplied = _state(scope).get(CLIENT_REQUEST_ID_KEY)
    return supplied if isinstance(supplied, str) else None


def problem_instance(scope: Mapping[str, Any]) -> str | None:
    """The RFC 9457 `instance` of a problem answered to this request."""
    request_id = request_id_of(scope)
    return f"urn:request:{request_id}" if request_id else None
