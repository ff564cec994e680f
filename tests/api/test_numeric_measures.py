"""`measures=numeric`: every JSON measure a number or null with its status beside it; the old shape
(symbols in number fields) stays the default, answered with Deprecation and Sunset headers."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
import msgspec
import pytest
from attendance_gateway_client import Client
from attendance_gateway_client.api.attendance import attendance_summary
from attendance_gateway_client.models import NumericSummaryResponse as NumericSummaryResponseModel
from attendance_gateway_client.models import SummaryResponse as SummaryResponseModel
from litestar.testing import TestClient

from gateway.api.benchmark import FIGURES_MEASURES, Figures, NumericFigures
from gateway.api.measures import (
    DAILY_MEASURES,
    SUMMARY_MEASURES,
    MeasureError,
    NumericClosureSchool,
    NumericDailyRow,
    NumericSummaryRow,
    number_and_status,
    numeric_summary,
    numeric_summary_row,
)
from gateway.api.schemas import (
    ClosureSchool,
    DailyRow,
    Disclosure,
    PeriodMeasured,
    SummaryResponse,
    SummaryRow,
)
from gateway.edge.governed import Governance
from gateway.privacy.disclosure import protect
from tests.api.conftest import PERIOD, Tokens
from tests.privacy.profiles import PROFILES, ROUNDING_ONLY

SUMMARY = "/v1/attendance/summary"
RESEARCH = {
    "purpose": "public-good-research",
    "agreement": "srs-research-p2025-017",
    "level": "school",
    "breakdown": "sex",
    **PERIOD,
}
ONS = {"purpose": "official-statistics", "agreement": "ons-srsa-s45a"}
SUNSET = "Sat, 31 Jul 2027 00:00:00 GMT"
DEPRECATED_AT = "@1796169600"  # 2026-12-02T00:00:00Z


def _pairs(old: dict[str, Any], new: dict[str, Any], measures: tuple[str, ...]) -> list[tuple[Any, Any, Any]]:
    """(old cell, new number, new status) for every measure of a row."""
    return [(old[m], new[m], new[f"{m}_status"]) for m in measures]


def _agrees(old: Any, number: Any, status: Any) -> bool:
    if isinstance(old, str):
        return number is None and status == old
    return number == old and type(number) is type(old) and status is None


def test_numeric_summary_keeps_every_number_and_nulls_each_symbol_with_its_status(
    client: TestClient[Any], tokens: Tokens
) -> None:
    headers = tokens.headers("researcher")
    old = client.get(SUMMARY, params=RESEARCH, headers=headers)
    new = client.get(SUMMARY, params={**RESEARCH, "measures": "numeric"}, headers=headers)
    assert (old.status_code, new.status_code) == (200, 200)
    old_rows, new_rows = old.json()["rows"], new.json()["rows"]
    assert new.json()["measures"] == "numeric"
    assert len(new_rows) == len(old_rows) > 0
    cells = [cell for o, n in zip(old_rows, new_rows, strict=True) for cell in _pairs(o, n, SUMMARY_MEASURES)]
    assert [c for c in cells if not _agrees(*c)] == []
    assert "c" in {status for _, _, status in cells}
    assert {type(number) for _, number, status in cells if status is not None} == {type(None)}
    keys = ("level", "area_id", "area_name", "gss_code", "parent_id")
    assert [{k: n[k] for k in keys} for n in new_rows] == [{k: o[k] for k in keys} for o in old_rows]
    assert [n["group"] for n in new_rows] == ["Total" if o["group"] is None else o["group"] for o in old_rows]


def test_the_old_shape_is_deprecated_in_its_headers_and_the_numeric_shape_is_not(
    client: TestClient[Any], tokens: Tokens
) -> None:
    headers = tokens.headers("researcher")
    old = client.get(SUMMARY, params=RESEARCH, headers=headers)
    new = client.get(SUMMARY, params={**RESEARCH, "measures": "numeric"}, headers=headers)
    csv = client.get(SUMMARY, params={**RESEARCH, "format": "csv"}, headers=headers)
    assert old.headers["deprecation"] == DEPRECATED_AT
    assert old.headers["sunset"] == SUNSET
    assert old.headers["link"] == (
        '</schema>; rel="deprecation", </v1/attendance/summary?measures=numeric>; rel="successor-version"'
    )
    for answer in (new, csv):
        assert {"deprecation", "sunset", "link"} & set(answer.headers) == set()


def test_numeric_daily_series_keeps_the_numbers(client: TestClient[Any], tokens: Tokens) -> None:
    headers = tokens.headers("ons-statistician")
    old = client.get("/v1/attendance/daily", params={**ONS, **PERIOD}, headers=headers)
    new = client.get("/v1/attendance/daily", params={**ONS, **PERIOD, "measures": "numeric"}, headers=headers)
    assert old.headers["sunset"] == SUNSET
    old_rows, new_rows = old.json()["rows"], new.json()["rows"]
    assert len(new_rows) == len(old_rows) > 0
    assert [n["date"] for n in new_rows] == [o["date"] for o in old_rows]
    cells = [cell for o, n in zip(old_rows, new_rows, strict=True) for cell in _pairs(o, n, DAILY_MEASURES)]
    assert [c for c in cells if not _agrees(*c)] == []


def test_a_closed_school_s_rate_is_null_and_z(client: TestClient[Any], tokens: Tokens, loaded: Any) -> None:
    closure = next(e for e in loaded.manifest.events if e["kind"] == "planned_closure")
    headers = tokens.headers("ons-statistician")
    params = {**ONS, "date": closure["date"]}
    old = client.get("/v1/attendance/closures", params=params, headers=headers).json()
    new = client.get(
        "/v1/attendance/closures", params={**params, "measures": "numeric"}, headers=headers
    ).json()
    closed = next(s for s in new["schools"] if s["urn"] == closure["urn"])
    assert (closed["status"], closed["attendance_rate"], closed["attendance_rate_status"]) == (
        "closed",
        None,
        "z",
    )
    pairs = [
        (o["attendance_rate"], n["attendance_rate"], n["attendance_rate_status"])
        for o, n in zip(old["schools"], new["schools"], strict=True)
    ]
    assert [p for p in pairs if not _agrees(*p)] == []
    assert _agrees(old["attendance_rate"], new["attendance_rate"], new["attendance_rate_status"])
    counts = ("schools_open", "schools_partially_closed", "schools_closed", "schools_without_registers")
    assert {k: new[k] for k in counts} == {k: old[k] for k in counts}


def _row(**values: Any) -> SummaryRow:
    base: dict[str, Any] = dict.fromkeys(SUMMARY_MEASURES, 0)
    return SummaryRow(
        level="school", area_id="100001", area_name="A school", gss_code=None, parent_id="886", group=None,
        **{**base, **values},
    )  # fmt: skip


def test_low_and_x_from_the_disclosure_engine_become_null_with_their_status() -> None:
    """`low` and `x` do not arise in the demo data's answers; they come from `protect` itself here."""
    rows = [
        {"area": ("E", "886", "a"), "group": None, "enrolments": 2},
        {"area": ("E", "886", "b"), "group": None, "enrolments": 40},
        {"area": ("E", "886", "d"), "group": None, "enrolments": None},
    ]
    low = protect(rows[:2], ["enrolments"], {**ROUNDING_ONLY, "threshold": 0, "secondary": False})
    gone = protect(rows[1:], ["enrolments"], PROFILES["casework"])
    row = numeric_summary_row(
        _row(
            enrolments=low.cell(("E", "886", "a")).values["enrolments"],
            possible_sessions=gone.cell(("E", "886", "d")).values["enrolments"],
            attendance_sessions=low.cell(("E", "886", "b")).values["enrolments"],
            code_rates={"I": "c", "M": 2.5},
        )
    )
    assert (row.enrolments, row.enrolments_status) == (None, "low")
    assert (row.possible_sessions, row.possible_sessions_status) == (None, "x")
    assert (row.attendance_sessions, row.attendance_sessions_status) == (40, None)
    assert (row.code_rates, row.code_rates_status) == ({"I": None, "M": 2.5}, {"I": "c"})
    assert row.group == "Total"


