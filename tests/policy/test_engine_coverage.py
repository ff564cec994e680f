"""Strict parsing of a decision document: every malformed shape is refused with its own message."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from gateway.policy.decision import Obligations, Reason, RowFilter, WriteScope
from gateway.policy.engine import PolicyEngineError, decision_from_document

REASON = {"code": "ok", "message": "allowed"}


def _obligations(**overrides: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "agreement": "DSA-1",
        "legal_gateway": "s.537A",
        "purpose": "attendance",
        "fields": ["urn", "sessions"],
        "row_filter": {"la_codes": [886], "urns": None},
        "granularity": "aggregate",
        "pseudonym_domain": None,
        "pseudonym_method": None,
        "generalisations": {"dob": "month"},
        "disclosure_profile": {"threshold": 10},
        "row_cap": 5000.0,
        "reason_required": False,
        "write_scope": None,
    }
    document.update(overrides)
    return document


def _allowed(**overrides: Any) -> dict[str, Any]:
    return {"allow": True, "reasons": [REASON], "obligations": _obligations(**overrides)}


def _decide(document: Any) -> Any:
    return decision_from_document(document, revision="r1", engine="test")


def test_a_full_allowed_document_is_parsed_exactly() -> None:
    decision = _decide(_allowed(write_scope={"la_codes": None, "urns": [100001]}))
    assert decision.allow is True
    assert decision.reasons == (Reason("ok", "allowed", None),)
    assert decision.obligations == Obligations(
        agreement="DSA-1",
        legal_gateway="s.537A",
        purpose="attendance",
        fields=("urn", "sessions"),
        row_filter=RowFilter(la_codes=(886,), urns=None, organisations=None, trust_ids=None),
        granularity="aggregate",
        pseudonym_domain=None,
        pseudonym_method=None,
        generalisations={"dob": "month"},
        disclosure_profile={"threshold": 10},
        row_cap=5000,
        reason_required=False,
        write_scope=WriteScope(la_codes=(), urns=(100001,)),
    )


def test_null_obligations_stay_null() -> None:
    # No disclosure profile, no row cap, no write scope (an ingest decision without one writes nothing).
    decision = _decide(_allowed(disclosure_profile=None, row_cap=None, write_scope=None))
    assert decision.obligations.disclosure_profile is None
    assert decision.obligations.row_cap is None
    assert decision.obligations.write_scope is None


def test_a_document_that_is_not_an_object_has_no_allow() -> None:
    with pytest.raises(PolicyEngineError, match=r"^the decision has no boolean allow$"):
        _decide(["allow"])


def test_an_allow_that_is_not_a_boolean_is_refused() -> None:
    with pytest.raises(PolicyEngineError, match=r"^the decision has no boolean allow$"):
        _decide({"allow": "true", "reasons": [REASON]})


@pytest.mark.parametrize("reasons", [None, [], "ok"])
def test_a_decision_needs_a_non_empty_list_of_reasons(reasons: Any) -> None:
    with pytest.raises(PolicyEngineError, match=r"^the decision has no reasons$"):
        _decide({"allow": False, "reasons": reasons})


@pytest.mark.parametrize(
    "reason", ["ok", {"message": "allowed"}, {"code": "ok"}, {"code": 1, "message": "allowed"}]
)
def test_a_reason_needs_a_text_code_and_message(reason: Any) -> None:
    with pytest.raises(PolicyEngineError, match=r"^a reason lacks its code or message$"):
        _decide({"allow": False, "reasons": [reason]})


def test_a_citation_that_is_not_text_is_dropped() -> None:
    decision = _decide({"allow": False, "reasons": [{**REASON, "citation": 7}]})
    assert decision.reasons == (Reason("ok", "allowed", None),)
    assert decision.obligations == Obligations()


def test_obligations_that_are_not_an_object_are_refused() -> None:
    with pytest.raises(PolicyEngineError, match=r"^an allowed decision has no obligations$"):
        _decide({"allow": True, "reasons": [REASON], "obligations": ["fields"]})


@pytest.mark.parametrize(
    ("overrides", "kind"),
    [
        ({"purpose": 3}, "TypeError"),  # a text field that is not text
        ({"row_cap": 2.5}, "TypeError"),  # not a whole number
        ({"row_cap": True}, "TypeError"),  # a boolean is not a number here
        ({"row_cap": "10"}, "TypeError"),
        ({"row_filter": {"la_codes": [None], "urns": None}}, "TypeError"),  # a null LA does not widen
        ({"disclosure_profile": ["threshold"]}, "TypeError"),
        ({"write_scope": {"la_codes": [886]}}, "KeyError"),
        ({"generalisations": [1, 2]}, "TypeError"),
        ({"generalisations": ["abc"]}, "ValueError"),
    ],
)
def test_malformed_obligations_are_refused_with_the_kind_of_fault(
    overrides: dict[str, Any], kind: str
) -> None:
    with pytest.raises(PolicyEngineError, match=rf"^malformed obligations: {kind}$"):
        _decide(_allowed(**overrides))


def test_an_obligation_that_is_missing_is_refused() -> None:
    document = _allowed()
    obligations = copy.deepcopy(document["obligations"])
    del obligations["granularity"]
    with pytest.raises(PolicyEngineError, match=r"^malformed obligations: KeyError$"):
        _decide({**document, "obligations": obligations})
