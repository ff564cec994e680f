"""Invariants of any generated dataset, whatever the seed, size and period (Hypothesis)."""

from __future__ import annotations

import gzip
import hashlib
import tempfile
from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from stdnum.gb import upn as stdnum_upn

from gateway.store.codes import code_version
from gateway.synth.calendar import is_school_day
from gateway.synth.generate import SynthParams, generate
from tests.synth.feedfiles import read_csv

AUTUMN_2025 = (date(2025, 9, 1), date(2025, 12, 19))


@st.composite
def small_params(draw: st.DrawFn) -> SynthParams:
    start = draw(st.dates(min_value=AUTUMN_2025[0], max_value=AUTUMN_2025[1] - timedelta(days=7)))
    end = start + timedelta(days=draw(st.integers(min_value=7, max_value=20)))
    # A window inside half-term (e.g. 25 Oct - 1 Nov 2025) has no school day to generate: not a dataset.
    assume(
        any(
            is_school_day(start + timedelta(days=d))
            for d in range((min(end, AUTUMN_2025[1]) - start).days + 1)
        )
    )
    return SynthParams(
        schools=draw(st.integers(min_value=1, max_value=4)),
        start=start,
        end=min(end, AUTUMN_2025[1]),
        seed=draw(st.integers(min_value=0, max_value=2**32 - 1)),
        las=tuple(
            draw(st.lists(st.sampled_from([202, 330, 841, 908, 926]), min_size=1, max_size=3, unique=True))
        ),
    )


def _content(path: Path) -> bytes:
    return gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_params())
def test_every_dataset_is_well_formed(params: SynthParams) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        manifest = generate(params, folder)
        for entry in manifest.files:
            content = _content(folder / entry["name"])
            assert hashlib.sha256(content).hexdigest() == entry["sha256"]
            assert content.count(b"\n") == entry["rows"] + 1
        roll = {}
        for row in read_csv(folder / "roster.csv.gz"):
            assert stdnum_upn.is_valid(row["upn"])
            roll[(row["urn"], row["upn"])] = (row["admission_date"], row["leaving_date"] or "9999-12-31")
        for path in folder.glob("marks-*.csv.gz"):
            for row in read_csv(path):
                day = date.fromisoformat(row["date"])
                assert is_school_day(day)
                assert params.start <= day <= params.end
                assert code_version(row["code"], day) is not None
                admitted, leaving = roll[(row["urn"], row["upn"])]
                assert admitted <= row["date"] <= leaving
