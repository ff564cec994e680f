"""Publishing tables: the API's rows turned into the cells the requester's disclosure profile lets out,
through gateway.privacy.protect only."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from gateway.api.schemas import ClosureSchool, DailyRow, Disclosure, SummaryRow
from gateway.edge.problems import ProblemError
from gateway.edge.tracing import traced
from gateway.privacy.disclosure import (
    DisclosureError,
    DisclosureProfile,
    Measure,
    ProtectedTable,
    RateValue,
    protect,
)
from gateway.privacy.tables import TOTAL
from gateway.store.codes import ORDINALS
from gateway.store.reference import area_gss_codes, local_authority_by_code

NATIONAL = "E92000001"
LEVELS = ("national", "region", "la", "school")
# Trust rows stand under England alone: a trust's schools span LAs and regions.
TRUST_LEVELS = ("national", "trust")
CODE_OF_ORDINAL = {ordinal: code for code, ordinal in ORDINALS.items()}

SESSION_MEASURES = (
    ("possible_sessions", "possible"),
    ("attendance_sessions", "attended"),
    ("absence_sessions", "absent"),
    ("authorised_sessions", "authorised"),
    ("unauthorised_sessions", "unauthorised"),
)
SUMMARY_RATES = [
    ("attendance_rate", "attendance_sessions", "possible_sessions"),
    ("overall_absence_rate", "absence_sessions", "possible_sessions"),
    ("authorised_absence_rate", "authorised_sessions", "possible_sessions"),
    ("unauthorised_absence_rate", "unauthorised_sessions", "possible_sessions"),
    ("persistent_absence_rate", "persistent_absentees", "enrolments"),
    ("severe_absence_rate", "severe_absentees", "enrolments"),
]


def profile_from(obligation: Mapping[str, Any] | None) -> DisclosureProfile:
    """The decision's profile; no profile on an aggregate route means the policy is broken: fail closed."""
    if obligation is None:
        raise ProblemError(
            500, "disclosure-profile-missing", "The policy named no disclosure profile; no data was returned."
        )
    try:
        return DisclosureProfile.from_policy(obligation)
    except DisclosureError as exc:
        raise ProblemError(
            500, "disclosure-profile-invalid", f"The disclosure profile is invalid: {exc}"
        ) from exc


def without_perturbation(profile: DisclosureProfile) -> DisclosureProfile:
    """For tables whose counts carry no record keys: suppression and rounding still apply, noise does not."""
    if not profile.cell_key:
        return profile
    return dataclasses.replace(profile, cell_key=False, ptable=None)


def disclosure_block(table: ProtectedTable, notes: Sequence[str] = ()) -> Disclosure:
    legend = table.legend
    rules = [str(legend["method"]), *([str(legend["rates"])] if "rates" in legend else []), *notes]
    return Disclosure(profile=table.profile, legend=dict(legend["symbols"]), rules=rules)


@dataclass(frozen=True, slots=True)
class Protected:
    """A table as protected, with the rows and measures it came from: what the release ledger records."""

    rows: list[dict[str, Any]]
    measures: tuple[str | Measure, ...]
    table: ProtectedTable
    profile: DisclosureProfile  # the one `protect` used (the ledger reads its releases with it)


def protect_table(
    rows: list[dict[str, Any]],
    measures: Sequence[str | Measure],
    profile: DisclosureProfile,
    rates: Sequence[tuple[str, str, str]],
    collect: list[Protected] | None = None,
) -> ProtectedTable:
    """`protect`, failing closed as a 500 problem; every table is appended to `collect` when given."""
    try:
        table = protect(rows, measures, profile, rates)
    except DisclosureError as exc:
        raise ProblemError(
            500,
            "disclosure-control-failed",
            f"Disclosure control could not be applied ({exc}); no data was returned.",
        ) from exc
    if collect is not None:
        collect.append(Protected(rows, tuple(measures), table, profile))
    return table


