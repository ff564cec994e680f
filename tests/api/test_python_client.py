"""The generated Python client (clients/python, issue 15 item 5): it is what the committed contract
generates (a drift check), and it works against a real gateway on a real port: an analyst's workflow (a
summary by FSM, the daily series, closures on a day, a streamed extract, a paged pupil list) parsed into
typed models, and a 403 and a 429 parsed as the contract's Problem."""

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
from attendance_gateway_client.api.attendance import (
    attendance_closures,
    attendance_daily,
    attendance_summary,
)
from attendance_gateway_client.api.pupils import pupils_list
from attendance_gateway_client.models import (
    ClosuresResponse,
    DailyResponse,
    ExtractRequest,
    Problem,
    PupilPage,
    SummaryResponse,
)
from attendance_gateway_client.streaming import (
    ExtractReader,
    GatewayError,
    TruncatedExtract,
    pages,
    stream_extract,
)

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


ONS = {"purpose": "official-statistics", "agreement": "ons-srsa-s45a"}
DWP = {"purpose": "multiple-disadvantages", "agreement": "dwp-dea-s35", "la_code": 202, **PERIOD}
LA = {
    "purpose": "attendance-support",
    "agreement": "la-attendance-support",
    "reason": "Termly targeting meeting",
}


def test_the_daily_series_parses_one_row_per_day_in_order(live: str, tokens: Tokens) -> None:
    with _client(live, tokens, "ons-statistician") as client:
        response = attendance_daily.sync_detailed(client=client, **ONS, **DATES)
    daily = response.parsed
    assert isinstance(daily, DailyResponse)
    assert daily.to_dict() == json.loads(response.content)
    days = [row.date for row in daily.rows]
    assert days == sorted(set(days))
    assert DATES["date_from"] <= days[0] <= days[-1] <= DATES["date_to"]


def test_closures_on_a_day_parse_into_their_model(live: str, tokens: Tokens) -> None:
    with _client(live, tokens, "ons-statistician") as client:
        response = attendance_closures.sync_detailed(client=client, **ONS, date=datetime.date(2025, 9, 3))
    closures = response.parsed
    assert isinstance(closures, ClosuresResponse)
    assert closures.date == datetime.date(2025, 9, 3)
    assert closures.to_dict() == json.loads(response.content)


def _extract_request() -> ExtractRequest:
    return ExtractRequest.from_dict(DWP)


def test_a_streamed_extract_yields_the_rows_of_the_whole_body_and_its_summary(
    live: str, tokens: Tokens
) -> None:
    with _client(live, tokens, "ogd-analyst") as client:
        streamed = list(stream_extract(client, _extract_request()))
        whole = client.get_httpx_client().post("/v1/extracts", json=DWP)
    *rows, trailer = [json.loads(line) for line in whole.text.splitlines()]
    assert streamed == rows
    assert len(streamed) == int(whole.headers["x-row-count"]) == trailer["_summary"]["rows"] > 0


def test_the_reader_gives_the_checked_summary_after_the_last_row(live: str, tokens: Tokens) -> None:
    with _client(live, tokens, "ogd-analyst") as client:
        whole = client.get_httpx_client().post("/v1/extracts", json=DWP)
    reader = ExtractReader(whole.text.splitlines())
    rows = list(reader)
    assert reader.summary is not None
    assert (reader.summary.rows, reader.summary.request_id) == (len(rows), whole.headers["x-request-id"])


def test_an_extract_cut_off_before_its_summary_raises(live: str, tokens: Tokens) -> None:
    with _client(live, tokens, "ogd-analyst") as client:
        whole = client.get_httpx_client().post("/v1/extracts", json=DWP)
    lines = whole.text.splitlines()
    with pytest.raises(TruncatedExtract, match=f"ended after {len(lines) - 2} rows without its summary"):
        list(ExtractReader(lines[:-2]))  # a row and the summary lost


def test_a_summary_that_counts_other_rows_raises(live: str, tokens: Tokens) -> None:
    with _client(live, tokens, "ogd-analyst") as client:
        whole = client.get_httpx_client().post("/v1/extracts", json=DWP)
    lines = whole.text.splitlines()
    with pytest.raises(TruncatedExtract, match=f"counts {len(lines) - 1} rows; {len(lines) - 2} arrived"):
        list(ExtractReader(lines[1:]))  # the first row lost, the summary kept


def test_a_refused_extract_raises_with_the_contracts_problem(live: str, tokens: Tokens) -> None:
    with _client(live, tokens, "ons-statistician") as client, pytest.raises(GatewayError) as refused:
        list(stream_extract(client, _extract_request()))
    assert refused.value.status == 403
    assert refused.value.problem is not None
    assert refused.value.problem.status == 403


def test_pages_walk_a_pupil_list_to_its_end_with_every_row_once(live: str, tokens: Tokens) -> None:
    query = {**LA, **DATES, "criterion": "all"}
    with _client(live, tokens, "la-attendance") as client:
        big = list(pages(pupils_list.sync_detailed, client=client, **query, limit=1000))
        small = list(pages(pupils_list.sync_detailed, client=client, **query, limit=300))
    rows = [row.to_dict() for page in big for row in page.rows]
    assert all(isinstance(page, PupilPage) for page in big + small)
    assert len(big) == -(-len(rows) // 1000) > 1  # the list is longer than one page
    assert len(small) == -(-len(rows) // 300)
    assert [row.to_dict() for page in small for row in page.rows] == rows
    assert len({(row["upn"], row["urn"], row["admission_date"]) for row in rows}) == len(
        rows
    )  # per enrolment
    assert big[-1].next_cursor is None


def test_a_refused_page_raises_with_the_contracts_problem(live: str, tokens: Tokens) -> None:
    with _client(live, tokens, "ons-statistician") as client, pytest.raises(GatewayError) as refused:
        list(pages(pupils_list.sync_detailed, client=client, **LA, **DATES, criterion="all", limit=7))
    assert refused.value.status == 403
    assert refused.value.problem is not None
    assert refused.value.problem.status == 403
