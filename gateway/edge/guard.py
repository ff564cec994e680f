"""The policy guard at the edge: decide, record the decision for the audit, refuse on deny or failure;
and the start-up check that every route declares a known policy action and goes through the prologue."""

from __future__ import annotations

import inspect
import time
from collections.abc import Mapping
from typing import Any, get_origin, get_type_hints

import structlog
from litestar import Litestar, Request
from litestar.handlers import BaseRouteHandler

from gateway.auth.principal import Principal
from gateway.edge.metrics import observe_decision
from gateway.edge.problems import ProblemError
from gateway.edge.public import is_public
from gateway.edge.scope_state import access_record
from gateway.edge.tracing import annotate, span
from gateway.policy.actions import ACTION_RESOURCES
from gateway.policy.decision import Decision
from gateway.policy.engine import PolicyEngine, PolicyEngineError
from gateway.policy.input import policy_input

log = structlog.get_logger("gateway.policy")

POLICY_ACTION = "policy_action"
GOVERNED_PARAMETER = "gov"


class PolicyDeclarationError(RuntimeError):
    """A non-public route does not declare its policy action, or skips the prologue: the app must not start."""


def declared_action(handler: BaseRouteHandler) -> str:
    """The action a route declares (once, in its opt); a route without a known one never starts."""
    action = handler.opt.get(POLICY_ACTION)
    if not isinstance(action, str) or action not in ACTION_RESOURCES:
        raise PolicyDeclarationError(f"{handler.handler_name}: no known policy action ({action!r})")
    return action


async def decide(engine: PolicyEngine, document: dict[str, Any]) -> Decision:
    """Decide without recording or raising on deny (explain uses this); 503 if the engine fails."""
    started = time.perf_counter()
    try:
        with span("decide") as current:
            decision = await engine.decide(document)
            outcome = "allow" if decision.allow else "deny"
            annotate(current, **{"decision.outcome": outcome, "decision.reasons": decision.reason_codes})
            annotate(current, **{"policy.revision": decision.revision})
    except PolicyEngineError as exc:
        observe_decision(None, time.perf_counter() - started)
        log.error("policy_engine_failed", error=str(exc)[:300])
        raise ProblemError(
            503, "policy-engine-unavailable", "The policy engine could not decide; no data was returned."
        ) from exc
    observe_decision(decision, time.perf_counter() - started)
    return decision


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


def denied(decision: Decision) -> ProblemError:
    return ProblemError(
        403,
        "access-denied",
        "The policy denied this request: " + ", ".join(decision.reason_codes) + ".",
        title="Access denied",
        reasons=[r.as_dict() for r in decision.reasons],
        revision=decision.revision,
    )


async def authorize(
    request: Request[Any, Any, Any],
    engine: PolicyEngine,
    *,
    action: str,
    purpose: str | None,
    agreement: str | None,
    reason: str | None,
    resource: Mapping[str, Any] | None,
) -> Decision:
    """Allow (returning the decision, whose obligations the route must apply) or raise 403/503 problem+json.
    What was asked and what was decided go on the request's access record either way."""
    principal = principal_of(request)
    record = access_record(request.scope)
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
        decision = await decide(engine, document)
    except ProblemError:
        if record is not None:
            record.failure = "policy-engine-unavailable"
        raise
    if record is not None:
        record.decision = decision
    if not decision.allow:
        raise denied(decision)
    return decision


def scope_denied(detail: str) -> ProblemError:
    """A request reaching past the principal's area: the same reason code the policy uses."""
    return ProblemError(
        403,
        "access-denied",
        detail,
        reasons=[
            {
                "code": "DENY_SCOPE_OUTSIDE_PRINCIPAL",
                "message": "outside the principal's scope",
                "citation": "the data-sharing agreement's area scope",
            }
        ],
    )


def _takes_governed(handler: BaseRouteHandler) -> bool:
    """The handler asks for the prologue's `gov: Governed[...]` (Litestar only runs dependencies asked for)
    and declares what it requests. (Imported here: the prologue's own module imports this one.)"""
    from gateway.edge.governed import GovernedRequest, undeclared_request

    fn = getattr(handler.fn, "__wrapped__", handler.fn)
    if GOVERNED_PARAMETER not in inspect.signature(fn).parameters:
        return False
    hint = get_type_hints(fn, include_extras=False).get(GOVERNED_PARAMETER)
    if not (hint is GovernedRequest or get_origin(hint) is GovernedRequest):
        return False
    requested = handler.resolve_dependencies().get("requested")
    return requested is not None and requested.dependency is not undeclared_request


def check_routes_declare_policy(app: Litestar) -> None:
    """Refuse to build an app in which a non-public route declares no (or an unknown) policy action, or does
    not take the governed prologue's object (so it could answer without a decision)."""
    missing: list[str] = []
    for route in app.routes:
        handlers = getattr(route, "route_handlers", None) or [getattr(route, "route_handler", None)]
        for handler in handlers:
            if not isinstance(handler, BaseRouteHandler) or is_public(handler):
                continue
            action = handler.opt.get(POLICY_ACTION)
            if action not in ACTION_RESOURCES:
                missing.append(f"{route.path} ({handler.handler_name}): {action!r}")
            elif not _takes_governed(handler):
                missing.append(f"{route.path} ({handler.handler_name}): does not take `gov: Governed`")
    if missing:
        raise PolicyDeclarationError(
            "routes without a known policy action or the governed prologue: " + "; ".join(sorted(missing))
        )
