"""Response shapes of the attendance API (documented in OpenAPI; checked by schemathesis)."""

from __future__ import annotations

from datetime import date

import msgspec

from gateway.edge.governed import Governance
from gateway.store.named_periods import MeasuredPeriod

# A published cell: a number, or a DfE symbol (c, low, z, x) explained in the legend.
Count = int | str
Rate = float | str


class Disclosure(msgspec.Struct, kw_only=True):
    profile: str
    legend: dict[str, str]
    rules: list[str]


class PeriodMeasured(msgspec.Struct, kw_only=True):
    """Which period the response measured: counts such as persistent absence depend on it."""

    name: str | None  # ytd, 2025-26, autumn-2025, autumn1-2025; None when dates were given
    kind: str  # ytd | year | term | half_term | dates
    academic_year: str | None  # e.g. 2025-26 (None for dates)
    date_from: date
    date_to: date
    latest_session: date | None  # the latest day with a possible session received, on or before date_to


def period_measured(measured: MeasuredPeriod) -> PeriodMeasured:
    stated = measured.as_dict()
    return PeriodMeasured(
        name=stated["name"],
        kind=stated["kind"],
        academic_year=stated["academic_year"],
        date_from=measured.period.date_from,
        date_to=measured.period.date_to,
        latest_session=measured.latest_session,
    )


class SummaryRow(msgspec.Struct, kw_only=True):
    level: str
    area_id: str
    area_name: str
    gss_code: str | None  # ONS code: E92 England, E12 region, E06-E10 LA; None for schools and trusts
    parent_id: str | None
    group: str | None  # None: the area's total
    enrolments: Count
    possible_sessions: Count
    attendance_sessions: Count
    absence_sessions: Count
    authorised_sessions: Count
    unauthorised_sessions: Count
    persistent_absentees: Count
    severe_absentees: Count
    attendance_rate: Rate
    overall_absence_rate: Rate
    authorised_absence_rate: Rate
    unauthorised_absence_rate: Rate
    persistent_absence_rate: Rate
    severe_absence_rate: Rate
    code_rates: dict[str, Rate] | None = None


class SummaryResponse(msgspec.Struct, kw_only=True):
    period: PeriodMeasured
    date_from: date
    date_to: date
    level: str
    breakdown: str | None
    governance: Governance
    disclosure: Disclosure
    rows: list[SummaryRow]


class DailyRow(msgspec.Struct, kw_only=True):
    date: date
    schools_with_registers: Count
    pupils: Count
    possible_sessions: Count
    attendance_sessions: Count
    authorised_sessions: Count
    unauthorised_sessions: Count
    not_counted_sessions: Count  # closures (#, Y3, Y4) and other codes outside possible sessions
    attendance_rate: Rate  # of possible sessions (the official measure)
    overall_absence_rate: Rate
    # Of every session marked, closures included: on strike days this is "pupils in school".
    attendance_of_all_sessions_rate: Rate


class DailyResponse(msgspec.Struct, kw_only=True):
    period: PeriodMeasured
    date_from: date
    date_to: date
    area: str
    governance: Governance
    disclosure: Disclosure
    rows: list[DailyRow]


class ClosureSchool(msgspec.Struct, kw_only=True):
    urn: int
    name: str
    la_code: int
    phase: str
    status: str  # open | partially_closed | closed | no_register
    attendance_rate: Rate


class ClosuresResponse(msgspec.Struct, kw_only=True):
    date: date
    governance: Governance
    disclosure: Disclosure
    schools_open: int
    schools_partially_closed: int
    schools_closed: int
    schools_without_registers: int
    attendance_rate: Rate
    schools: list[ClosureSchool]
