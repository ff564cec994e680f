"""Aggregates as tidy CSV (`Accept: text/csv` or `format=csv`): one row per area x group x measure.

Columns (documented in the contract and README): `date_from, date_to, level, area_id, area_name,
parent_id, breakdown, group, measure, value, status`. `value` is the number, or empty when the published
cell is a symbol; `status` is then the symbol (GOV.UK statistics convention: `c` suppressed, `low` rounds
to zero, `x` not available, `z` not applicable) and empty for a number. An area's total row says `Total`
in `group`. Rates are percentages. Long rather than wide so pandas reads it without cleaning:
`pd.read_csv(...).pivot_table(index=[...], columns="measure", values="value")`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any, Literal

import msgspec
from litestar import Request, Response

from gateway.api.schemas import SummaryResponse, SummaryRow

CSV_MEDIA_TYPE = "text/csv"  # Litestar adds the one charset parameter (utf-8)
COLUMNS = (
    "date_from",
    "date_to",
    "level",
    "area_id",
    "area_name",
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
ROW_KEYS = ("level", "area_id", "area_name", "parent_id", "group", "code_rates")
Format = Literal["json", "csv"]
SUMMARY_CSV_EXAMPLE = (
    "date_from,date_to,level,area_id,area_name,parent_id,breakdown,group,measure,value,status\r\n"
    "2025-09-01,2025-10-24,la,886,Kent,E12000008,fsm,Total,attendance_rate,93.0,\r\n"
    "2025-09-01,2025-10-24,la,886,Kent,E12000008,fsm,eligible,severe_absentees,,c\r\n"
)


def wants_csv(request: Request[Any, Any, Any], asked: Format | None) -> bool:
    """`format=` decides when given; otherwise CSV only when Accept prefers text/csv over JSON."""
    if asked is not None:
        return asked == "csv"
    return (
        request.accept.best_match(["application/json", "text/csv"], default="application/json") == "text/csv"
    )


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


def summary_csv(answer: SummaryResponse) -> Response[Any]:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(summary_lines(answer, summary_measures()))
    name = (
        f"attendance-summary-{answer.level}-{answer.date_from.isoformat()}-{answer.date_to.isoformat()}.csv"
    )
    return Response(
        buffer.getvalue(),
        media_type=CSV_MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
