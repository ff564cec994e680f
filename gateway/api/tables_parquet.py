"""Aggregates as Parquet (`Accept: application/vnd.apache.parquet` or `format=parquet`): typed columns.

One row per area x group (the summary), per day (the daily series) or per school (closures), in the
numeric shape (gateway/api/measures.py): every measure a number (int64 counts, float64 rates) or null,
with `<measure>_status` (string: `c` suppressed, `low` rounds to zero, `x` not available, `z` not
applicable; null for a number) beside it. The identifying columns are the CSV's (gateway/api/tables_csv.py),
and an area's total row says `Total` in `group`:

- summary: `date_from, date_to` (date32), `level, area_id, area_name, gss_code, parent_id, breakdown,
  group` (string), then each measure and its status; with `by_code=true` also `code_rate_<code>` and
  `code_rate_<code>_status` for every code of the table, in code order.
- daily: `date` (date32), `area`, then each measure and its status.
- closures: `date` (date32), `urn, school_name, la_code, phase, closure_status, attendance_rate,
  attendance_rate_status` (urn and la_code int64).
- a school's benchmark: one row per group, the school's own first, then each comparator in the JSON's
  order: `date_from, date_to` (date32), `urn` (int64, the benchmarked school), `comparator` (the group's
  name), then `schools` and each count and rate with its status.

The file's key-value metadata carries `data_version`, `data_as_of`, `request_id` (equal to the
`Data-Version`, `Data-As-Of` and `x-request-id` headers), `disclosure_profile`, and `disclosure_legend`
and `disclosure_rules` as JSON; a benchmark's also `similar_schools_rule`. The table is built from the numeric answer, which is built from the
released JSON answer after `protect` and the release gate: no cell leaves here that the JSON would not
release. pyarrow is the maintained Parquet writer (the format is not one to write by hand).
"""

from __future__ import annotations

import io
import types
import typing
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import msgspec
import pyarrow as pa
import pyarrow.parquet as pq
from litestar import Request, Response

from gateway.api.benchmark_schemas import NumericBenchmarkResponse, NumericFigures
from gateway.api.measures import (
    STATUS_SUFFIX,
    MeasureError,
    NumericClosureSchool,
    NumericClosuresResponse,
    NumericDailyResponse,
    NumericDailyRow,
    NumericSummaryResponse,
    NumericSummaryRow,
)
from gateway.api.schemas import Disclosure
from gateway.edge.http_cache import stamp_of
from gateway.edge.scope_state import request_id_of

PARQUET_MEDIA_TYPE = "application/vnd.apache.parquet"
CODE_RATE = "code_rate_"
SUMMARY_HEAD = ("level", "area_id", "area_name", "gss_code", "parent_id")
SUMMARY_SKIP = frozenset({"code_rates", "code_rates_status"})
CLOSURE_NAMES = {"name": "school_name", "status": "closure_status"}  # the CSV's column names
ARROW_TYPES: dict[type, pa.DataType] = {
    int: pa.int64(),
    float: pa.float64(),
    str: pa.string(),
    date: pa.date32(),
}
PYTHON_TYPES: dict[pa.DataType, tuple[type, ...]] = {
    pa.int64(): (int,),
    pa.float64(): (int, float),
    pa.string(): (str,),
    pa.date32(): (date,),
}
NumericAnswer = (
    NumericSummaryResponse | NumericDailyResponse | NumericClosuresResponse | NumericBenchmarkResponse
)


