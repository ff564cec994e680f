"""The events in a generated period: a planned closure, an unexpected closure and a strike day."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final

import numpy as np

from gateway.synth.calendar import FESTIVALS
from gateway.synth.schools import School

# Strike day status by phase: (share closed, share restricted); restricted schools send some years home.
# Calibrated to 1 February 2023: 9.3% of schools closed, 44.7% restricted, 43% of pupils attended
# (58% primary, 24% secondary).
STRIKE_STATUS: Final[dict[str, tuple[float, float]]] = {
    "primary": (0.10, 0.48),
    "secondary": (0.11, 0.82),
    "special": (0.05, 0.30),
}
# Share of year groups a restricted primary keeps at home; restricted secondaries teach year 11 only
# (sometimes year 13 or year 7 as well).
PRIMARY_YEARS_HOME: Final = 0.65
STRIKE_ABSENCE_FACTOR: Final = 1.5

OPEN, RESTRICTED, CLOSED = 0, 1, 2


@dataclass
class EventPlan:
    """Which school-day indices carry events, and each school's status on the strike day."""

    closures: dict[int, list[tuple[int, str]]] = field(default_factory=dict)  # day -> [(school, code)]
    strike_day: int | None = None
    strike_status: list[int] = field(default_factory=list)  # per school
    strike_years_in: list[frozenset[int]] = field(default_factory=list)  # per school, years attending
    described: list[dict[str, Any]] = field(default_factory=list)  # for the manifest


def _pick_day(days: list[date], at: float, weekdays: tuple[int, ...], taken: set[int]) -> int:
    """The school day nearest `at` (a fraction of the period) on one of `weekdays`, not already taken."""
    target = at * (len(days) - 1)
    candidates = [i for i in range(len(days)) if i not in taken and days[i].weekday() in weekdays]
    candidates = candidates or [i for i in range(len(days)) if i not in taken]
    return min(candidates, key=lambda i: (abs(i - target), i))


def plan_events(
    rng: np.random.Generator, schools: list[School], days: list[date], strike_day: date | None
) -> EventPlan:
    """Choose event days and schools; with fewer than three school days only a requested strike is kept."""
    plan = EventPlan()
    taken: set[int] = set()
    if strike_day is not None:
        if strike_day not in days:
            raise ValueError(f"strike day {strike_day} is not a school day in the period")
        plan.strike_day = days.index(strike_day)
    elif len(days) >= 3:
        plan.strike_day = _pick_day(days, 0.6, (1, 2, 3), taken)
    if plan.strike_day is not None:
        taken.add(plan.strike_day)
    if len(days) >= 3 and len(schools) >= 2:
        order = rng.permutation(len(schools)).tolist()
        primaries = [k for k in order if schools[k].phase == "primary"] or order
        planned_school = primaries[0]
        other_school = next(k for k in order if k != planned_school)
        planned_day = _pick_day(days, 0.35, (4,), taken)  # an INSET day, usually a Friday
        taken.add(planned_day)
        unexpected_day = _pick_day(days, 0.8, (0, 1, 2, 3, 4), taken)
        plan.closures.setdefault(planned_day, []).append((planned_school, "#"))
        plan.closures.setdefault(unexpected_day, []).append((other_school, "Y4"))
        plan.described += [
            {"kind": "planned_closure", "code": "#", "date": days[planned_day].isoformat(),
             "urn": schools[planned_school].urn},
            {"kind": "unexpected_closure", "code": "Y4", "date": days[unexpected_day].isoformat(),
             "urn": schools[other_school].urn},
        ]  # fmt: skip
    if plan.strike_day is not None:
        _plan_strike(rng, plan, schools, days)
    plan.described += [
        {"kind": "religious_festival", "code": "R", "date": day.isoformat(), "name": name}
        for day, name, _, _ in FESTIVALS
        if day in days
    ]
    return plan


def _plan_strike(rng: np.random.Generator, plan: EventPlan, schools: list[School], days: list[date]) -> None:
    for school in schools:
        closed, restricted = STRIKE_STATUS[school.phase]
        u = rng.random()
        status = CLOSED if u < closed else RESTRICTED if u < closed + restricted else OPEN
        years = set(school.year_groups)
        if status == RESTRICTED:
            if school.phase == "secondary":
                extra = {y for y, share in ((13, 0.5), (7, 0.35)) if y in years and rng.random() < share}
                years_in = {11} | extra
            else:
                years_in = {y for y in years if rng.random() >= PRIMARY_YEARS_HOME} or {min(years)}
            years = years_in
        elif status == CLOSED:
            years = set()
        plan.strike_status.append(status)
        plan.strike_years_in.append(frozenset(years))
    assert plan.strike_day is not None
    plan.described.append(
        {
            "kind": "strike",
            "date": days[plan.strike_day].isoformat(),
            "closed_urns": [s.urn for s, st in zip(schools, plan.strike_status, strict=True) if st == CLOSED],
            "restricted_urns": [
                s.urn for s, st in zip(schools, plan.strike_status, strict=True) if st == RESTRICTED
            ],
            "codes": {"closed": "Y4", "restricted": "Y3"},
        }
    )
