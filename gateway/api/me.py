"""`GET /v1/me`: what the caller's token and the policy data allow it, agreement by agreement.

Which agreements the caller holds is the policy engine's answer, through the same function and cache
as the console's home page (`gateway.console.agreements.agreements_held`, cached by
`gateway.console.pages.HELD`): no Python copy of the holder rule. The levels an agreement reaches are the
engine's answer too (one decision per level of its first aggregate action: a level the policy refuses as
outside the principal's scope is not listed). The rest is read from the agreement and its disclosure
profile in the policy bundle's data; the query-space rules come from `QuerySpace.describe()`; the rate
limit from the edge's per-agreement limits (`rate_limit_per_minute`), or the default from the settings.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Annotated, Any, Literal

import msgspec
from litestar import get

from gateway.auth.principal import Principal
from gateway.console.agreements import PROBE_REASON, HeldAgreement
from gateway.console.pages import HELD
from gateway.edge.governed import Governed, Requested, governed_route
from gateway.edge.problems import problem_responses
from gateway.policy.engine import PolicyEngine
from gateway.policy.input import policy_input
from gateway.privacy.disclosure import DisclosureProfile
from gateway.privacy.query_space import LEVELS
from gateway.services import Services

AGGREGATE_ACTIONS = ("attendance.summary", "attendance.daily", "attendance.closures")
OUTSIDE_SCOPE = "DENY_SCOPE_OUTSIDE_PRINCIPAL"

Status = Literal["In force", "Ended", "Not yet in force"]
Level = Literal["national", "region", "la", "school", "trust"]


def _doc(text: str, example: Any) -> msgspec.Meta:
    return msgspec.Meta(description=text, examples=[example])


class QuerySpaceView(msgspec.Struct, kw_only=True):
    """Which aggregate questions the profile answers at all (the privacy stage's query-space rules)."""

    periods: Annotated[
        list[str] | Literal["free"],
        _doc("Period kinds a request may cover (ytd, year, term, half_term), or free for any dates", "free"),
    ]
    min_population: Annotated[
        int, _doc("Smallest population (pupils) a published area or group may have; 0 for none", 0)
    ]
    breakdowns: Annotated[
        dict[str, list[str]],
        _doc("Breakdowns published at each level", {"national": ["fsm", "sex"], "la": ["fsm"]}),
    ]
    ledger: Annotated[
        bool, _doc("Whether every release is kept in a ledger so differencing queries are refused", False)
    ]
    named_periods: Annotated[
        str,
        _doc(
            "How named periods (ytd, term, half_term) are served under this profile",
            "academic years where terms are served; ytd ends on the Sunday closing the latest complete week",
        ),
    ]


class ProfileView(msgspec.Struct, kw_only=True):
    """The disclosure profile the agreement's aggregates are published under, with its thresholds."""

    name: Annotated[str, _doc("Profile name in the policy data", "published")]
    threshold: Annotated[int, _doc("Counts below this (and above 0) are suppressed as c", 10)]
    zeros_disclosive: Annotated[bool, _doc("Whether a zero count is suppressed too", False)]
    round_to: Annotated[int | None, _doc("Counts are rounded to a multiple of this; null: exact", 5)]
    secondary: Annotated[bool, _doc("Whether secondary suppression protects suppressed cells", True)]
    cell_key: Annotated[bool, _doc("Whether counts carry cell-key perturbation", False)]
    rate_decimals: Annotated[int, _doc("Decimal places of published rates", 1)]
    query_space: Annotated[QuerySpaceView, msgspec.Meta(description="The questions the profile answers")]
    min_comparator_schools: Annotated[
        int, _doc("Fewest schools a benchmark comparator group may have before it is withheld", 3)
    ]


class AgreementCapabilities(msgspec.Struct, kw_only=True):
    """One agreement the caller holds, and what it allows."""

    agreement_id: Annotated[str, _doc("Agreement id, to name in the agreement parameter", "dwp-dea-s35")]
    title: Annotated[str, _doc("Agreement title", "DWP: multiple disadvantages objective")]
    status: Annotated[Status, _doc("Whether the agreement is in force today", "In force")]
    legal_gateway: Annotated[str, _doc("The legal gateway (statute) the sharing rests on", "dea2017-s35")]
    purposes: Annotated[list[str], _doc("Purposes a request may state", ["multiple-disadvantages"])]
    actions: Annotated[list[str], _doc("Policy actions the agreement allows", ["attendance.summary"])]
    levels: Annotated[
        list[Level],
        _doc("Aggregate levels the policy answers for this caller; [] without aggregates", ["la"]),
    ]
    fields: Annotated[list[str], _doc("Fields the agreement releases", ["fsm", "absence_rate"])]
    granularity: Annotated[str, _doc("Most detailed granularity released", "pseudonymised")]
    disclosure: Annotated[
        ProfileView | None, msgspec.Meta(description="Disclosure profile of aggregates; null if none")
    ]
    row_cap: Annotated[int | None, _doc("Most rows one response may carry; null: no cap", 100000)]
    rate_limit_per_minute: Annotated[
        int | None, _doc("Requests a minute this client may make under the agreement; null: unlimited", 300)
    ]
    valid_from: Annotated[date, _doc("First day the agreement is in force", "2025-01-01")]
    valid_to: Annotated[date, _doc("Last day the agreement is in force", "2026-12-31")]
    dpia: Annotated[str, _doc("The data protection impact assessment it rests on", "dpia/dwp-dea-s35.md")]


class Capabilities(msgspec.Struct, kw_only=True):
    """Who the caller is and every agreement it holds."""

    subject: Annotated[str, _doc("The token's subject", "dwp-analyst-1")]
    organisation: Annotated[str, _doc("The caller's organisation", "dwp")]
    organisation_type: Annotated[str, _doc("la, school, trust, ogd, dfe or aggregator", "ogd")]
    roles: Annotated[list[str], _doc("The caller's roles", ["analyst"])]
    la_code: Annotated[int | None, _doc("Local authority code of an LA caller; null otherwise", None)]
    urn: Annotated[int | None, _doc("School URN of a school caller; null otherwise", None)]
    trust_id: Annotated[int | None, _doc("Trust (GIAS group UID) of a trust caller; null otherwise", None)]
    policy_revision: Annotated[str, _doc("The policy bundle revision that answered", "3f2a9c1e")]
    agreements: Annotated[
        list[AgreementCapabilities], msgspec.Meta(description="Agreements the caller holds, by id")
    ]


def me_request() -> Requested:
    return Requested()


def profile_view(profile: Mapping[str, Any]) -> ProfileView:
    parsed = DisclosureProfile.from_policy(profile)
    described = parsed.query_space.describe()
    return ProfileView(
        name=parsed.name,
        threshold=parsed.threshold,
        zeros_disclosive=parsed.zeros_disclosive,
        round_to=parsed.round_to,
        secondary=parsed.secondary,
        cell_key=parsed.cell_key,
        rate_decimals=parsed.rate_decimals,
        query_space=QuerySpaceView(
            periods=described["periods"],
            min_population=described["min_population"],
            breakdowns=described["breakdowns"],
            ledger=described["ledger"],
            named_periods=described["named_periods"],
        ),
        min_comparator_schools=parsed.min_comparator_schools,
    )


async def levels_reached(engine: PolicyEngine, principal: Principal, held: HeldAgreement) -> list[Level]:
    """The levels the policy answers under this agreement for its first aggregate action."""
    action = next((a for a in held.actions if a in AGGREGATE_ACTIONS), None)
    if action is None:
        return []
    reached: list[Level] = []
    for level in LEVELS:
        document = policy_input(
            principal,
            action=action,
            purpose=held.purposes[0],
            agreement=held.agreement_id,
            reason=PROBE_REASON,
            resource={"level": level, "urn": principal.urn, "la_code": principal.la_code},
        )
        decision = await engine.decide(document)
        if OUTSIDE_SCOPE not in decision.reason_codes:
            reached.append(level)  # type: ignore[arg-type]  # LEVELS holds exactly the Level values
    return reached


async def capabilities(services: Services, principal: Principal) -> Capabilities:
    engine = services.policy_engine
    held = await HELD.of(services, principal)
    data = HELD.data.agreements or {}
    limits = services.rate_limiter.limits
    views: list[AgreementCapabilities] = []
    for entry in held:
        agreement = data.get(entry.agreement_id, {})
        profile = services.disclosure_profiles.get(entry.disclosure_profile or "")
        views.append(
            AgreementCapabilities(
                agreement_id=entry.agreement_id,
                title=entry.title,
                status=entry.status,  # type: ignore[arg-type]  # the console's three statuses
                legal_gateway=entry.legal_gateway,
                purposes=list(entry.purposes),
                actions=list(entry.actions),
                levels=await levels_reached(engine, principal, entry),
                fields=[str(f) for f in agreement.get("fields") or ()],
                granularity=entry.granularity,
                disclosure=profile_view(profile) if profile is not None else None,
                row_cap=agreement.get("row_cap"),
                rate_limit_per_minute=limits.limit_for(entry.agreement_id),
                valid_from=date.fromisoformat(entry.valid_from),
                valid_to=date.fromisoformat(entry.valid_to),
                dpia=entry.dpia,
            )
        )
    return Capabilities(
        subject=principal.subject,
        organisation=principal.organisation,
        organisation_type=principal.organisation_type,
        roles=list(principal.roles),
        la_code=principal.la_code,
        urn=principal.urn,
        trust_id=principal.trust_id,
        policy_revision=engine.revision,
        agreements=views,
    )


@get(
    "/v1/me",
    **governed_route("decisions.explain", requested=me_request),
    summary="What may I ask? The agreements the caller holds and what each allows",
    tags=["policy"],
    responses=problem_responses(400, 401, 503),
)
async def me(gov: Governed[Requested]) -> Capabilities:
    """Capabilities from the policy data and the caller's token: for each agreement the caller holds, its
    legal gateway, purposes, actions, levels, fields, granularity, disclosure profile with its thresholds
    and query-space rules, row cap, rate limit, validity dates and DPIA. Decided as a self-service request
    (decisions.explain, like the console's home page) and audited as one event; no data leaves."""
    answer = await capabilities(gov.services, gov.principal)
    gov.release(0)
    return answer


ME_ROUTES = [me]
