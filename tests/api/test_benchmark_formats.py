"""A school's benchmark as tidy CSV and as Parquet (issue 15, Deliver 2), by `format=` or Accept: the numeric
JSON answer cell for cell, a withheld comparator null with its status, and a refusal still problem+json."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Any

import psycopg
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from litestar.testing import TestClient

from gateway.api.benchmark import FIGURES_MEASURES, BenchmarkResponse, Figures, numeric_benchmark
from gateway.api.schemas import Disclosure, PeriodMeasured
from gateway.api.tables_csv import BENCHMARK_COLUMNS, benchmark_lines
from gateway.api.tables_parquet import PARQUET_MEDIA_TYPE, benchmark_table
from gateway.auth.personas import DEFAULT_TRUST, persona_claims
from gateway.edge.governed import Governance
from tests.api.conftest import PERIOD, Tokens, audit_count

CSV_TYPE = "text/csv; charset=utf-8"
JSON_TYPE = "application/json"
PARAMS = {"purpose": "school-improvement", "agreement": "trust-benchmark", **PERIOD}
HEAD = ["date_from", "date_to", "urn", "comparator"]
WITHHELD = f"trust {DEFAULT_TRUST} (other schools)"  # the trust's one other school: fewer than three


@pytest.fixture(scope="module")
def urn(store: psycopg.Connection[Any]) -> int:
    """The trust's first school (the trust benchmarks it against its one other school, withheld)."""
    row = store.execute("SELECT min(urn) FROM schools WHERE trust_id = %s", (DEFAULT_TRUST,)).fetchone()
    assert row is not None
    return int(row[0])


@pytest.fixture(scope="module")
def trust(tokens: Tokens) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens.issuer.issue(persona_claims('trust-lead'))}"}


def _path(urn: int) -> str:
    return f"/v1/schools/{urn}/benchmark"


@pytest.fixture(scope="module")
def numeric(client: TestClient[Any], trust: dict[str, str], urn: int) -> dict[str, Any]:
    response = client.get(_path(urn), params={**PARAMS, "measures": "numeric"}, headers=trust)
    assert response.status_code == 200, response.text[:300]
    return dict(response.json())


def _groups(answer: dict[str, Any]) -> list[dict[str, Any]]:
    return [answer["school"], *answer["comparators"]]


def _with_status(measures: tuple[str, ...]) -> list[str]:
    return [name for m in measures for name in (m, f"{m}_status")]


def test_the_benchmark_as_csv_is_the_numeric_answer_cell_for_cell(
    client: TestClient[Any], trust: dict[str, str], urn: int, numeric: dict[str, Any]
) -> None:
    response = client.get(_path(urn), params=PARAMS, headers={**trust, "Accept": "text/csv"})
    assert (response.status_code, response.headers["content-type"]) == (200, CSV_TYPE)
    header, *rows = list(csv.reader(io.StringIO(response.text)))
    expected = [
        [
            numeric["date_from"],
            numeric["date_to"],
            str(urn),
            group["name"],
            measure,
            "" if group[measure] is None else str(group[measure]),
            group[f"{measure}_status"] or "",
        ]
        for group in _groups(numeric)
        for measure in FIGURES_MEASURES
    ]
    assert header == list(BENCHMARK_COLUMNS)
    assert rows == expected
    assert len(rows) == 9 * 5  # the school, its LA, its trust, England and similar schools; 9 measures
    assert rows[0][3] == f"school {urn}"
    span = f"{numeric['date_from']}-{numeric['date_to']}"
    assert response.headers["content-disposition"] == (
        f'attachment; filename="attendance-benchmark-{urn}-{span}.csv"'
    )


def test_a_withheld_comparator_is_empty_with_status_c_in_the_csv(
    client: TestClient[Any], trust: dict[str, str], urn: int
) -> None:
    response = client.get(_path(urn), params={**PARAMS, "format": "csv"}, headers=trust)
    withheld = {(r[4], r[5], r[6]) for r in csv.reader(io.StringIO(response.text)) if r[3] == WITHHELD}
    assert withheld == {("schools", "1", "")} | {(m, "", "c") for m in FIGURES_MEASURES if m != "schools"}


