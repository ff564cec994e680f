"""The authorisation matrix as a property: allowed only where a role, an agreement and its gateway all permit."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from gateway.policy.regorus_engine import RegorusEngine
from tests.policy.strategies import DATA, decision_input, decision_inputs, principal

RANK = DATA["granularity_rank"]
LA_CODES = [202, 330]


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


def expected_row_filter(doc: dict[str, Any], obligations: dict[str, Any]) -> dict[str, Any]:
    """The principal's own area, as the policy must state it for each organisation type: an LA its own LA
    code, a school its own URN (except when benchmarking), a trust its own trust; nobody else is narrowed."""
    who = doc["principal"]
    org_type = who["organisation_type"]
    scoped = {
        "la_codes": [who["scope"]["la_code"]] if org_type == "la" else None,
        "urns": [who["scope"]["urn"]]
        if org_type == "school" and obligations["agreement"] != "school-benchmark"
        else None,
        "organisations": [who["organisation"]]
        if DATA["agreements"][obligations["agreement"]]["scope"] == "own-organisation"
        else None,
    }
    return {**scoped, "trust_ids": [who["scope"]["trust_id"]]} if org_type == "trust" else scoped


def assert_scope_is_the_principals(doc: dict[str, Any], obligations: dict[str, Any]) -> None:
    """Whatever the principal sends, the filter is its own area and nothing else, and a narrowed principal
    never asks for an area of its own level or above another's."""
    request, row_filter = doc["request"], obligations["row_filter"]
    expected = expected_row_filter(doc, obligations)
    assert row_filter == expected
    narrowed_to = (expected["la_codes"] or []) + (expected["urns"] or [])
    asked = request["la_code"] if expected["la_codes"] else request["urn"]
    assert not narrowed_to or asked in (None, *narrowed_to)
    assert not narrowed_to or request["level"] not in ("national", "region")


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=decision_inputs)
def test_allowed_only_where_role_agreement_and_gateway_all_permit(
    regorus_engine: RegorusEngine, doc: dict[str, Any]
) -> None:
    document = engine_document(regorus_engine, doc)
    event("allowed" if document["allow"] else "denied")
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
    regorus_engine: RegorusEngine, la: int, asked: int | None, level: str | None, agreement: str, action: str
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
    document = engine_document(regorus_engine, doc)
    own = asked in (None, la)
    event("own area" if own else "another LA asked for")
    row_filter = document["obligations"]["row_filter"] if document["obligations"] else None
    denials = [r["code"] for r in document["reasons"] if r["code"].startswith("DENY_")]
    assert (document["allow"], row_filter, denials) == (
        (True, {"la_codes": [la], "urns": None, "organisations": None}, [])
        if own
        else (False, None, ["DENY_SCOPE_OUTSIDE_PRINCIPAL"])
    )


def engine_document(engine: RegorusEngine, doc: dict[str, Any]) -> dict[str, Any]:
    result = engine.evaluate_document(engine._compiled, engine.thread_state(), doc)
    assert isinstance(result, dict)
    return result
