"""The per-request access record: what the request path learned about one request, for its audit event."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from gateway.auth.principal import Principal
from gateway.policy.decision import Decision

Outcome = Literal["allowed", "denied", "unauthenticated", "failed"]


@dataclass(slots=True)
class AccessRecord:
    """Filled in as the request passes each stage; the edge appends it to the audit log before responding."""

    request_id: str  # the gateway's own id for the request
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
    client_request_id: str | None = None  # the caller's x-request-id, recorded beside ours, never instead

    def outcome(self, status: int) -> Outcome:
        if self.auth_error is not None or status == 401:
            return "unauthenticated"
        if self.decision is not None and not self.decision.allow:
            return "denied"
        if status == 403:
            return "denied"
        if status >= 400 or self.failure is not None:
            return "failed"
        return "allowed"
