"""schemathesis against the live gateway for several personas, and a recorder of (route, status) pairs.

Generated requests (valid and invalid) must never cause a server error and every response must conform
to the committed OpenAPI document. Half the generated requests carry the persona's own valid purpose and
agreement so that allowed paths are exercised too. Every documented status of every route must have been
seen by the end of the module; statuses fuzzing rarely reaches (503, 404) are produced by real means:
a policy engine that cannot be reached, a pupil outside the caller's scope.
"""

from __future__ import annotations

import json
import re
import shutil
import zlib
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
import schemathesis
from hypothesis import HealthCheck, event, settings
from psycopg import sql
from schemathesis.specs.openapi.checks import positive_data_acceptance

from gateway.api.ingest import MIS_NAME_PATTERN
from gateway.app import create_app
from gateway.db.migrate import upgrade
from gateway.db.urls import resolve_database, start_embedded
from gateway.ingest.pack import PUBLISHED_PACK, load_manifest
from gateway.settings import PolicySettings, Settings
from tests.api.conftest import PERIOD, Tokens
from tests.api.live import serve_in_thread
from tests.api.pupil_records import PERMANENT_UPN, TEMPORARY_UPN, two_records

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "openapi" / "openapi.json"
SCHEMA = schemathesis.openapi.from_path(COMMITTED)
SCHEMA.config.generation.update(max_examples=5)

# What each persona would honestly send (purpose, agreement, reason); used in half the generated cases.
PERSONAS: dict[str, dict[str, str]] = {
    "la-attendance": {
        "purpose": "attendance-support",
        "agreement": "la-attendance-support",
        "reason": "Termly targeting meeting",
    },
    "ogd-analyst": {"purpose": "multiple-disadvantages", "agreement": "dwp-dea-s35"},
    "ons-statistician": {"purpose": "official-statistics", "agreement": "ons-srsa-s45a"},
    "school-lead": {"purpose": "school-improvement", "agreement": "school-benchmark"},
    "dfe-dpo": {"purpose": "audit-oversight", "dpo_agreement": "dpo-oversight-dfe"},
    "aggregator": {"purpose": "data-collection", "agreement": "aggregator-collection"},
}
# A data-management body (reassign adds la_code and trust_id, reclassify phase and school_type); the
# recipes below send it as each status needs.
REASSIGN = {
    "purpose": "data-management",
    "agreement": "dfe-data-management",
    "effective_date": "2025-09-01",
    "reason": "Register check: the school stays where it is",
}
# An identity-correction body: the reason and agreement (the identity is the own pupil's, read from the store).
IDENTITY_CHECK = {
    "purpose": "data-management",
    "agreement": "dfe-data-management",
    "reason": "Register check: the pupil's identity is already right",
}
SAME_IDENTITY = {
    "forename": "Sam",
    "surname": "Example",
    "date_of_birth": "2015-02-03",
    "sex": "F",
    "ethnicity": "WBRI",
}
RECORDED: set[tuple[str, str, int]] = set()
MODES: set[str] = set()  # generation modes of the cases whose audit event was checked


# Public but audited (gateway.edge.public.PUBLIC_AUDITED): no token, one audit event like any request.
AUDITED_PUBLIC = {("GET", "/v1/feed/conformance")}


@cache
def public_operations() -> set[tuple[str, str]]:
    """Operations that need no token (the contract documents no 401 for them) and are not audited."""
    statuses: dict[tuple[str, str], set[int]] = {}
    for method, path, status in documented():
        statuses.setdefault((method, path), set()).add(status)
    return {operation for operation, seen in statuses.items() if 401 not in seen} - AUDITED_PUBLIC


def documented() -> set[tuple[str, str, int]]:
    document = json.loads(COMMITTED.read_text())
    return {
        (method.upper(), path, int(status))
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        for status in operation["responses"]
    }


@pytest.fixture(scope="module")
def live_url(api_settings: Settings, loaded: Any) -> Iterator[str]:
    with serve_in_thread(create_app(api_settings)) as url:
        yield url


