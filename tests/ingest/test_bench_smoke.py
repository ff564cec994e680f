"""The store's benchmarks still run, at a tiny size, on the test server.

Each ran for the first time in weeks only when its figures were needed, and two had broken unnoticed (the
API bench on the agreements' rate limits; the scale bench's generator on the enrolments' unique key). A
run here is end to end: a fresh database of its own, migrated, loaded, timed, and its JSON printed with
every row accepted. The figures themselves are not checked: timings belong to the benchmarks, not tests.
"""

from __future__ import annotations

import os
import subprocess
import sys

import orjson

from tests.conftest import ROOT, TEST_PG_DIR


def _run(*args: str) -> dict[str, object]:
    env = {**os.environ, "GATEWAY_PG_DATA_DIR": str(TEST_PG_DIR)}  # the test server, not var/pgdata
    done = subprocess.run(
        [sys.executable, *args, "--json"], cwd=ROOT, env=env, capture_output=True, timeout=600, check=False
    )
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    result = orjson.loads(done.stdout.splitlines()[-1])
    assert isinstance(result, dict)
    return result


def test_the_ingest_bench_loads_a_valid_run() -> None:
    result = _run("bench/ingest.py", "--marks", "2000")
    assert (result["valid"], result["marks"], result["accepted"], result["reingest_unchanged"]) == (
        True,
        2000,
        2000,
        2000,
    )


def test_the_ingest_floor_bench_stores_every_mark() -> None:
    result = _run("bench/ingest_floor.py", "--marks", "2000")
    assert (result["valid"], result["marks"]) == (True, 2000)
    assert set(result["steps_s"]) == {"stage_s", "parse_s", "lookup_s", "insert_s", "key_s", "commit_s"}  # type: ignore[arg-type]


def test_the_scale_bench_generates_and_times_two_sizes_and_can_re_time_the_store_it_left() -> None:
    result = _run("bench/scale.py", "--base-marks", "20000", "--multiples", "1,2", "--repeats", "1")
    sizes = result["sizes"]
    assert isinstance(sizes, list)
    assert [s["multiple"] for s in sizes] == [1, 2]
    assert sizes[1]["marks"] > sizes[0]["marks"] > 0
    assert all(s["pupils_p50_ms"] > 0 and s["casework_p50_ms"] > 0 for s in sizes)
    assert [s["pupils_page_rows"] for s in sizes] == [50, 50]  # the generator writes absences
    again = _run("bench/scale.py", "--measure-only", "--repeats", "1")  # the store the run left, re-timed
    assert (again["marks"], again["measured_only"], again["pupils_page_rows"]) == (
        sizes[1]["marks"],
        True,
        50,
    )