def test_the_benchmark_as_parquet_is_one_typed_row_per_group(
    client: TestClient[Any], trust: dict[str, str], urn: int, numeric: dict[str, Any]
) -> None:
    response = client.get(_path(urn), params=PARAMS, headers={**trust, "Accept": PARQUET_MEDIA_TYPE})
    assert (response.status_code, response.headers["content-type"]) == (200, PARQUET_MEDIA_TYPE)
    table = pq.read_table(io.BytesIO(response.content))
    assert table.column_names == [*HEAD, *_with_status(FIGURES_MEASURES)]
    types = {field.name: field.type for field in table.schema}
    assert {types[m] for m in FIGURES_MEASURES if m.endswith("_rate")} == {pa.float64()}
    assert {types[m] for m in FIGURES_MEASURES if not m.endswith("_rate")} == {pa.int64()}
    assert {types[f"{m}_status"] for m in FIGURES_MEASURES} == {pa.string()}
    assert [types[n] for n in HEAD] == [pa.date32(), pa.date32(), pa.int64(), pa.string()]
    expected = [
        {
            "date_from": date.fromisoformat(numeric["date_from"]),
            "date_to": date.fromisoformat(numeric["date_to"]),
            "urn": urn,
            "comparator": group["name"],
            **{k: v for k, v in group.items() if k != "name"},
        }
        for group in _groups(numeric)
    ]
    assert table.to_pylist() == expected
    withheld = next(r for r in table.to_pylist() if r["comparator"] == WITHHELD)
    assert (withheld["schools"], withheld["enrolments"], withheld["enrolments_status"]) == (1, None, "c")
    assert {(withheld[m], withheld[f"{m}_status"]) for m in FIGURES_MEASURES if m != "schools"} == {
        (None, "c")
    }
    span = f"{numeric['date_from']}-{numeric['date_to']}"
    assert response.headers["content-disposition"] == (
        f'attachment; filename="attendance-benchmark-{urn}-{span}.parquet"'
    )


def test_the_parquet_metadata_states_the_version_request_and_disclosure(
    client: TestClient[Any], trust: dict[str, str], urn: int, numeric: dict[str, Any]
) -> None:
    response = client.get(_path(urn), params={**PARAMS, "format": "parquet"}, headers=trust)
    metadata = pq.read_schema(io.BytesIO(response.content)).metadata
    found = {k.decode(): v.decode() for k, v in metadata.items()}
    legend, rules = json.loads(found.pop("disclosure_legend")), json.loads(found.pop("disclosure_rules"))
    assert found == {
        "data_version": response.headers["data-version"],
        "data_as_of": response.headers["data-as-of"],
        "request_id": response.headers["x-request-id"],
        "disclosure_profile": numeric["disclosure"]["profile"],
        "similar_schools_rule": numeric["similar_schools_rule"],
    }
    assert (legend, rules) == (numeric["disclosure"]["legend"], numeric["disclosure"]["rules"])


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("text/csv", CSV_TYPE),
        (PARQUET_MEDIA_TYPE, PARQUET_MEDIA_TYPE),
        (JSON_TYPE, JSON_TYPE),
        ("*/*", JSON_TYPE),
        (f"text/csv;q=0.5, {PARQUET_MEDIA_TYPE}", PARQUET_MEDIA_TYPE),
        ("text/csv;q=0.5, application/json", JSON_TYPE),
    ],
)
def test_accept_chooses_the_format(
    client: TestClient[Any], trust: dict[str, str], urn: int, accept: str, expected: str
) -> None:
    response = client.get(_path(urn), params=PARAMS, headers={**trust, "Accept": accept})
    assert (response.status_code, response.headers["content-type"]) == (200, expected)


@pytest.mark.parametrize(
    ("asked", "accept", "expected"),
    [
        ("csv", PARQUET_MEDIA_TYPE, CSV_TYPE),
        ("parquet", "text/csv", PARQUET_MEDIA_TYPE),
        ("json", "text/csv", JSON_TYPE),
    ],
)
def test_format_wins_over_accept(
    client: TestClient[Any], trust: dict[str, str], urn: int, asked: str, accept: str, expected: str
) -> None:
    response = client.get(_path(urn), params={**PARAMS, "format": asked}, headers={**trust, "Accept": accept})
    assert (response.status_code, response.headers["content-type"]) == (200, expected)


def _problem(response: Any) -> tuple[int, str, str, str]:
    body = response.json()
    return response.status_code, response.headers["content-type"], body["type"], body["detail"]


@pytest.mark.parametrize("asked", ["csv", "parquet"])
def test_a_caller_without_the_benchmark_permission_gets_the_same_problem(
    client: TestClient[Any], tokens: Tokens, urn: int, asked: str
) -> None:
    """Refused by the policy (a research agreement does not benchmark schools), whatever the format."""
    params = {"purpose": "public-good-research", "agreement": "srs-research-p2025-017", **PERIOD}
    headers = tokens.headers("researcher")
    as_json = client.get(_path(urn), params=params, headers=headers)
    as_file = client.get(
        _path(urn), params={**params, "format": asked}, headers={**headers, "Accept": PARQUET_MEDIA_TYPE}
    )
    assert _problem(as_file) == _problem(as_json)
    assert _problem(as_file)[:2] == (403, "application/problem+json")


