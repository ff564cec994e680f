"""National figures computed from the generated files (newest mark wins) fall in realistic ranges."""

from __future__ import annotations

from pathlib import Path

from gateway.synth.generate import Manifest
from tests.synth.feedfiles import figures_from_marks, final_marks


def test_file_figures_are_realistic_and_match_the_manifest(small_dataset: tuple[Path, Manifest]) -> None:
    folder, manifest = small_dataset
    figures = figures_from_marks(final_marks(folder))
    assert 6.0 <= figures.overall_absence_pct <= 8.0
    assert 15.0 <= figures.persistent_absence_pct <= 23.0
    assert 1.0 <= figures.severe_absence_pct <= 3.0
    overall = manifest.figures["all"]
    assert (figures.enrolments, figures.possible) == (overall["enrolments"], overall["possible_sessions"])
    assert figures.overall_absence_pct == overall["overall_absence_pct"]
    assert figures.persistent_absence_pct == overall["persistent_absence_pct"]
    assert figures.severe_absence_pct == overall["severe_absence_pct"]
    assert figures.not_counted > 0
