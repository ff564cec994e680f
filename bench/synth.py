"""Synthetic data benchmark: generation rate for an LA-sized dataset against the gzip floor of its own output."""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gateway.synth.feed import COMPRESS_LEVEL  # noqa: E402
from gateway.synth.generate import SynthParams, generate  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--schools", type=int, default=150)
    parser.add_argument("--from", dest="start", default="2025-09-01")
    parser.add_argument("--to", dest="end", default="2025-12-19")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--json", action="store_true", help="Print one JSON object.")
    args = parser.parse_args()
    params = SynthParams(
        schools=args.schools,
        start=date.fromisoformat(args.start),
        end=date.fromisoformat(args.end),
        seed=args.seed,
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        manifest = generate(params, folder)
        seconds = time.perf_counter() - started
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        # Baseline, same run: only compressing the same uncompressed bytes at the same level (the floor
        # any generator writing these files pays).
        contents = [gzip.decompress(p.read_bytes()) for p in sorted(folder.glob("*.gz"))]
        floor_started = time.perf_counter()
        for content in contents:
            gzip.compress(content, compresslevel=COMPRESS_LEVEL, mtime=0)
        floor_seconds = time.perf_counter() - floor_started
    marks = manifest.counts["marks"] + manifest.counts["corrections"]
    result = {
        "schools": manifest.counts["schools"],
        "enrolments": manifest.counts["enrolments"],
        "marks": marks,
        "seconds": round(seconds, 2),
        "marks_per_s": round(marks / seconds),
        "gzip_floor_seconds": round(floor_seconds, 2),
        "ratio": round(floor_seconds / seconds, 3),
        "peak_rss_mb": round(peak_mb),
        "absence_pct": manifest.figures["all"]["overall_absence_pct"],
        "persistent_absence_pct": manifest.figures["all"]["persistent_absence_pct"],
        "severe_absence_pct": manifest.figures["all"]["severe_absence_pct"],
    }
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:24} {value}")


if __name__ == "__main__":
    main()
