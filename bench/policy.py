"""Policy benchmark: uncached decisions on the real bundle by every engine, against an allow-all baseline.

The inputs are drawn as the tests draw them (tests/policy/strategies.py, derandomised, so every run times the
same ones) plus the golden samples. Every figure is measured in this run: regorus (the default engine, its
compiled program where it agrees), its interpreter alone, regopy, OPA's own evaluator (the bridge, in
process), the same engine with its decision cache, and an allow-all policy returning a decision document of
the same shape. `samples_agree` and `generated_agree` say whether all engines produced the same decision
document, byte for byte, for every input of the run. `cache_hit_ratio` is the decision cache's hit ratio
under bench/api.py's traffic mix (one LA's summaries and pupil lists, one department's extracts, `now` to
the minute). Wall-clock figures on a shared machine include waiting for a core; `cpu_p50_us` and
`cpu_p99_us` are what each decision cost this thread (decisions run inline once the bundle proves cheap).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import orjson  # noqa: E402
import regopy  # noqa: E402
from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402

from gateway.policy.bundle import load_bundle  # noqa: E402
from gateway.policy.embedded import EmbeddedEngine  # noqa: E402
from gateway.policy.opa_bridge import opa_document, opa_evaluator  # noqa: E402
from gateway.policy.rego_engine import RegoEngine, evaluate  # noqa: E402
from gateway.policy.regorus_engine import Evaluators, RegorusEngine, input_json  # noqa: E402
from tests.policy.strategies import decision_input, decision_inputs, principal  # noqa: E402

POLICIES = ROOT / "policies"
ENTRYPOINT = "data.gateway.decision"
TRIVIAL_POLICY = """package gateway

import rego.v1