def _path(row: Mapping[str, Any], level: str) -> tuple[str, ...]:
    if level == "trust":
        return (NATIONAL, str(row["trust_id"]))
    path = [NATIONAL]
    if level in ("region", "la", "school"):
        path.append(str(row["region"]))
    if level in ("la", "school"):
        path.append(str(row["la_code"]))
    if level == "school":
        path.append(str(row["urn"]))
    return tuple(path)


def gss_code_of(level: str, area_id: str) -> str | None:
    """The area's GSS (ONS) code: England E92000001, a region E12..., an LA its E06-E10 code; schools and
    trusts have none, nor an area missing from the reference data (never a guess). Region ids are the
    region's name, LA ids its DfE LA code (see `_path`)."""
    if level == "national":
        return NATIONAL
    if level == "region":
        return area_gss_codes().get(area_id)
    if level == "la":
        la = local_authority_by_code().get(int(area_id))
        return None if la is None else la.gss_code
    return None


def _names(rows: Sequence[Mapping[str, Any]], level: str) -> dict[tuple[str, ...], str]:
    names: dict[tuple[str, ...], str] = {(NATIONAL,): "England"}
    for row in rows:
        path = _path(row, level)
        if level == "trust":
            names[path] = str(row["trust_name"])
            continue
        if len(path) > 1:
            names[path[:2]] = str(row["region"])
        if len(path) > 2:
            names[path[:3]] = str(row["la_name"])
        if len(path) > 3:
            names[path] = str(row["school_name"])
    return names


@traced("protect", **{"protect.kind": "summary"})
def protect_summary(
    rows: list[dict[str, Any]],
    code_rows: list[dict[str, Any]] | None,
    profile_obligation: Mapping[str, Any] | None,
    level: str,
    *,
    include_margins: bool,
    collect: list[Protected] | None = None,
) -> tuple[list[SummaryRow], Disclosure]:
    """Leaf rows at `level` in, published rows out (with the hierarchy's margins when `include_margins`)."""
    profile = profile_from(profile_obligation)
    codes_by_cell: dict[tuple[tuple[str, ...], str | None], dict[str, int]] = {}
    code_names: set[str] = set()
    for c in code_rows or []:
        code = CODE_OF_ORDINAL.get(int(c["ordinal"]))
        if code is None:
            continue
        codes_by_cell.setdefault((_path(c, level), c["grp"]), {})[code] = int(c["sessions"])
        code_names.add(code)
    leaf_rows: list[dict[str, Any]] = []
    for r in rows:
        path = _path(r, level)
        leaf: dict[str, Any] = {
            "area": path,
            "group": r["grp"],
            "enrolments": int(r["enrolments"]),
            "persistent_absentees": int(r["persistent"]),
            "severe_absentees": int(r["severe"]),
            "record_key_sum": {
                "enrolments": int(r["rk_enrolments"]),
                "persistent_absentees": int(r["rk_persistent"]),
                "severe_absentees": int(r["rk_severe"]),
            },
        }
        for name, column in SESSION_MEASURES:
            leaf[name] = int(r[column])
            if f"{column}__top" in r:
                leaf[f"{name}__top"] = [int(v) for v in r[f"{column}__top"]]
        cell_codes = codes_by_cell.get((path, r["grp"]), {})
        for code in code_names:
            leaf[f"code:{code}"] = cell_codes.get(code, 0)
            if profile.dominance is not None:
                # Per-pupil contributions to a code's sessions are not kept in the rollup: treat each cell as
                # wholly dominated, so dominance profiles suppress code rates rather than guess.
                leaf[f"code:{code}__top"] = [cell_codes.get(code, 0)]
        leaf_rows.append(leaf)
    if not leaf_rows:
        return [], Disclosure(
            profile=profile.name, legend={}, rules=[profile.describe(), "no pupils in scope"]
        )
    measures: list[str | Measure] = ["enrolments", "persistent_absentees", "severe_absentees"]
    measures += [Measure(name, "magnitude", "enrolments") for name, _ in SESSION_MEASURES]
    measures += [Measure(f"code:{code}", "magnitude", "enrolments") for code in sorted(code_names)]
    rates = [
        *SUMMARY_RATES,
        *[(f"rate:{code}", f"code:{code}", "possible_sessions") for code in sorted(code_names)],
    ]
    table = protect_table(leaf_rows, measures, profile, rates, collect)
    names = _names(rows, level)
    levels = TRUST_LEVELS if level == "trust" else LEVELS
    depth = levels.index(level) + 1
    published: list[SummaryRow] = []
    for cell in table.cells:
        if len(cell.area) != depth and not include_margins:
            continue
        v, rt = cell.values, cell.rates
        published.append(
            SummaryRow(
                level=levels[len(cell.area) - 1],
                area_id=cell.area[-1],
                area_name=names.get(cell.area, cell.area[-1]),
                gss_code=gss_code_of(levels[len(cell.area) - 1], cell.area[-1]),
                parent_id=cell.area[-2] if len(cell.area) > 1 else None,
                group=None if cell.group in (None, TOTAL) else cell.group,
                enrolments=v["enrolments"],
                possible_sessions=v["possible_sessions"],
                attendance_sessions=v["attendance_sessions"],
                absence_sessions=v["absence_sessions"],
                authorised_sessions=v["authorised_sessions"],
                unauthorised_sessions=v["unauthorised_sessions"],
                persistent_absentees=v["persistent_absentees"],
                severe_absentees=v["severe_absentees"],
                attendance_rate=rt["attendance_rate"],
                overall_absence_rate=rt["overall_absence_rate"],
                authorised_absence_rate=rt["authorised_absence_rate"],
                unauthorised_absence_rate=rt["unauthorised_absence_rate"],
                persistent_absence_rate=rt["persistent_absence_rate"],
                severe_absence_rate=rt["severe_absence_rate"],
                code_rates={code: rt[f"rate:{code}"] for code in sorted(code_names)}
                if code_rows is not None
                else None,
            )
        )
    notes = ["persistent absence: 10% or more of possible sessions missed; severe: 50% or more"]
    return published, disclosure_block(table, notes)


