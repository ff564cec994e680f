"""Obligations as the audit stores them (dict and digest) and the decision cache switched off."""

from __future__ import annotations

import hashlib
import json

from gateway.policy.cache import DecisionCache
from gateway.policy.decision import (
    Decision,
    Obligations,
    Reason,
    RowFilter,
    WriteScope,
    canonical_json,
    obligations_as_dict,
)


def test_a_trust_principals_row_filter_carries_its_trust_ids() -> None:
    obligations = Obligations(row_filter=RowFilter(trust_ids=(7, 3)))
    assert obligations_as_dict(obligations)["row_filter"]["trust_ids"] == [7, 3]


def test_other_principals_row_filters_carry_no_trust_ids() -> None:
    assert "trust_ids" not in obligations_as_dict(Obligations())["row_filter"]


def test_an_ingest_write_scope_is_listed_in_the_obligations() -> None:
    obligations = Obligations(write_scope=WriteScope(la_codes=(202,), urns=(100001,)))
    assert obligations_as_dict(obligations)["write_scope"] == {"la_codes": [202], "urns": [100001]}


def test_canonical_json_sorts_keys_without_spaces_and_keeps_non_ascii() -> None:
    assert canonical_json({"b": "é", "a": [1, 2]}) == '{"a":[1,2],"b":"é"}'


def test_the_obligations_digest_is_the_sha256_of_their_canonical_json() -> None:
    obligations = Obligations(agreement="a1", fields=("upn",), row_cap=10)
    expected = json.dumps(obligations_as_dict(obligations), sort_keys=True, separators=(",", ":"))
    assert obligations.digest() == hashlib.sha256(expected.encode()).hexdigest()
    assert obligations.digest() != Obligations(agreement="a2", fields=("upn",), row_cap=10).digest()


def test_a_cache_of_no_entries_keeps_nothing() -> None:
    cache = DecisionCache(max_entries=0)
    cache.put(b"key", Decision(True, (), Obligations(), "r1", "rego"))
    assert (len(cache), cache.get(b"key"), cache.misses) == (0, None, 1)


def test_a_decision_lists_its_reason_codes_and_each_reason_as_a_dict() -> None:
    reasons = (Reason("DENY_A", "No.", "s.1"), Reason("DENY_B", "Not that."))
    decision = Decision(False, reasons, Obligations(), "r1", "rego")
    assert decision.reason_codes == ["DENY_A", "DENY_B"]
    assert [r.as_dict() for r in reasons] == [
        {"code": "DENY_A", "message": "No.", "citation": "s.1"},
        {"code": "DENY_B", "message": "Not that.", "citation": None},
    ]
