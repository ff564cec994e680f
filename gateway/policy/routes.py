"""Policy routes: explain a decision without data, and reload the policy bundle."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from litestar import Request, get, post
from litestar.params import QueryParameter

from gateway.api.params import FIELDS_PATTERN, IDENTIFIER_PATTERN, REGION_PATTERN, TEXT_PATTERN
from gateway.policy.decision import obligations_as_dict
from gateway.policy.engine import PolicyEngineError
from gateway.policy.guard import authorize, decide_for, engine_of, policy_input, principal_of
from gateway.problems import ProblemError, problem_responses

_EXPLAIN_ERRORS = problem_responses(400, 401, 503)  # explaining is never denied to a signed-in caller


@get(
    "/v1/decisions/explain",
    opt={"policy_action": "decisions.explain"},
    summary="Would I be allowed this, and why? (no data is returned)",
    tags=["policy"],
    security=[{"bearer": []}],
    responses=_EXPLAIN_ERRORS,
)
async def explain_decision(
    request: Request[Any, Any, Any],
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
    la_code: Annotated[int | None, QueryParameter(description="LA code asked for")] = None,
    urn: Annotated[int | None, QueryParameter(description="School URN asked for")] = None,
    date_from: Annotated[date | None, QueryParameter(description="First day of the period")] = None,
    date_to: Annotated[date | None, QueryParameter(description="Last day of the period")] = None,
    breakdown: Annotated[
        str | None,
        QueryParameter(description="Breakdown, e.g. fsm", max_length=40, pattern=IDENTIFIER_PATTERN),
    ] = None,
) -> dict[str, Any]:
    """The decision the policy would make for the caller's own request: allow, reasons, obligations, revision."""
    await authorize(
        request, action="decisions.explain", purpose=None, agreement=None, reason=None, resource=None
    )
    requested = {
        "resource": resource,
        "fields": [f.strip() for f in fields.split(",") if f.strip()] if fields else [],
        "level": level,
        "region": region,
        "la_code": la_code,
        "urn": urn,
        "date_from": date_from,
        "date_to": date_to,
        "breakdown": breakdown,
    }
    document = policy_input(
        principal_of(request),
        action=action,
        purpose=purpose,
        agreement=agreement,
        reason=reason,
        resource=requested,
    )
    decision = await decide_for(request, document)
    return {
        "action": action,
        "allow": decision.allow,
        "reasons": [r.as_dict() for r in decision.reasons],
        "obligations": obligations_as_dict(decision.obligations) if decision.allow else None,
        "revision": decision.revision,
        "engine": decision.engine,
    }


@post(
    "/v1/admin/policies/reload",
    opt={"policy_action": "policies.reload"},
    summary="Recompile the policy bundle from disk",
    tags=["policy"],
    security=[{"bearer": []}],
    status_code=200,
    responses=problem_responses(401, 403, 422, 503),
)
async def reload_policies(request: Request[Any, Any, Any]) -> dict[str, str]:
    """Reload the bundle; a bundle that does not compile is refused and the running one stays."""
    await authorize(
        request, action="policies.reload", purpose=None, agreement=None, reason=None, resource=None
    )
    engine = engine_of(request.app)
    previous = engine.revision
    try:
        revision = await engine.reload()
    except (PolicyEngineError, OSError, ValueError) as exc:
        raise ProblemError(
            422,
            "policy-bundle-invalid",
            "The policy bundle on disk does not compile; the running bundle stays.",
        ) from exc
    return {"previous_revision": previous, "revision": revision}


POLICY_ROUTES = [explain_decision, reload_policies]
