"""Aggregates as Parquet: typed columns, one row per area x group (day, school), the numeric JSON answer's
values row for row, and the data version, request id and disclosure legend in the file's metadata."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import typing
from datetime import date
from typing import Any, cast

import psycopg
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from litestar.testing import TestClient

from gateway.api.measures import (
    DAILY_MEASURES,
    SUMMARY_MEASURES,
    MeasureError,
    MeasureStatus,
    NumericSummaryResponse,
    NumericSummaryRow,
)
from gateway.api.schemas import Disclosure
from gateway.api.tables_parquet import PARQUET_MEDIA_TYPE, arrow_type, summary_table, table_of
from tests.api.conftest import PERIOD, Tokens, audit_count

SUMMARY = "/v1/attendance/summary"
DAILY = "/v1/attendance/daily"
CLOSURES = "/v1/attendance/closures"
RESEARCH = {
    "purpose": "public-good-research",
    "agreement": "srs-research-p2025-017",
    "level": "school",
    "breakdown": "sex",
    **PERIOD,
}
ONS = {"purpose": "official-statistics", "agreement": "ons-srsa-s45a"}
COUNTS = {"enrolments", "possible_sessions", "persistent_absentees", "severe_absentees"}
SUMMARY_HEAD = ["date_from", "date_to", "level", "area_id", "area_name", "gss_code", "parent_id"]


def _read(response: Any) -> pa.Table:
    return pq.read_table(io.BytesIO(response.content))


def _with_status(measures: tuple[str, ...]) -> list[str]:
    return [name for m in measures for name in (m, f"{m}_status")]


def _metadata(table: pa.Table) -> dict[str, str]:
    return {k.decode(): v.decode() for k, v in (table.schema.metadata or {}).items()}


def test_the_summary_as_parquet_has_typed_columns_and_the_numeric_answer_row_for_row(
    client: TestClient[Any], tokens: Tokens
) -> None:
    headers = tokens.headers("researcher")
    numeric = client.get(SUMMARY, params={**RESEARCH, "measures": "numeric"}, headers=headers).json()
    response = client.get(SUMMARY, params=RESEARCH, headers={**headers, "Accept": PARQUET_MEDIA_TYPE})
    table = _read(response)
    assert (response.status_code, response.headers["content-type"]) == (200, PARQUET_MEDIA_TYPE)
    assert table.column_names == [*SUMMARY_HEAD, "breakdown", "group", *_with_status(SUMMARY_MEASURES)]
    types = {field.name: field.type for field in table.schema}
    assert {types[m] for m in SUMMARY_MEASURES if m.endswith("_rate")} == {pa.float64()}
    assert {types[m] for m in SUMMARY_MEASURES if not m.endswith("_rate")} == {pa.int64()}
    assert {types[n] for n in table.column_names if n not in SUMMARY_MEASURES} - {pa.string()} == {
        pa.date32()
    }
    assert (types["date_from"], types["date_to"]) == (pa.date32(), pa.date32())
    expected = [
        {
            "date_from": date.fromisoformat(numeric["date_from"]),
            "date_to": date.fromisoformat(numeric["date_to"]),
            "breakdown": numeric["breakdown"],
            **{k: v for k, v in row.items() if k not in ("code_rates", "code_rates_status")},
        }
        for row in numeric["rows"]
    ]
    assert table.to_pylist() == expected
    cells = [(row[m], row[f"{m}_status"]) for row in table.to_pylist() for m in SUMMARY_MEASURES]
    assert (None, "c") in cells
    assert {row["group"] for row in table.to_pylist()} == {"female", "male", "Total"}


def test_format_parquet_is_the_same_table_as_accept(client: TestClient[Any], tokens: Tokens) -> None:
    headers = tokens.headers("researcher")
    by_accept = client.get(SUMMARY, params=RESEARCH, headers={**headers, "Accept": PARQUET_MEDIA_TYPE})
    by_format = client.get(SUMMARY, params={**RESEARCH, "format": "parquet"}, headers=headers)
    assert by_format.headers["content-type"] == PARQUET_MEDIA_TYPE
    assert by_format.headers["content-disposition"] == (
        'attachment; filename="attendance-summary-school-2025-09-01-2025-10-26.parquet"'
    )
    assert _read(by_format).to_pylist() == _read(by_accept).to_pylist()
    assert _read(by_format).schema.remove_metadata() == _read(by_accept).schema.remove_metadata()


def test_json_wins_over_parquet_unless_asked_first(client: TestClient[Any], tokens: Tokens) -> None:
    headers = tokens.headers("researcher")
    anything = client.get(SUMMARY, params=RESEARCH, headers={**headers, "Accept": "*/*"})
    forced = client.get(
        SUMMARY, params={**RESEARCH, "format": "json"}, headers={**headers, "Accept": PARQUET_MEDIA_TYPE}
    )
    assert anything.headers["content-type"].startswith("application/json")
    assert forced.headers["content-type"].startswith("application/json")


def test_the_file_metadata_equals_the_headers_and_the_json_disclosure(
    client: TestClient[Any], tokens: Tokens
) -> None:
    headers = tokens.headers("researcher")
    numeric = client.get(SUMMARY, params={**RESEARCH, "measures": "numeric"}, headers=headers).json()
    response = client.get(SUMMARY, params={**RESEARCH, "format": "parquet"}, headers=headers)
    found = _metadata(_read(response))
    assert {k: found[k] for k in ("data_version", "data_as_of", "request_id")} == {
        "data_version": response.headers["data-version"],
        "data_as_of": response.headers["data-as-of"],
        "request_id": response.headers["x-request-id"],
    }
    assert found["disclosure_profile"] == numeric["disclosure"]["profile"]
    assert json.loads(found["disclosure_legend"]) == numeric["disclosure"]["legend"]
    assert json.loads(found["disclosure_rules"]) == numeric["disclosure"]["rules"]
    assert "c" in json.loads(found["disclosure_legend"])


def test_code_rates_are_a_column_each_with_their_status(client: TestClient[Any], tokens: Tokens) -> None:
    params = {**ONS, "level": "region", "by_code": "true", **PERIOD}
    headers = tokens.headers("ons-statistician")
    numeric = client.get(SUMMARY, params={**params, "measures": "numeric"}, headers=headers).json()
    table = _read(client.get(SUMMARY, params={**params, "format": "parquet"}, headers=headers))
    codes = sorted({code for row in numeric["rows"] for code in row["code_rates"]})
    rate_columns = [n for n in table.column_names if n.startswith("code_rate_")]
    assert rate_columns == [name for c in codes for name in (f"code_rate_{c}", f"code_rate_{c}_status")]
    assert {table.schema.field(f"code_rate_{c}").type for c in codes} == {pa.float64()}
    got = [{c: row[f"code_rate_{c}"] for c in codes} for row in table.to_pylist()]
    assert got == [row["code_rates"] for row in numeric["rows"]]
    assert len(codes) > 5


def test_the_daily_series_as_parquet_is_one_row_per_day(client: TestClient[Any], tokens: Tokens) -> None:
    headers = tokens.headers("ons-statistician")
    params = {**ONS, **PERIOD}
    numeric = client.get(DAILY, params={**params, "measures": "numeric"}, headers=headers).json()
    response = client.get(DAILY, params={**params, "format": "parquet"}, headers=headers)
    table = _read(response)
    assert table.column_names == ["date", "area", *_with_status(DAILY_MEASURES)]
    assert table.schema.field("date").type == pa.date32()
    assert table.schema.field("pupils").type == pa.int64()
    assert table.schema.field("attendance_rate").type == pa.float64()
    assert table.to_pylist() == [
        {**row, "date": date.fromisoformat(row["date"]), "area": numeric["area"]} for row in numeric["rows"]
    ]
    assert _metadata(table)["request_id"] == response.headers["x-request-id"]


def test_closures_as_parquet_are_one_row_per_school_with_the_csv_names(
    client: TestClient[Any], tokens: Tokens, loaded: Any
) -> None:
    closure = next(e for e in loaded.manifest.events if e["kind"] == "planned_closure")
    params = {**ONS, "date": closure["date"]}
    headers = tokens.headers("ons-statistician")
    numeric = client.get(CLOSURES, params={**params, "measures": "numeric"}, headers=headers).json()
    table = _read(client.get(CLOSURES, params={**params, "format": "parquet"}, headers=headers))
    assert table.column_names == [
        "date",
        "urn",
        "school_name",
        "la_code",
        "phase",
        "closure_status",
        "attendance_rate",
        "attendance_rate_status",
    ]
    assert [f.type for f in table.schema][:4] == [pa.date32(), pa.int64(), pa.string(), pa.int64()]
    assert table.to_pylist() == [
        {
            "date": date.fromisoformat(closure["date"]),
            "urn": s["urn"],
            "school_name": s["name"],
            "la_code": s["la_code"],
            "phase": s["phase"],
            "closure_status": s["status"],
            "attendance_rate": s["attendance_rate"],
            "attendance_rate_status": s["attendance_rate_status"],
        }
        for s in numeric["schools"]
    ]
    assert (None, "z") in {(r["attendance_rate"], r["attendance_rate_status"]) for r in table.to_pylist()}


def test_a_refused_request_answers_problem_json_not_parquet(client: TestClient[Any], tokens: Tokens) -> None:
    response = client.get(
        SUMMARY,
        params={**RESEARCH, "agreement": "dwp-dea-s35", "format": "parquet"},
        headers={**tokens.headers("researcher"), "Accept": PARQUET_MEDIA_TYPE},
    )
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == 403


def test_an_unknown_format_is_refused_as_before(client: TestClient[Any], tokens: Tokens) -> None:
    response = client.get(
        SUMMARY, params={**RESEARCH, "format": "feather"}, headers=tokens.headers("researcher")
    )
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in response.json()["errors"]] == ["format"]


def test_a_parquet_answer_is_one_audit_event_and_revalidates_like_json(
    client: TestClient[Any], tokens: Tokens, store: psycopg.Connection[Any]
) -> None:
    headers = {**tokens.headers("researcher"), "Accept": PARQUET_MEDIA_TYPE, "Accept-Encoding": "identity"}
    first = client.get(SUMMARY, params=RESEARCH, headers=headers)
    head = client.head(SUMMARY, params=RESEARCH, headers=headers)
    again = client.get(SUMMARY, params=RESEARCH, headers={**headers, "If-None-Match": first.headers["etag"]})
    json_tag = client.get(SUMMARY, params=RESEARCH, headers=tokens.headers("researcher")).headers["etag"]
    assert [audit_count(store, r.headers["x-request-id"]) for r in (first, head, again)] == [1, 1, 1]
    assert (head.status_code, head.content, head.headers["etag"]) == (200, b"", first.headers["etag"])
    assert head.headers["content-length"] == str(len(first.content))
    assert (again.status_code, again.content) == (304, b"")
    assert json_tag != first.headers["etag"]


def test_a_reader_with_only_pyarrow_loads_the_file(client: TestClient[Any], tokens: Tokens) -> None:
    response = client.get(
        SUMMARY, params={**RESEARCH, "format": "parquet"}, headers=tokens.headers("researcher")
    )
    reader = (
        "import io, sys\n"
        "class NoPandas:  # pandas is in the test venv; this reader must not need it\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] == 'pandas':\n"
        "            raise ImportError('no pandas here')\n"
        "sys.meta_path.insert(0, NoPandas())\n"
        "import pyarrow.parquet as pq\n"
        # use_threads=False: pyarrow 26.0.1's threaded read aborted about half of these interpreters at exit
        # ("terminate called without an active exception", after printing the right answer), here as in a
        # plain script with pandas importable; the file is the same either way.
        "table = pq.read_table(io.BytesIO(sys.stdin.buffer.read()), use_threads=False)\n"
        "print(table.num_rows, table.num_columns, 'pandas' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-I", "-c", reader], input=response.content, capture_output=True, check=True
    )
    table = _read(response)
    assert done.stdout.decode().split() == [str(table.num_rows), str(table.num_columns), "False"]


@pytest.mark.parametrize(
    ("hint", "expected"),
    [
        (int | None, pa.int64()),
        (float | None, pa.float64()),
        (str, pa.string()),
        (date, pa.date32()),
        (str | None, pa.string()),
    ],
)
def test_arrow_types_follow_the_numeric_structs(hint: Any, expected: pa.DataType) -> None:
    assert arrow_type(hint) == expected


def test_a_status_is_a_string_column() -> None:
    assert arrow_type(MeasureStatus | None) == pa.string()


def test_a_value_that_does_not_fit_its_column_fails_closed() -> None:
    with pytest.raises(MeasureError, match="enrolments"):
        table_of([("enrolments", pa.int64())], [{"enrolments": 12.5}])  # pyarrow alone would truncate it
    with pytest.raises(MeasureError, match="attendance_rate"):
        table_of([("attendance_rate", pa.float64())], [{"attendance_rate": True}])


def test_a_value_that_fits_is_kept_with_its_nulls() -> None:
    table = table_of(
        [("pupils", pa.int64()), ("rate", pa.float64())],
        [{"pupils": 3, "rate": 95}, {"pupils": None, "rate": None}],
    )
    assert table.to_pylist() == [{"pupils": 3, "rate": 95.0}, {"pupils": None, "rate": None}]


def _kent(
    group: str, code_rates: dict[str, float | None], statuses: dict[str, MeasureStatus]
) -> NumericSummaryRow:
    hints = typing.get_type_hints(NumericSummaryRow)
    numbers = {m: 1.5 if arrow_type(hints[m]) == pa.float64() else 7 for m in SUMMARY_MEASURES}
    return NumericSummaryRow(
        level="la",
        area_id="886",
        area_name="Kent",
        gss_code="E10000016",
        parent_id="South East",
        group=group,
        code_rates=code_rates,
        code_rates_status=statuses,
        **numbers,
        **{f"{m}_status": None for m in SUMMARY_MEASURES},
    )


def test_a_code_a_row_has_no_rate_for_is_null_with_status_x() -> None:
    answer = NumericSummaryResponse(
        measures="numeric",
        period=cast(Any, None),  # not read by the table
        date_from=date(2025, 9, 1),
        date_to=date(2025, 10, 24),
        level="la",
        breakdown="fsm",
        governance=cast(Any, None),
        disclosure=Disclosure(profile="research", legend={}, rules=[]),
        rows=[_kent("Total", {"B": 0.5, "I": None}, {"I": "c"}), _kent("FSM eligible", {"I": 2.0}, {})],
    )
    rows = summary_table(answer).to_pylist()
    codes = [{k: v for k, v in row.items() if k.startswith("code_rate_")} for row in rows]
    assert codes == [
        {"code_rate_B": 0.5, "code_rate_B_status": None, "code_rate_I": None, "code_rate_I_status": "c"},
        {"code_rate_B": None, "code_rate_B_status": "x", "code_rate_I": 2.0, "code_rate_I_status": None},
    ]
    assert [(r["date_from"], r["breakdown"], r["group"], r["enrolments"]) for r in rows] == [
        (date(2025, 9, 1), "fsm", "Total", 7),
        (date(2025, 9, 1), "fsm", "FSM eligible", 7),
    ]
