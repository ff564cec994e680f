"""Faults through the whole gateway (issues 13 and 17), each a real fault on the real engine and database:
a policy that runs past its time budget or raises on a rule the decision uses answers 503 problem+json with
no data and exactly one audit event; a bundle broken while the gateway runs is refused and the previous one
keeps deciding; an audit store whose insert trigger raises answers 503 and keeps readiness failing."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import psycopg
import pytest
from litestar.testing import TestClient

from gateway.app import create_app
from gateway.auth.devissuer import keygen
from gateway.auth.personas import persona_claims
from gateway.db.urls import DatabaseUrls
from gateway.policy.engine import PolicyEngineError
from gateway.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
SAFEGUARDING = {
    "agreement": "la-safeguarding",
    "purpose": "child-protection-enquiry",
    "reason": "Section 47 enquiry, case ref CP-2026-0112",
}
SLOW_RULE = "package gateway\n\nslow := count([x | some x in numbers.range(1, 3000000); x % 7 == 0])\n"
# Two complete definitions that both hold: evaluating `clash` is a conflict error on every engine.
RAISING_RULE = "package gateway\n\nclash := 1 if { true }\n\nclash := 2 if { true }\n"


def bundle_with(tmp_path: Path, rule: str | None, uses: str | None) -> Path:
    """A copy of the policies whose `allow` also requires `uses` (defined by `rule`, in a file of its own)."""
    bundle = tmp_path / "policies"
    shutil.copytree(ROOT / "policies", bundle)
    if rule is not None and uses is not None:
        (bundle / "gateway" / "fault.rego").write_text(rule)
        decision = bundle / "gateway" / "decision.rego"
        text = decision.read_text()
        assert "allow if {\n" in text
        decision.write_text(text.replace("allow if {\n", f"allow if {{\n\t{uses}\n", 1))
    return bundle


def headers(settings: Settings, persona: str = "la-safeguarding") -> dict[str, str]:
    token = keygen(settings.auth).issue(persona_claims(persona, la_code=202, urn=100001))
    return {"Authorization": f"Bearer {token}"}


def events_for(admin_conn: psycopg.Connection[Any], instance: str) -> list[tuple[int, str, str | None]]:
    rows = admin_conn.execute(
        "SELECT (content::jsonb ->> 'status')::int, outcome, content::jsonb ->> 'failure' FROM audit_events"
        " WHERE request_id = %s",
        (instance.removeprefix("urn:request:"),),
    ).fetchall()
    return [(int(status), str(outcome), failure) for status, outcome, failure in rows]


@pytest.mark.parametrize(
    ("rule", "uses", "timeout_ms"),
    [(SLOW_RULE, "slow > 0", 5), (RAISING_RULE, "clash > 0", 500)],
    ids=["engine-times-out", "engine-raises"],
)
def test_an_engine_fault_on_a_rule_the_decision_uses_is_a_503_with_one_event_and_no_data(
    settings: Settings,
    db_urls: DatabaseUrls,
    admin_conn: psycopg.Connection[Any],
    tmp_path: Path,
    rule: str,
    uses: str,
    timeout_ms: int,
) -> None:
    policy = settings.policy.model_copy(
        update={"bundle_dir": bundle_with(tmp_path, rule, uses), "timeout_ms": timeout_ms, "watch": False}
    )
    faulty = settings.model_copy(update={"policy": policy})
    with TestClient(app=create_app(faulty)) as client:
        response = client.get("/v1/pupils", params=SAFEGUARDING, headers=headers(faulty))
    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["type"].endswith("/policy-engine-unavailable")
    assert set(body) == {"type", "title", "status", "detail", "instance"}  # no rows, no obligations
    assert events_for(admin_conn, body["instance"]) == [(503, "failed", "policy-engine-unavailable")]


def test_a_bundle_broken_while_serving_is_refused_and_the_previous_one_keeps_deciding(
    settings: Settings, db_urls: DatabaseUrls, admin_conn: psycopg.Connection[Any], tmp_path: Path
) -> None:
    bundle = bundle_with(tmp_path, None, None)
    policy = settings.policy.model_copy(update={"bundle_dir": bundle, "watch": True})
    watched = settings.model_copy(update={"policy": policy})
    explain = {**SAFEGUARDING, "action": "pupils.list"}
    with TestClient(app=create_app(watched)) as client:
        engine = client.app.state.services.policy_engine
        before = client.get("/v1/decisions/explain", params=explain, headers=headers(watched))
        (bundle / "gateway" / "decision.rego").write_text("package gateway\n\nallow if {{{ broken\n")
        engine._last_watch = 0.0  # the next decision looks at the files now, not after the watch interval
        after = client.get("/v1/decisions/explain", params=explain, headers=headers(watched))
    assert (before.status_code, after.status_code) == (200, 200), after.text
    assert before.json()["allow"] is True
    assert after.json()["revision"] == before.json()["revision"]
    assert after.json()["allow"] is True
    for response in (before, after):
        instance = response.headers["x-request-id"]
        assert events_for(admin_conn, instance) == [(200, "allowed", None)]


def test_a_bundle_that_does_not_compile_never_starts_the_gateway(
    settings: Settings, db_urls: DatabaseUrls, tmp_path: Path
) -> None:
    bundle = bundle_with(tmp_path, None, None)
    (bundle / "gateway" / "decision.rego").write_text("package gateway\n\nallow if {{{ broken\n")
    broken = settings.model_copy(update={"policy": settings.policy.model_copy(update={"bundle_dir": bundle})})
    with pytest.raises(ExceptionGroup) as refused, TestClient(app=create_app(broken)):
        pass
    assert refused.group_contains(PolicyEngineError)


def test_an_audit_store_that_cannot_commit_answers_503_and_keeps_readiness_failing(
    settings: Settings, db_urls: DatabaseUrls, admin_conn: psycopg.Connection[Any]
) -> None:
    """A trigger that raises on every insert into the log (the owner's doing, or a full disk's)."""
    admin_conn.execute(
        "CREATE FUNCTION audit_test_refuse() RETURNS trigger LANGUAGE plpgsql AS"
        " $$ BEGIN RAISE EXCEPTION 'audit store refuses writes'; END $$;"
        " CREATE TRIGGER audit_test_refuse BEFORE INSERT ON audit_events"
        " FOR EACH STATEMENT EXECUTE FUNCTION audit_test_refuse()"
    )
    try:
        with TestClient(app=create_app(settings)) as client:
            count = admin_conn.execute("SELECT count(*) FROM audit_events").fetchone()
            refused = client.get("/v1/pupils", params=SAFEGUARDING, headers=headers(settings))
            ready = client.get("/health/ready")
            again = client.get("/health/ready")
            after = admin_conn.execute("SELECT count(*) FROM audit_events").fetchone()
    finally:
        admin_conn.execute(
            "DROP TRIGGER audit_test_refuse ON audit_events; DROP FUNCTION audit_test_refuse()"
        )
    assert refused.status_code == 503
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["type"].endswith("/audit-unavailable")
    assert set(refused.json()) == {"type", "title", "status", "detail", "instance"}
    assert after == count  # nothing half-written
    assert (ready.status_code, again.status_code) == (503, 503)
    failing = {name for name, check in ready.json()["checks"].items() if not check["ok"]}
    assert failing == {"audit_writer"}
