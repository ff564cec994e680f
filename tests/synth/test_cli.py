"""`gateway synth`: writes the dataset and reports it; bad parameters are usage errors naming the problem."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from gateway.cli import main


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["synth", *args])
    return result.exit_code, result.output


def test_synth_writes_files_and_manifest_with_the_strike_day_asked_for(tmp_path: Path) -> None:
    args = ("--schools", "2", "--from", "2025-11-03", "--to", "2025-11-07", "--seed", "3")
    code, output = _run(*args, "--las", "926", "--strike-day", "2025-11-05", "--out", str(tmp_path))
    assert code == 0, output
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["parameters"]["las"] == [926]
    assert [e["date"] for e in manifest["events"] if e["kind"] == "strike"] == ["2025-11-05"]
    assert sorted(p.name for p in tmp_path.glob("marks-2025-11-0?.csv.gz")) == [
        f"marks-2025-11-0{d}.csv.gz" for d in (3, 4, 5, 6, 7)
    ]
    assert "event: strike on 2025-11-05" in output


def test_unknown_la_code_is_a_usage_error(tmp_path: Path) -> None:
    code, output = _run("--schools", "2", "--las", "999", "--out", str(tmp_path))
    assert code == 2
    assert "unknown LA codes: 999" in output


def test_strike_day_must_be_a_school_day(tmp_path: Path) -> None:
    args = (
        "--from",
        "2025-11-03",
        "--to",
        "2025-11-14",
        "--strike-day",
        "2025-11-08",
        "--out",
        str(tmp_path),
    )
    code, output = _run("--schools", "2", *args)
    assert code == 2
    assert "strike day 2025-11-08 is not a school day in the period" in output


def test_period_outside_the_known_calendar_is_a_usage_error(tmp_path: Path) -> None:
    code, output = _run(
        "--schools", "2", "--from", "2022-09-01", "--to", "2022-12-16", "--out", str(tmp_path)
    )
    assert code == 2
    assert "term dates are known from 2023-09-05 to 2026-12-18 only" in output
