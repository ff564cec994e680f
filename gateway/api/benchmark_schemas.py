"""The benchmark's answer: a school and its comparator groups, in the old shape and the numeric one.

Apart from the route (gateway/api/benchmark.py) so the table formats (gateway/api/tables_csv.py,
gateway/api/tables_parquet.py) can read the numeric answer without importing the route that uses them."""

from __future__ import annotations

from datetime import date

import msgspec

from gateway.api.measures import MeasureShape, MeasureStatus, numeric_fields
from gateway.api.schemas import Count, Disclosure, PeriodMeasured, Rate
from gateway.edge.governed import Governance


class Figures(msgspec.Struct, kw_only=True):
    name: str
    schools: Count
    enrolments: Count
    possible_sessions: Count
    attendance_rate: Rate
    overall_absence_rate: Rate
    authorised_absence_rate: Rate
    unauthorised_absence_rate: Rate
    persistent_absence_rate: Rate
    severe_absence_rate: Rate


class BenchmarkResponse(msgspec.Struct, kw_only=True):
    urn: int
    period: PeriodMeasured
    date_from: date
    date_to: date
    governance: Governance
    disclosure: Disclosure
    similar_schools_rule: str
    school: Figures
    comparators: list[Figures]


class NumericFigures(msgspec.Struct, kw_only=True):
    name: str
    schools: int | None
    schools_status: MeasureStatus | None
    enrolments: int | None
    enrolments_status: MeasureStatus | None
    possible_sessions: int | None
    possible_sessions_status: MeasureStatus | None
    attendance_rate: float | None
    attendance_rate_status: MeasureStatus | None
    overall_absence_rate: float | None
    overall_absence_rate_status: MeasureStatus | None
    authorised_absence_rate: float | None
    authorised_absence_rate_status: MeasureStatus | None
    unauthorised_absence_rate: float | None
    unauthorised_absence_rate_status: MeasureStatus | None
    persistent_absence_rate: float | None
    persistent_absence_rate_status: MeasureStatus | None
    severe_absence_rate: float | None
    severe_absence_rate_status: MeasureStatus | None


class NumericBenchmarkResponse(msgspec.Struct, kw_only=True):
    measures: MeasureShape  # always "numeric": says which shape this is
    urn: int
    period: PeriodMeasured
    date_from: date
    date_to: date
    governance: Governance
    disclosure: Disclosure
    similar_schools_rule: str
    school: NumericFigures
    comparators: list[NumericFigures]


FIGURES_MEASURES = tuple(f for f in Figures.__struct_fields__ if f != "name")


def _numeric_figures(figures: Figures) -> NumericFigures:
    return NumericFigures(name=figures.name, **numeric_fields(figures, FIGURES_MEASURES))


def numeric_benchmark(answer: BenchmarkResponse) -> NumericBenchmarkResponse:
    return NumericBenchmarkResponse(
        measures="numeric",
        urn=answer.urn,
        period=answer.period,
        date_from=answer.date_from,
        date_to=answer.date_to,
        governance=answer.governance,
        disclosure=answer.disclosure,
        similar_schools_rule=answer.similar_schools_rule,
        school=_numeric_figures(answer.school),
        comparators=[_numeric_figures(c) for c in answer.comparators],
    )
