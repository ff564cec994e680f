"""The policy lint on a module regorus cannot parse, a METADATA block that is not YAML, a bracketed rule head."""

from __future__ import annotations

from pathlib import Path

from gateway.policy.bundle import load_bundle
from gateway.policy.lint import lint_bundle
from tests.policy.test_lint import DECISION, HEADER, findings_for


def _lint(tmp_path: Path, text: str) -> list[str]:
    (tmp_path / "gateway").mkdir()
    (tmp_path / "gateway" / "decision.rego").write_text(text)
    return [str(f) for f in lint_bundle(load_bundle(tmp_path), with_opa=False)]


def test_a_module_that_does_not_parse_is_one_finding_on_its_first_line(tmp_path: Path) -> None:
    findings = _lint(tmp_path, HEADER + "allow if {\n")
    assert len(findings) == 1
    assert findings[0].startswith("gateway/decision.rego:1: does not parse: ")


def test_a_metadata_block_that_is_not_yaml_gives_no_title(tmp_path: Path) -> None:
    header = HEADER.replace("# title: Tiny", "# title: [unclosed")
    assert _lint(tmp_path, header + DECISION) == [
        "gateway/decision.rego:3: the package has no METADATA title"
    ]


def test_a_rule_with_a_bracketed_head_gets_no_finding_by_name(tmp_path: Path) -> None:
    assert findings_for(tmp_path, 'tally["schools"] := 1\n') == []
