"""Synthetic schools: real LAs, a realistic phase mix, GIAS-like types, sizes and year groups."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np

from gateway.store.reference import LocalAuthority
from gateway.synth.people import FSM_SHARE, SAINTS, SCHOOL_STEMS, SCHOOL_TYPES

PHASES: Final[tuple[str, ...]] = ("primary", "secondary", "special")
# Share of schools by count (England: about 16,700 primary, 3,450 secondary, 1,050 special).
PHASE_SHARE: Final[tuple[float, ...]] = (0.80, 0.16, 0.04)
# Median pupils on roll and the spread of log size.
PHASE_SIZE: Final[dict[str, tuple[float, float, int, int]]] = {
    "primary": (250.0, 0.35, 60, 700),
    "secondary": (1000.0, 0.28, 400, 2000),
    "special": (120.0, 0.35, 40, 300),
}
ESTAB_RANGE: Final[dict[str, tuple[int, int]]] = {
    "primary": (1000, 3999),
    "secondary": (4000, 4999),
    "special": (7000, 7999),
}
# Six real LAs in six different regions.
DEFAULT_LAS: Final[tuple[int, ...]] = (202, 330, 352, 383, 873, 908)


@dataclass(frozen=True)
class School:
    """One generated school and the parameters the pupil and register generators need."""

    urn: int
    name: str
    la_code: int
    estab_number: int
    phase: str
    school_type: str
    pupils: int
    year_groups: tuple[int, ...]
    absence_factor: float  # the school's multiplier on its pupils' absence propensity
    fsm_share: float
    trust_id: int | None = None  # multi-academy trust (gateway.synth.trusts)
    trust_name: str | None = None


def phase_counts(n: int) -> tuple[int, int, int]:
    """Schools per phase by largest remainder, so even a small N keeps the national mix."""
    raw = [n * s for s in PHASE_SHARE]
    counts = [int(x) for x in raw]
    order = sorted(range(3), key=lambda i: raw[i] - counts[i], reverse=True)
    for i in order[: n - sum(counts)]:
        counts[i] += 1
    return counts[0], counts[1], counts[2]


def _year_groups(phase: str, sixth_form: bool) -> tuple[int, ...]:
    if phase == "primary":
        return tuple(range(7))
    if phase == "secondary":
        return tuple(range(7, 14 if sixth_form else 12))
    return tuple(range(1, 14 if sixth_form else 12))


def _school_name(rng: np.random.Generator, stem: str, phase: str, school_type: str) -> str:
    saint = str(rng.choice(SAINTS))
    if phase == "primary":
        if school_type == "Voluntary aided school":
            return f"{saint} Catholic Primary School"
        if school_type == "Voluntary controlled school":
            return f"{saint} Church of England Primary School"
        if school_type.startswith(("Academy", "Free")):
            return f"{stem} Primary Academy"
        return f"{stem} Primary School"
    if phase == "secondary":
        if school_type == "Voluntary aided school":
            return f"{saint} Catholic High School"
        if school_type.startswith(("Academy", "Free")):
            return f"{stem} Academy"
        return f"{stem} {'High School' if rng.random() < 0.5 else 'School'}"
    return f"{stem} School"


def generate_schools(rng: np.random.Generator, n: int, las: list[LocalAuthority]) -> list[School]:
    """`n` schools spread evenly over `las`, ordered by LA then phase."""
    if n < 1:
        raise ValueError("at least one school is needed")
    phases = [p for p, count in zip(PHASES, phase_counts(n), strict=True) for _ in range(count)]
    order = rng.permutation(n)
    la_of = {int(i): las[k % len(las)] for k, i in enumerate(order)}
    urns = rng.choice(np.arange(100000, 150000), size=n, replace=False)
    used_estab: dict[int, set[int]] = {la.la_code: set() for la in las}
    used_stems: dict[int, set[str]] = {la.la_code: set() for la in las}
    schools = []
    for i, phase in enumerate(phases):
        la = la_of[i]
        low, high = ESTAB_RANGE[phase]
        while True:
            estab = int(rng.integers(low, high + 1))
            if estab not in used_estab[la.la_code]:
                used_estab[la.la_code].add(estab)
                break
        types, weights = zip(*SCHOOL_TYPES[phase], strict=True)
        school_type = str(rng.choice(types, p=np.array(weights) / sum(weights)))
        free = [s for s in SCHOOL_STEMS if s not in used_stems[la.la_code]] or list(SCHOOL_STEMS)
        stem = str(rng.choice(free))
        used_stems[la.la_code].add(stem)
        median, spread, smallest, largest = PHASE_SIZE[phase]
        pupils = int(np.clip(round(median * float(np.exp(rng.normal(0.0, spread)))), smallest, largest))
        sixth_form = phase != "primary" and rng.random() < 0.5
        la_fsm = FSM_SHARE.get(la.la_code, 0.257) * (1.6 if phase == "special" else 1.0)
        schools.append(
            School(
                urn=int(urns[i]),
                name=_school_name(rng, stem, phase, school_type),
                la_code=la.la_code,
                estab_number=estab,
                phase=phase,
                school_type=school_type,
                pupils=pupils,
                year_groups=_year_groups(phase, sixth_form),
                absence_factor=float(np.exp(rng.normal(0.0, 0.12))),
                fsm_share=float(np.clip(la_fsm * np.exp(rng.normal(0.0, 0.3)), 0.03, 0.75)),
            )
        )
    las_order = {la.la_code: k for k, la in enumerate(las)}
    return sorted(schools, key=lambda s: (las_order[s.la_code], PHASES.index(s.phase), s.urn))
