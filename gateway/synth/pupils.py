"""Synthetic pupils and enrolments: UPNs, names, dates of birth, characteristics, joiners and leavers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from gateway.synth.people import (
    ETHNICITIES,
    FORENAMES_F,
    FORENAMES_M,
    HERITAGE,
    SURNAMES,
    WHITE_BRITISH_SHARE,
)
from gateway.synth.propensity import absence_propensity
from gateway.synth.schools import PHASES, School
from gateway.synth.upns import make_upns

IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

# In-year admissions and leavers per autumn term (about 73 school days), as shares of pupils on roll.
JOINER_SHARE: Final = 0.03
LEAVER_SHARE: Final = 0.025
# Share of leavers who re-join another generated school in the same LA (a pupil who moves).
MOVER_SHARE: Final = 0.3
# Pupils on a temporary part-time timetable (C2 in the afternoons for a block of weeks), by phase.
PART_TIME_SHARE: Final = (0.007, 0.013, 0.064)
# Dual-registered pupils (D on two weekdays at the other school), by phase.
DUAL_SHARE: Final = (0.0, 0.004, 0.01)
# Reception pupils below compulsory school age who attend mornings only until half-term (X).
RECEPTION_PART_TIME_SHARE: Final = 0.04


@dataclass
class Roster:
    """One entry per enrolment (a pupil who moves school has two). Dates are school-day indices."""

    school: IntArray
    pupil: IntArray  # the same for both enrolments of a pupil who moved
    upn: list[str]
    forename: list[str]
    surname: list[str]
    date_of_birth: NDArray[np.datetime64]
    sex: NDArray[np.str_]
    ethnicity: NDArray[np.str_]
    year_group: IntArray
    phase: IntArray
    fsm: BoolArray
    sen: IntArray  # 0 none, 1 SEN support, 2 EHC plan
    looked_after: BoolArray
    previously_looked_after: BoolArray
    child_in_need: BoolArray
    child_protection_plan: BoolArray
    admission_date: NDArray[np.datetime64]
    leaving_date: NDArray[np.datetime64]  # NaT when still on roll
    first_day: IntArray  # first school-day index on roll
    last_day: IntArray  # last school-day index on roll
    prospective_days: IntArray  # leading days recorded as Z (prospective pupil) before attending
    propensity: NDArray[np.float64]
    part_time: BoolArray  # C2 afternoons between part_time_from and part_time_to
    part_time_from: IntArray
    part_time_to: IntArray
    dual_weekdays: IntArray  # bit mask of weekdays at the other school (0 = not dual registered)
    mornings_only: BoolArray  # reception pupil below compulsory school age: X in afternoons

    def __len__(self) -> int:
        return len(self.school)

    def take(self, index: IntArray) -> Roster:
        """The enrolments at `index`, in that order."""
        values: dict[str, Any] = {}
        for name, value in vars(self).items():
            if isinstance(value, list):
                values[name] = [value[i] for i in index.tolist()]
            else:
                values[name] = value[index]
        return Roster(**values)


def _cohorts(rng: np.random.Generator, schools: list[School]) -> tuple[IntArray, IntArray]:
    school_idx: list[int] = []
    years: list[int] = []
    for k, school in enumerate(schools):
        weights = np.array([0.55 if y >= 12 else 1.0 for y in school.year_groups])
        sizes = rng.multinomial(school.pupils, weights / weights.sum())
        for year, size in zip(school.year_groups, sizes.tolist(), strict=True):
            school_idx += [k] * size
            years += [year] * size
    return np.array(school_idx, dtype=np.int64), np.array(years, dtype=np.int64)


def _ethnicities(rng: np.random.Generator, la_codes: IntArray) -> NDArray[np.str_]:
    codes = np.array([c for c, _, _ in ETHNICITIES])
    shares = np.array([s for _, _, s in ETHNICITIES]) / 100.0
    out = np.empty(len(la_codes), dtype="<U4")
    for la in np.unique(la_codes).tolist():
        mask = la_codes == la
        wbri = WHITE_BRITISH_SHARE.get(la, shares[0])
        mix = shares.copy()
        mix[1:] *= (1.0 - wbri) / mix[1:].sum()
        mix[0] = wbri
        out[mask] = rng.choice(codes, size=int(mask.sum()), p=mix / mix.sum())
    return out


def _names(
    rng: np.random.Generator, sex: NDArray[np.str_], ethnicity: NDArray[np.str_]
) -> tuple[list[str], list[str]]:
    forenames: list[str] = []
    surnames: list[str] = []
    mixed = rng.random(len(sex)) < 0.12
    u1 = rng.random(len(sex))
    u2 = rng.random(len(sex))
    for s, e, m, a, b in zip(
        sex.tolist(), ethnicity.tolist(), mixed.tolist(), u1.tolist(), u2.tolist(), strict=True
    ):
        heritage = HERITAGE[e]
        pool = (FORENAMES_F if s == "F" else FORENAMES_M)["british" if m else heritage]
        forenames.append(pool[int(a * len(pool))])
        surname_pool = SURNAMES[heritage]
        surnames.append(surname_pool[int(b * len(surname_pool))])
    return forenames, surnames


def _dates_of_birth(rng: np.random.Generator, years: IntArray, academic_year: int) -> NDArray[np.datetime64]:
    # Year group Y in academic year A: born 1 September (A-5-Y) to 31 August (A-4-Y).
    first = np.array([np.datetime64(f"{academic_year - 5 - y}-09-01") for y in range(15)])
    start = first[years]
    span = np.array(
        [(np.datetime64(f"{academic_year - 4 - y}-09-01") - first[y]).astype(int) for y in range(15)]
    )
    offsets = (rng.random(len(years)) * span[years]).astype(np.int64)
    born: NDArray[np.datetime64] = start + offsets.astype("timedelta64[D]")
    return born


def generate_roster(
    rng: np.random.Generator, schools: list[School], days: list[date], academic_year: int
) -> Roster:
    """Enrolments for every school, with in-year joiners, leavers and pupils who move between schools."""
    n_days = len(days)
    school, year = _cohorts(rng, schools)
    n = len(school)
    la = np.array([s.la_code for s in schools], dtype=np.int64)[school]
    estab = np.array([s.estab_number for s in schools], dtype=np.int64)[school]
    phase = np.array([PHASES.index(s.phase) for s in schools], dtype=np.int64)[school]
    fsm_share = np.array([s.fsm_share for s in schools])[school]
    school_factor = np.array([s.absence_factor for s in schools])[school]

    male_share = np.where(phase == 2, 0.70, 0.512)
    sex = np.where(rng.random(n) < male_share, "M", "F").astype("<U1")
    ethnicity = _ethnicities(rng, la)
    fsm = rng.random(n) < fsm_share
    boy = sex == "M"
    sen_support_p = np.where(phase == 2, 0.04, (0.105 + 0.07 * fsm) * np.where(boy, 1.3, 0.7))
    ehc_p = np.where(phase == 2, 0.95, (0.028 + 0.015 * fsm) * np.where(boy, 1.5, 0.5))
    u = rng.random(n)
    sen = np.where(u < ehc_p, 2, np.where(u < ehc_p + sen_support_p, 1, 0)).astype(np.int64)
    looked_after = rng.random(n) < 0.005
    previously_looked_after = ~looked_after & (rng.random(n) < 0.006)
    child_in_need = looked_after | (rng.random(n) < np.where(fsm, 0.06, 0.015))
    child_protection_plan = ~looked_after & (rng.random(n) < np.where(child_in_need, 0.2, 0.0))
    propensity = absence_propensity(rng, phase, year, fsm, sen, child_in_need, school_factor)

    # UPNs are allocated when a pupil first enters school: reception pupils by this school, others
    # mostly by a primary school in the same LA (this one if primary).
    first_school_year = academic_year - year
    primary_estabs = {code: [s.estab_number for s in schools if s.la_code == code and s.phase == "primary"]
                      for code in set(la.tolist())}  # fmt: skip
    upn_estab = estab.copy()
    not_primary = np.flatnonzero(phase != 0)
    for i, r in zip(not_primary.tolist(), rng.random(len(not_primary)).tolist(), strict=True):
        pool = primary_estabs[int(la[i])]
        upn_estab[i] = pool[int(r * len(pool))] if pool and r < 0.85 else 2000 + int(r * 1999)
    upn = make_upns(la, upn_estab, first_school_year)
    forename, surname = _names(rng, sex, ethnicity)
    date_of_birth = _dates_of_birth(rng, year, academic_year)

    # In-year joiners (some with a few prospective `Z` days first) and leavers, scaled to the period.
    scale = min(n_days / 73.0, 1.5)
    first_day = np.zeros(n, dtype=np.int64)
    last_day = np.full(n, n_days - 1, dtype=np.int64)
    prospective_days = np.zeros(n, dtype=np.int64)
    if n_days >= 3:
        roll = rng.random(n)
        joiner = roll < JOINER_SHARE * scale
        leaver = (roll >= JOINER_SHARE * scale) & (roll < (JOINER_SHARE + LEAVER_SHARE) * scale)
        first_day[joiner] = rng.integers(1, n_days - 1, int(joiner.sum()))
        prospective_days[joiner] = np.where(
            rng.random(int(joiner.sum())) < 0.3, rng.integers(1, 3, int(joiner.sum())), 0
        )
        last_day[leaver] = rng.integers(0, n_days - 2, int(leaver.sum()))
    earlier_start = np.array([np.datetime64(f"{y}-09-01") for y in (academic_year - np.arange(15)).tolist()])
    years_here = year - np.array([min(s.year_groups) for s in schools], dtype=np.int64)[school]
    admission_date = np.where(
        first_day > 0, np.array(days, dtype="datetime64[D]")[first_day], earlier_start[years_here]
    )
    leaving_date = np.where(
        last_day < n_days - 1, np.array(days, dtype="datetime64[D]")[last_day], np.datetime64("NaT")
    )

    part_time = rng.random(n) < np.array(PART_TIME_SHARE)[phase]
    block = np.maximum(n_days // 2, 1)
    part_time_from = rng.integers(0, max(n_days - block, 0) + 1, n)
    part_time_to = part_time_from + block - 1
    dual = rng.random(n) < np.array(DUAL_SHARE)[phase]
    dual_weekdays = np.where(dual, np.array([0b01010, 0b00101, 0b10010])[rng.integers(0, 3, n)], 0)
    mornings_only = (year == 0) & (rng.random(n) < RECEPTION_PART_TIME_SHARE) & (first_day == 0)

    roster = Roster(
        school=school, pupil=np.arange(n, dtype=np.int64), upn=upn, forename=forename, surname=surname,
        date_of_birth=date_of_birth, sex=sex, ethnicity=ethnicity, year_group=year, phase=phase, fsm=fsm,
        sen=sen, looked_after=looked_after, previously_looked_after=previously_looked_after,
        child_in_need=child_in_need, child_protection_plan=child_protection_plan,
        admission_date=admission_date.astype("datetime64[D]"), leaving_date=leaving_date.astype("datetime64[D]"),
        first_day=first_day, last_day=last_day, prospective_days=prospective_days, propensity=propensity,
        part_time=part_time, part_time_from=part_time_from, part_time_to=part_time_to,
        dual_weekdays=dual_weekdays.astype(np.int64), mornings_only=mornings_only,
    )  # fmt: skip
    return _add_movers(rng, roster, schools, days)


def _add_movers(rng: np.random.Generator, roster: Roster, schools: list[School], days: list[date]) -> Roster:
    """Some leavers join another school of the same phase in their LA a few school days later."""
    n_days = len(days)
    leavers = np.flatnonzero((roster.last_day < n_days - 1) & (rng.random(len(roster)) < MOVER_SHARE))
    targets: list[int] = []
    sources: list[int] = []
    starts: list[int] = []
    for i in leavers.tolist():
        here = schools[int(roster.school[i])]
        options = [k for k, s in enumerate(schools)
                   if s.la_code == here.la_code and s.phase == here.phase and s is not here
                   and int(roster.year_group[i]) in s.year_groups]  # fmt: skip
        start = int(roster.last_day[i]) + int(rng.integers(2, 9))
        if options and start < n_days:
            targets.append(options[int(rng.integers(0, len(options)))])
            sources.append(i)
            starts.append(start)
    if not sources:
        return roster
    moved = roster.take(np.array(sources, dtype=np.int64))
    moved.school = np.array(targets, dtype=np.int64)
    moved.first_day = np.array(starts, dtype=np.int64)
    moved.last_day = np.full(len(sources), n_days - 1, dtype=np.int64)
    moved.prospective_days = np.zeros(len(sources), dtype=np.int64)
    moved.admission_date = np.array([days[s] for s in starts], dtype="datetime64[D]")
    moved.leaving_date = np.full(len(sources), np.datetime64("NaT"), dtype="datetime64[D]")
    moved.part_time = np.zeros(len(sources), dtype=np.bool_)
    moved.dual_weekdays = np.zeros(len(sources), dtype=np.int64)
    merged: dict[str, Any] = {}
    for name, value in vars(roster).items():
        extra = getattr(moved, name)
        merged[name] = value + extra if isinstance(value, list) else np.concatenate([value, extra])
    combined = Roster(**merged)
    order = np.lexsort((np.arange(len(combined)), combined.school))
    return combined.take(order)