@pytest.mark.parametrize("cell", ["q", "", True, None, [1]])
def test_a_cell_that_is_neither_a_number_nor_a_symbol_fails_closed(cell: object) -> None:
    with pytest.raises(MeasureError):
        number_and_status(cell)


def test_zero_stays_a_number_and_rates_stay_floats() -> None:
    assert number_and_status(0) == (0, None)
    assert number_and_status(93.0) == (93.0, None)
    assert number_and_status("z") == (None, "z")


@pytest.mark.parametrize(
    ("symbols", "numeric", "keys"),
    [
        (SummaryRow, NumericSummaryRow, ("code_rates",)),
        (DailyRow, NumericDailyRow, ()),
        (ClosureSchool, NumericClosureSchool, ()),
        (Figures, NumericFigures, ()),
    ],
)
def test_the_numeric_row_has_every_field_of_the_old_with_a_status_beside_each_measure(
    symbols: type[msgspec.Struct], numeric: type[msgspec.Struct], keys: tuple[str, ...]
) -> None:
    """A measure added to the old row without its numeric twin fails here."""
    fields: list[str] = []
    for name in symbols.__struct_fields__:
        annotation = str(symbols.__annotations__[name])
        fields += [name, f"{name}_status"] if annotation in ("Count", "Rate") else [name]
    fields += [f"{k}_status" for k in keys]
    assert sorted(numeric.__struct_fields__) == sorted(fields)


