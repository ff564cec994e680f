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
        assert request["level"] not in ("national", "region")


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
    assert document["allow"] is (asked in (None, la))
    if document["allow"]:
        assert document["obligations"]["row_filter"] == {
            "la_codes": [la],
            "urns": None,
            "organisations": None,
        }
    else:
        assert [r["code"] for r in document["reasons"]] == ["DENY_SCOPE_OUTSIDE_PRINCIPAL"]


def engine_document(engine: RegorusEngine, doc: dict[str, Any]) -> dict[str, Any]:
    result = engine.evaluate_document(engine._compiled, engine.thread_state(), doc)
    assert isinstance(result, dict)
    return result
