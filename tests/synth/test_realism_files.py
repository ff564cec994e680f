"""National figures computed from the generated files (newest mark wins) fall in realistic ranges."""

from __future__ import annotations

from pathlib import Path

from gateway.store.codes import CATEGORY_2024
from gateway.synth.generate import Manifest
from tests.synth.feedfiles import figures_from_marks, read_csv

Marks = dict[tuple[str, str, str, str], tuple[str, str]]


def test_file_figures_are_realistic_and_match_the_manifest(
    small_dataset: tuple[Path, Manifest], small_marks: Marks
) -> None:
    _, manifest = small_dataset
    figures = figures_from_marks(small_marks)
    assert 6.0 <= figures.overall_absence_pct <= 8.0
    assert 15.0 <= figures.persistent_absence_pct <= 23.0
    assert 1.0 <= figures.severe_absence_pct <= 3.0
    overall = manifest.figures["all"]
    assert (figures.enrolments, figures.possible) == (overall["enrolments"], overall["possible_sessions"])
    assert figures.overall_absence_pct == overall["overall_absence_pct"]
    assert figures.persistent_absence_pct == overall["persistent_absence_pct"]
    assert figures.severe_absence_pct == overall["severe_absence_pct"]
    assert figures.not_counted > 0


def _absence_by(small_dataset: tuple[Path, Manifest], small_marks: Marks, column: str) -> dict[str, float]:
    folder, _ = small_dataset
    group = {(r["urn"], r["upn"]): r[column] for r in read_csv(folder / "roster.csv.gz")}
    by_group: dict[str, Marks] = {}
    for key, value in small_marks.items():
        by_group.setdefault(group[key[:2]], {})[key] = value
    return {name: figures_from_marks(marks).overall_absence_pct for name, marks in by_group.items()}


def test_pupils_eligible_for_free_school_meals_miss_about_twice_as_much(
    small_dataset: tuple[Path, Manifest], small_marks: Marks
) -> None:
    absence = _absence_by(small_dataset, small_marks, "fsm")
    assert 1.5 <= absence["true"] / absence["false"] <= 2.3


def test_pupils_with_sen_support_or_an_ehc_plan_miss_more(
    small_dataset: tuple[Path, Manifest], small_marks: Marks
) -> None:
    absence = _absence_by(small_dataset, small_marks, "sen_provision")
    assert absence["N"] * 1.3 < absence["K"]
    assert absence["N"] * 1.3 < absence["E"]


def test_absence_rises_from_the_start_of_term_to_the_week_before_half_term(small_marks: Marks) -> None:
    possible: dict[str, int] = {}
    absent: dict[str, int] = {}
    for (_, _, day, _), (code, _) in small_marks.items():
        category = CATEGORY_2024[code]
        if category != "NC":
            possible[day] = possible.get(day, 0) + 1
            absent[day] = absent.get(day, 0) + (category in ("AUTH", "UNAUTH"))
    days = sorted(possible)
    rate = {d: 100 * absent[d] / possible[d] for d in days}
    first_week = [rate[d] for d in days if d <= "2025-09-05"]
    last_week = [rate[d] for d in days if "2025-10-20" < d <= "2025-10-24"]  # Diwali (20th) aside
    assert max(first_week) + 0.5 < min(last_week)
