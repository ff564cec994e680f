"""Daily registers: absence spells from each pupil's propensity, the code mix by phase, events, provisional N."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Final

import numpy as np
from numpy.typing import NDArray

from gateway.store.codes import CATEGORY_2024
from gateway.synth.calendar import FESTIVALS, seasonality, term_of
from gateway.synth.events import CLOSED, RESTRICTED, STRIKE_ABSENCE_FACTOR, EventPlan
from gateway.synth.pupils import Roster
from gateway.synth.schools import School

# Every code the generator emits; registers hold indices into this tuple.
CODES: Final[tuple[str, ...]] = (
    "/", "\\", "L", "K", "V", "P", "W", "B", "C1", "M", "J1", "S", "C2", "C", "T", "R", "I", "E",
    "G", "N", "O", "U", "D", "X", "Y3", "Y4", "Z", "#",
)  # fmt: skip
CODE: Final[dict[str, int]] = {c: i for i, c in enumerate(CODES)}
CATEGORY_NAMES: Final[tuple[str, ...]] = ("P", "AEA", "AUTH", "UNAUTH", "NC")
CATEGORY: Final = np.array([CATEGORY_NAMES.index(CATEGORY_2024[c]) for c in CODES], dtype=np.int8)
P, AEA, AUTH, UNAUTH, NC = range(5)

# Session mix as % of possible sessions, 2025/26 year to date (domain brief), by phase
# (primary, secondary, special). Whole-day reasons come in spells; the rest are single sessions.
SPELL_MIX: Final[dict[str, tuple[float, float, float]]] = {
    "I": (2.79, 3.63, 5.02),
    "C": (0.37, 0.43, 1.68),
    "E": (0.04, 0.29, 0.17),
    "G": (0.54, 0.31, 0.41),
    "O": (0.79, 2.61, 2.80),
    "R": (0.04, 0.04, 0.04),
    "S": (0.00, 0.10, 0.02),
    "T": (0.01, 0.01, 0.01),
    "C1": (0.004, 0.004, 0.004),
    "N": (0.05, 0.05, 0.05),
}
# Single-session codes on otherwise present sessions; absence ones scale with the pupil's propensity.
SESSION_MIX: Final[dict[str, tuple[float, float, float]]] = {
    "L": (1.12, 2.79, 0.77),
    "U": (0.17, 0.30, 0.32),
    "M": (0.27, 0.38, 1.02),
    "J1": (0.00, 0.03, 0.00),
    "B": (0.19, 0.30, 0.89),
    "P": (0.11, 0.11, 0.11),
    "K": (0.05, 0.05, 0.05),
    "W": (0.00, 0.31, 0.10),
}
SESSION_ABSENCE: Final = ("U", "M", "J1")
# Share of trip days per school year group (V for the whole year group).
TRIP_RATE: Final = (0.0073, 0.0073, 0.0046)
# Share of absent days that are half days (one session only).
HALF_DAY: Final = 0.10
# Share of absent pupil-days first returned as N, the reason following later (corrected to I, O, M...).
PROVISIONAL_SHARE: Final = 0.16
# Absence reasons parents usually give late, so the first return says N.
_PROVISIONAL_FROM: Final = frozenset({"I", "M", "C", "G", "O", "R", "T"})
# Sessions first returned as N although the pupil was there (arrived late, off site on an activity, missed
# at registration): their correction is why a day's absence rate falls by about a point.
MISSED_PRESENT_SHARE: Final = 0.004
MISSED_LATE_OR_OFFSITE_SHARE: Final = 0.25
_MISSED_FROM: Final = frozenset({"L", "B", "P", "K", "V"})

IntArray = NDArray[np.int64]
CodeArray = NDArray[np.int8]


@dataclass
class DayRegister:
    """One school day's marks: the first return and the corrections that follow it."""

    index: int
    day: date
    enrolments: IntArray  # enrolments on roll that day, in roster order
    am: CodeArray  # as first returned (may hold provisional N)
    pm: CodeArray
    corrected_enrolments: IntArray
    corrected_sessions: NDArray[np.int8]  # 0 AM, 1 PM
    corrected_codes: CodeArray


@dataclass
class Tallies:
    """Final (corrected) session counts by enrolment and code counts by phase: the generator's own truth."""

    possible: IntArray
    absent: IntArray
    authorised: IntArray
    unauthorised: IntArray
    code_counts: IntArray  # phase x code
    strike_on_roll: IntArray = field(default_factory=lambda: np.zeros(3, dtype=np.int64))
    strike_attended: IntArray = field(default_factory=lambda: np.zeros(3, dtype=np.int64))
    first_return_absent: int = 0
    first_return_possible: int = 0