def arrow_type(hint: Any) -> pa.DataType:
    """The Arrow type of a numeric struct's field: `int | None` is int64, a status (a Literal) string."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        (inner,) = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        return arrow_type(inner)
    if typing.get_origin(hint) is typing.Literal:
        return arrow_type(type(typing.get_args(hint)[0]))
    return ARROW_TYPES[hint]


def _fields(
    struct: type[msgspec.Struct], skip: frozenset[str] = frozenset()
) -> list[tuple[str, pa.DataType]]:
    hints = typing.get_type_hints(struct)
    return [(name, arrow_type(hints[name])) for name in struct.__struct_fields__ if name not in skip]


def fits(kind: pa.DataType, value: object) -> bool:
    """A cell fits its column only as its own Python type: pyarrow would truncate 12.5 into an int64."""
    return value is None or (isinstance(value, PYTHON_TYPES[kind]) and not isinstance(value, bool))


def table_of(columns: Sequence[tuple[str, pa.DataType]], rows: Sequence[dict[str, Any]]) -> pa.Table:
    """Column by column with its declared type: a value that does not fit raises (fail closed)."""
    for name, kind in columns:
        wrong = [row[name] for row in rows if not fits(kind, row[name])]
        if wrong:
            raise MeasureError(f"column {name} ({kind}) cannot hold {wrong[0]!r}")
    schema = pa.schema([pa.field(name, kind, nullable=True) for name, kind in columns])
    arrays = [pa.array([row[name] for row in rows], type=kind) for name, kind in columns]
    return pa.Table.from_arrays(arrays, schema=schema)


def summary_table(answer: NumericSummaryResponse) -> pa.Table:
    codes = sorted({code for row in answer.rows for code in (row.code_rates or {})})
    row_fields = _fields(NumericSummaryRow, SUMMARY_SKIP)
    head = [(n, k) for n, k in row_fields if n in SUMMARY_HEAD]
    measures = [(n, k) for n, k in row_fields if n not in SUMMARY_HEAD and n != "group"]
    columns = [
        ("date_from", pa.date32()),
        ("date_to", pa.date32()),
        *head,
        ("breakdown", pa.string()),
        ("group", pa.string()),
        *measures,
        *[
            pair
            for code in codes
            for pair in ((CODE_RATE + code, pa.float64()), (CODE_RATE + code + STATUS_SUFFIX, pa.string()))
        ],
    ]
    rows = []
    for row in answer.rows:
        cells = msgspec.structs.asdict(row)
        rates, statuses = row.code_rates or {}, row.code_rates_status or {}
        for code in codes:
            cells[CODE_RATE + code] = rates.get(code)
            # A code the row has no rate for is not available (`x`), as the JSON's absent key says.
            cells[CODE_RATE + code + STATUS_SUFFIX] = statuses.get(code) if code in rates else "x"
        rows.append(
            {**cells, "date_from": answer.date_from, "date_to": answer.date_to, "breakdown": answer.breakdown}
        )
    return table_of(columns, rows)


def daily_table(answer: NumericDailyResponse) -> pa.Table:
    fields = _fields(NumericDailyRow)
    columns = [fields[0], ("area", pa.string()), *fields[1:]]
    rows = [{**msgspec.structs.asdict(row), "area": answer.area} for row in answer.rows]
    return table_of(columns, rows)


def closures_table(answer: NumericClosuresResponse) -> pa.Table:
    columns = [
        ("date", pa.date32()),
        *[(CLOSURE_NAMES.get(n, n), k) for n, k in _fields(NumericClosureSchool)],
    ]
    rows = [
        {"date": answer.date, **{CLOSURE_NAMES.get(k, k): v for k, v in msgspec.structs.asdict(s).items()}}
        for s in answer.schools
    ]
    return table_of(columns, rows)


def benchmark_table(answer: NumericBenchmarkResponse) -> pa.Table:
    fields = _fields(NumericFigures)
    columns = [
        ("date_from", pa.date32()),
        ("date_to", pa.date32()),
        ("urn", pa.int64()),
        *[("comparator" if n == "name" else n, k) for n, k in fields],
    ]
    head = {"date_from": answer.date_from, "date_to": answer.date_to, "urn": answer.urn}
    rows = []
    for figures in (answer.school, *answer.comparators):
        cells = msgspec.structs.asdict(figures)
        rows.append({**head, "comparator": cells.pop("name"), **cells})
    return table_of(columns, rows)


def file_metadata(
    data_version: str,
    data_as_of: date | None,
    request_id: str | None,
    disclosure: Disclosure,
    extra: Mapping[str, str] | None = None,
) -> dict[bytes, bytes]:
    """The key-value metadata of the file: what the headers and the JSON answer's `disclosure` say (and
    `extra`: what else the JSON answer states about the whole table)."""
    text = {
        "data_version": data_version,
        "data_as_of": "" if data_as_of is None else data_as_of.isoformat(),
        "request_id": request_id or "",
        "disclosure_profile": disclosure.profile,
        "disclosure_legend": msgspec.json.encode(disclosure.legend).decode(),
        "disclosure_rules": msgspec.json.encode(disclosure.rules).decode(),
        **(extra or {}),
    }
    return {key.encode(): value.encode() for key, value in text.items()}


def parquet_bytes(table: pa.Table, metadata: dict[bytes, bytes]) -> bytes:
    buffer = io.BytesIO()
    pq.write_table(table.replace_schema_metadata(metadata), buffer)
    return buffer.getvalue()


def _table_and_name(answer: NumericAnswer) -> tuple[pa.Table, str, dict[str, str]]:
    """The table, its file name and what else its metadata says."""
    if isinstance(answer, NumericSummaryResponse):
        span = f"{answer.date_from.isoformat()}-{answer.date_to.isoformat()}"
        return summary_table(answer), f"attendance-summary-{answer.level}-{span}.parquet", {}
    if isinstance(answer, NumericDailyResponse):
        span = f"{answer.date_from.isoformat()}-{answer.date_to.isoformat()}"
        return daily_table(answer), f"attendance-daily-{span}.parquet", {}
    if isinstance(answer, NumericBenchmarkResponse):
        span = f"{answer.date_from.isoformat()}-{answer.date_to.isoformat()}"
        name = f"attendance-benchmark-{answer.urn}-{span}.parquet"
        return benchmark_table(answer), name, {"similar_schools_rule": answer.similar_schools_rule}
    return closures_table(answer), f"attendance-closures-{answer.date.isoformat()}.parquet", {}


def parquet_answer(request: Request[Any, Any, Any], answer: NumericAnswer) -> Response[bytes]:
    """The numeric answer as a Parquet file, its metadata stating the data version and request id."""
    version = stamp_of(request.scope).version
    table, name, extra = _table_and_name(answer)
    metadata = file_metadata(
        version.label, version.as_of, request_id_of(request.scope), answer.disclosure, extra
    )
    return Response(
        parquet_bytes(table, metadata),
        media_type=PARQUET_MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