@pytest.fixture(scope="module")
def unreachable_policy_url(api_settings: Settings, loaded: Any) -> Iterator[str]:
    """The same gateway configured for an OPA server that is not there: every decision fails."""
    broken = api_settings.model_copy(
        update={"policy": PolicySettings(engine="opa", opa_url="http://127.0.0.1:9", timeout_ms=300)}
    )
    with serve_in_thread(create_app(broken)) as url:
        yield url


# The data-management routes change the store (a school's LA, phase or type; a pupil's identity, or a merge of two
# pupils' records): fuzzed, they act on a URN that no school has and a valid UPN that no pupil has, so a draw that
# happens to pick the data manager with a valid body cannot move a real school or change or merge a real pupil.
NO_SUCH_UPN = "M886999999999"  # a correct check letter; no pupil of the synthetic data has it
DATA_MANAGEMENT: dict[str, dict[str, Any]] = {
    "/v1/admin/schools/": {"urn": 999999},
    "/v1/admin/pupils/": {"upn": NO_SUCH_UPN},
}

# A feed pack check records a verdict for the product its MIS-Product header names: fuzzed with a valid header,
# it names this product, which no test reads, so a fuzzed verdict can never change a verdict a test checks.
CHECKS = "/v1/feed/conformance/checks"
FUZZ_PRODUCT = "Schemathesis Probe"
PACK = {path.name: path.read_text() for path, _ in load_manifest(PUBLISHED_PACK)}


def _choose(case: Any) -> tuple[str, bool]:
    digest = zlib.crc32(f"{case.method} {case.path} {case.query} {case.path_parameters}".encode())
    names = sorted(PERSONAS)
    return names[digest % len(names)], digest % 2 == 0


@SCHEMA.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck))
def test_gateway_conforms_to_its_contract(
    case: Any, live_url: str, tokens: Tokens, store: psycopg.Connection[Any]
) -> None:
    """Valid and invalid parameters alike: no server error, a response the contract allows, and exactly
    one audit event for the request."""
    persona, honest = _choose(case)
    if honest and isinstance(case.query, dict):
        declared = {p.name for p in case.operation.query}
        case.query.update({k: v for k, v in PERSONAS[persona].items() if k in declared})
    if honest and isinstance(case.body, dict):
        case.body.update({k: v for k, v in PERSONAS[persona].items() if k in ("purpose", "agreement")})
    for prefix, no_such_subject in DATA_MANAGEMENT.items():
        if case.path.startswith(prefix) and isinstance(case.path_parameters, dict):
            case.path_parameters.update(
                no_such_subject
            )  # never changes a real school or pupil of the shared db
    if case.path == CHECKS and isinstance(case.headers, dict):
        named = case.headers.get("mis-product")
        if isinstance(named, str) and re.fullmatch(MIS_NAME_PATTERN, named):
            case.headers["mis-product"] = FUZZ_PRODUCT  # still valid: an invalid one stays invalid (400)
    response = case.call(base_url=live_url, headers=tokens.headers(persona))
    RECORDED.add((case.method.upper(), case.path, response.status_code))
    mode = case.meta.generation.mode.value
    event(f"{mode}: {response.status_code}")
    assert response.status_code < 500, response.text[:300]
    [request_id] = response.headers["x-request-id"]  # schemathesis keeps every header as a list
    audited = store.execute(
        "SELECT count(*) FROM audit_events WHERE request_id = %s", (request_id,)
    ).fetchone()
    # A public operation (health, audit keys: no token, so no 401 documented) has no audit event; every
    # other request (a wrong method or OPTIONS on a public path included) has exactly one, whatever its outcome.
    public = (case.method.upper(), case.path) in public_operations()
    assert audited == ((0,) if public else (1,)), (case.method, case.path, response.status_code)
    MODES.add(mode)
    # A policy may refuse a well-formed request (403): that is the product working, not a failure.
    case.validate_response(response, excluded_checks=[positive_data_acceptance])


