"""Build an audit event's canonical content from the request's AccessRecord (pupil ids as keyed hashes)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import orjson

from gateway.audit.checkpoint import format_time
from gateway.audit.keys import subject_hash
from gateway.audit.record import AccessRecord
from gateway.identifiers import is_upn_shaped

EVENT_VERSION = 1
PUPIL_PARAM_NAMES = frozenset({"upn", "upns", "pupil", "pupil_upn", "subject_upn"})
HASH_PREFIX = "hmac-sha256:"
MAX_PARAM_CHARS = 512  # a query value longer than this is recorded truncated, with its length


def _clean(text: str) -> str:
    # PostgreSQL's jsonb cannot hold NUL; an attacker must not be able to make the audit write fail.
    return text.replace("\x00", "\ufffd")


def _clean_optional(text: str | None) -> str | None:
    return None if text is None else _clean(text)


def normalise_value(name: str, value: Any, subject_key: bytes) -> Any:
    """A parameter value as recorded: pupil identifiers keyed-hashed, strings bounded, structure kept."""
    if isinstance(value, list | tuple | set | frozenset):
        return [normalise_value(name, v, subject_key) for v in value]
    if isinstance(value, dict):
        return {str(k): normalise_value(str(k), v, subject_key) for k, v in value.items()}
    if value is None or isinstance(value, bool | int):
        return value
    text = _clean(str(value))
    if name.lower() in PUPIL_PARAM_NAMES or is_upn_shaped(text):
        return HASH_PREFIX + subject_hash(subject_key, text).hex()
    if len(text) > MAX_PARAM_CHARS:
        return {"truncated": text[:MAX_PARAM_CHARS], "length": len(text)}
    return text


def normalise_params(params: Mapping[str, Any], subject_key: bytes) -> dict[str, Any]:
    return {_clean(str(k)): normalise_value(str(k), v, subject_key) for k, v in sorted(params.items())}


def query_params(query_string: bytes) -> dict[str, Any]:
    """Query parameters from the raw query string; repeated names become lists."""
    from urllib.parse import parse_qsl

    out: dict[str, Any] = {}
    for key, value in parse_qsl(
        query_string.decode("latin-1"), keep_blank_values=True, encoding="utf-8", errors="replace"
    ):
        if key in out:
            existing = out[key]
            out[key] = [*existing, value] if isinstance(existing, list) else [existing, value]
        else:
            out[key] = value
    return out


def event_content(
    record: AccessRecord,
    *,
    status: int,
    duration_s: float,
    occurred_at: datetime,
    subject_key: bytes,
    request_params: Mapping[str, Any] | None = None,
) -> tuple[str, list[bytes]]:
    """The event's canonical JSON text (what is hashed and stored) and the subject hashes to index."""
    principal = record.principal
    decision = record.decision
    obligations = decision.obligations if decision is not None else None
    subjects = sorted({subject_hash(subject_key, upn) for upn in record.subject_upns})
    params = {**(request_params or {}), **record.params}
    body: dict[str, Any] = {
        "v": EVENT_VERSION,
        "time": format_time(occurred_at),
        "request_id": record.request_id,
        "client_request_id": None
        if record.client_request_id is None
        else normalise_value("client_request_id", record.client_request_id, subject_key),
        "principal": None
        if principal is None
        else {
            "subject": principal.subject,
            "issuer": principal.issuer,
            "organisation": principal.organisation,
            "organisation_type": principal.organisation_type,
            "roles": list(principal.roles),
            "la_code": principal.la_code,
            "urn": principal.urn,
            "token_id": principal.token_id,
        },
        "client": record.client,
        "method": record.method,
        "route": record.route,
        "params": normalise_params(params, subject_key),
        "action": record.action,
        "purpose": _clean_optional(record.purpose or (obligations.purpose if obligations else None)),
        "agreement": _clean_optional(record.agreement or (obligations.agreement if obligations else None)),
        "legal_gateway": obligations.legal_gateway if obligations else None,
        "outcome": record.outcome(status),
        "allow": None if decision is None else decision.allow,
        "reasons": [] if decision is None else decision.reason_codes,
        "policy_revision": None if decision is None else decision.revision,
        "policy_engine": None if decision is None else decision.engine,
        "obligations_digest": None if obligations is None else obligations.digest(),
        "status": status,
        "rows_returned": record.rows_returned,
        "duration_us": round(duration_s * 1_000_000),
        "reason_given": record.reason_given or bool(record.reason_text),
        "reason_text": None if record.reason_text is None else _clean(record.reason_text),
        "auth_error": record.auth_error,
        "failure": record.failure,
        "subjects": [s.hex() for s in subjects],
    }
    return orjson.dumps(body, option=orjson.OPT_SORT_KEYS).decode(), subjects