def _phase_mean(values: NDArray[np.float64], phase: IntArray) -> NDArray[np.float64]:
    """Per-enrolment mean of `values` over the enrolment's phase."""
    sums = np.bincount(phase, weights=values, minlength=3)
    counts = np.maximum(np.bincount(phase, minlength=3), 1)
    means: NDArray[np.float64] = (sums / counts)[phase]
    return means


def _session_cumulative(roster: Roster, ratio: NDArray[np.float64]) -> tuple[NDArray[np.float64], CodeArray]:
    """Cumulative per-session probabilities of the single-session codes for each enrolment.

    Absence spells overwrite single-session codes, more often for the pupils whose weights are high, so
    each code's rate is divided by the share of its weight that falls on sessions not lost to absence:
    the phase's code mix then comes out as published.
    """
    codes = list(SESSION_MIX)
    rates = np.zeros((len(roster), len(codes)))
    year = roster.year_group
    p = roster.propensity
    for j, code in enumerate(codes):
        base = np.array(SESSION_MIX[code])[roster.phase] / 100.0
        weight = ratio if code in SESSION_ABSENCE else np.sqrt(ratio) if code == "L" else np.ones(len(roster))
        kept = 1.0 - _phase_mean(weight * p, roster.phase) / _phase_mean(weight, roster.phase)
        base = base * weight / _phase_mean(weight, roster.phase) / kept
        if code in ("J1", "W"):
            base = base * (year >= 10) * 2.5  # interviews and work experience: years 10 and up only
        rates[:, j] = base
    return np.cumsum(rates, axis=1), np.array([CODE[c] for c in codes], dtype=np.int8)


def new_tallies(n: int) -> Tallies:
    """Zeroed tallies for `n` enrolments."""
    return Tallies(
        possible=np.zeros(n, dtype=np.int64), absent=np.zeros(n, dtype=np.int64),
        authorised=np.zeros(n, dtype=np.int64), unauthorised=np.zeros(n, dtype=np.int64),
        code_counts=np.zeros((3, len(CODES)), dtype=np.int64),
    )  # fmt: skip


@dataclass(frozen=True)
class _Model:
    """Per-enrolment and per-school parameters, computed once before the daily loop."""

    day_rate: NDArray[np.float64]  # stationary share of days absent in a spell
    stay: NDArray[np.float64]  # chance a spell continues to the next day
    start_rate: NDArray[np.float64]  # chance a spell starts on a day of average season
    spell_cum: NDArray[np.float64]  # enrolment x reason: cumulative reason probabilities
    session_cum: NDArray[np.float64]  # enrolment x code: cumulative single-session probabilities
    session_codes: CodeArray
    trip_rate: NDArray[np.float64]  # per school: chance a year group is on a trip that day
    school_start: IntArray  # roster rows of each school: [start, end)
    school_end: IntArray


_SPELL_CODES: Final = tuple(SPELL_MIX)
_SPELL_CODE_INDEX: Final = np.array([CODE[c] for c in _SPELL_CODES], dtype=np.int8)
_YEARS: Final = 15


def _model(roster: Roster, schools: list[School]) -> _Model:
    phase = roster.phase
    p = roster.propensity
    phase_mean = np.array([p[phase == k].mean() if (phase == k).any() else 1.0 for k in range(3)])
    spell_weights = np.array([SPELL_MIX[c] for c in _SPELL_CODES]).T  # phase x code
    session_absence = np.array([sum(SESSION_MIX[c][k] for c in SESSION_ABSENCE) for k in range(3)])
    spell_share = spell_weights.sum(axis=1) / (spell_weights.sum(axis=1) + session_absence)
    spell_cum = np.cumsum(spell_weights / spell_weights.sum(axis=1, keepdims=True), axis=1)
    # Day-level absence as a two-state Markov chain: chronic absentees have longer spells.
    day_rate = np.clip(p * spell_share[phase] / (1 - HALF_DAY / 2), 0.0, 0.96)
    stay = 0.45 + 0.4 * day_rate
    session_cum, session_codes = _session_cumulative(roster, p / phase_mean[phase])
    # Trips are lost to absence too: raise the rate by the phase's mean propensity.
    kept = 1.0 - np.array([p[phase == k].mean() if (phase == k).any() else 0.0 for k in range(3)])
    school_phase = np.array([("primary", "secondary", "special").index(s.phase) for s in schools])
    return _Model(
        day_rate=day_rate,
        stay=stay,
        start_rate=day_rate * (1 - stay) / (1 - day_rate),
        spell_cum=spell_cum[phase],
        session_cum=session_cum,
        session_codes=session_codes,
        trip_rate=(np.array(TRIP_RATE) / kept)[school_phase],
        school_start=np.searchsorted(roster.school, np.arange(len(schools))),
        school_end=np.searchsorted(roster.school, np.arange(len(schools)), side="right"),
    )