def declared_query(method: str, path: str) -> set[str]:
    """The query parameters the committed contract declares for one operation."""
    operation = json.loads(COMMITTED.read_text())["paths"][path][method.lower()]
    return {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}


def _concrete(template: str, areas: dict[str, Any]) -> str:
    return (
        template.replace("{upn}", str(areas["own"]["upn"]))
        .replace("{urn}", str(areas["own"]["urn"]))
        .replace("{seq}", "1")
    )


def _record(method: str, template: str, response: httpx.Response) -> None:
    RECORDED.add((method, template, response.status_code))


def test_without_a_token_every_governed_route_is_401(live_url: str) -> None:
    for method, path, status in sorted(documented()):
        if status != 401:
            continue
        url = live_url + path.replace("{upn}", "A886123400001").replace("{urn}", "100001").replace(
            "{seq}", "1"
        )
        response = httpx.request(method, url, timeout=30)
        assert response.status_code == 401, (method, path)
        assert response.headers["www-authenticate"].startswith("Bearer")
        _record(method, path, response)


def test_when_the_policy_engine_is_unreachable_no_data_leaves(
    unreachable_policy_url: str, tokens: Tokens, areas: dict[str, Any]
) -> None:
    params = {
        **PERIOD,
        "purpose": "official-statistics",
        "agreement": "ons-srsa-s45a",
        "date": "2025-10-01",
        "action": "attendance.summary",
        "from": "2025-09-01T00:00:00Z",
        "to": "2026-09-01T00:00:00Z",
    }
    body = {"purpose": "official-statistics", "agreement": "ons-srsa-s45a", **PERIOD}
    for method, path, status in sorted(documented()):
        if status != 503 or path.startswith("/health"):
            continue
        extra: dict[str, Any] = {"headers": tokens.headers("dfe-dpo")}
        if path == "/v1/extracts":
            extra["json"] = body
        elif path == "/v1/admin/schools/{urn}/reassign":
            extra["json"] = {**REASSIGN, "la_code": areas["own"]["la_code"], "trust_id": None}
        elif path == "/v1/admin/schools/{urn}/reclassify":
            extra["json"] = {**REASSIGN, "phase": "primary", "school_type": "Community school"}
        elif path == "/v1/admin/pupils/{upn}/identity":
            extra["json"] = {**IDENTITY_CHECK, **SAME_IDENTITY}
        elif path == "/v1/admin/pupils/{upn}/merge":
            extra["json"] = {**IDENTITY_CHECK, "into": NO_SUCH_UPN}
        elif path == CHECKS:
            extra["json"] = {"files": PACK}
            extra["headers"] = {**tokens.headers("dfe-dpo"), "mis-product": FUZZ_PRODUCT}
        elif method == "POST":
            extra["content"] = b"urn\n"
            extra["headers"] = {**tokens.headers("dfe-dpo"), "content-type": "text/csv"}
        offered = {**params, "from": 1, "to": 2} if path == "/v1/audit/consistency" else params
        declared = declared_query(method, path)  # an undeclared parameter is refused (400) before policy
        query = {k: v for k, v in offered.items() if k in declared}
        response = httpx.request(
            method,
            unreachable_policy_url + _concrete(path, areas),
            params=query,
            timeout=30,
            **extra,
        )
        assert response.status_code == 503, (method, path, response.text)
        assert response.json()["type"].endswith("/policy-engine-unavailable")
        _record(method, path, response)


@pytest.fixture(scope="module")
def fresh(
    api_settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Settings, Path]]:
    """A second gateway on an empty, migrated database and its own copy of the policy bundle."""
    bundle = tmp_path_factory.mktemp("bundle") / "policies"
    shutil.copytree(ROOT / "policies", bundle)
    name = f"{api_settings.database_name}_fresh"
    server_url = start_embedded(api_settings.pg_data_dir)
    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(drop)
    fresh_settings = api_settings.model_copy(
        update={"database_name": name, "policy": PolicySettings(bundle_dir=bundle, watch=False)}
    )
    upgrade(resolve_database(fresh_settings), fresh_settings.app_db_role)
    with serve_in_thread(create_app(fresh_settings)) as url:
        yield url, fresh_settings, bundle
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(drop)


