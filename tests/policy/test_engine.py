"""The embedded engines (regorus, regopy): revision hash, reload (explicit and on file change), failures are
errors, never allows; the regorus program is used only where it agrees with the interpreter."""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gateway.policy.actions import ACTION_RESOURCES
from gateway.policy.bundle import load_bundle
from gateway.policy.cache import DecisionCache, cache_key
from gateway.policy.decision import Decision, Obligations
from gateway.policy.engine import PolicyEngineError
from gateway.policy.factory import build_policy_engine
from gateway.policy.input import utc_now
from gateway.policy.opa_engine import OPAEngine
from gateway.policy.rego_engine import RegoEngine, entrypoint_path
from gateway.policy.regorus_engine import RegorusEngine
from gateway.settings import PolicySettings
from tests.policy.conftest import POLICIES, decision_input, principal

LA = principal("la-202", "la", ["safeguarding-officer"], la_code=202)
ALLOWED = decision_input(
    LA,
    "pupils.list",
    "pupil_list",
    agreement="la-safeguarding",
    purpose="child-protection-enquiry",
    reason="Section 47 enquiry, case ref CP-2026-0112",
)


ENGINES = [RegorusEngine, RegoEngine]
Engine = type[RegorusEngine] | type[RegoEngine]


@pytest.fixture
def bundle_copy(tmp_path: Path) -> Path:
    target = tmp_path / "policies"
    shutil.copytree(POLICIES, target)
    return target


def write_module(root: Path, text: str) -> None:
    for path in root.rglob("*.rego"):
        path.unlink()
    (root / "gateway").mkdir(exist_ok=True)
    (root / "gateway" / "decision.rego").write_text(text)


def test_revision_is_stable_and_ignores_tests_samples_and_other_files(bundle_copy: Path) -> None:
    before = load_bundle(bundle_copy).revision
    (bundle_copy / "gateway" / "decision_test.rego").write_text("package gateway_test\n")
    (bundle_copy / "samples" / "extra.json").write_text("{}")
    # As in an OPA bundle, only files named data.json are data.
    (bundle_copy / "data" / "notes.json").write_text('{"x": 1}')
    assert load_bundle(bundle_copy).revision == before == load_bundle(POLICIES).revision


def test_revision_changes_when_data_changes(bundle_copy: Path) -> None:
    before = load_bundle(bundle_copy).revision
    path = bundle_copy / "data" / "agreements" / "data.json"
    data = json.loads(path.read_text())
    data["dwp-dea-s35"]["row_cap"] = 99
    path.write_text(json.dumps(data))
    assert load_bundle(bundle_copy).revision != before


def test_data_files_are_laid_out_by_directory() -> None:
    assert sorted(load_bundle(POLICIES).data["data"]) == [
        "actions", "agreements", "disclosure_profiles", "granularity_rank", "legal_gateways", "roles",
    ]  # fmt: skip


def test_python_action_table_mirrors_the_policy_data() -> None:
    actions = load_bundle(POLICIES).data["data"]["actions"]
    assert {a: d["resource"] for a, d in actions.items()} == ACTION_RESOURCES


def test_entrypoint_path() -> None:
    assert entrypoint_path("data.gateway.decision") == "gateway/decision"
    with pytest.raises(ValueError, match="data reference"):
        entrypoint_path("gateway.decision")


async def test_every_decision_carries_the_bundle_revision_and_engine(
    regorus_engine: RegorusEngine, rego_engine: RegoEngine
) -> None:
    decisions = [await regorus_engine.decide(ALLOWED), await rego_engine.decide(ALLOWED)]
    revision = load_bundle(POLICIES).revision
    assert [(d.allow, d.revision, d.engine) for d in decisions] == [
        (True, revision, "regorus"),
        (True, revision, "regopy"),
    ]


@pytest.mark.parametrize("engine_class", ENGINES)
async def test_reload_picks_up_an_edit(engine_class: Engine, bundle_copy: Path) -> None:
    engine = engine_class(bundle_copy, watch=False)
    path = bundle_copy / "data" / "agreements" / "data.json"
    data = json.loads(path.read_text())
    data["la-safeguarding"]["valid_to"] = "2025-12-31"
    path.write_text(json.dumps(data))
    before = engine.revision
    revision = await engine.reload()
    decision = await engine.decide(ALLOWED)
    assert revision != before
    assert (decision.allow, decision.reason_codes, decision.revision) == (
        False,
        ["DENY_AGREEMENT_EXPIRED"],
        revision,
    )
    engine.close()