def test_numeric_benchmark_keeps_the_school_s_and_comparators_numbers(
    client: TestClient[Any], tokens: Tokens, areas: dict[str, Any]
) -> None:
    urn = areas["own"]["urn"]
    headers = tokens.headers("school-lead", urn=urn)
    params = {"purpose": "school-improvement", "agreement": "school-benchmark", **PERIOD}
    old = client.get(f"/v1/schools/{urn}/benchmark", params=params, headers=headers)
    new = client.get(
        f"/v1/schools/{urn}/benchmark", params={**params, "measures": "numeric"}, headers=headers
    )
    assert (old.status_code, new.status_code) == (200, 200), new.text[:300]
    assert old.headers["link"].endswith(
        f'</v1/schools/{urn}/benchmark?measures=numeric>; rel="successor-version"'
    )
    assert "sunset" not in new.headers
    figures = [(old.json()["school"], new.json()["school"])]
    figures += list(zip(old.json()["comparators"], new.json()["comparators"], strict=True))
    assert [n["name"] for _, n in figures] == [o["name"] for o, _ in figures]
    cells = [cell for o, n in figures for cell in _pairs(o, n, FIGURES_MEASURES)]
    assert len(cells) == 9 * len(figures)  # schools, enrolments, possible sessions and six rates
    assert [c for c in cells if not _agrees(*c)] == []
    assert new.json()["school"]["schools"] == 1


def _answer(**values: Any) -> SummaryResponse:
    day = date(2025, 9, 1)
    return SummaryResponse(
        period=PeriodMeasured(
            name=None, kind="dates", academic_year=None, date_from=day, date_to=day, latest_session=day
        ),
        date_from=day,
        date_to=day,
        level="school",
        breakdown=None,
        governance=Governance(
            agreement="a",
            legal_gateway="g",
            purpose="p",
            granularity="aggregate",
            disclosure_profile="research",
            policy_revision="r",
            request_id="q",
        ),
        disclosure=Disclosure(profile="research", legend={"c": "suppressed"}, rules=[]),
        rows=[_row(**values)],
    )


def test_the_generated_client_parses_each_shape_into_its_own_model() -> None:
    """The 200 is anyOf the two shapes; the client tries the numeric one first, which the old one fails."""
    answer = _answer(enrolments="c", attendance_rate=93.5)
    client = Client(base_url="http://127.0.0.1")

    def parsed(body: msgspec.Struct) -> Any:
        response = httpx.Response(200, content=msgspec.json.encode(body))
        return attendance_summary._parse_response(client=client, response=response)

    numeric, old = parsed(numeric_summary(answer)), parsed(answer)
    assert isinstance(numeric, NumericSummaryResponseModel)
    assert isinstance(old, SummaryResponseModel)
    (row,) = numeric.rows
    assert (row.enrolments, row.enrolments_status, row.attendance_rate, row.group) == (
        None,
        "c",
        93.5,
        "Total",
    )
    assert old.rows[0].enrolments == "c"