def _call(base: str, method: str, template: str, headers: dict[str, str], **kwargs: Any) -> httpx.Response:
    return httpx.request(method, base + template, headers=headers, timeout=30, **kwargs)


def test_statuses_fuzzing_rarely_reaches_are_produced_for_real(
    live_url: str, tokens: Tokens, areas: dict[str, Any], store: psycopg.Connection[Any]
) -> None:
    dpo = {"purpose": "audit-oversight", "dpo_agreement": "dpo-oversight-dfe"}
    la = {
        "purpose": "attendance-support",
        "agreement": "la-attendance-support",
        "reason": "Termly targeting meeting",
    }
    sizes = [int(r[0]) for r in store.execute("SELECT size FROM audit_checkpoints ORDER BY size").fetchall()]
    assert len(sizes) >= 2, "the fuzzing above leaves at least two signed checkpoints"
    own, other = areas["own"], areas["other"]
    own_trust = store.execute("SELECT trust_id FROM schools WHERE urn = %s", (own["urn"],)).fetchone()
    assert own_trust is not None
    stays = {**REASSIGN, "la_code": own["la_code"], "trust_id": own_trust[0]}  # a move that changes nothing
    reassign = "/v1/admin/schools/{urn}/reassign"
    classified = store.execute(
        "SELECT phase, school_type FROM schools WHERE urn = %s", (own["urn"],)
    ).fetchone()
    assert classified is not None
    same_class = {**REASSIGN, "phase": classified[0], "school_type": classified[1]}  # changes nothing
    reclassify = "/v1/admin/schools/{urn}/reclassify"
    who = store.execute(
        "SELECT forename, surname, date_of_birth::text, sex, ethnicity FROM pupils WHERE upn = %s",
        (own["upn"],),
    ).fetchone()
    assert who is not None
    same_identity = {**IDENTITY_CHECK, **dict(zip(SAME_IDENTITY, who, strict=True))}  # changes nothing
    identity = "/v1/admin/pupils/{upn}/identity"
    merge = "/v1/admin/pupils/{upn}/merge"
    into_itself = {**IDENTITY_CHECK, "into": own["upn"]}
    recipes: list[tuple[str, str, str, dict[str, Any], int]] = [
        ("data-manager", "POST", reassign, {"json": stays}, 200),
        ("ogd-analyst", "POST", reassign, {"json": stays}, 403),
        ("data-manager", "POST", reassign, {"json": {**stays, "la_code": 999}}, 422),  # no such LA
        ("data-manager", "POST", reclassify, {"json": same_class}, 200),
        ("ogd-analyst", "POST", reclassify, {"json": same_class}, 403),
        ("data-manager", "POST", reclassify, {"json": {**same_class, "effective_date": "2099-01-01"}}, 422),
        ("data-manager", "POST", identity, {"json": same_identity}, 200),
        ("ogd-analyst", "POST", identity, {"json": same_identity}, 403),
        ("data-manager", "POST", identity, {"json": {**same_identity, "effective_date": "2099-01-01"}}, 422),
        ("ogd-analyst", "POST", merge, {"json": into_itself}, 403),
        ("data-manager", "POST", merge, {"json": into_itself}, 422),  # merge-into-self: nothing is read
        ("dfe-dpo", "GET", "/v1/audit/checkpoints/latest", {"params": dpo}, 200),
        (
            "dfe-dpo",
            "GET",
            "/v1/audit/consistency",
            {"params": {**dpo, "from": sizes[0], "to": sizes[-1]}},
            200,
        ),
        ("dfe-dpo", "GET", "/v1/audit/consistency", {"params": {**dpo, "from": 1, "to": 2}}, 404),
        (
            "dfe-dpo",
            "GET",
            "/v1/audit/events",
            {"params": {**dpo, "from": "2026-01-02T00:00:00Z", "to": "2026-01-01T00:00:00Z"}},
            422,
        ),
        ("dfe-dpo", "GET", "/v1/audit/events/{seq}/proof", {"params": dpo}, 200),
        (
            "dfe-dpo",
            "GET",
            "/v1/audit/export",
            {"params": {**dpo, "from": "2026-01-02T00:00:00Z", "to": "2026-01-01T00:00:00Z"}},
            422,
        ),
        (
            "dfe-dpo",
            "GET",
            "/v1/audit/report",
            {"params": {**dpo, "from": "2025-01-01T00:00:00Z", "to": "2030-01-01T00:00:00Z"}},
            200,
        ),
        (
            "ogd-analyst",
            "GET",
            "/v1/audit/report",
            {"params": {"from": "2025-01-01T00:00:00Z", "to": "2030-01-01T00:00:00Z"}},
            403,
        ),
        (
            "dfe-dpo",
            "GET",
            "/v1/audit/report",
            {"params": {**dpo, "from": "2026-01-02T00:00:00Z", "to": "2026-01-01T00:00:00Z"}},
            422,
        ),
        ("dfe-dpo", "GET", "/v1/audit/subjects/{upn}", {"params": dpo}, 200),
        ("ogd-analyst", "GET", "/v1/audit/subjects/{upn}", {}, 403),
        ("la-attendance", "GET", "/v1/pupils/{upn}/attendance", {"params": {**la, **PERIOD}}, 200),
        (
            "ogd-analyst",
            "GET",
            "/v1/pupils/{upn}/attendance",
            {"params": {"purpose": "multiple-disadvantages", "agreement": "dwp-dea-s35"}},
            403,
        ),
        ("la-attendance", "GET", "/v1/pupils/{upn}/attendance", {"params": {**la, **PERIOD}}, 404),
        (
            "ogd-analyst",
            "POST",
            "/v1/extracts",
            {
                "json": {
                    "purpose": "multiple-disadvantages",
                    "agreement": "dwp-dea-s35",
                    "date_from": "2025-10-01",
                    "date_to": "2025-09-01",
                }
            },
            422,
        ),
        (
            "school-lead",
            "GET",
            "/v1/schools/{urn}/benchmark",
            {"params": {"purpose": "school-improvement", "agreement": "school-benchmark", **PERIOD}},
            200,
        ),
        ("policy-admin", "POST", "/v1/admin/policies/reload", {}, 200),
        (
            "ogd-analyst",
            "POST",
            "/v1/extracts",
            {
                "json": {
                    "purpose": "multiple-disadvantages",
                    "agreement": "dwp-dea-s35",
                    "la_code": own["la_code"],
                    **PERIOD,
                }
            },
            200,
        ),
        (
            "aggregator",
            "POST",
            "/v1/ingest/registers",
            {
                "params": {
                    "purpose": "data-collection",
                    "agreement": "aggregator-collection",
                    "name": "probe.csv",
                },
                "content": b"urn,upn,date,session,code,recorded_at\n999999,A886123400001,2025-09-03,AM,/,2025-09-03T09:00:00+00:00\n",
                "headers": {"content-type": "text/csv"},
            },
            200,
        ),
        (
            "aggregator",
            "POST",
            "/v1/ingest/registers",
            {
                "params": {"purpose": "data-collection", "agreement": "aggregator-collection"},
                "content": b"urn,upn,date,session,code,recorded_at\n" + b"x" * 70_000 + b"\n",
                "headers": {"content-type": "text/csv"},
            },
            413,  # a line over ingest.max_line_bytes (64 KiB by default)
        ),
        (
            "aggregator",
            "POST",
            "/v1/ingest/registers",
            {
                "params": {"purpose": "data-collection", "agreement": "aggregator-collection"},
                "content": b'{"urn": "100001"}',
                "headers": {"content-type": "application/json"},
            },
            415,
        ),
        (
            "aggregator",
            "POST",
            "/v1/ingest/registers",
            {
                "params": {"purpose": "data-collection", "agreement": "aggregator-collection"},
                "content": b"a,b,c\n1,2,3\n",
                "headers": {"content-type": "text/csv"},
            },
            422,  # a header that names no feed kind
        ),
        (
            "aggregator",
            "POST",
            CHECKS,
            {
                "params": {"purpose": "data-collection", "agreement": "aggregator-collection"},
                "json": {"files": PACK},
                "headers": {"mis-product": FUZZ_PRODUCT},
            },
            200,
        ),
        (
            "aggregator",
            "POST",
            CHECKS,
            {
                "params": {"purpose": "data-collection", "agreement": "aggregator-collection"},
                "json": {"files": {"schools.csv": PACK["schools.csv"]}},
                "headers": {"mis-product": FUZZ_PRODUCT},
            },
            422,  # the submission lacks the pack's other files
        ),
    ]
    recipes += [
        ("data-manager", "POST", "/v1/admin/schools/{urn}/reassign", {}, 404),
        ("data-manager", "POST", "/v1/admin/schools/{urn}/reclassify", {}, 404),
        ("data-manager", "POST", "/v1/admin/pupils/{upn}/identity", {}, 404),
        ("data-manager", "POST", merge, {}, 404),
    ]
    for persona, method, path, kwargs, expected in recipes:
        upn = other["upn"] if expected == 404 and path.startswith("/v1/pupils") else own["upn"]
        concrete = path.replace("{upn}", upn).replace("{urn}", str(own["urn"])).replace("{seq}", "1")
        if expected == 404 and path.startswith(
            "/v1/admin/"
        ):  # a path no route matches (the fuzz acts on URN 999999)
            concrete = path.replace("{upn}", "A/B").replace("{urn}", "not-a-urn")
        headers = {**tokens.headers(persona), **kwargs.pop("headers", {})}
        response = _call(live_url, method, concrete, headers, **kwargs)
        assert response.status_code == expected, (persona, method, path, response.text[:300])
        _record(method, path, response)
    # A merge that moves nothing: two records of one child with no enrolment, arranged and removed here.
    with two_records(store):
        body = {**IDENTITY_CHECK, "into": PERMANENT_UPN}
        concrete = merge.replace("{upn}", TEMPORARY_UPN)
        response = _call(live_url, "POST", concrete, tokens.headers("data-manager"), json=body)
        assert response.status_code == 200, response.text[:300]
        _record("POST", merge, response)


