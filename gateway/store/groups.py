"""Pupil groups: one stable small integer per combination of the five breakdown dimensions, and cell keys."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product
from typing import Final

from gateway.store.ethnicity import MAJOR_GROUPS

YEAR_GROUPS: Final = tuple(range(15))  # 0 = reception
SEN_PROVISIONS: Final = ("N", "K", "E")
SEXES: Final = ("F", "M")

# Cells hold one breakdown dimension at a time (what readers ask for): dimension 0 is the total, the
# others are the API's breakdowns. Each enrolment counts in one cell of every dimension.
DIMENSIONS: Final[dict[str, int]] = {"all": 0, "fsm": 1, "sen": 2, "sex": 3, "ethnicity": 4, "year_group": 5}


@dataclass(frozen=True, slots=True)
class PupilGroup:
    gid: int
    year_group: int
    fsm: bool
    sen_provision: str
    sex: str
    ethnicity_major: str

    def cell_values(self) -> dict[int, int]:
        """The value this group has in each dimension (dimension 0, the total, has value 0)."""
        return {
            0: 0,
            1: int(self.fsm),
            2: SEN_PROVISIONS.index(self.sen_provision),
            3: SEXES.index(self.sex),
            4: MAJOR_GROUPS.index(self.ethnicity_major),
            5: self.year_group,
        }


def pupil_groups() -> list[PupilGroup]:
    """Every combination, numbered from 1 in a fixed order: ids never change once rows refer to them."""
    combos = product(YEAR_GROUPS, (False, True), SEN_PROVISIONS, SEXES, MAJOR_GROUPS)
    return [PupilGroup(i, *combo) for i, combo in enumerate(combos, start=1)]


def _year_label(year_group: int) -> str:
    return "Reception" if year_group == 0 else f"Year {year_group}"


# The labels the API's breakdowns use (gateway.store.aggregates.BREAKDOWN_SQL), per (dimension, value).
CELL_LABELS: Final[dict[tuple[int, int], str | None]] = {
    (0, 0): None,
    (1, 0): "not FSM eligible",
    (1, 1): "FSM eligible",
    (2, 0): "no SEN",
    (2, 1): "SEN support",
    (2, 2): "EHC plan",
    (3, 0): "female",
    (3, 1): "male",
    **{(4, i): name for i, name in enumerate(MAJOR_GROUPS)},
    **{(5, y): _year_label(y) for y in YEAR_GROUPS},
}
