"""The authorisation matrix as a property: allowed only where a role, an agreement and its gateway all permit."""

from __future__ import annotations

import json
from typing import Any

import regopy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gateway.policy.rego_engine import RegoEngine, evaluate
from tests.policy.conftest import POLICIES, decision_input, principal

DATA: dict[str, Any] = {}
for name in ("actions", "agreements", "legal_gateways", "roles", "granularity_rank"):
    DATA[name] = json.loads((POLICIES / "data" / name / "data.json").read_text())
RANK = DATA["granularity_rank"]
ACTIONS = sorted(DATA["actions"])
AGREEMENTS = sorted(DATA["agreements"])
ROLES = sorted(DATA["roles"])
PURPOSES = sorted({p for a in DATA["agreements"].values() for p in a["purposes"]})
FIELDS = sorted({f for a in DATA["agreements"].values() for f in a["fields"]})
ORGANISATIONS = ["dfe", "dwp", "ons", "ons-srs", "home-office", "la-202", "la-330", "school-100001", "agg"]
LA_CODES = [202, 330]
URNS = [100001, 100002]

principals = st.builds(
    lambda org, org_type, roles, la, urn: principal(org, org_type, roles, la_code=la, urn=urn),
    st.sampled_from(ORGANISATIONS),
    st.sampled_from(["dfe", "ogd", "la", "school", "aggregator"]),
    st.lists(st.sampled_from([*ROLES, "superuser"]), max_size=3, unique=True),
    st.sampled_from([*LA_CODES, None]),
    st.sampled_from([*URNS, None]),
)


@st.composite
def inputs(draw: st.DrawFn) -> dict[str, Any]:
    action = draw(st.sampled_from([*ACTIONS, "pupils.delete"]))
    resource = DATA["actions"].get(action, {}).get("resource", "pupil_list")
    return decision_input(
        draw(principals),
        action,
        draw(st.sampled_from([resource, resource, "extract"])),
        agreement=draw(st.sampled_from([*AGREEMENTS, None, "no-such-agreement"])),
        purpose=draw(st.sampled_from([*PURPOSES, None, "marketing"])),
        reason=draw(st.sampled_from([None, "short", "Case conference ref CP-77 on 12 January"])),
        now=draw(st.sampled_from(["2017-03-01T10:00:00Z", "2026-01-12T09:30:00Z", "2031-01-01T00:00:00Z"])),
        fields=draw(st.lists(st.sampled_from(FIELDS), max_size=4, unique=True)),
        level=draw(st.sampled_from([None, "national", "region", "la", "school", "pupil"])),
        la_code=draw(st.sampled_from([*LA_CODES, None])),
        urn=draw(st.sampled_from([*URNS, None])),
    )


def permitting_roles(doc: dict[str, Any]) -> set[str]:
    who = doc["principal"]
    return {
        r
        for r in who["roles"]
        if r in DATA["roles"]
        and who["organisation_type"] in DATA["roles"][r]["organisation_types"]
        and doc["action"] in DATA["roles"][r]["actions"]
    }


def assert_agreement_permits(doc: dict[str, Any], obligations: dict[str, Any]) -> None:
    who, request = doc["principal"], doc["request"]
    agreement_id = obligations["agreement"]
    assert doc["agreement"] in (None, agreement_id)
    agreement = DATA["agreements"][agreement_id]
    gateway = DATA["legal_gateways"][agreement["legal_gateway"]]
    action = DATA["actions"][doc["action"]]
    assert who["organisation_type"] in agreement["organisation_types"]
    assert not agreement["organisations"] or who["organisation"] in agreement["organisations"]
    assert doc["action"] in agreement["actions"]
    assert permitting_roles(doc) & set(agreement["roles"])
    assert agreement["valid_from"] <= doc["now"][:10] <= agreement["valid_to"]
    assert obligations["purpose"] in agreement["purposes"]
    assert obligations["purpose"] in gateway["purposes"]
    assert who["organisation_type"] in gateway["requester_types"]
    assert RANK[action["granularity"]] <= RANK[agreement["granularity"]] <= RANK[gateway["max_granularity"]]
    assert set(request["fields"]) <= set(agreement["fields"])
    assert set(obligations["fields"]) <= set(agreement["fields"])
    if agreement["reason_required"]:
        assert doc["reason"] is not None
        assert len(doc["reason"].strip()) >= 10
    if action["kind"] == "data":
        assert doc["agreement"] == agreement_id
        assert doc["purpose"] == obligations["purpose"]


def assert_scope_is_the_principals(doc: dict[str, Any], obligations: dict[str, Any]) -> None:
    who, request = doc["principal"], doc["request"]
    row_filter = obligations["row_filter"]
    if who["organisation_type"] == "la":
        # Whatever the LA sends, the filter is its own area and nothing else.
        assert row_filter["la_codes"] == [who["scope"]["la_code"]]
        assert request["la_code"] in (None, who["scope"]["la_code"])
        assert request["level"] not in ("national", "region")
    if who["organisation_type"] == "school" and obligations["agreement"] != "school-benchmark":
        assert row_filter["urns"] == [who["scope"]["urn"]]
        assert request["urn"] in (None, who["scope"]["urn"])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=inputs())
def test_allowed_only_where_role_agreement_and_gateway_all_permit(
    rego_engine: RegoEngine, doc: dict[str, Any]
) -> None:
    document = rego_engine_document(rego_engine, doc)
    if not document["allow"]:
        assert document["obligations"] is None
        assert all(r["code"].startswith("DENY_") for r in document["reasons"])
        return
    assert permitting_roles(doc)
    kind = DATA["actions"][doc["action"]]["kind"]
    obligations = document["obligations"]
    if kind in ("self-service", "administration"):
        assert obligations["agreement"] is None
        assert obligations["fields"] == []
        return
    assert_agreement_permits(doc, obligations)
    assert_scope_is_the_principals(doc, obligations)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    la=st.sampled_from(LA_CODES),
    asked=st.one_of(st.none(), st.integers(min_value=100, max_value=999)),
    level=st.sampled_from([None, "la", "school", "pupil"]),
    agreement=st.sampled_from(["la-safeguarding", "la-attendance-support"]),
    action=st.sampled_from(["pupils.list", "attendance.summary", "early_warning.list", "pupils.attendance"]),
)
def test_an_la_never_obtains_another_las_scope(
    rego_engine: RegoEngine, la: int, asked: int | None, level: str | None, agreement: str, action: str
) -> None:
    roles = ["safeguarding-officer", "attendance-officer"]
    purpose = DATA["agreements"][agreement]["purposes"][0]
    resource = DATA["actions"][action]["resource"]
    doc = decision_input(
        principal(f"la-{la}", "la", roles, la_code=la),
        action,
        resource,
        agreement=agreement,
        purpose=purpose,
        reason="Strategy meeting ref 2026-014 for a named child",
        level=level,
        la_code=asked,
    )
    document = rego_engine_document(rego_engine, doc)
    assert document["allow"] is (asked in (None, la))
    if document["allow"]:
        assert document["obligations"]["row_filter"] == {
            "la_codes": [la],
            "urns": None,
            "organisations": None,
        }
    else:
        assert [r["code"] for r in document["reasons"]] == ["DENY_SCOPE_OUTSIDE_PRINCIPAL"]


def rego_engine_document(engine: RegoEngine, doc: dict[str, Any]) -> dict[str, Any]:
    result = evaluate(regopy.Interpreter(), engine._bundle, doc)
    assert isinstance(result, dict)
    return result