@traced("protect", **{"protect.kind": "daily"})
def protect_daily(
    rows: list[dict[str, Any]],
    profile_obligation: Mapping[str, Any] | None,
    collect: list[Protected] | None = None,
) -> tuple[list[DailyRow], Disclosure]:
    """Each day is its own table (days are not summed); no record keys per day, so no perturbation."""
    profile = profile_from(profile_obligation)
    if not rows:
        return [], Disclosure(
            profile=profile.name, legend={}, rules=[profile.describe(), "no registers in the period"]
        )
    leaf_rows = [
        {
            "area": (r["date"].isoformat(),),
            "group": None,
            "pupils": int(r["pupils"]),
            "possible_sessions": int(r["possible_sessions"]),
            "attendance_sessions": int(r["attendance_sessions"]),
            "absence_sessions": int(r["authorised_sessions"]) + int(r["unauthorised_sessions"]),
            "authorised_sessions": int(r["authorised_sessions"]),
            "unauthorised_sessions": int(r["unauthorised_sessions"]),
            "not_counted_sessions": int(r["not_counted_sessions"]),
            "all_sessions": int(r["possible_sessions"]) + int(r["not_counted_sessions"]),
        }
        for r in rows
    ]
    measures: list[str | Measure] = ["pupils"] + [
        Measure(m, "magnitude", "pupils")
        for m in (
            "possible_sessions",
            "attendance_sessions",
            "absence_sessions",
            "authorised_sessions",
            "unauthorised_sessions",
            "not_counted_sessions",
            "all_sessions",
        )
    ]
    rates = [
        ("attendance_rate", "attendance_sessions", "possible_sessions"),
        ("overall_absence_rate", "absence_sessions", "possible_sessions"),
        ("attendance_of_all_sessions_rate", "attendance_sessions", "all_sessions"),
    ]
    table = protect_table(leaf_rows, measures, without_perturbation(profile), rates, collect)
    schools = {r["date"].isoformat(): int(r["schools_with_registers"]) for r in rows}
    out = [
        DailyRow(
            date=date.fromisoformat(c.area[0]),
            schools_with_registers=schools[c.area[0]],
            pupils=c.values["pupils"],
            possible_sessions=c.values["possible_sessions"],
            attendance_sessions=c.values["attendance_sessions"],
            authorised_sessions=c.values["authorised_sessions"],
            unauthorised_sessions=c.values["unauthorised_sessions"],
            not_counted_sessions=c.values["not_counted_sessions"],
            attendance_rate=c.rates["attendance_rate"],
            overall_absence_rate=c.rates["overall_absence_rate"],
            attendance_of_all_sessions_rate=c.rates["attendance_of_all_sessions_rate"],
        )
        for c in table.cells
    ]
    notes = [
        "each day is protected on its own; daily counts carry no record keys, so they are rounded, not perturbed"
    ]
    return out, disclosure_block(table, notes if profile.cell_key else ())


