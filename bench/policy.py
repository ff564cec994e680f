"""Policy engine benchmark: decisions per second and latency on the real policies, against an allow-all baseline."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gateway.policy.rego_engine import RegoEngine  # noqa: E402

TRIVIAL_POLICY = """package gateway

import rego.v1

decision := {
	"allow": true,
	"reasons": [{"code": "ALLOW_ALL", "message": "allow-all baseline", "citation": null}],
	"obligations": {
		"agreement": null, "legal_gateway": null, "purpose": null, "fields": [],
		"row_filter": {"la_codes": null, "urns": null, "organisations": null}, "granularity": null,
		"pseudonym_domain": null, "pseudonym_method": null, "generalisations": {}, "disclosure_profile": null,
		"row_cap": null, "reason_required": false,
	},
}
"""


def sample_inputs() -> list[dict[str, Any]]:
    """The golden samples' inputs: a mix of allowed and denied requests across every agreement."""
    return [
        json.loads(p.read_text())["input"] for p in sorted((ROOT / "policies" / "samples").glob("*.json"))
    ]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def latencies(engine: RegoEngine, inputs: list[dict[str, Any]], n: int) -> list[float]:
    """One decision at a time through the engine's async path, in microseconds of wall-clock time."""
    return (await timed(engine, inputs, n))[0]


async def timed(engine: RegoEngine, inputs: list[dict[str, Any]], n: int) -> tuple[list[float], float]:
    """Wall-clock latencies, and the process CPU time per decision (every thread, the pool's included).

    The CPU figure is what a decision costs this process whatever else the shared cores are doing.
    """
    out = []
    started_cpu = time.process_time()
    for i in range(n):
        started = time.perf_counter()
        await engine.decide(inputs[i % len(inputs)])
        out.append((time.perf_counter() - started) * 1e6)
    return out, (time.process_time() - started_cpu) / n * 1e6


async def throughput(
    engine: RegoEngine, inputs: list[dict[str, Any]], seconds: float, concurrency: int
) -> float:
    """Decisions per second with `concurrency` requests in flight."""
    done = 0
    deadline = time.perf_counter() + seconds

    async def worker(offset: int) -> None:
        nonlocal done
        i = offset
        while time.perf_counter() < deadline:
            await engine.decide(inputs[i % len(inputs)])
            done += 1
            i += 1

    started = time.perf_counter()
    await asyncio.gather(*(worker(k) for k in range(concurrency)))
    return done / (time.perf_counter() - started)


def direct_latencies(
    engine: RegoEngine, inputs: list[dict[str, Any]], n: int
) -> tuple[list[float], list[float]]:
    """The evaluation alone on the calling thread: wall-clock and CPU (thread) time, in microseconds.

    CPU time is reported too because this machine's cores are shared: wall time includes waiting.
    """
    wall, cpu = [], []
    for i in range(n):
        started, started_cpu = time.perf_counter(), time.thread_time()
        engine.evaluate(inputs[i % len(inputs)])
        cpu.append((time.thread_time() - started_cpu) * 1e6)
        wall.append((time.perf_counter() - started) * 1e6)
    return wall, cpu


async def measure(n: int, seconds: float, concurrency: int) -> dict[str, Any]:
    inputs = sample_inputs()
    # The decision cache is off for the main figures: every decision is a full evaluation.
    real = RegoEngine(ROOT / "policies", watch=False, workers=2, timeout_ms=10_000, cache_entries=0)
    # The same with every decision handed to a worker thread (no inline evaluation), for comparison.
    pooled = RegoEngine(
        ROOT / "policies", watch=False, workers=2, timeout_ms=10_000, cache_entries=0, inline_budget_ms=0
    )
    cached = RegoEngine(ROOT / "policies", watch=False, workers=2, timeout_ms=10_000)
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "gateway").mkdir()
        (Path(tmp) / "gateway" / "decision.rego").write_text(TRIVIAL_POLICY)
        trivial = RegoEngine(Path(tmp), watch=False, workers=2, timeout_ms=10_000, cache_entries=0)
        for engine in (real, trivial, pooled):  # warm the interpreters; cheap bundles go inline
            await latencies(engine, inputs, 50)
        real_lat, real_cpu_per = await timed(real, inputs, n)
        trivial_lat, trivial_cpu_per = await timed(trivial, inputs, n)
        pooled_lat, pooled_cpu_per = await timed(pooled, inputs, n)
        real_direct, real_cpu = direct_latencies(real, inputs, n)
        trivial_direct, trivial_cpu = direct_latencies(trivial, inputs, n)
        real_rate = await throughput(real, inputs, seconds, concurrency)
        await latencies(cached, inputs, len(inputs))  # fill the cache once
        cached_lat = await latencies(cached, inputs, n)
        trivial_rate = await throughput(trivial, inputs, seconds, concurrency)
        trivial.close()
    real.close()
    pooled.close()
    cached.close()
    p50, trivial_p50 = statistics.median(real_lat), statistics.median(trivial_lat)
    return {
        "benchmark": "policy",
        "engine": "rego (regopy)",
        "samples": len(inputs),
        "decisions": n,
        "decisions_per_s": round(real_rate, 1),
        "p50_us": round(p50, 1),
        "p99_us": round(percentile(real_lat, 0.99), 1),
        "trivial_decisions_per_s": round(trivial_rate, 1),
        "trivial_p50_us": round(trivial_p50, 1),
        "trivial_p99_us": round(percentile(trivial_lat, 0.99), 1),
        "ratio": round(p50 / trivial_p50, 2),
        "cpu_us_per_decision": round(real_cpu_per, 1),
        "trivial_cpu_us_per_decision": round(trivial_cpu_per, 1),
        "pooled_p50_us": round(statistics.median(pooled_lat), 1),
        "pooled_cpu_us_per_decision": round(pooled_cpu_per, 1),
        "inline_budget_ms": real.inline_budget_s * 1000,
        "eval_p50_us": round(statistics.median(real_direct), 1),
        "trivial_eval_p50_us": round(statistics.median(trivial_direct), 1),
        "eval_cpu_p50_us": round(statistics.median(real_cpu), 1),
        "cached_p50_us": round(statistics.median(cached_lat), 1),
        "trivial_eval_cpu_p50_us": round(statistics.median(trivial_cpu), 1),
        "load_average_1m": round(os.getloadavg()[0], 2),
        "concurrency": concurrency,
        "target_p50_us": 150,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true", help="Print one JSON object.")
    parser.add_argument(
        "--decisions", type=int, default=2000, help="Decisions timed one at a time per engine."
    )
    parser.add_argument("--seconds", type=float, default=3.0, help="Duration of each throughput run.")
    parser.add_argument("--concurrency", type=int, default=4, help="Decisions in flight for throughput.")
    args = parser.parse_args()
    result = asyncio.run(measure(args.decisions, args.seconds, args.concurrency))
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:26} {value}")


if __name__ == "__main__":
    main()
