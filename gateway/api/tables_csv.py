"""Aggregates as tidy CSV (`Accept: text/csv` or `format=csv`): one row per area x group x measure.

Columns (documented in the contract and README): `date_from, date_to, level, area_id, area_name,
gss_code, parent_id, breakdown, group, measure, value, status`. `gss_code` is the area's ONS code
(E92000001 England, E12 regions, E06-E10 LAs; empty for schools and trusts). `value` is the number, or empty when the published
cell is a symbol; `status` is then the symbol (GOV.UK statistics convention: `c` suppressed, `low` rounds
to zero, `x` not available, `z` not applicable) and empty for a number. An area's total row says `Total`
in `group`. Rates are percentages. Long rather than wide so pandas reads it without cleaning:
`pd.read_csv(...).pivot_table(index=[...], columns="measure", values="value")`.

The daily series has the same long shape with `date, area, measure, value, status` (one row per day x
measure). Closures are one row per school (`date, urn, school_name, la_code, phase, closure_status,
attendance_rate, attendance_rate_status`): the day's counts of open, partially closed and closed schools
are the counts of `closure_status`, as in the JSON answer.

A school's benchmark is long too, one row per group x measure: `date_from, date_to, urn, comparator,
measure, value, status`. `urn` is the benchmarked school's; `comparator` is the group's name as in the
JSON answer (`school <urn>`, `local authority <code> (other schools)`, `trust <id> (other schools)`,
`England (other schools)`, `similar schools`), the school's own rows first, then each comparator in the
JSON's order; the measures are `schools` (schools in the group) and the JSON's counts and rates in their
order. A comparator too small to publish has an empty `value` and `c` for each measure but `schools`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Literal, TypeVar

import msgspec
from litestar import Request, Response

from gateway.api.benchmark_schemas import FIGURES_MEASURES, BenchmarkResponse, Figures
from gateway.api.measures import MeasureShape, answer_in_shape
from gateway.api.schemas import ClosuresResponse, DailyResponse, DailyRow, SummaryResponse, SummaryRow
from gateway.api.tables_parquet import PARQUET_MEDIA_TYPE, NumericAnswer, parquet_answer

T = TypeVar("T")
CSV_MEDIA_TYPE = "text/csv"  # Litestar adds the one charset parameter (utf-8)
COLUMNS = (
    "date_from",
    "date_to",
    "level",
    "area_id",
    "area_name",
    "gss_code",
    "parent_id",
    "breakdown",
    "group",
    "measure",
    "value",
    "status",
)
TOTAL = "Total"
# A spreadsheet runs a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")
ROW_KEYS = ("level", "area_id", "area_name", "gss_code", "parent_id", "group", "code_rates")
DAILY_COLUMNS = ("date", "area", "measure", "value", "status")
CLOSURE_COLUMNS = (
    "date",
    "urn",
    "school_name",
    "la_code",
    "phase",
    "closure_status",
    "attendance_rate",
    "attendance_rate_status",
)
BENCHMARK_COLUMNS = ("date_from", "date_to", "urn", "comparator", "measure", "value", "status")
Format = Literal["json", "csv", "parquet"]
# What Accept can choose, JSON first: it wins a tie and is the default.
MEDIA_TYPES: dict[str, Format] = {
    "application/json": "json",
    CSV_MEDIA_TYPE: "csv",
    PARQUET_MEDIA_TYPE: "parquet",
}
SUMMARY_CSV_EXAMPLE = (
    "date_from,date_to,level,area_id,area_name,gss_code,parent_id,breakdown,group,measure,value,status\r\n"
    "2025-09-01,2025-10-24,la,886,Kent,E10000016,South East,fsm,Total,attendance_rate,93.0,\r\n"
    "2025-09-01,2025-10-24,la,886,Kent,E10000016,South East,fsm,FSM eligible,severe_absentees,,c\r\n"
)


DAILY_CSV_EXAMPLE = (
    "date,area,measure,value,status\r\n"
    "2025-09-01,la 886,schools_with_registers,40,\r\n"
    "2025-09-01,la 886,attendance_rate,95.1,\r\n"
)
CLOSURES_CSV_EXAMPLE = (
    "date,urn,school_name,la_code,phase,closure_status,attendance_rate,attendance_rate_status\r\n"
    "2025-10-01,100001,Example Primary School,886,primary,closed,,z\r\n"
)
BENCHMARK_CSV_EXAMPLE = (
    "date_from,date_to,urn,comparator,measure,value,status\r\n"
    "2025-09-01,2025-10-24,100001,school 100001,attendance_rate,94.2,\r\n"
    "2025-09-01,2025-10-24,100001,local authority 886 (other schools),schools,40,\r\n"
    "2025-09-01,2025-10-24,100001,trust 7 (other schools),severe_absence_rate,,c\r\n"
)


def chosen_format(request: Request[Any, Any, Any], asked: Format | None) -> Format:
    """`format=` decides when given; otherwise CSV or Parquet only when Accept prefers it over JSON."""
    if asked is not None:
        return asked
    return MEDIA_TYPES[request.accept.best_match(list(MEDIA_TYPES), default="application/json") or ""]


def answer_as(
    request: Request[Any, Any, Any],
    asked: Format | None,
    answer: T,
    to_csv: Callable[[T], Response[Any]],
    to_numeric: Callable[[T], NumericAnswer],
    measures: MeasureShape | None,
) -> Response[Any]:
    """The answer as CSV or Parquet when the caller asked for it (chosen_format), else as JSON: one place
    for every table.

    JSON measures are numbers or null with a status beside them when `measures=numeric`; the old shape
    (symbols in number fields) is the default until its sunset and says so in its headers. CSV is
    numeric already (`value` and `status`), and Parquet is the numeric answer in typed columns
    (gateway/api/tables_parquet.py), so `measures` changes neither."""
    chosen = chosen_format(request, asked)
    if chosen == "csv":
        return to_csv(answer)
    if chosen == "parquet":
        return parquet_answer(request, to_numeric(answer))
    return answer_in_shape(request, answer, to_numeric, measures)


def _text(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_LEADS) else text


def _cell(value: Any) -> tuple[str, str]:
    """(value, status): a number with an empty status, or an empty value with the symbol as status."""
    if isinstance(value, bool) or value is None:
        return "", "x"
    if isinstance(value, int | float):
        return str(value), ""
    return "", str(value)


def summary_lines(answer: SummaryResponse, measures: Sequence[str]) -> Iterable[list[str]]:
    yield list(COLUMNS)
    for row in answer.rows:
        fields = msgspec.structs.asdict(row)
        head = [
            answer.date_from.isoformat(),
            answer.date_to.isoformat(),
            _text(row.level),
            _text(row.area_id),
            _text(row.area_name),
            _text(row.gss_code),
            _text(row.parent_id),
            _text(answer.breakdown),
            TOTAL if row.group is None else _text(row.group),
        ]
        for measure in measures:
            yield [*head, measure, *_cell(fields[measure])]
        for code, rate in sorted((row.code_rates or {}).items()):
            yield [*head, f"code_rate_{code}", *_cell(rate)]


def summary_measures() -> tuple[str, ...]:
    return tuple(f for f in SummaryRow.__struct_fields__ if f not in ROW_KEYS)


def daily_lines(answer: DailyResponse) -> Iterable[list[str]]:
    yield list(DAILY_COLUMNS)
    measures = tuple(f for f in DailyRow.__struct_fields__ if f != "date")
    for row in answer.rows:
        fields = msgspec.structs.asdict(row)
        for measure in measures:
            yield [row.date.isoformat(), _text(answer.area), measure, *_cell(fields[measure])]


def closures_lines(answer: ClosuresResponse) -> Iterable[list[str]]:
    yield list(CLOSURE_COLUMNS)
    for school in answer.schools:
        yield [
            answer.date.isoformat(),
            str(school.urn),
            _text(school.name),
            str(school.la_code),
            _text(school.phase),
            _text(school.status),
            *_cell(school.attendance_rate),
        ]


def _csv_response(lines: Iterable[list[str]], name: str) -> Response[Any]:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(lines)
    return Response(
        buffer.getvalue(),
        media_type=CSV_MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def summary_csv(answer: SummaryResponse) -> Response[Any]:
    span = f"{answer.date_from.isoformat()}-{answer.date_to.isoformat()}"
    return _csv_response(
        summary_lines(answer, summary_measures()), f"attendance-summary-{answer.level}-{span}.csv"
    )


def daily_csv(answer: DailyResponse) -> Response[Any]:
    span = f"{answer.date_from.isoformat()}-{answer.date_to.isoformat()}"
    return _csv_response(daily_lines(answer), f"attendance-daily-{span}.csv")


def closures_csv(answer: ClosuresResponse) -> Response[Any]:
    return _csv_response(closures_lines(answer), f"attendance-closures-{answer.date.isoformat()}.csv")


def benchmark_lines(answer: BenchmarkResponse) -> Iterable[list[str]]:
    yield list(BENCHMARK_COLUMNS)
    head = [answer.date_from.isoformat(), answer.date_to.isoformat(), str(answer.urn)]
    groups: list[Figures] = [answer.school, *answer.comparators]
    for figures in groups:
        fields = msgspec.structs.asdict(figures)
        for measure in FIGURES_MEASURES:
            yield [*head, _text(figures.name), measure, *_cell(fields[measure])]


def benchmark_csv(answer: BenchmarkResponse) -> Response[Any]:
    span = f"{answer.date_from.isoformat()}-{answer.date_to.isoformat()}"
    return _csv_response(benchmark_lines(answer), f"attendance-benchmark-{answer.urn}-{span}.csv")
