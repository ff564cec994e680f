"""The policy guard routes call: build the decision input, decide, record, and refuse on deny or failure."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

import structlog
from litestar import Litestar, Request
from litestar.handlers import BaseRouteHandler

from gateway.auth.principal import Principal
from gateway.context import access_record
from gateway.policy.actions import ACTION_RESOURCES, REQUEST_KEYS
from gateway.policy.decision import Decision
from gateway.policy.engine import PolicyEngine, PolicyEngineError
from gateway.problems import ProblemError

log = structlog.get_logger("gateway.policy")


class PolicyDeclarationError(RuntimeError):
    """A non-public route does not declare its policy action: the app must not start."""


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


def engine_of(app: Litestar) -> PolicyEngine:
    engine = app.state.services.policy_engine
    if engine is None:
        raise ProblemError(
            503, "policy-engine-unavailable", "No policy engine is configured; no data was returned."
        )
    return engine  # type: ignore[no-any-return]


async def decide_for(request: Request[Any, Any, Any], policy_input_document: dict[str, Any]) -> Decision:
    """Decide without recording or raising on deny (used by the explain route); 503 if the engine fails."""
    try:
        return await engine_of(request.app).decide(policy_input_document)
    except PolicyEngineError as exc:
        log.error("policy_engine_failed", error=str(exc)[:300])
        raise ProblemError(
            503, "policy-engine-unavailable", "The policy engine could not decide; no data was returned."
        ) from exc


def principal_of(request: Request[Any, Any, Any]) -> Principal:
    principal = request.scope.get("user")
    if not isinstance(principal, Principal):
        # Only reachable if a route is wired without the authentication middleware: refuse, never guess.
        raise ProblemError(
            401,
            "missing-token",
            "This request needs a bearer token.",
            headers={"WWW-Authenticate": 'Bearer error="invalid_token", error_description="no principal"'},
        )
    return principal


async def authorize(
    request: Request[Any, Any, Any],
    *,
    action: str,
    purpose: str | None,
    agreement: str | None,
    reason: str | None,
    resource: Mapping[str, Any] | None,
) -> Decision:
    """Allow (returning the decision, whose obligations the route must apply) or raise 403/503 problem+json."""
    principal = principal_of(request)
    record = access_record(request.scope)  # type: ignore[arg-type]
    if record is not None:
        record.principal = principal
        record.action = action
        record.purpose = purpose or None
        record.agreement = agreement or None
        record.reason_given = bool(reason and reason.strip())
        record.reason_text = reason or None
    document = policy_input(
        principal, action=action, purpose=purpose, agreement=agreement, reason=reason, resource=resource
    )
    try:
        decision = await decide_for(request, document)
    except ProblemError:
        if record is not None:
            record.failure = "policy-engine-unavailable"
        raise
    if record is not None:
        record.decision = decision
    if not decision.allow:
        raise ProblemError(
            403,
            "access-denied",
            "The policy denied this request: " + ", ".join(decision.reason_codes) + ".",
            title="Access denied",
            reasons=[r.as_dict() for r in decision.reasons],
            revision=decision.revision,
        )
    return decision


def is_public(handler: BaseRouteHandler) -> bool:
    """Public handlers: opt {"public": True}, and the framework's own API-description pages."""
    if handler.opt.get("public") is True:
        return True
    module = getattr(getattr(handler, "fn", None), "__module__", "") or ""
    return module.startswith("litestar.")


def check_routes_declare_policy(app: Litestar) -> None:
    """Refuse to build an app in which a non-public route declares no (or an unknown) policy action."""
    missing: list[str] = []
    for route in app.routes:
        handlers = getattr(route, "route_handlers", None) or [getattr(route, "route_handler", None)]
        for handler in handlers:
            if not isinstance(handler, BaseRouteHandler) or is_public(handler):
                continue
            action = handler.opt.get("policy_action")
            if action not in ACTION_RESOURCES:
                missing.append(f"{route.path} ({handler.handler_name}): {action!r}")
    if missing:
        raise PolicyDeclarationError("routes without a known policy action: " + "; ".join(sorted(missing)))
