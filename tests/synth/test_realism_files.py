"""National figures computed from the generated files (newest mark wins) fall in realistic ranges."""

from __future__ import annotations

from pathlib import Path

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