def _spell_reasons(rng: np.random.Generator, model: _Model, roster: Roster) -> CodeArray:
    """A reason for every enrolment, used where a spell starts (study leave only from year 11)."""
    reason = (rng.random(len(roster))[:, None] > model.spell_cum).sum(axis=1)
    code = _SPELL_CODE_INDEX[np.minimum(reason, len(_SPELL_CODES) - 1)]
    return np.where((code == CODE["S"]) & (roster.year_group < 11), CODE["I"], code).astype(np.int8)


def _single_sessions(
    rng: np.random.Generator, model: _Model, roster: Roster, n_schools: int
) -> tuple[CodeArray, CodeArray]:
    """Present, late, appointments, approved activities and year-group trips, session by session."""
    picks = (rng.random((len(roster), 2))[:, :, None] > model.session_cum[:, None, :]).sum(axis=2)
    session_code = np.concatenate([model.session_codes, np.array([-1], dtype=np.int8)])[picks]
    am = np.where(session_code[:, 0] >= 0, session_code[:, 0], CODE["/"]).astype(np.int8)
    pm = np.where(session_code[:, 1] >= 0, session_code[:, 1], CODE["\\"]).astype(np.int8)
    trips = rng.random((n_schools, _YEARS)) < model.trip_rate[:, None]
    on_trip = trips[roster.school, roster.year_group]
    am[on_trip] = CODE["V"]
    pm[on_trip] = CODE["V"]
    return am, pm


def _pupil_codes(
    rng: np.random.Generator, roster: Roster, t: int, day: date, am: CodeArray, pm: CodeArray
) -> None:
    """Codes that follow the pupil: festivals (R), part-time reception (X), dual registration (D),
    prospective pupils (Z)."""
    for festival_day, _, observers, share in FESTIVALS:
        if festival_day == day:
            observing = np.isin(roster.ethnicity, list(observers)) & (rng.random(len(roster)) < share)
            am[observing] = CODE["R"]
            pm[observing] = CODE["R"]
    term = term_of(day)
    if term is not None and term.name.startswith("autumn") and day < term.half_term_start:
        pm[roster.mornings_only] = CODE["X"]
    dual = ((roster.dual_weekdays >> day.weekday()) & 1).astype(np.bool_)
    am[dual] = CODE["D"]
    pm[dual] = CODE["D"]
    prospective = (t >= roster.first_day) & (t < roster.first_day + roster.prospective_days)
    am[prospective] = CODE["Z"]
    pm[prospective] = CODE["Z"]


def _closures(model: _Model, roster: Roster, plan: EventPlan, t: int, am: CodeArray, pm: CodeArray) -> None:
    """Whole-school closures (#, Y4) and the strike day (Y4 closed, Y3 for year groups sent home)."""
    for school, code in plan.closures.get(t, []):
        am[model.school_start[school] : model.school_end[school]] = CODE[code]
        pm[model.school_start[school] : model.school_end[school]] = CODE[code]
    if t != plan.strike_day:
        return
    for k, status in enumerate(plan.strike_status):
        rows = np.arange(model.school_start[k], model.school_end[k])
        if status == CLOSED:
            am[rows] = CODE["Y4"]
            pm[rows] = CODE["Y4"]
        elif status == RESTRICTED:
            home = rows[~np.isin(roster.year_group[rows], list(plan.strike_years_in[k]))]
            am[home] = CODE["Y3"]
            pm[home] = CODE["Y3"]


