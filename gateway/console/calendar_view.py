"""One pupil's marks laid out as a session calendar: a month per table, a school week per row, AM and PM per day."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from gateway.console.tables import CATEGORY_NAMES
from gateway.store.codes import code_version

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")


@dataclass(frozen=True, slots=True)
class SessionMark:
    code: str
    category: str
    meaning: str

    @property
    def css(self) -> str:
        return "app-mark--" + self.category.lower()


@dataclass(slots=True)
class Day:
    day: date
    in_period: bool
    am: SessionMark | None = None
    pm: SessionMark | None = None


@dataclass(slots=True)
class Month:
    name: str
    weeks: list[list[Day]] = field(default_factory=list)


def _mark(row: Mapping[str, Any]) -> SessionMark:
    version = code_version(str(row["code"]), row["date"])
    return SessionMark(str(row["code"]), str(row["category"]), version.meaning if version else "retired code")


def session_calendar(marks: Iterable[Mapping[str, Any]], date_from: date, date_to: date) -> list[Month]:
    """Months from date_from to date_to (weekdays only), each day with its AM and PM mark if any; a week row
    holds only its own month's days (the others are blank)."""
    by_day: dict[date, dict[str, SessionMark]] = {}
    for row in marks:
        by_day.setdefault(row["date"], {})[str(row["session"])] = _mark(row)
    months: dict[tuple[int, int], Month] = {}
    day = date_from
    while day <= date_to:
        if day.weekday() < len(WEEKDAYS):
            month = months.setdefault((day.year, day.month), Month(f"{day:%B %Y}"))
            monday = day - timedelta(days=day.weekday())
            if not month.weeks or month.weeks[-1][0].day != monday:
                month.weeks.append([Day(monday + timedelta(days=i), in_period=False) for i in range(5)])
            slot = month.weeks[-1][day.weekday()]
            of_day = by_day.get(day, {})
            slot.in_period, slot.am, slot.pm = True, of_day.get("AM"), of_day.get("PM")
        day += timedelta(days=1)
    return list(months.values())


def attendance_of(marks: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """The pupil's sessions over the period by category, and the attendance rate (of possible sessions)."""
    counts = dict.fromkeys(("P", "AEA", "AUTH", "UNAUTH", "NC"), 0)
    for row in marks:
        counts[str(row["category"])] = counts.get(str(row["category"]), 0) + 1
    possible = counts["P"] + counts["AEA"] + counts["AUTH"] + counts["UNAUTH"]
    rate = round(100.0 * (counts["P"] + counts["AEA"]) / possible, 1) if possible else "z"
    return {"possible": possible, "attended": counts["P"] + counts["AEA"], "rate": rate, **counts}


def codes_seen(marks: Iterable[Mapping[str, Any]]) -> list[dict[str, str]]:
    """The legend: each code the calendar shows, what it means and its category."""
    seen: dict[str, SessionMark] = {}
    for row in marks:
        seen.setdefault(str(row["code"]), _mark(row))
    return [
        {
            "code": m.code,
            "meaning": m.meaning,
            "category": CATEGORY_NAMES.get(m.category, m.category),
            "css": m.css,
        }
        for m in sorted(seen.values(), key=lambda m: m.code)
    ]
