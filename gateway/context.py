"""The per-request access record: what the pipeline learned about a request, for the audit event."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from gateway.auth.principal import Principal
from gateway.policy.decision import Decision

Outcome = Literal["allowed", "denied", "unauthenticated", "failed"]
ACCESS_STATE_KEY = "access"


@dataclass(slots=True)
class AccessRecord:
    """Filled in as the request passes each stage; the audit middleware writes it before responding."""

    request_id: str
    method: str
    route: str  # the route template, never the raw path (it may hold identifiers)
    client: str | None = None
    principal: Principal | None = None
    action: str | None = None
    purpose: str | None = None
    agreement: str | None = None
    reason_given: bool = False  # free-text reasons are stored hashed by audit, never logged
    reason_text: str | None = None
    params: dict[str, Any] = field(default_factory=dict)  # normalised; pupil ids only as keyed hashes
    decision: Decision | None = None
    auth_error: str | None = None
    rows_returned: int | None = None
    subject_upns: set[str] = field(default_factory=set)  # hashed by audit before storage
    failure: str | None = None

    def outcome(self, status: int) -> Outcome:
        if self.auth_error is not None or status == 401:
            return "unauthenticated"
        if self.decision is not None and not self.decision.allow:
            return "denied"
        if status == 403:
            return "denied"
        if status >= 500 or self.failure is not None:
            return "failed"
        if status >= 400:
            return "failed"
        return "allowed"


def access_record(scope: dict[str, Any]) -> AccessRecord | None:
    """The request's record, if the audit middleware created one."""
    state = scope.get("state") or {}
    record = state.get(ACCESS_STATE_KEY)
    return record if isinstance(record, AccessRecord) else None
