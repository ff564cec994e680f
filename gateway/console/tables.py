"""Tables as the pages show them and as their CSV downloads carry them: one model for both."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from gateway.api.schemas import SummaryRow
from gateway.store.codes import code_version

Kind = Literal["text", "count", "rate"]


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label: str
    kind: Kind = "rate"

    @property
    def numeric(self) -> bool:
        return self.kind != "text"


@dataclass(frozen=True, slots=True)
class Table:
    key: str
    caption: str
    columns: tuple[Column, ...]
    rows: list[dict[str, Any]] = field(default_factory=list)

    def header(self) -> list[str]:
        return [c.label for c in self.columns]

    def values(self) -> list[list[Any]]:
        return [[row.get(c.key) for c in self.columns] for row in self.rows]


RATE_COLUMNS: tuple[Column, ...] = (
    Column("enrolments", "Enrolments", "count"),
    Column("attendance_rate", "Attendance (%)"),
    Column("overall_absence_rate", "Overall absence (%)"),
    Column("authorised_absence_rate", "Authorised absence (%)"),
    Column("unauthorised_absence_rate", "Unauthorised absence (%)"),
    Column("persistent_absentees", "Persistently absent", "count"),
    Column("persistent_absence_rate", "Persistent absence (%)"),
    Column("severe_absentees", "Severely absent", "count"),
    Column("severe_absence_rate", "Severe absence (%)"),
)


def summary_values(row: SummaryRow) -> dict[str, Any]:
    return {c.key: getattr(row, c.key) for c in RATE_COLUMNS}


def summary_table(
    key: str,
    caption: str,
    first: Column,
    rows: Sequence[SummaryRow],
    label: Callable[[SummaryRow], Any],
    columns: Sequence[Column] = RATE_COLUMNS,
) -> Table:
    return Table(
        key,
        caption,
        (first, *columns),
        [{first.key: label(r), **summary_values(r)} for r in rows],
    )


def code_table(row: SummaryRow | None, on: date) -> Table:
    """Each attendance code's share of possible sessions, with what the code means and its category."""
    table = Table(
        "codes",
        "Sessions by attendance code, as a percentage of possible sessions",
        (
            Column("code", "Code", "text"),
            Column("meaning", "Meaning", "text"),
            Column("category", "Category", "text"),
            Column("rate", "Share of possible sessions (%)"),
        ),
    )
    if row is None or not row.code_rates:
        return table
    for code, rate in sorted(row.code_rates.items()):
        version = code_version(code, on)
        table.rows.append(
            {
                "code": code,
                "meaning": version.meaning if version else "retired code",
                "category": CATEGORY_NAMES.get(version.category, version.category) if version else "",
                "rate": rate,
            }
        )
    return table


CATEGORY_NAMES = {
    "P": "present",
    "AEA": "approved educational activity",
    "AUTH": "authorised absence",
    "UNAUTH": "unauthorised absence",
    "NC": "not a possible session",
}


def sorted_rows(rows: list[dict[str, Any]], key: str, descending: bool, tie: str) -> list[dict[str, Any]]:
    """Sort a table by one column: numbers in order, withheld cells (c, low, x, z) always last."""

    def order(row: Mapping[str, Any]) -> tuple[int, Any, Any]:
        value = row.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            return (1, str(value), row.get(tie))
        return (0, -value if descending else value, row.get(tie))

    if not rows or (isinstance(rows[0].get(key), str) and all(isinstance(r.get(key), str) for r in rows)):
        return sorted(rows, key=lambda r: (str(r.get(key)), r.get(tie)), reverse=descending)
    return sorted(rows, key=order)
