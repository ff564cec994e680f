"""Every governed route, called once as an allowed caller would, went through the prologue and the epilogue:
its audit event names the route's declared action, carries the decision (allowed, with the policy revision
and an obligations digest), the principal, the status and the rows that left. The list of calls below must
cover every non-public route of the app, so a new route without a case fails here."""

from __future__ import annotations

from contextlib import nullcontext
from typing import Any

import orjson
import psycopg
import pytest
from litestar.handlers import HTTPRouteHandler
from litestar.testing import TestClient

from gateway.app import create_app
from gateway.edge.guard import POLICY_ACTION
from gateway.edge.public import is_public
from gateway.ingest.pack import PUBLISHED_PACK, load_manifest
from gateway.settings import Settings
from tests.api.conftest import PERIOD, Tokens
from tests.api.pupil_records import PERMANENT_UPN, TEMPORARY_UPN, two_records

DPO = {"purpose": "audit-oversight", "dpo_agreement": "dpo-oversight-dfe"}
LA = {
    "purpose": "attendance-support",
    "agreement": "la-attendance-support",
    "reason": "Termly targeting meeting",
}
ONS = {"purpose": "official-statistics", "agreement": "ons-srsa-s45a"}
DWP = {"purpose": "multiple-disadvantages", "agreement": "dwp-dea-s35"}
FEED = (
    b"urn,upn,date,session,code,recorded_at\n999999,A886123400001,2025-09-03,AM,/,2025-09-03T09:00:00+00:00\n"
)

MERGE = "/v1/admin/pupils/{upn}/merge"
# The published test pack's own files, checked as a supplier's output (a product name no test reads).
PACK = {path.name: path.read_text() for path, _ in load_manifest(PUBLISHED_PACK)}

# (persona, method, route template, request keyword arguments)
CALLS: list[tuple[str, str, str, dict[str, Any]]] = [
    ("ons-statistician", "GET", "/v1/attendance/summary", {"params": {**ONS, **PERIOD}}),
    ("ons-statistician", "GET", "/v1/attendance/daily", {"params": {**ONS, **PERIOD}}),
    ("ons-statistician", "GET", "/v1/attendance/closures", {"params": {**ONS, "date": "2025-09-03"}}),
    ("la-attendance", "GET", "/v1/pupils", {"params": {**LA, **PERIOD}}),
    ("la-attendance", "GET", "/v1/pupils/{upn}/attendance", {"params": {**LA, **PERIOD}}),
    ("la-attendance", "GET", "/v1/early-warning", {"params": LA}),
    ("school-lead", "GET", "/v1/schools/{urn}/benchmark",
     {"params": {"purpose": "school-improvement", "agreement": "school-benchmark", **PERIOD}}),
    ("ogd-analyst", "POST", "/v1/extracts", {"json": {**DWP, "la_code": 886, **PERIOD}}),
    ("aggregator", "POST", "/v1/ingest/registers",
     {"params": {"purpose": "data-collection", "agreement": "aggregator-collection", "name": "probe.csv"},
      "content": FEED, "headers": {"content-type": "text/csv"}}),
    ("aggregator", "POST", "/v1/feed/conformance/checks",
     {"params": {"purpose": "data-collection", "agreement": "aggregator-collection"}, "json": {"files": PACK},
      "headers": {"mis-product": "Route Coverage Probe"}}),
    ("ogd-analyst", "GET", "/v1/decisions/explain", {"params": {"action": "extracts.create", **DWP}}),
    ("policy-admin", "POST", "/v1/admin/policies/reload", {}),
    ("ons-statistician", "GET", "/v1/me", {}),
    # The own school "moved" to where it already is: decided and audited like a move, nothing written.
    ("data-manager", "POST", "/v1/admin/schools/{urn}/reassign",
     {"json": {"purpose": "data-management", "agreement": "dfe-data-management", "la_code": 886,
               "trust_id": "{own_trust}", "effective_date": "2025-09-01",
               "reason": "Register check: the school stays where it is"}}),
    # The own school "reclassified" as what it already is: decided and audited, nothing written.
    ("data-manager", "POST", "/v1/admin/schools/{urn}/reclassify",
     {"json": {"purpose": "data-management", "agreement": "dfe-data-management", "phase": "{own_phase}",
               "school_type": "{own_type}", "effective_date": "2025-09-01",
               "reason": "Register check: the school keeps its phase and type"}}),
    # The own pupil's identity "corrected" to what it already is: decided and audited, nothing written.
    ("data-manager", "POST", "/v1/admin/pupils/{upn}/identity",
     {"json": {"purpose": "data-management", "agreement": "dfe-data-management", "forename": "{own_forename}",
               "surname": "{own_surname}", "date_of_birth": "{own_date_of_birth}", "sex": "{own_sex}",
               "ethnicity": "{own_ethnicity}", "reason": "Register check: the pupil's identity is right"}}),
    # Two records of one child, arranged with no enrolment (tests/api/pupil_records.py), merged: nothing moves.
    ("data-manager", "POST", MERGE,
     {"json": {"purpose": "data-management", "agreement": "dfe-data-management", "into": PERMANENT_UPN,
               "reason": "Register check: the temporary UPN was replaced"}}),
    ("dfe-dpo", "GET", "/v1/audit/events", {"params": DPO}),
    ("dfe-dpo", "GET", "/v1/audit/subjects/{upn}", {"params": DPO}),
    ("dfe-dpo", "GET", "/v1/audit/export", {"params": DPO}),
    ("dfe-dpo", "GET", "/v1/audit/checkpoints/latest", {"params": DPO}),
    ("dfe-dpo", "GET", "/v1/audit/events/{seq}/proof", {"params": DPO}),
    ("dfe-dpo", "GET", "/v1/audit/consistency", {"params": {**DPO, "from": "{first}", "to": "{last}"}}),
    ("dfe-dpo", "GET", "/v1/audit/report",
     {"params": {**DPO, "from": "2025-01-01T00:00:00Z", "to": "2030-01-01T00:00:00Z"}}),
]  # fmt: skip