@pytest.mark.parametrize("accept", ["text/csv", PARQUET_MEDIA_TYPE])
def test_a_school_outside_the_callers_scope_is_the_same_problem(
    client: TestClient[Any], trust: dict[str, str], areas: dict[str, Any], accept: str
) -> None:
    """Refused by the route after the decision (the school is not the trust's), whatever the format."""
    path = _path(areas["own"]["urn"])
    as_json = client.get(path, params=PARAMS, headers=trust)
    as_file = client.get(path, params=PARAMS, headers={**trust, "Accept": accept})
    assert _problem(as_file) == _problem(as_json)
    assert _problem(as_file)[:2] == (403, "application/problem+json")


@pytest.mark.parametrize("asked", ["csv", "parquet"])
def test_a_file_answer_revalidates_and_heads_like_json(
    client: TestClient[Any], trust: dict[str, str], urn: int, store: psycopg.Connection[Any], asked: str
) -> None:
    params = {**PARAMS, "format": asked}
    headers = {**trust, "Accept-Encoding": "identity"}
    first = client.get(_path(urn), params=params, headers=headers)
    head = client.head(_path(urn), params=params, headers=headers)
    again = client.get(_path(urn), params=params, headers={**headers, "If-None-Match": first.headers["etag"]})
    json_tag = client.get(_path(urn), params=PARAMS, headers=headers).headers["etag"]
    assert [audit_count(store, r.headers["x-request-id"]) for r in (first, head, again)] == [1, 1, 1]
    assert (head.status_code, head.content, head.headers["etag"]) == (200, b"", first.headers["etag"])
    assert head.headers["content-length"] == str(len(first.content))
    assert (again.status_code, again.content) == (304, b"")
    assert json_tag != first.headers["etag"]


def test_the_csv_is_gzipped_when_the_client_accepts_it(
    client: TestClient[Any], trust: dict[str, str], urn: int
) -> None:
    zipped = client.get(
        _path(urn), params={**PARAMS, "format": "csv"}, headers={**trust, "Accept-Encoding": "gzip"}
    )
    plain = client.get(
        _path(urn), params={**PARAMS, "format": "csv"}, headers={**trust, "Accept-Encoding": "identity"}
    )
    assert (zipped.headers["content-encoding"], "content-encoding" in plain.headers) == ("gzip", False)
    assert zipped.text == plain.text


def _built(school: dict[str, Any], comparator: dict[str, Any]) -> BenchmarkResponse:
    day = date(2025, 9, 1)
    figures = {m: 1 if m == "schools" else 10 for m in FIGURES_MEASURES}
    return BenchmarkResponse(
        urn=100001,
        period=PeriodMeasured(
            name=None, kind="dates", academic_year=None, date_from=day, date_to=day, latest_session=day
        ),
        date_from=day,
        date_to=day,
        governance=Governance(
            agreement="a",
            legal_gateway="g",
            purpose="p",
            granularity="aggregate",
            disclosure_profile="research",
            policy_revision="r",
            request_id="q",
        ),
        disclosure=Disclosure(profile="research", legend={}, rules=[]),
        similar_schools_rule="same phase",
        school=Figures(name="school 100001", **{**figures, **school}),
        comparators=[Figures(name="=similar schools", **{**figures, **comparator})],
    )


def test_every_status_is_a_null_with_its_symbol_in_both_files() -> None:
    """Statuses the demo's benchmarks do not show (low, x, z) and a rate of 0.0 stay what they are."""
    answer = _built(
        {"attendance_rate": "z", "overall_absence_rate": 0.0},
        {"enrolments": "low", "possible_sessions": "x", "severe_absence_rate": "c"},
    )
    lines = list(benchmark_lines(answer))
    cells = {(line[3], line[4]): (line[5], line[6]) for line in lines[1:]}
    assert cells[("school 100001", "attendance_rate")] == ("", "z")
    assert cells[("school 100001", "overall_absence_rate")] == ("0.0", "")
    assert cells[("'=similar schools", "enrolments")] == ("", "low")  # a formula lead is quoted
    assert cells[("'=similar schools", "possible_sessions")] == ("", "x")
    assert cells[("'=similar schools", "severe_absence_rate")] == ("", "c")
    rows = benchmark_table(numeric_benchmark(answer)).to_pylist()
    assert [(r["comparator"], r["attendance_rate"], r["attendance_rate_status"]) for r in rows] == [
        ("school 100001", None, "z"),
        ("=similar schools", 10.0, None),
    ]
    assert (rows[0]["overall_absence_rate"], rows[0]["overall_absence_rate_status"]) == (0.0, None)
    assert [(rows[1][m], rows[1][f"{m}_status"]) for m in ("enrolments", "possible_sessions")] == [
        (None, "low"),
        (None, "x"),
    ]
