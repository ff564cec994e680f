"""The generated Python client (clients/python, issue 15 item 5): it is what the committed contract
generates (a drift check), and it works against a real gateway on a real port: a summary by FSM parsed
into typed models, a 403 and a 429 parsed as the contract's Problem."""

from __future__ import annotations

import datetime
import filecmp
import json
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from attendance_gateway_client import AuthenticatedClient
from attendance_gateway_client.api.attendance import attendance_summary
from attendance_gateway_client.models import Problem, SummaryResponse

from gateway.app import create_app
from gateway.demo import DemoSummary
from gateway.settings import Settings
from tests.api.conftest import PERIOD, Tokens
from tests.api.live import serve_in_thread

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "clients" / "python"
LIMIT = 2  # the limited gateway's ons-srsa-s45a requests a minute
DATES = {key: datetime.date.fromisoformat(value) for key, value in PERIOD.items()}


def _tree(root: Path) -> set[str]:
    return {
        str(path.relative_to(root))
        for path in root.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }


def test_the_committed_client_is_what_the_committed_contract_generates(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "clients"))
    try:
        from generate import generate  # clients/generate.py, what `make client` runs
    finally:
        sys.path.remove(str(ROOT / "clients"))
    out = tmp_path / "python"
    generate(out)
    committed, fresh = _tree(COMMITTED), _tree(out)
    assert committed == fresh, "files differ: run `make client` and commit clients/python"
    _, mismatch, errors = filecmp.cmpfiles(COMMITTED, out, sorted(committed), shallow=False)
    assert (mismatch, errors) == ([], []), "contents differ: run `make client` and commit clients/python"


@pytest.fixture(scope="module")
def live(api_settings: Settings, loaded: DemoSummary) -> Iterator[str]:
    with serve_in_thread(create_app(api_settings)) as url:
        yield url


@pytest.fixture(scope="module")
def limited(
    api_settings: Settings, loaded: DemoSummary, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The gateway with a copy of the policies whose ONS agreement allows LIMIT requests a minute."""
    bundle = tmp_path_factory.mktemp("client-limited") / "policies"
    shutil.copytree(api_settings.policy.bundle_dir, bundle)
    agreements_file = bundle / "data" / "agreements" / "data.json"
    agreements = json.loads(agreements_file.read_text())
    agreements["ons-srsa-s45a"]["rate_limit_per_minute"] = LIMIT
    agreements_file.write_text(json.dumps(agreements))
    settings = api_settings.model_copy(
        update={"policy": api_settings.policy.model_copy(update={"bundle_dir": bundle})}
    )
    with serve_in_thread(create_app(settings)) as url:
        yield url


def _client(url: str, tokens: Tokens, persona: str) -> AuthenticatedClient:
    token = tokens.headers(persona)["Authorization"].removeprefix("Bearer ")
    return AuthenticatedClient(base_url=url, token=token, timeout=60)  # type: ignore[arg-type]


def _summary(client: AuthenticatedClient, agreement: str = "ons-srsa-s45a") -> Any:
    return attendance_summary.sync_detailed(
        client=client,
        purpose="official-statistics",
        agreement=agreement,
        level="la",
        breakdown="fsm",
        **DATES,
    )


def test_a_summary_by_fsm_parses_into_typed_models_with_nothing_left_over(live: str, tokens: Tokens) -> None:
    with _client(live, tokens, "ons-statistician") as client:
        response = _summary(client)
    assert response.status_code == 200
    summary = response.parsed
    assert isinstance(summary, SummaryResponse)
    assert summary.to_dict() == json.loads(response.content)  # every field of the answer round-trips
    assert summary.additional_properties == {}  # and the contract declares all of them
    assert [row.additional_properties for row in summary.rows] == [{}] * len(summary.rows)
    groups = {(row.area_id, row.group) for row in summary.rows}
    areas = {row.area_id for row in summary.rows}
    assert groups == {(area, group) for area in areas for group in (None, "FSM eligible", "not FSM eligible")}


def test_a_refusal_parses_as_the_contracts_problem(live: str, tokens: Tokens) -> None:
    with _client(live, tokens, "ons-statistician") as client:
        response = _summary(client, agreement="la-attendance-support")
    assert response.status_code == 403
    problem = response.parsed
    assert isinstance(problem, Problem)
    assert problem.status == 403
    assert problem.to_dict() == json.loads(response.content)


def test_the_request_over_the_rate_limit_parses_as_a_problem_with_retry_after(
    limited: str, tokens: Tokens
) -> None:
    with _client(limited, tokens, "ons-statistician") as client:
        statuses = [_summary(client).status_code for _ in range(LIMIT)]
        refused = _summary(client)
    assert statuses == [200] * LIMIT
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) >= 1
    problem = refused.parsed
    assert isinstance(problem, Problem)
    assert (problem.status, problem.type_.rsplit("/", 1)[-1]) == (429, "rate-limited")