def test_no_checkpoint_yet_is_404(fresh: tuple[str, Settings, Path], tokens: Tokens) -> None:
    url, _, _ = fresh
    response = _call(
        url,
        "GET",
        "/v1/audit/checkpoints/latest",
        tokens.headers("dfe-dpo"),
        params={"purpose": "audit-oversight", "dpo_agreement": "dpo-oversight-dfe"},
    )
    assert response.status_code == 404
    _record("GET", "/v1/audit/checkpoints/latest", response)


def test_reloading_a_broken_bundle_is_422_and_the_running_one_stays(
    fresh: tuple[str, Settings, Path], tokens: Tokens
) -> None:
    url, _, bundle = fresh
    (bundle / "gateway" / "broken.rego").write_text("package gateway.broken\n\nthis is not rego\n")
    response = _call(url, "POST", "/v1/admin/policies/reload", tokens.headers("policy-admin"))
    assert response.status_code == 422
    assert response.json()["type"].endswith("/policy-bundle-invalid")
    _record("POST", "/v1/admin/policies/reload", response)


def test_ready_is_503_when_the_database_stops_answering(fresh: tuple[str, Settings, Path]) -> None:
    url, fresh_settings, _ = fresh
    server_url = start_embedded(fresh_settings.pg_data_dir)
    name = sql.Identifier(fresh_settings.database_name)
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS false").format(name))
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            (fresh_settings.database_name,),
        )
        try:
            response = httpx.get(url + "/health/ready", timeout=30)
        finally:
            conn.execute(sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS true").format(name))
    assert response.status_code == 503
    assert response.json()["type"].endswith("/not-ready")
    _record("GET", "/health/ready", response)


@pytest.fixture(scope="module")
def limited_url(api_settings: Settings, loaded: Any) -> Iterator[str]:
    """The same gateway allowing one request a minute to a client naming no agreement with a limit."""
    limited = api_settings.model_copy(update={"rate_limit_default_per_minute": 1})
    with serve_in_thread(create_app(limited)) as url:
        yield url


def test_every_rate_limited_operation_answers_429_with_retry_after(
    limited_url: str, tokens: Tokens, areas: dict[str, Any]
) -> None:
    headers = tokens.headers("dfe-dpo")  # its routes name `dpo_agreement`, so the default limit applies
    spent = httpx.get(limited_url + "/v1/me", headers=headers, timeout=30)
    assert spent.status_code == 200
    limited = sorted((m, p) for m, p, status in documented() if status == 429)
    assert len(limited) == 24
    for method, path in limited:
        response = httpx.request(method, limited_url + _concrete(path, areas), headers=headers, timeout=30)
        assert response.status_code == 429, (method, path, response.text[:300])
        assert 1 <= int(response.headers["retry-after"]) <= 60
        _record(method, path, response)


def test_an_unchanged_data_answer_is_304_for_if_none_match(
    live_url: str, tokens: Tokens, areas: dict[str, Any]
) -> None:
    ons = {"purpose": "official-statistics", "agreement": "ons-srsa-s45a"}
    la = {"purpose": "attendance-support", "agreement": "la-attendance-support", "reason": "Termly targeting"}
    school = {"purpose": "school-improvement", "agreement": "school-benchmark"}
    calls = [
        ("ons-statistician", "/v1/attendance/summary", {**ons, **PERIOD}),
        ("ons-statistician", "/v1/attendance/daily", {**ons, **PERIOD}),
        ("ons-statistician", "/v1/attendance/closures", {**ons, "date": "2025-09-03"}),
        ("la-attendance", "/v1/pupils", {**la, **PERIOD}),
        ("la-attendance", "/v1/pupils/{upn}/attendance", {**la, **PERIOD}),
        ("la-attendance", "/v1/early-warning", la),
        ("school-lead", "/v1/schools/{urn}/benchmark", {**school, **PERIOD}),
    ]
    assert sorted(p for _, p, _ in calls) == sorted(p for m, p, s in documented() if s == 304)
    for persona, path, params in calls:
        url = live_url + _concrete(path, areas)
        first = httpx.get(url, params=params, headers=tokens.headers(persona), timeout=30)
        assert first.status_code == 200, (path, first.text[:300])
        again = httpx.get(
            url,
            params=params,
            headers={**tokens.headers(persona), "If-None-Match": first.headers["etag"]},
            timeout=30,
        )
        assert (again.status_code, again.content) == (304, b""), path
        _record("GET", path, again)


def test_the_pages_and_refusals_fuzzing_cannot_guess(live_url: str, tokens: Tokens) -> None:
    page = httpx.get(live_url + "/problems/access-denied", timeout=30)
    unknown = httpx.get(
        live_url + "/v1/me", params={"nope": "1"}, headers=tokens.headers("dfe-dpo"), timeout=30
    )
    assert page.status_code == 200
    assert (unknown.status_code, unknown.json()["type"]) == (400, "/problems/unknown-parameter")
    _record("GET", "/problems/{kind}", page)
    _record("GET", "/v1/me", unknown)


def test_zz_every_documented_status_of_every_route_was_exercised() -> None:
    """Runs last in this module, in the same process (make test runs this module on its own)."""
    missing = sorted(documented() - RECORDED)
    assert missing == [], f"documented but never exercised: {missing}"


def test_the_contract_cases_included_invalid_parameters() -> None:
    """The property above ran over generated invalid requests as well as valid ones (after it, in order)."""
    assert sorted(MODES) == ["negative", "positive"]
