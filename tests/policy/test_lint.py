"""The policy lint: OPA's compiler, strict mode's unused locals and imports, and the project's own rules."""

from __future__ import annotations

import json
from pathlib import Path

from gateway.policy.bundle import load_bundle
from gateway.policy.lint import data_findings, lint_bundle
from tests.policy.conftest import POLICIES

HEADER = "# METADATA\n# title: Tiny\npackage gateway\n\nimport rego.v1\n\n"
DECISION = (
    "# METADATA\n# title: Default deny\n# custom:\n#   statute: rule G-1\n"
    'default decision := {"allow": false}\n\ndefault allow := false\n\n'
)


def findings_for(tmp_path: Path, body: str, *, with_opa: bool = False) -> list[str]:
    (tmp_path / "gateway").mkdir()
    (tmp_path / "gateway" / "decision.rego").write_text(HEADER + DECISION + body)
    return [str(f) for f in lint_bundle(load_bundle(tmp_path), with_opa=with_opa)]


def test_the_real_bundle_is_clean() -> None:
    assert lint_bundle(load_bundle(POLICIES)) == []


def test_a_clean_tiny_bundle_is_clean(tmp_path: Path) -> None:
    body = '# METADATA\n# title: Allowed\n# custom:\n#   statute: rule G-2\ndecision := {"allow": true} if allow\n'
    assert findings_for(tmp_path, body, with_opa=True) == []


def test_an_unused_local_assignment_is_reported(tmp_path: Path) -> None:
    assert findings_for(tmp_path, "allow if {\n\tunused := input.x\n\tinput.y\n}\n") == [
        "gateway/decision.rego:16: unused local assignment unused"
    ]


def test_an_unused_import_is_reported(tmp_path: Path) -> None:
    (tmp_path / "gateway").mkdir()
    (tmp_path / "gateway" / "decision.rego").write_text(HEADER + "import data.roles\n\n" + DECISION)
    assert [str(f) for f in lint_bundle(load_bundle(tmp_path), with_opa=False)] == [
        "gateway/decision.rego:7: unused import data.roles"
    ]


def test_a_negated_membership_is_reported(tmp_path: Path) -> None:
    assert findings_for(tmp_path, 'allow if not input.action in ["read"]\n') == [
        "gateway/decision.rego:15: negated call: name the condition in a rule"
    ]


def test_a_decision_rule_without_metadata_is_reported(tmp_path: Path) -> None:
    assert findings_for(tmp_path, 'decision := {"allow": true} if allow\n') == [
        "gateway/decision.rego:15: decision has no METADATA title and custom.statute"
    ]


def test_a_decision_rule_without_a_default_is_reported(tmp_path: Path) -> None:
    (tmp_path / "gateway").mkdir()
    (tmp_path / "gateway" / "decision.rego").write_text(HEADER + "allow if input.ok\n")
    assert [str(f) for f in lint_bundle(load_bundle(tmp_path), with_opa=False)] == [
        "gateway/decision.rego:7: decision rule allow has no default"
    ]


def test_a_call_outside_the_bundle_is_reported(tmp_path: Path) -> None:
    body = 'allow if http.send({"method": "GET", "url": "http://127.0.0.1:9"}).status_code == 200\n'
    assert findings_for(tmp_path, body) == [
        "gateway/decision.rego:15: http.send is not allowed in a decision"
    ]


def test_a_package_without_a_title_is_reported(tmp_path: Path) -> None:
    (tmp_path / "gateway").mkdir()
    (tmp_path / "gateway" / "decision.rego").write_text(
        HEADER.removeprefix("# METADATA\n# title: Tiny\n") + DECISION
    )
    assert [str(f) for f in lint_bundle(load_bundle(tmp_path), with_opa=False)] == [
        "gateway/decision.rego:1: the package has no METADATA title"
    ]


def test_opa_compile_errors_are_reported(tmp_path: Path) -> None:
    findings = findings_for(tmp_path, "allow if count(1) > 0\n", with_opa=True)
    assert len(findings) == 1
    assert findings[0].startswith("(bundle):0: OPA does not compile the bundle:")
    assert "count: invalid argument(s)" in findings[0]


def _bundle_with_profiles(tmp_path: Path, profiles: object) -> list[str]:
    """A clean tiny bundle whose policy data holds `profiles` as its disclosure profiles."""
    (tmp_path / "data" / "disclosure_profiles").mkdir(parents=True)
    (tmp_path / "data" / "disclosure_profiles" / "data.json").write_text(json.dumps(profiles))
    return findings_for(tmp_path, "")


def _shipped_profiles() -> dict[str, dict[str, object]]:
    shipped: dict[str, dict[str, object]] = json.loads(
        (POLICIES / "data" / "disclosure_profiles" / "data.json").read_text()
    )
    return shipped


def test_a_disclosure_profile_without_the_comparator_minimum_is_reported(tmp_path: Path) -> None:
    profiles = _shipped_profiles()
    del profiles["school-benchmark"]["min_comparator_schools"]
    assert _bundle_with_profiles(tmp_path, profiles) == [
        "data/disclosure_profiles:0: profile school-benchmark: disclosure profile keys:"
        " missing ['min_comparator_schools'], unexpected []"
    ]


def test_a_disclosure_profile_filed_under_another_name_is_reported(tmp_path: Path) -> None:
    profiles = {"renamed": _shipped_profiles()["published"]}
    assert _bundle_with_profiles(tmp_path, profiles) == [
        "data/disclosure_profiles:0: profile renamed: its name is 'published'"
    ]


def test_a_disclosure_profile_that_is_not_an_object_is_reported(tmp_path: Path) -> None:
    assert _bundle_with_profiles(tmp_path, {"published": 10}) == [
        "data/disclosure_profiles:0: profile published: must be an object"
    ]


def test_disclosure_profiles_that_are_not_an_object_are_reported() -> None:
    assert [str(f) for f in data_findings({"data": {"disclosure_profiles": ["published"]}})] == [
        "data/disclosure_profiles:0: disclosure_profiles must be an object of profiles"
    ]