def governed_routes(settings: Settings) -> dict[tuple[str, str], str]:
    """(method, path template) -> declared action, for every non-public route of the API (the console's
    governed pages, outside the API contract, are called through a console session in tests/console)."""
    app = create_app(settings)
    found: dict[tuple[str, str], str] = {}
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            if (
                isinstance(handler, HTTPRouteHandler)
                and not is_public(handler)
                and handler.resolve_include_in_schema()
            ):
                for method in handler.http_methods:
                    found[(method, route.path_format)] = handler.opt[POLICY_ACTION]
    return found


# Console pages are signed in with a session, not a bearer token: tests/console holds each page to one audit
# event naming its action and the signed-in person.
CONSOLE_PREFIX = "/console"


def test_the_calls_cover_every_governed_route(api_settings: Settings) -> None:
    api_routes = [key for key in governed_routes(api_settings) if not key[1].startswith(CONSOLE_PREFIX)]
    assert sorted((m, p) for _, m, p, _ in CALLS) == sorted(api_routes)


@pytest.mark.parametrize(
    ("persona", "method", "template", "kwargs"), CALLS, ids=[f"{m} {p}" for _, m, p, _ in CALLS]
)
def test_the_route_went_through_the_prologue_and_the_epilogue(
    client: TestClient[Any],
    tokens: Tokens,
    areas: dict[str, Any],
    store: psycopg.Connection[Any],
    api_settings: Settings,
    persona: str,
    method: str,
    template: str,
    kwargs: dict[str, Any],
) -> None:
    client.blocking_portal.call(client.app.state.services.audit.checkpoint)  # proofs need a checkpoint
    first, last = store.execute("SELECT min(size), max(size) FROM audit_checkpoints").fetchone()
    sizes = {"{first}": first, "{last}": last}
    params = {k: sizes.get(v, v) if isinstance(v, str) else v for k, v in kwargs.get("params", {}).items()}
    path = (
        template.replace("{upn}", TEMPORARY_UPN if template == MERGE else areas["own"]["upn"])
        .replace("{urn}", str(areas["own"]["urn"]))
        .replace("{seq}", "1")
    )
    headers = {**tokens.headers(persona), **kwargs.get("headers", {})}
    rest = {k: v for k, v in kwargs.items() if k not in ("headers", "params")}
    if "json" in rest:
        own = store.execute(
            "SELECT trust_id, phase, school_type FROM schools WHERE urn = %s", (areas["own"]["urn"],)
        ).fetchone()
        trust = dict(zip(("{own_trust}", "{own_phase}", "{own_type}"), own, strict=True))
        who = store.execute(
            "SELECT forename, surname, date_of_birth::text, sex, ethnicity FROM pupils WHERE upn = %s",
            (areas["own"]["upn"],),
        ).fetchone()
        names = ("{own_forename}", "{own_surname}", "{own_date_of_birth}", "{own_sex}", "{own_ethnicity}")
        trust.update(zip(names, who, strict=True))
        rest["json"] = {k: trust.get(v, v) if isinstance(v, str) else v for k, v in rest["json"].items()}
    with two_records(store) if template == MERGE else nullcontext():
        response = client.request(method, path, headers=headers, params=params, **rest)
    assert response.status_code == 200, response.text[:300]
    request_id = response.headers["x-request-id"]  # the gateway's own id for the request
    row = store.execute("SELECT content FROM audit_events WHERE request_id = %s", (request_id,)).fetchall()
    assert len(row) == 1
    event = orjson.loads(row[0][0])
    action = governed_routes(api_settings)[(method, template)]
    assert (event["action"], event["route"], event["status"], event["outcome"]) == (
        action, template, 200, "allowed",
    )  # fmt: skip
    assert event["allow"] is True
    assert event["policy_revision"] == client.app.state.services.policy_engine.revision
    assert isinstance(event["obligations_digest"], str)
    assert len(event["obligations_digest"]) == 64
    assert event["principal"]["subject"]
    assert isinstance(event["rows_returned"], int)
