"""Multi-academy trusts: about half of the academies join trusts of realistic sizes, mostly regional."""

from __future__ import annotations

from dataclasses import replace
from typing import Final

import numpy as np

from gateway.store.reference import local_authority_by_code
from gateway.synth.people import SAINTS, SCHOOL_STEMS
from gateway.synth.schools import School

TRUST_SHARE: Final = 0.5  # of academies and free schools
FIRST_TRUST_ID: Final = 2001  # GIAS group UIDs of this size are trusts' own numbers in the real register
# England's trusts: most have 2-5 schools, a tail has 10-40, a few national ones more than 50. A
# Pareto tail from 2 gives that shape; the largest is capped at 60.
SIZE_TAIL: Final = 1.1
LARGEST: Final = 60
# With enough academies, the first trust is one of the large national ones.
LARGE_TRUST: Final = (50, 60)
_SUFFIXES: Final = (
    "Academy Trust",
    "Learning Trust",
    "Education Trust",
    "Multi Academy Trust",
    "Schools Partnership",
)


def is_academy(school: School) -> bool:
    return school.school_type.startswith(("Academy", "Free"))


def trust_sizes(rng: np.random.Generator, pool: int) -> list[int]:
    """Sizes (each at least 2) that together take `pool` schools, largest first when the pool allows."""
    sizes: list[int] = []
    left = pool
    if left >= 2 * LARGE_TRUST[1]:
        sizes.append(int(rng.integers(LARGE_TRUST[0], LARGE_TRUST[1] + 1)))
        left -= sizes[0]
    while left >= 2:
        size = int(min(LARGEST, np.floor(2 * (1 - rng.random()) ** (-1 / SIZE_TAIL))))
        size = min(size, left)
        if left - size == 1:  # never leave a trust of one: take it in, or leave two if already the largest
            size = size + 1 if size < LARGEST else size - 1
        sizes.append(size)
        left -= size
    return sizes


def _trust_name(rng: np.random.Generator, used: set[str]) -> str:
    while True:
        if rng.random() < 0.15:
            name = f"{rng.choice(SAINTS)} Catholic Multi Academy Trust"
        else:
            name = f"{rng.choice(SCHOOL_STEMS)} {rng.choice(_SUFFIXES)}"
        if name not in used:
            used.add(name)
            return name
        if len(used) > len(SCHOOL_STEMS) * len(_SUFFIXES) // 2:
            name = f"{name} {len(used)}"
            used.add(name)
            return name


def assign_trusts(rng: np.random.Generator, schools: list[School]) -> list[School]:
    """The same schools, about half of the academies with a trust; order kept."""
    las = local_authority_by_code()
    academies = [i for i, s in enumerate(schools) if is_academy(s)]
    chosen = rng.permutation(academies)[: round(TRUST_SHARE * len(academies))]
    # Trusts grow near home: schools of one region are consecutive, in random order within it.
    order = {int(i): float(key) for i, key in zip(chosen, rng.random(len(chosen)), strict=True)}
    chosen_ids = sorted(order, key=lambda i: (las[schools[i].la_code].region, order[i]))
    out = list(schools)
    used: set[str] = set()
    start = 0
    for k, size in enumerate(trust_sizes(rng, len(chosen_ids))):
        trust_id, name = FIRST_TRUST_ID + k, _trust_name(rng, used)
        for i in chosen_ids[start : start + size]:
            out[i] = replace(out[i], trust_id=trust_id, trust_name=name)
        start += size
    return out
