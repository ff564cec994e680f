"""Every agreement has a DPIA, and the policy cannot release a field or a granularity its DPIA does not list."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from gateway.policy.regorus_engine import RegorusEngine
from tests.policy.conftest import POLICIES, decision_input, principal

ROOT = POLICIES.parent
AGREEMENTS: dict[str, Any] = json.loads((POLICIES / "data" / "agreements" / "data.json").read_text())
ACTIONS: dict[str, Any] = json.loads((POLICIES / "data" / "actions" / "data.json").read_text())
RANK = {"aggregate": 1, "deidentified": 2, "pseudonymised": 3, "identifiable": 4}
FRONT_MATTER = {
    "agreement", "title", "purpose", "legal_gateway", "data_items", "granularity", "retention", "risks",
    "mitigations", "approver", "review_date",
}  # fmt: skip
VOCABULARY = [
    "upn", "forename", "surname", "date_of_birth", "sex", "ethnicity", "ethnicity_major", "year_group", "fsm",
    "sen_provision", "looked_after", "previously_looked_after", "child_in_need", "child_protection_plan", "urn",
    "school_name", "la_code", "admission_date", "leaving_date", "pupil_ref", "possible_sessions",
    "attendance_sessions", "authorised_sessions", "unauthorised_sessions", "absence_rate", "persistent_absence",
    "severe_absence", "session_marks", "aggregate_counts", "audit_events", "audit_checkpoints", "audit_proofs",
    "home_address", "national_insurance_number",
]  # fmt: skip


def read_dpia(path: Path) -> tuple[dict[str, Any], str]:
    match = re.match(r"^---\n(.*?)\n---\n(.*)$", path.read_text(), re.DOTALL)
    assert match, f"{path} has no front matter"
    front = yaml.safe_load(match.group(1))
    assert isinstance(front, dict)
    return front, match.group(2)


def probe_input(agreement_id: str, action: str, fields: list[str]) -> dict[str, Any]:
    """A request that satisfies everything the agreement asks except, possibly, the fields."""
    agreement = AGREEMENTS[agreement_id]
    org_type = agreement["organisation_types"][0]
    org = agreement["organisations"][0] if agreement["organisations"] else f"{org_type}-probe"
    la, urn = (202 if org_type == "la" else None), (100001 if org_type == "school" else None)
    return decision_input(
        principal(org, org_type, [agreement["roles"][0]], la_code=la, urn=urn),
        action,
        ACTIONS[action]["resource"],
        agreement=agreement_id,
        purpose=agreement["purposes"][0],
        reason="Probe of the agreement's reach for its DPIA",
        now=agreement["valid_from"] + "T12:00:00Z",  # inside validity, even for an ended agreement
        fields=fields,
        urn=urn,
    )


@pytest.mark.parametrize("agreement_id", sorted(AGREEMENTS))
def test_agreement_has_a_complete_dpia(agreement_id: str) -> None:
    agreement = AGREEMENTS[agreement_id]
    path = ROOT / agreement["dpia"]
    assert path == ROOT / "dpia" / f"{agreement_id}.md"
    front, body = read_dpia(path)
    assert set(front) == FRONT_MATTER
    assert front["agreement"] == agreement_id
    assert front["legal_gateway"]["id"] == agreement["legal_gateway"]
    assert set(agreement["purposes"]) <= set(front["purpose"])
    assert front["granularity"] == agreement["granularity"]
    assert set(agreement["fields"]) <= set(front["data_items"])
    assert front["risks"]
    assert len(front["mitigations"]) >= 1
    assert isinstance(dt.date.fromisoformat(str(front["review_date"])), dt.date)
    assert len(body.split("## Assessment", 1)[1].split()) >= 60  # a real assessment, not a stub


def test_every_dpia_belongs_to_an_agreement() -> None:
    assert sorted(p.stem for p in (ROOT / "dpia").glob("*.md")) == sorted(AGREEMENTS)


@pytest.mark.parametrize("agreement_id", sorted(AGREEMENTS))
def test_policy_releases_nothing_the_dpia_does_not_list(
    regorus_engine: RegorusEngine, agreement_id: str
) -> None:
    front, _ = read_dpia(ROOT / "dpia" / f"{agreement_id}.md")
    listed, ceiling = set(front["data_items"]), RANK[front["granularity"]]
    state = regorus_engine.thread_state()
    released_something = False
    for action in AGREEMENTS[agreement_id]["actions"]:
        for fields in ([], *([f] for f in VOCABULARY)):
            document = regorus_engine.evaluate_document(
                regorus_engine._compiled, state, probe_input(agreement_id, action, fields)
            )
            if not document["allow"]:
                assert fields, f"{agreement_id} {action}: the probe itself is denied: {document['reasons']}"
                continue
            released_something = True
            obligations = document["obligations"]
            assert set(obligations["fields"]) <= listed, (action, fields)
            assert RANK[obligations["granularity"]] <= ceiling, (action, fields)
    assert released_something
