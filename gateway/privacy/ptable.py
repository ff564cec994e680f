"""Perturbation tables (p-tables) for cell-key perturbation, as used by ONS's `cell-key-perturbation`.

A p-table maps (perturbation cell value pcv, cell key ckey) to the noise added to a count. Cell keys run
0..255 (the sum of the cell's 8-bit record keys mod 256). As in ONS's implementation, counts above 750
reuse the rows 501..750: pcv = ((count - 1) mod 250) + 501; a count of 0 is never perturbed.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import numpy.typing as npt

MAX_PCV = 750
KEY_RANGE = 256  # record keys and cell keys are 0..255


class PTableError(ValueError):
    """A p-table is unknown or malformed."""


class PTable:
    """Noise by (pcv, ckey), held as a dense (MAX_PCV + 1) x KEY_RANGE array; row 0 is all zeros."""

    __slots__ = ("name", "noise")

    def __init__(self, name: str, noise: npt.NDArray[np.int64]) -> None:
        if noise.shape != (MAX_PCV + 1, KEY_RANGE):
            raise PTableError(f"p-table must cover pcv 0..{MAX_PCV} and ckey 0..{KEY_RANGE - 1}")
        self.name = name
        self.noise = noise

    def __repr__(self) -> str:
        return f"PTable({self.name!r})"

    @classmethod
    def ons_10_5(cls) -> PTable:
        """ONS's shipped `ptable_10_5_rule`: counts under 10 go to 0, the rest round to the nearest 5."""
        pcv = np.arange(MAX_PCV + 1, dtype=np.int64)
        remainder = pcv % 5
        # Remainders 1 and 2 round down, 3 and 4 round up (ONS's _calculate_pvalue).
        per_value = np.where(pcv < 10, -pcv, np.choose(remainder, [0, -1, -2, 2, 1]))
        per_value[0] = 0
        return cls("ons-10-5", np.repeat(per_value[:, None], KEY_RANGE, axis=1))

    @classmethod
    def from_csv(cls, path: Path, name: str | None = None) -> PTable:
        """A p-table in ONS's CSV layout: columns pcv, ckey, pvalue; missing entries mean no noise."""
        noise = np.zeros((MAX_PCV + 1, KEY_RANGE), dtype=np.int64)
        with path.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                try:
                    pcv, ckey, pvalue = int(row["pcv"]), int(row["ckey"]), int(row["pvalue"])
                except (KeyError, ValueError):
                    raise PTableError(f"{path.name}: rows need integer pcv, ckey and pvalue") from None
                if not (1 <= pcv <= MAX_PCV and 0 <= ckey < KEY_RANGE):
                    raise PTableError(f"{path.name}: pcv {pcv} or ckey {ckey} out of range")
                noise[pcv, ckey] = pvalue
        return cls(name or path.stem, noise)

    def perturb(
        self, counts: npt.NDArray[np.int64], key_sums: npt.NDArray[np.int64]
    ) -> npt.NDArray[np.int64]:
        """Counts plus their noise; the cell key is the record-key sum mod 256, so it never changes for a cell."""
        ckey = np.mod(key_sums, KEY_RANGE)
        pcv = np.where(counts <= MAX_PCV, counts, np.mod(counts - 1, 250) + 501)
        return counts + self.noise[pcv, ckey]


def named_ptable(name: str) -> PTable:
    if name == "ons-10-5":
        return _ONS_10_5
    raise PTableError(f"unknown p-table {name!r}")


_ONS_10_5 = PTable.ons_10_5()
