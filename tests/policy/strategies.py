"""Decision inputs drawn from the decision contract (Hypothesis), shared by the tests and bench/policy.py.

Two kinds: `arbitrary_inputs` combine the contract's values freely (mostly denials, every reason code
reachable), `plausible_inputs` start from one agreement and a principal it is for, then perturb one or two
parts (mostly allowed, and the denials are the near misses). `decision_inputs` mixes them evenly.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
POLICIES = ROOT / "policies"

DATA: dict[str, Any] = {
    name: json.loads((POLICIES / "data" / name / "data.json").read_text())
    for name in ("actions", "agreements", "legal_gateways", "roles", "granularity_rank")
}
ACTIONS = sorted(DATA["actions"])
AGREEMENTS = sorted(DATA["agreements"])
ROLES = sorted(DATA["roles"])
PURPOSES = sorted({p for a in DATA["agreements"].values() for p in a["purposes"]})
FIELDS = sorted({f for a in DATA["agreements"].values() for f in a["fields"]})
ORGANISATION_TYPES = ["dfe", "ogd", "la", "school", "aggregator"]
ORGANISATIONS = sorted(
    {o for a in DATA["agreements"].values() for o in a["organisations"]}
    | {"la-202", "la-330", "school-100001", "agg-capita"}
)
LA_CODES = [202, 330]
URNS = [100001, 100002]
LEVELS = [None, "national", "region", "la", "school", "pupil"]
NOWS = ["2017-03-01T10:00:00Z", "2026-01-12T09:30:00Z", "2031-01-01T00:00:00Z"]
REASONS = [None, "", "short", "   padded   ", "Case conference ref CP-77 on 12 January"]
ISSUER = "https://dev-issuer.attendance-gateway.local"
REQUEST_KEYS = (
    "resource",
    "fields",
    "level",
    "region",
    "la_code",
    "urn",
    "date_from",
    "date_to",
    "breakdown",
)

# Identifiers the guard would let through (its IDENTIFIER_PATTERN), for names the policy does not know.
identifiers = st.from_regex(r"\A[a-z0-9][a-z0-9._-]{0,15}\Z")


def principal(
    org: str, org_type: str, roles: list[str], *, la_code: int | None = None, urn: int | None = None
) -> dict[str, Any]:
    return {
        "subject": f"tester@{org}",
        "issuer": ISSUER,
        "organisation": org,
        "organisation_type": org_type,
        "roles": roles,
        "scope": {"la_code": la_code, "urn": urn},
    }


def decision_input(
    who: dict[str, Any],
    action: str,
    resource: str | None,
    *,
    agreement: str | None = None,
    purpose: str | None = None,
    reason: str | None = None,
    now: str = NOWS[1],
    **request: Any,
) -> dict[str, Any]:
    """A whole input as the guard builds it: every request key present."""
    document: dict[str, Any] = dict.fromkeys(REQUEST_KEYS)
    document.update(resource=resource, fields=[])
    document.update(request)
    return {
        "principal": who,
        "action": action,
        "purpose": purpose,
        "agreement": agreement,
        "reason": reason,
        "now": now,
        "request": document,
    }


def _or_unknown(known: list[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.sampled_from(known), identifiers) if known else identifiers


principals = st.builds(
    lambda org, org_type, roles, la, urn: principal(org, org_type, roles, la_code=la, urn=urn),
    _or_unknown(ORGANISATIONS),
    st.sampled_from(ORGANISATION_TYPES),
    st.lists(st.one_of(st.sampled_from([*ROLES, "superuser"]), identifiers), max_size=3, unique=True),
    st.sampled_from([*LA_CODES, None]),
    st.sampled_from([*URNS, None]),
)


@st.composite
def request_documents(draw: st.DrawFn, resource: str | None, fields: list[str]) -> dict[str, Any]:
    return {
        "resource": resource,
        "fields": draw(st.lists(st.sampled_from(fields or FIELDS), max_size=4, unique=True)),
        "level": draw(st.sampled_from(LEVELS)),
        "region": draw(st.sampled_from([None, "North West", "London"])),
        "la_code": draw(st.sampled_from([*LA_CODES, None, 999])),
        "urn": draw(st.sampled_from([*URNS, None, 999999])),
        "date_from": draw(st.sampled_from([None, "2025-09-01"])),
        "date_to": draw(st.sampled_from([None, "2025-12-19"])),
        "breakdown": draw(st.sampled_from([None, "fsm", "sen"])),
    }


@st.composite
def arbitrary_inputs(draw: st.DrawFn) -> dict[str, Any]:
    """Any combination of the contract's values, known and unknown."""
    action = draw(st.one_of(st.sampled_from([*ACTIONS, "pupils.delete"]), identifiers))
    resource = DATA["actions"].get(action, {}).get("resource", "pupil_list")
    request = draw(request_documents(draw(st.sampled_from([resource, resource, "extract", None])), FIELDS))
    return {
        "principal": draw(principals),
        "action": action,
        "purpose": draw(st.one_of(st.sampled_from([*PURPOSES, None, "marketing"]), identifiers)),
        "agreement": draw(st.one_of(st.sampled_from([*AGREEMENTS, None, "no-such-agreement"]), identifiers)),
        "reason": draw(st.sampled_from(REASONS)),
        "now": draw(st.sampled_from(NOWS)),
        "request": request,
    }