def closure_status(row: Mapping[str, Any]) -> str:
    """From the day's marks: all # or Y4 is closed; some # , Y4 or Y3 is partial; no marks is no register."""
    marks = int(row["marks"])
    closed = int(row["planned_closure"]) + int(row["unexpected_closure"])
    if marks == 0:
        return "no_register"
    if closed >= marks:
        return "closed"
    if closed > 0 or int(row["partial_closure"]) > 0:
        return "partially_closed"
    return "open"


@dataclass(frozen=True, slots=True)
class ProtectedClosures:
    schools: list[ClosureSchool]
    counts: dict[str, int]  # open, partially_closed, closed, no_register
    attendance_rate: RateValue
    disclosure: Disclosure


@traced("protect", **{"protect.kind": "closures"})
def protect_closures(
    rows: list[dict[str, Any]],
    profile_obligation: Mapping[str, Any] | None,
    collect: list[Protected] | None = None,
) -> ProtectedClosures:
    """School statuses are not pupil data; each school's attendance rate is disclosure-controlled."""
    profile = without_perturbation(profile_from(profile_obligation))
    statuses = [closure_status(r) for r in rows]
    counts = {s: statuses.count(s) for s in ("open", "partially_closed", "closed", "no_register")}
    if not rows:
        return ProtectedClosures(
            schools=[],
            counts=counts,
            attendance_rate="z",
            disclosure=Disclosure(profile=profile.name, legend={}, rules=[profile.describe()]),
        )
    leaf_rows = [
        {
            "area": (NATIONAL, str(r["region"]), str(r["la_code"]), str(r["urn"])),
            "group": None,
            "pupils": int(r["pupils"]),
            "possible": int(r["possible"]),
            "attended": int(r["attended"]),
        }
        for r in rows
    ]
    table = protect_table(
        leaf_rows,
        ["pupils", Measure("possible", "magnitude", "pupils"), Measure("attended", "magnitude", "pupils")],
        profile,
        [("attendance_rate", "attended", "possible")],
        collect,
    )
    by_urn = {c.area[-1]: c for c in table.cells if len(c.area) == 4}
    root = next(c for c in table.cells if c.area == (NATIONAL,))
    schools = [
        ClosureSchool(
            urn=int(r["urn"]),
            name=str(r["name"]),
            la_code=int(r["la_code"]),
            phase=str(r["phase"]),
            status=status,
            attendance_rate=by_urn[str(r["urn"])].rates["attendance_rate"],
        )
        for r, status in zip(rows, statuses, strict=True)
    ]
    return ProtectedClosures(
        schools=schools,
        counts=counts,
        attendance_rate=root.rates["attendance_rate"],
        disclosure=disclosure_block(table),
    )
