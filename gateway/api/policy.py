"""Policy routes: explain a decision without data, and reload the policy bundle."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any

from litestar import get, post
from litestar.params import QueryParameter

from gateway.api.params import (
    FIELDS_PATTERN,
    IDENTIFIER_PATTERN,
    REGION_PATTERN,
    TEXT_PATTERN,
    LaCode,
    OptionalDate,
    Urn,
)
from gateway.edge.governed import Governed, Requested, governed_route
from gateway.edge.guard import decide
from gateway.edge.problems import ProblemError, problem_responses
from gateway.policy.decision import obligations_as_dict
from gateway.policy.engine import PolicyEngineError
from gateway.policy.input import policy_input

_EXPLAIN_ERRORS = problem_responses(400, 401, 503)  # explaining is never denied to a signed-in caller


@dataclass(frozen=True, slots=True)
class ExplainRequested(Requested):
    """Explaining is itself decided (decisions.explain); what it explains rides along, undecided."""

    explained: dict[str, Any] = field(default_factory=dict)


def explain_request(
    action: Annotated[
        str,
        QueryParameter(
            description="The policy action to explain, e.g. pupils.list",
            max_length=100,
            pattern=IDENTIFIER_PATTERN,
        ),
    ],
    purpose: Annotated[
        str | None,
        QueryParameter(
            description="The purpose the request would state", max_length=100, pattern=IDENTIFIER_PATTERN
        ),
    ] = None,
    agreement: Annotated[
        str | None,
        QueryParameter(
            description="The data-sharing agreement it would name", max_length=100, pattern=IDENTIFIER_PATTERN
        ),
    ] = None,
    reason: Annotated[
        str | None,
        QueryParameter(
            description="The reason for access it would give", max_length=500, pattern=TEXT_PATTERN
        ),
    ] = None,
    resource: Annotated[
        str | None,
        QueryParameter(
            description="Resource kind (default: the action's)", max_length=100, pattern=IDENTIFIER_PATTERN
        ),
    ] = None,
    fields: Annotated[
        str | None,
        QueryParameter(description="Comma-separated field names", max_length=1000, pattern=FIELDS_PATTERN),
    ] = None,
    level: Annotated[
        str | None,
        QueryParameter(
            description="national, region, la, school or pupil", max_length=20, pattern=IDENTIFIER_PATTERN
        ),
    ] = None,
    region: Annotated[
        str | None, QueryParameter(description="Region name", max_length=40, pattern=REGION_PATTERN)
    ] = None,
    la_code: LaCode = None,
    urn: Urn = None,
    date_from: OptionalDate = None,
    date_to: OptionalDate = None,
    breakdown: Annotated[
        str | None,
        QueryParameter(description="Breakdown, e.g. fsm", max_length=40, pattern=IDENTIFIER_PATTERN),
    ] = None,
) -> ExplainRequested:
    return ExplainRequested(
        explained={
            "action": action,
            "purpose": purpose,
            "agreement": agreement,
            "reason": reason,
            "resource": {
                "resource": resource,
                "fields": [f.strip() for f in fields.split(",") if f.strip()] if fields else [],
                "level": level,
                "region": region,
                "la_code": la_code,
                "urn": urn,
                "date_from": date_from,
                "date_to": date_to,
                "breakdown": breakdown,
            },
        }
    )


@get(
    "/v1/decisions/explain",
    **governed_route("decisions.explain", requested=explain_request),
    summary="Would I be allowed this, and why? (no data is returned)",
    tags=["policy"],
    responses=_EXPLAIN_ERRORS,
)
async def explain_decision(gov: Governed[ExplainRequested]) -> dict[str, Any]:
    """The decision the policy would make for the caller's own request: allow, reasons, obligations, revision."""
    explained = gov.requested.explained
    document = policy_input(
        gov.principal,
        action=explained["action"],
        purpose=explained["purpose"],
        agreement=explained["agreement"],
        reason=explained["reason"],
        resource=explained["resource"],
    )
    decision = await decide(gov.services.policy_engine, document)
    gov.release(0)
    return {
        "action": explained["action"],
        "allow": decision.allow,
        "reasons": [r.as_dict() for r in decision.reasons],
        "obligations": obligations_as_dict(decision.obligations) if decision.allow else None,
        "revision": decision.revision,
        "engine": decision.engine,
    }


def reload_request() -> Requested:
    return Requested()


@post(
    "/v1/admin/policies/reload",
    **governed_route("policies.reload", requested=reload_request),
    summary="Recompile the policy bundle from disk",
    tags=["policy"],
    status_code=200,
    responses=problem_responses(401, 403, 422, 503),
)
async def reload_policies(gov: Governed[Requested]) -> dict[str, str]:
    """Reload the bundle; a bundle that does not compile is refused and the running one stays."""
    engine = gov.services.policy_engine
    previous = engine.revision
    try:
        revision = await engine.reload()
    except (PolicyEngineError, OSError, ValueError) as exc:
        raise ProblemError(
            422,
            "policy-bundle-invalid",
            "The policy bundle on disk does not compile; the running bundle stays.",
        ) from exc
    gov.release(0)
    return {"previous_revision": previous, "revision": revision}


POLICY_ROUTES = [explain_decision, reload_policies]
