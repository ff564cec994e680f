"""Synthetic datasets shared by the synth tests: generated once per session into a temporary folder."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from gateway.db.urls import start_embedded
from gateway.demo import DemoSummary, prepare_demo_data
from gateway.settings import Settings
from gateway.synth.generate import Manifest, SynthParams, generate
from tests.synth.feedfiles import final_marks

# 12 schools over the first half of autumn 2025: small enough to ingest in seconds, large enough for
# persistent and severe absence to land in their national ranges.
SMALL = SynthParams(schools=12, start=date(2025, 9, 1), end=date(2025, 10, 24), seed=11)


@pytest.fixture(scope="session")
def small_dataset(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Manifest]:
    out = tmp_path_factory.mktemp("synth-small")
    return out, generate(SMALL, out)


@pytest.fixture(scope="session")
def synth_settings(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings for a database of the synth tests' own, so other areas' test rows never mix in."""
    server_url = start_embedded(settings.pg_data_dir)
    name = f"{settings.database_name}_synth"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    return settings.model_copy(
        update={"database_name": name, "var_dir": tmp_path_factory.mktemp("synth-var")}
    )


@pytest.fixture(scope="session")
def loaded_small(synth_settings: Settings) -> DemoSummary:
    """The small dataset generated, migrated into and ingested through the demo's own steps."""
    return prepare_demo_data(synth_settings, SMALL)


@pytest.fixture(scope="session")
def small_marks(small_dataset: tuple[Path, Manifest]) -> dict[tuple[str, str, str, str], tuple[str, str]]:
    """The small dataset's marks after corrections, read back from its files."""
    return final_marks(small_dataset[0])