@pytest.mark.parametrize("engine_class", ENGINES)
async def test_file_change_is_noticed_without_a_reload_call(engine_class: Engine, bundle_copy: Path) -> None:
    engine = engine_class(bundle_copy, watch=True, watch_interval_s=0.0)
    path = bundle_copy / "data" / "roles" / "data.json"
    data = json.loads(path.read_text())
    data["safeguarding-officer"]["actions"].remove("pupils.list")
    path.write_text(json.dumps(data))
    decision = await engine.decide(ALLOWED)
    assert decision.reason_codes == ["DENY_ROLE"]
    engine.close()


@pytest.mark.parametrize("engine_class", ENGINES)
async def test_a_broken_edit_keeps_the_running_bundle(engine_class: Engine, bundle_copy: Path) -> None:
    engine = engine_class(bundle_copy, watch=True, watch_interval_s=0.0)
    before = engine.revision
    (bundle_copy / "gateway" / "scope.rego").write_text("package gateway\n\nthis is not rego\n")
    with pytest.raises(PolicyEngineError, match="does not compile"):
        await engine.reload()
    decision = await engine.decide(ALLOWED)  # the watcher tries too, and keeps the old bundle
    assert (decision.allow, decision.revision) == (True, before)
    engine.close()


@pytest.mark.parametrize("engine_class", ENGINES)
def test_a_bundle_that_does_not_compile_refuses_to_start(engine_class: Engine, bundle_copy: Path) -> None:
    write_module(bundle_copy, "package gateway\n\ndecision := {\n")
    with pytest.raises(PolicyEngineError, match="does not compile"):
        engine_class(bundle_copy)


@pytest.mark.parametrize("engine_class", ENGINES)
async def test_an_undefined_decision_is_an_error(engine_class: Engine, bundle_copy: Path) -> None:
    write_module(bundle_copy, 'package gateway\n\ndecision := {"allow": true} if input.action == "never"\n')
    engine = engine_class(bundle_copy, watch=False)
    with pytest.raises(PolicyEngineError, match="undefined"):
        await engine.decide(ALLOWED)
    engine.close()


@pytest.mark.parametrize("engine_class", ENGINES)
async def test_an_allow_without_obligations_is_an_error(engine_class: Engine, bundle_copy: Path) -> None:
    write_module(
        bundle_copy,
        'package gateway\n\ndecision := {"allow": true, "reasons": [{"code": "X", "message": "m"}]}\n',
    )
    engine = engine_class(bundle_copy, watch=False)
    with pytest.raises(PolicyEngineError, match="no obligations"):
        await engine.decide(ALLOWED)
    engine.close()


@pytest.mark.parametrize("engine_class", ENGINES)
async def test_a_slow_decision_times_out(engine_class: Engine, bundle_copy: Path) -> None:
    write_module(
        bundle_copy,
        "package gateway\n\n"
        'decision := {"allow": false, "reasons": [{"code": "SLOW", "message": sprintf("%v", [n])}]} if {\n'
        "\tn := count([x | some x in numbers.range(1, 30000); x % 7 == 0])\n}\n",
    )
    engine = engine_class(bundle_copy, watch=False, timeout_ms=5)
    with pytest.raises(PolicyEngineError, match="longer than 5 ms"):
        await engine.decide(ALLOWED)
    engine.close()


async def test_concurrent_decisions_agree(regorus_engine: RegorusEngine) -> None:
    other = {**ALLOWED, "request": {**ALLOWED["request"], "la_code": 330}}
    decisions = await asyncio.gather(*(regorus_engine.decide(ALLOWED if i % 2 else other) for i in range(40)))
    assert {d.allow for d in decisions[1::2]} == {True}
    assert {tuple(d.reason_codes) for d in decisions[0::2]} == {("DENY_SCOPE_OUTSIDE_PRINCIPAL",)}