decision := {
	"allow": true,
	"reasons": [{"code": "ALLOW_ALL", "message": "allow-all baseline", "citation": null}],
	"obligations": {
		"agreement": null, "legal_gateway": null, "purpose": null, "fields": [],
		"row_filter": {"la_codes": null, "urns": null, "organisations": null}, "granularity": null,
		"pseudonym_domain": null, "pseudonym_method": null, "generalisations": {}, "disclosure_profile": null,
		"row_cap": null, "reason_required": false, "write_scope": null,
	},
}
"""


def sample_inputs() -> list[dict[str, Any]]:
    return [json.loads(p.read_text())["input"] for p in sorted((POLICIES / "samples").glob("*.json"))]


def generated_inputs(count: int) -> list[dict[str, Any]]:
    """`count` inputs from the tests' strategy, the same ones every run (derandomised, no database)."""
    drawn: list[dict[str, Any]] = []

    @settings(
        max_examples=count,
        derandomize=True,
        database=None,
        phases=[Phase.generate],
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(decision_inputs)
    def collect(doc: dict[str, Any]) -> None:
        drawn.append(doc)

    collect()
    return drawn[:count]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def decide_latencies(
    engine: EmbeddedEngine[Any], inputs: list[dict[str, Any]], n: int, cpu: list[float] | None = None
) -> list[float]:
    """Wall-clock microseconds per decision through the engine's async path, one at a time; with `cpu`,
    also this thread's CPU microseconds per decision (all of it once decisions run inline)."""
    out = []
    for i in range(n):
        started, started_cpu = time.perf_counter(), time.thread_time()
        await engine.decide(inputs[i % len(inputs)])
        out.append((time.perf_counter() - started) * 1e6)
        if cpu is not None:
            cpu.append((time.thread_time() - started_cpu) * 1e6)
    return out


def call_latencies(
    call: Callable[[dict[str, Any]], Any], inputs: list[dict[str, Any]], n: int
) -> list[float]:
    out = []
    for i in range(n):
        started = time.perf_counter()
        call(inputs[i % len(inputs)])
        out.append((time.perf_counter() - started) * 1e6)
    return out


def traffic_mix(minutes: int) -> list[dict[str, Any]]:
    """The guard's inputs for bench/api.py's traffic: per minute, 600 LA summaries (one area), 200 LA pupil
    lists and 1 department extract, each minute with its own `now` (the guard gives it to the minute)."""
    la = principal("la-202", "la", ["attendance-officer"], la_code=202)
    dwp = principal("dwp", "ogd", ["analyst"])
    terms = {
        "agreement": "la-attendance-support",
        "purpose": "attendance-support",
        "reason": "Panel AP-2026-03",
    }
    window = {"date_from": "2025-09-01", "date_to": "2025-12-19"}
    traffic = []
    for minute in range(minutes):
        now = f"2026-01-12T09:{minute:02d}:00Z"
        summary = decision_input(
            la,
            "attendance.summary",
            "attendance_aggregate",
            now=now,
            level="la",
            la_code=202,
            **terms,
            **window,
        )
        pupils = decision_input(la, "pupils.list", "pupil_list", now=now, level="pupil", **terms, **window)
        extract = decision_input(
            dwp,
            "extracts.create",
            "extract",
            now=now,
            agreement="dwp-dea-s35",
            purpose="multiple-disadvantages",
        )
        traffic += [summary] * 600 + [pupils] * 200 + [extract]
    return traffic


def agreement(
    inputs: list[dict[str, Any]], regorus: RegorusEngine, regopy_engine: RegoEngine, opa: Any
) -> bool:
    """Whether regorus' program, its interpreter, regopy and OPA give the same bytes for every input."""
    compiled = regorus._compiled
    evaluators = Evaluators(compiled.source, compiled.entrypoint, compiled.program, compiled.data_json)
    interpreter = regopy.Interpreter()
    for doc in inputs:
        text = input_json(doc)
        documents = {
            orjson.dumps(opa_document(opa, ENTRYPOINT, doc), option=orjson.OPT_SORT_KEYS),
            orjson.dumps(evaluators.interpret(text), option=orjson.OPT_SORT_KEYS),
            orjson.dumps(evaluate(interpreter, regopy_engine._compiled, doc), option=orjson.OPT_SORT_KEYS),
        }
        if compiled.program is not None:
            documents.add(orjson.dumps(evaluators.run_program(text), option=orjson.OPT_SORT_KEYS))
        if len(documents) != 1:
            return False
    return True


async def measure(n: int, generated: int) -> dict[str, Any]:
    samples, drawn = sample_inputs(), generated_inputs(generated)
    inputs = samples + drawn
    options: dict[str, Any] = {"watch": False, "timeout_ms": 10_000, "cache_entries": 0}
    regorus = RegorusEngine(POLICIES, **options)
    interpreted = RegorusEngine(POLICIES, use_program=False, **options)
    regopy_engine = RegoEngine(POLICIES, **options)
    cached = RegorusEngine(POLICIES, watch=False, timeout_ms=10_000)
    bundle = load_bundle(POLICIES)
    opa = opa_evaluator(bundle.modules, bundle.data)
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "gateway").mkdir()
        (Path(tmp) / "gateway" / "decision.rego").write_text(TRIVIAL_POLICY)
        trivial = RegorusEngine(Path(tmp), **options)
        for engine in (regorus, interpreted, regopy_engine, trivial):  # warm up; cheap bundles go inline
            await decide_latencies(engine, inputs, 50)
        started_cpu, real_cpu = time.process_time(), []
        real = await decide_latencies(regorus, inputs, n, real_cpu)
        cpu_per_decision = (time.process_time() - started_cpu) / n * 1e6
        interpreter_lat = await decide_latencies(interpreted, inputs, n)
        regopy_lat = await decide_latencies(regopy_engine, inputs, n)
        trivial_lat = await decide_latencies(trivial, inputs, n)
        eval_lat = call_latencies(regorus.evaluate, inputs, n)
        opa_lat = call_latencies(lambda doc: opa_document(opa, ENTRYPOINT, doc), inputs, n)
        await decide_latencies(cached, inputs, len(inputs))  # fill the cache once
        cached_lat = await decide_latencies(cached, inputs, n)
        trivial.close()
    samples_agree = agreement(samples, regorus, regopy_engine, opa)
    generated_agree = agreement(drawn, regorus, regopy_engine, opa)
    mix = RegorusEngine(POLICIES, watch=False, timeout_ms=10_000)
    traffic = traffic_mix(minutes=10)
    await decide_latencies(mix, traffic, len(traffic))
    hit_ratio = mix.cache.hits / (mix.cache.hits + mix.cache.misses)
    for engine in (regorus, interpreted, regopy_engine, cached, mix):
        engine.close()
    opa.close()
    p50 = statistics.median(real)
    return {
        "benchmark": "policy",
        "engine": "regorus (compiled program)" if regorus.program_in_use else "regorus (interpreter)",
        "inputs": len(inputs),
        "samples": len(samples),
        "generated": len(drawn),
        "decisions": n,
        "p50_us": round(p50, 1),
        "p99_us": round(percentile(real, 0.99), 1),
        "cpu_us_per_decision": round(cpu_per_decision, 1),
        "cpu_p50_us": round(statistics.median(real_cpu), 1),
        "cpu_p99_us": round(percentile(real_cpu, 0.99), 1),
        "eval_p50_us": round(statistics.median(eval_lat), 1),
        "interpreter_p50_us": round(statistics.median(interpreter_lat), 1),
        "interpreter_p99_us": round(percentile(interpreter_lat, 0.99), 1),
        "regopy_p50_us": round(statistics.median(regopy_lat), 1),
        "regopy_p99_us": round(percentile(regopy_lat, 0.99), 1),
        "opa_p50_us": round(statistics.median(opa_lat), 1),
        "opa_p99_us": round(percentile(opa_lat, 0.99), 1),
        "cached_p50_us": round(statistics.median(cached_lat), 1),
        "trivial_p50_us": round(statistics.median(trivial_lat), 1),
        "ratio_to_trivial": round(p50 / statistics.median(trivial_lat), 2),
        "regopy_ratio": round(statistics.median(regopy_lat) / p50, 2),
        "opa_ratio": round(statistics.median(opa_lat) / p50, 2),
        "samples_agree": samples_agree,
        "generated_agree": generated_agree,
        "cache_hit_ratio": round(hit_ratio, 4),
        "cache_traffic_decisions": len(traffic),
        "load_average_1m": round(os.getloadavg()[0], 2),
        "target_p50_us": 150,
        "target_p99_us": 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true", help="Print one JSON object.")
    parser.add_argument(
        "--decisions", type=int, default=2000, help="Decisions timed one at a time per engine."
    )
    parser.add_argument("--generated", type=int, default=1000, help="Generated inputs besides the samples.")
    args = parser.parse_args()
    result = asyncio.run(measure(args.decisions, args.generated))
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:26} {value}")


if __name__ == "__main__":
    main()
