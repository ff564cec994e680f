"""OPA's own evaluator (Go, v1/rego) in process, through the opa-golib-python-bindings wheel.

The reference for what the policies mean: the tests hold every engine to it, `gateway policies test` runs
the Rego tests and reports coverage with it, and the OPA server the tests stand up evaluates with it. The
wheel is a development dependency (the Makefile installs it); nothing in the request path imports this.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from gateway.policy.bundle import PolicyBundle
from gateway.policy.engine import PolicyEngineError

OPA_VERSION = "1.20.2"  # the OPA release the bridge wheel (0.4.4) embeds; docker-compose runs the same
TEST_RULE = re.compile(r"^(test_\w+) if\b", re.MULTILINE)
TEST_PACKAGE = re.compile(r"^package ([\w.]+)", re.MULTILINE)


def opa_evaluator(modules: dict[str, str], data: dict[str, Any]) -> Any:
    """An OPA engine holding the modules and the data document (raises PolicyEngineError if they do not compile)."""
    from opa_bindings import OpaEngine, OpaError

    engine = OpaEngine()
    try:
        for name, text in sorted(modules.items()):
            engine.add_policy(name, text)
        engine.add_data(data)
        engine.eval_query("true")  # compiles everything now, so a bad module is reported here
    except OpaError as exc:
        engine.close()
        raise PolicyEngineError(f"OPA does not compile the bundle: {exc.message[:2000]}") from exc
    return engine


def opa_document(engine: Any, entrypoint: str, policy_input: Any) -> Any:
    """The entrypoint's value by OPA, or PolicyEngineError for an error or an undefined document."""
    from opa_bindings import OpaError, OpaUndefinedError

    try:
        return engine.eval_document(entrypoint.removeprefix("data."), policy_input)
    except OpaUndefinedError as exc:
        raise PolicyEngineError("the decision is undefined") from exc
    except OpaError as exc:
        raise PolicyEngineError("the policy raised an error") from exc


@dataclass(frozen=True, slots=True)
class RegoTestReport:
    """The Rego tests' results and OPA's line coverage of the policy modules (tests excluded)."""

    results: dict[str, bool]  # "package.test_name" -> passed
    covered_lines: int
    not_covered_lines: int
    not_covered: dict[str, list[tuple[int, int]]]  # module -> line ranges no test reached

    @property
    def coverage(self) -> float:
        total = self.covered_lines + self.not_covered_lines
        return 100.0 if total == 0 else 100.0 * self.covered_lines / total

    @property
    def failed(self) -> list[str]:
        return sorted(name for name, passed in self.results.items() if not passed)


def rego_tests(bundle: PolicyBundle, extra_modules: dict[str, str] | None = None) -> list[str]:
    """Every test rule of the bundle's test modules, as `package.test_name`."""
    names: list[str] = []
    for text in {**bundle.test_modules, **(extra_modules or {})}.values():
        package = TEST_PACKAGE.search(text)
        if package:
            names.extend(f"{package.group(1)}.{name}" for name in TEST_RULE.findall(text))
    return sorted(set(names))


def run_rego_tests(bundle: PolicyBundle, extra_modules: dict[str, str] | None = None) -> RegoTestReport:
    """Run each Rego test on OPA (as `opa test` would: a test passes when its rule is true) with coverage."""
    tests = {**bundle.test_modules, **(extra_modules or {})}
    engine = opa_evaluator({**bundle.modules, **tests}, bundle.data)
    results: dict[str, bool] = {}
    covered: dict[str, set[int]] = {}
    lines: dict[str, set[int]] = {}
    try:
        for name in rego_tests(bundle, extra_modules):
            try:
                results[name] = engine.eval_document(name, coverage=True) is True
            except Exception:  # undefined or an error: the test fails
                results[name] = False
            _add_coverage(engine.last_coverage, set(bundle.modules), covered, lines)
    finally:
        engine.close()
    missing = {module: _ranges(sorted(lines[module] - covered.get(module, set()))) for module in lines}
    covered_count = sum(len(v) for v in covered.values())
    total = sum(len(v) for v in lines.values())
    return RegoTestReport(
        results, covered_count, total - covered_count, {k: v for k, v in sorted(missing.items()) if v}
    )


def _add_coverage(
    report: Any, modules: set[str], covered: dict[str, set[int]], lines: dict[str, set[int]]
) -> None:
    """Merge one evaluation's coverage (policy modules only) into the running sets of line numbers."""
    for module, entry in ((report or {}).get("files") or {}).items():
        if module not in modules:
            continue
        for key, target in (("covered", covered), ("not_covered", lines)):
            for span in entry.get(key) or []:
                numbers = range(span["start"]["row"], span["end"]["row"] + 1)
                target.setdefault(module, set()).update(numbers)
                lines.setdefault(module, set()).update(numbers)


def _ranges(numbers: list[int]) -> list[tuple[int, int]]:
    ranges: list[tuple[int, int]] = []
    for n in numbers:
        if ranges and ranges[-1][1] == n - 1:
            ranges[-1] = (ranges[-1][0], n)
        else:
            ranges.append((n, n))
    return ranges
