"""Profile: bench/ingest.py's run with the time of every statement the marks ingests send, per batch.

Takes bench/ingest.py's arguments and prints its result, then, on stderr, each marks batch (the first
load, then the same file again) with its statements, slowest first: seconds, calls, the statement's first
120 characters. What the statements do not cover (the gap to the batch's wall time) is the staging COPY,
the client's reading and hashing of the file, and the commit.

The timing wraps psycopg's AsyncCursor.execute for this process only (every statement goes through it);
the server's own per-statement views need a preloaded extension the embedded server does not have.
"""

from __future__ import annotations

import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import bench.ingest as bench  # noqa: E402

_TIMES: defaultdict[str, dict[str, list[float]]] = defaultdict(dict)
_PHASE = ["setup"]
_execute = psycopg.AsyncCursor.execute
_timed_ingest = bench.timed_ingest


async def _timed_execute(self: psycopg.AsyncCursor[Any], query: Any, params: Any = None, **kw: Any) -> Any:
    started = time.perf_counter()
    try:
        return await _execute(self, query, params, **kw)
    finally:
        text = " ".join(query.split())[:120] if isinstance(query, str) else type(query).__name__
        entry = _TIMES[_PHASE[0]].setdefault(text, [0, 0.0])
        entry[0] += 1
        entry[1] += time.perf_counter() - started


async def _phased_ingest(url: str, path: Path) -> tuple[float, dict[str, object]]:
    _PHASE[0] = f"{path.name} #{sum(p.startswith(path.name) for p in _TIMES) + 1}"
    seconds, summary = await _timed_ingest(url, path)
    _TIMES[_PHASE[0]]["(wall)"] = [1, seconds]
    return seconds, summary


def _report() -> None:
    for phase, statements in _TIMES.items():
        if not phase.startswith("marks"):
            continue
        wall = statements.pop("(wall)", [1, 0.0])[1]
        total = sum(s for _, s in statements.values())
        print(f"--- {phase}: wall {wall:.2f} s, statements {total:.2f} s", file=sys.stderr)
        for text, (calls, seconds) in sorted(statements.items(), key=lambda kv: -kv[1][1]):
            if seconds >= 0.005:
                print(f"{seconds:8.3f} s {int(calls):3d}x  {text}", file=sys.stderr)


def main() -> None:
    psycopg.AsyncCursor.execute = _timed_execute  # type: ignore[method-assign]
    bench.timed_ingest = _phased_ingest
    sys.argv[0] = "bench/ingest.py"
    try:
        bench.main()
    finally:
        _report()


if __name__ == "__main__":
    main()
