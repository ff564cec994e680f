"""Synthetic datasets shared by the synth tests: generated once per session into a temporary folder."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from gateway.synth.generate import Manifest, SynthParams, generate

# 12 schools over the first half of autumn 2025: small enough to ingest in seconds, large enough for
# persistent and severe absence to land in their national ranges.
SMALL = SynthParams(schools=12, start=date(2025, 9, 1), end=date(2025, 10, 24), seed=11)


@pytest.fixture(scope="session")
def small_dataset(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Manifest]:
    out = tmp_path_factory.mktemp("synth-small")
    return out, generate(SMALL, out)