def simulate(
    rng: np.random.Generator,
    roster: Roster,
    schools: list[School],
    days: list[date],
    plan: EventPlan,
    tallies: Tallies,
) -> Iterator[DayRegister]:
    """Yield each school day's register, adding the final (corrected) codes to `tallies`."""
    n = len(roster)
    model = _model(roster, schools)
    season = seasonality(days)
    # Start the chain in its steady state so the first days are not artificially free of absence.
    absent = rng.random(n) < model.day_rate * season[0]
    spell_code = np.zeros(n, dtype=np.int8)
    for t, day in enumerate(days):
        strike = t == plan.strike_day
        factor = season[t] * (STRIKE_ABSENCE_FACTOR if strike else 1.0)
        u = rng.random(n)
        if t == 0:
            starting = absent  # the steady-state draw above is the first day's absence
        else:
            starting = ~absent & (u < np.minimum(model.start_rate * factor, 1.0))
            absent = starting | (absent & (u < model.stay))
        spell_code = np.where(starting, _spell_reasons(rng, model, roster), spell_code).astype(np.int8)

        am, pm = _single_sessions(rng, model, roster, len(schools))
        part_time = roster.part_time & (roster.part_time_from <= t) & (t <= roster.part_time_to)
        pm[part_time] = CODE["C2"]
        half = rng.random(n)
        absent_am = absent & ~(half < HALF_DAY / 2)
        absent_pm = absent & ~((half >= HALF_DAY / 2) & (half < HALF_DAY))
        am[absent_am] = spell_code[absent_am]
        pm[absent_pm] = spell_code[absent_pm]
        _pupil_codes(rng, roster, t, day, am, pm)
        _closures(model, roster, plan, t, am, pm)

        active = np.flatnonzero((roster.first_day <= t) & (t <= roster.last_day))
        first_am, first_pm, corrections = _provisional(rng, am, pm, active)
        _tally(tallies, roster, active, am, pm, first_am, first_pm, strike)
        yield DayRegister(t, day, active, first_am[active], first_pm[active], *corrections)


def _provisional(
    rng: np.random.Generator, am: CodeArray, pm: CodeArray, active: IntArray
) -> tuple[CodeArray, CodeArray, tuple[IntArray, NDArray[np.int8], CodeArray]]:
    """The first return shows N where the reason came in later; the corrections carry the real code."""
    late_reason = np.isin(np.array(CODES), list(_PROVISIONAL_FROM))
    missed = np.where(np.isin(np.array(CODES), list(_MISSED_FROM)), MISSED_LATE_OR_OFFSITE_SHARE, 0.0)
    missed[[CODE["/"], CODE["\\"]]] = MISSED_PRESENT_SHARE
    provisional_day = rng.random(len(am)) < PROVISIONAL_SHARE
    session_draw = rng.random((len(am), 2))
    on_roll = np.zeros(len(am), dtype=np.bool_)
    on_roll[active] = True
    fix_am = on_roll & ((provisional_day & late_reason[am]) | (session_draw[:, 0] < missed[am]))
    fix_pm = on_roll & ((provisional_day & late_reason[pm]) | (session_draw[:, 1] < missed[pm]))
    first_am = np.where(fix_am, CODE["N"], am).astype(np.int8)
    first_pm = np.where(fix_pm, CODE["N"], pm).astype(np.int8)
    # Corrections in roster order, AM before PM for each enrolment.
    fixed = np.flatnonzero(fix_am | fix_pm)
    sessions = np.stack([fix_am[fixed], fix_pm[fixed]], axis=1)
    rows = np.repeat(fixed, 2)[sessions.ravel()]
    which = np.tile(np.array([0, 1], dtype=np.int8), len(fixed))[sessions.ravel()]
    codes = np.where(which == 0, am[rows], pm[rows]).astype(np.int8)
    return first_am, first_pm, (rows, which, codes)


def _tally(
    tallies: Tallies, roster: Roster, active: IntArray, am: CodeArray, pm: CodeArray,
    first_am: CodeArray, first_pm: CodeArray, strike: bool,
) -> None:  # fmt: skip
    for codes in (am[active], pm[active]):
        category = CATEGORY[codes]
        tallies.possible[active] += category != NC
        tallies.authorised[active] += category == AUTH
        tallies.unauthorised[active] += category == UNAUTH
        tallies.absent[active] += (category == AUTH) | (category == UNAUTH)
        flat = roster.phase[active] * len(CODES) + codes
        tallies.code_counts += np.bincount(flat, minlength=3 * len(CODES)).reshape(3, len(CODES))
    for codes in (first_am[active], first_pm[active]):
        category = CATEGORY[codes]
        tallies.first_return_possible += int((category != NC).sum())
        tallies.first_return_absent += int(((category == AUTH) | (category == UNAUTH)).sum())
    if strike:
        attended = (CATEGORY[am[active]] == P) | (CATEGORY[am[active]] == AEA)
        np.add.at(tallies.strike_on_roll, roster.phase[active], 1)
        np.add.at(tallies.strike_attended, roster.phase[active], attended.astype(np.int64))