def test_settings_choose_the_engine() -> None:
    default = build_policy_engine(PolicySettings(bundle_dir=POLICIES, watch=False))
    interpreted = build_policy_engine(
        PolicySettings(bundle_dir=POLICIES, watch=False, compiled_program=False)
    )
    regopy_engines = [
        build_policy_engine(PolicySettings(engine=name, bundle_dir=POLICIES, watch=False))
        for name in ("regopy", "rego")
    ]
    opa = build_policy_engine(
        PolicySettings(engine="opa", bundle_dir=POLICIES, opa_url="http://opa:8181", opa_push_bundle=True)
    )
    assert isinstance(default, RegorusEngine)
    assert isinstance(interpreted, RegorusEngine)
    assert (default.program_in_use, interpreted.program_in_use) == (True, False)
    assert [e.name for e in regopy_engines] == ["regopy", "regopy"]
    assert isinstance(opa, OPAEngine)
    assert (opa.host, opa.port, opa.push_bundle, opa.revision) == ("opa", 8181, True, default.revision)
    for engine in (default, interpreted, *regopy_engines):
        engine.close()


@pytest.mark.parametrize("engine_class", ENGINES)
async def test_equal_inputs_share_one_evaluation(engine_class: Engine, bundle_copy: Path) -> None:
    engine = engine_class(bundle_copy, watch=False, cache_entries=8)
    first = await engine.decide(ALLOWED)
    second = await engine.decide(json.loads(json.dumps(ALLOWED)))
    other = await engine.decide({**ALLOWED, "now": "2026-01-12T09:31:00Z"})
    assert second == first
    assert other.revision == first.revision
    assert (engine.cache.hits, engine.cache.misses) == (1, 2)
    engine.close()


@pytest.mark.parametrize("engine_class", ENGINES)
async def test_a_reload_empties_the_cache(engine_class: Engine, bundle_copy: Path) -> None:
    engine = engine_class(bundle_copy, watch=False)
    await engine.decide(ALLOWED)
    path = bundle_copy / "data" / "agreements" / "data.json"
    data = json.loads(path.read_text())
    data["la-safeguarding"]["valid_to"] = "2025-12-31"
    path.write_text(json.dumps(data))
    await engine.reload()
    assert len(engine.cache) == 0
    assert (await engine.decide(ALLOWED)).reason_codes == ["DENY_AGREEMENT_EXPIRED"]
    engine.close()


def test_the_cache_keeps_the_most_recent_entries() -> None:
    cache = DecisionCache(2)
    decisions = [Decision(True, (), Obligations(), f"r{i}", "rego") for i in range(3)]
    for i, decision in enumerate(decisions):
        cache.put(f"k{i}".encode(), decision)
    assert (cache.get(b"k0"), cache.get(b"k1"), cache.get(b"k2")) == (None, decisions[1], decisions[2])


def test_an_input_with_a_key_json_cannot_hold_is_never_cached() -> None:
    # JSON would make 1 and "1" the same key, and so two different inputs one cache entry.
    assert cache_key("rev", {1: "a"}) is None
    assert cache_key("rev", {"1": "a"}) == b'rev\x00{"1":"a"}'


async def test_changing_a_cached_decision_does_not_change_the_next(regorus_engine: RegorusEngine) -> None:
    sample = json.loads((POLICIES / "samples" / "research-extract.json").read_text())["input"]
    first = await regorus_engine.decide(sample)
    assert first.obligations.disclosure_profile is not None
    first.obligations.disclosure_profile["threshold"] = 0
    first.obligations.generalisations.clear()
    again = await regorus_engine.decide(sample)
    assert again.obligations.disclosure_profile is not None
    assert again.obligations.disclosure_profile["threshold"] == 10
    assert again.obligations.generalisations == {"date_of_birth": "month", "ethnicity": "major"}


def test_the_decision_time_is_given_to_the_minute() -> None:
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:00Z", utc_now())


def test_regopy_and_a_later_cxx_extension_live_in_one_process() -> None:
    # regopy exports its own operator new/delete; without gateway.policy.cxx_runtime loading the C++
    # runtime first, importing highspy afterwards aborts the process ("free(): invalid pointer").
    # highspy may print a banner of its own; what matters is that the process survives to the marker.
    marker = "regopy-and-highspy-survived"
    code = f"import gateway.policy.rego_engine, highspy; highspy.Highs(); print({marker!r})"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0
    assert result.stdout.splitlines()[-1] == marker