@st.composite
def plausible_inputs(draw: st.DrawFn) -> dict[str, Any]:
    """A request an agreement is for, then perhaps one or two parts changed."""
    agreement_id = draw(st.sampled_from(AGREEMENTS))
    agreement = DATA["agreements"][agreement_id]
    action = draw(st.sampled_from(agreement["actions"]))
    org_type = draw(st.sampled_from(agreement["organisation_types"]))
    org = draw(st.sampled_from(agreement["organisations"] or [f"{org_type}-example"]))
    roles = [r for r in agreement["roles"] if action in DATA["roles"][r]["actions"]] or agreement["roles"]
    who = principal(
        org,
        org_type,
        draw(st.lists(st.sampled_from(roles), min_size=1, max_size=2, unique=True)),
        la_code=draw(st.sampled_from(LA_CODES)) if org_type == "la" else None,
        urn=draw(st.sampled_from(URNS)) if org_type == "school" else None,
    )
    document = {
        "principal": who,
        "action": action,
        "purpose": draw(st.sampled_from(agreement["purposes"])),
        "agreement": agreement_id,
        "reason": draw(st.sampled_from(REASONS[-1:] * 3 + REASONS)),
        "now": NOWS[1],
        "request": draw(request_documents(DATA["actions"][action]["resource"], agreement["fields"])),
    }
    if draw(st.booleans()):
        document["request"].update(level=None, la_code=who["scope"]["la_code"], urn=who["scope"]["urn"])
    for _ in range(draw(st.integers(min_value=0, max_value=2))):
        document = draw(perturbed(document))
    return document


@st.composite
def perturbed(draw: st.DrawFn, document: dict[str, Any]) -> dict[str, Any]:
    """The document with one part replaced by another value the contract allows."""
    changed = json.loads(json.dumps(document))
    part = draw(st.sampled_from(["agreement", "purpose", "reason", "now", "action", "principal", "null"]))
    if part == "principal":
        changed["principal"] = draw(principals)
    elif part == "null":
        changed[draw(st.sampled_from(["agreement", "purpose", "reason"]))] = None
    elif part == "agreement":
        changed["agreement"] = draw(st.sampled_from(AGREEMENTS))
    elif part == "purpose":
        changed["purpose"] = draw(st.sampled_from([*PURPOSES, "marketing"]))
    elif part == "reason":
        changed["reason"] = draw(st.sampled_from(REASONS))
    elif part == "now":
        changed["now"] = draw(st.sampled_from(NOWS))
    else:
        changed["action"] = draw(st.sampled_from(ACTIONS))
    return changed


@st.composite
def service_inputs(draw: st.DrawFn) -> dict[str, Any]:
    """Self-service and administration: actions a role permits without any agreement."""
    action = draw(
        st.sampled_from([a for a, d in sorted(DATA["actions"].items()) if d["kind"] in SERVICE_KINDS])
    )
    role = draw(st.sampled_from([r for r, d in sorted(DATA["roles"].items()) if action in d["actions"]]))
    org_type = draw(st.sampled_from(DATA["roles"][role]["organisation_types"]))
    roles = draw(st.lists(st.sampled_from(ROLES), max_size=1).map(lambda extra: sorted({role, *extra})))
    document = decision_input(
        principal(f"{org_type}-example", org_type, roles),
        action,
        DATA["actions"][action]["resource"],
        now=draw(st.sampled_from(NOWS)),
    )
    return draw(perturbed(document)) if draw(st.booleans()) else document


SERVICE_KINDS = ("self-service", "administration")

decision_inputs = st.one_of(arbitrary_inputs(), plausible_inputs(), service_inputs())
