"""Read a generated dataset back from its files, independently of the generator's own tallies."""

from __future__ import annotations

import csv
import gzip
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from gateway.store.codes import CATEGORY_2024


def read_csv(path: Path) -> Iterator[dict[str, str]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as stream:
        yield from csv.DictReader(stream)


def final_marks(folder: Path) -> dict[tuple[str, str, str, str], tuple[str, str]]:
    """(urn, upn, date, session) -> (code, recorded_at), the newest recorded_at winning."""
    marks: dict[tuple[str, str, str, str], tuple[str, str]] = {}
    for path in sorted(folder.glob("marks-*.csv.gz")):
        for row in read_csv(path):
            key = (row["urn"], row["upn"], row["date"], row["session"])
            current = marks.get(key)
            if current is None or row["recorded_at"] > current[1]:
                marks[key] = (row["code"], row["recorded_at"])
    return marks


@dataclass(frozen=True)
class Figures:
    enrolments: int
    possible: int
    not_counted: int
    overall_absence_pct: float
    persistent_absence_pct: float
    severe_absence_pct: float


def figures_from_marks(marks: dict[tuple[str, str, str, str], tuple[str, str]]) -> Figures:
    """National definitions: possible = all but NC codes; PA >= 10% and severe >= 50% per enrolment."""
    possible: dict[tuple[str, str], int] = {}
    absent: dict[tuple[str, str], int] = {}
    not_counted = 0
    for (urn, upn, _, _), (code, _) in marks.items():
        category = CATEGORY_2024[code]
        if category == "NC":
            not_counted += 1
            continue
        key = (urn, upn)
        possible[key] = possible.get(key, 0) + 1
        absent[key] = absent.get(key, 0) + (category in ("AUTH", "UNAUTH"))
    shares = [absent[k] / possible[k] for k in possible]
    total = sum(possible.values())
    return Figures(
        enrolments=len(shares),
        possible=total,
        not_counted=not_counted,
        overall_absence_pct=round(100 * sum(absent.values()) / total, 2),
        persistent_absence_pct=round(100 * sum(s >= 0.1 for s in shares) / len(shares), 2),
        severe_absence_pct=round(100 * sum(s >= 0.5 for s in shares) / len(shares), 2),
    )
