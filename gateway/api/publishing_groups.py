"""Publishing one-group tables: a school's benchmark comparators and the audit log's transparency report,
each protected as a table of its own through gateway.privacy.protect."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from gateway.api.publishing import (
    SUMMARY_RATES,
    Protected,
    disclosure_block,
    profile_from,
    protect_table,
    without_perturbation,
)
from gateway.api.schemas import Disclosure
from gateway.auth.principal import Principal
from gateway.edge.tracing import traced
from gateway.privacy.disclosure import DisclosureProfile, Measure, ProtectedTable, Published
from gateway.privacy.tables import TOTAL

BENCHMARK_MEASURES = ("enrolments", "persistent_absentees", "severe_absentees")
BENCHMARK_SESSIONS = (
    "possible_sessions",
    "attendance_sessions",
    "absence_sessions",
    "authorised_sessions",
    "unauthorised_sessions",
)


def _figures(
    name: str, schools: int | str, values: Mapping[str, Any], rates: Mapping[str, Any]
) -> dict[str, Any]:
    return {
        "name": name,
        "schools": schools,
        "enrolments": values["enrolments"],
        "possible_sessions": values["possible_sessions"],
        "attendance_rate": rates["attendance_rate"],
        "overall_absence_rate": rates["overall_absence_rate"],
        "authorised_absence_rate": rates["authorised_absence_rate"],
        "unauthorised_absence_rate": rates["unauthorised_absence_rate"],
        "persistent_absence_rate": rates["persistent_absence_rate"],
        "severe_absence_rate": rates["severe_absence_rate"],
    }


def _with_absence(group: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(group)
    out["absence_sessions"] = int(group["authorised_sessions"]) + int(group["unauthorised_sessions"])
    return out


def _protected_group(
    group: Mapping[str, Any], profile: DisclosureProfile, collect: list[Protected] | None = None
) -> tuple[dict[str, Any], ProtectedTable]:
    """One group's totals as a one-cell table through the profile (rates from the published counts)."""
    full = _with_absence(group)
    leaf = {
        "area": (str(group["name"]),),
        "group": None,
        **{m: int(full[m]) for m in (*BENCHMARK_MEASURES, *BENCHMARK_SESSIONS)},
    }
    table = protect_table(
        [leaf],
        [*BENCHMARK_MEASURES, *[Measure(m, "magnitude", "enrolments") for m in BENCHMARK_SESSIONS]],
        profile,
        SUMMARY_RATES,
        collect,
    )
    cell = table.cells[0]
    return _figures(str(group["name"]), int(group["schools"]), cell.values, cell.rates), table


def own_figures_exact(
    principal: Principal, urn: int, la_code: int, holders: Sequence[str], trust_id: int | None = None
) -> bool:
    """Whether the caller may see a school's own benchmark figures exactly: only a holder the profile's
    `exact_own_figures` lists ("school": the school itself; "la": the school's own local authority;
    "trust": the trust the school belongs to, when `trust_id` names it)."""
    if principal.organisation_type == "school":
        return "school" in holders and principal.urn == urn
    if principal.organisation_type == "la":
        return "la" in holders and principal.la_code == la_code
    if principal.organisation_type == "trust":
        return "trust" in holders and trust_id is not None and principal.trust_id == trust_id
    return False


@traced("protect", **{"protect.kind": "comparators"})
def protect_comparators(
    own: Mapping[str, Any],
    groups: Sequence[Mapping[str, Any]],
    profile_obligation: Mapping[str, Any] | None,
    *,
    own_exact: bool,
    collect: list[Protected] | None = None,
) -> tuple[dict[str, Any], list[dict[str, Any]], Disclosure]:
    """The school's own figures exactly only for the school itself (`own_exact`: they describe its own
    pupils); for every other caller they are protected with the caller's profile like any other table (a
    single school's exact enrolments and rates would give its small counts away). Each comparator group is
    protected as its own table, and suppressed whole below the profile's
    `min_comparator_schools` schools (a near-identifiable school aggregate)."""
    profile = without_perturbation(profile_from(profile_obligation))
    last_table: ProtectedTable | None = None
    if own_exact:
        own_full = _with_absence(own)
        own_rates = {
            name: (
                round(100.0 * own_full[num] / own_full[den], profile.rate_decimals) if own_full[den] else "z"
            )
            for name, num, den in SUMMARY_RATES
        }
        school = _figures(str(own["name"]), 1, own_full, own_rates)
    else:
        school, last_table = _protected_group(own, profile, collect)
    comparators: list[dict[str, Any]] = []
    for group in groups:
        if int(group["schools"]) < profile.min_comparator_schools:
            hidden = dict.fromkeys((*BENCHMARK_MEASURES, *BENCHMARK_SESSIONS), "c")
            comparators.append(
                _figures(
                    str(group["name"]),
                    int(group["schools"]),
                    hidden,
                    {name: "c" for name, _, _ in SUMMARY_RATES},
                )
            )
            continue
        figures, last_table = _protected_group(group, profile, collect)
        comparators.append(figures)
    notes = [
        f"comparators of fewer than {profile.min_comparator_schools} schools are suppressed (c)",
        "the school's own figures are exact: they describe its own pupils"
        if own_exact
        else "the school's own figures are protected with your disclosure profile (exact only for the school itself)",
    ]
    if last_table is None:
        return (
            school,
            comparators,
            Disclosure(
                profile=profile.name,
                legend={"c": "confidential: suppressed"},
                rules=[profile.describe(), *notes],
            ),
        )
    return school, comparators, disclosure_block(last_table, notes)


REPORT_PROFILE = "transparency-report"  # declared in policies/data/disclosure_profiles
REPORT_AREA = ("transparency-report",)


def _count_or_null(value: Published) -> int | None:
    """The report's published form: a count, or null where the profile suppresses it (c, low, x)."""
    return value if isinstance(value, int) else None


@traced("protect", **{"protect.kind": "report"})
def protect_report(
    counts: Mapping[str, Mapping[str, int]], profile_obligation: Mapping[str, Any] | None
) -> tuple[int | None, dict[str, dict[str, int | None]], str]:
    """Each breakdown of the report (organisation, legal gateway, purpose, decision) is one table with its
    total, protected with the oversight agreement's profile; the total is the decision table's margin."""
    profile = without_perturbation(profile_from(profile_obligation))
    by: dict[str, dict[str, int | None]] = {}
    total: int | None = None
    for dimension, values in counts.items():
        if not values:
            by[dimension] = {}
            continue
        rows = [{"area": REPORT_AREA, "group": value, "events": n} for value, n in values.items()]
        table = protect_table(rows, ["events"], profile, [])
        published = {cell.group: cell.values["events"] for cell in table.cells}
        by[dimension] = {value: _count_or_null(published[value]) for value in sorted(values)}
        if dimension == "decision":
            total = _count_or_null(published[TOTAL])
    rule = f"Counts below {profile.threshold} are suppressed (null). Profile {profile.name}: {profile.describe()}."
    return total, by, rule
