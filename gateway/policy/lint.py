"""Lint for the policy bundle: OPA's compiler, its strict-mode checks, and the project's own rules.

OPA's compile errors (types, unsafe variables, deprecated built-ins, shadowed imports) come from OPA
itself through the bridge. The bridge offers no strict mode, so its two further checks are done here on
regorus' syntax tree, as `opa check --strict` defines them: every local assigned with `:=` is used, and
every import is used. Then the project's rules: no negation directly over a call or a membership test
(OPA binds the call's arguments outside the `not`, so an undefined argument makes the whole expression
undefined where other engines call it true); a default for every decision rule; no built-in that reaches
outside the bundle or depends on when it runs; and a METADATA block with a title and the statute it
encodes (custom.statute) above each definition of a decision rule and at the top of each module. And the
policy data: every disclosure profile has exactly the keys the privacy stage reads, each valid (a profile
missing `min_comparator_schools`, say, is a finding here and a refused release at the edge).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import orjson
import yaml

from gateway.policy.bundle import PolicyBundle
from gateway.privacy.disclosure import DisclosureError, DisclosureProfile

PROFILES_FILE = "data/disclosure_profiles"

DECISION_RULES = frozenset({"decision", "allow_reason", "obligations", "deny"})
NEEDS_DEFAULT = frozenset({"decision", "allow"})
FORBIDDEN_CALLS = frozenset(
    {
        "http.send",
        "json.match_schema",
        "opa.runtime",
        "time.now_ns",
        "rand.intn",
        "uuid.rfc4122",
        "net.lookup_ip_addr",
    }
)
METADATA_LINE = re.compile(r"^# ?(.*)$")


@dataclass(frozen=True, slots=True, order=True)
class Finding:
    module: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.module}:{self.line}: {self.message}"


def lint_bundle(bundle: PolicyBundle, *, with_opa: bool = True) -> list[Finding]:
    """Every finding for the bundle's modules and tests (tests get the compiler and strict checks only)."""
    import regorus

    findings: list[Finding] = []
    if with_opa:
        findings += opa_compile_findings({**bundle.modules, **bundle.test_modules}, bundle.data)
    for name, text in sorted({**bundle.modules, **bundle.test_modules}.items()):
        engine = regorus.Engine()
        try:
            engine.add_policy(name, text)
        except RuntimeError as exc:
            findings.append(Finding(name, 1, f"does not parse: {str(exc).strip()[:300]}"))
            continue
        module = orjson.loads(engine.get_ast_as_json())[0]["ast"]
        findings += strict_findings(name, text, module)
        if name in bundle.modules:
            findings += project_findings(name, text, module)
    findings += data_findings(bundle.data)
    return sorted(findings)


def data_findings(data: dict[str, Any]) -> list[Finding]:
    """Each disclosure profile in the policy data, read as the privacy stage reads it."""
    profiles = data.get("data", {}).get("disclosure_profiles", {})
    if not isinstance(profiles, dict):
        return [Finding(PROFILES_FILE, 0, "disclosure_profiles must be an object of profiles")]
    findings = []
    for key, profile in sorted(profiles.items()):
        if not isinstance(profile, dict):
            findings.append(Finding(PROFILES_FILE, 0, f"profile {key}: must be an object"))
            continue
        try:
            parsed = DisclosureProfile.from_policy(profile)
        except DisclosureError as exc:
            findings.append(Finding(PROFILES_FILE, 0, f"profile {key}: {exc}"))
            continue
        if parsed.name != key:
            findings.append(Finding(PROFILES_FILE, 0, f"profile {key}: its name is {parsed.name!r}"))
    return findings


def opa_compile_findings(modules: dict[str, str], data: dict[str, Any]) -> list[Finding]:
    from gateway.policy.engine import PolicyEngineError
    from gateway.policy.opa_bridge import opa_evaluator

    try:
        opa_evaluator(modules, data).close()
    except PolicyEngineError as exc:
        return [Finding("(bundle)", 0, str(exc))]
    return []


def strict_findings(name: str, text: str, module: dict[str, Any]) -> list[Finding]:
    """OPA strict mode's unused local assignments and unused imports."""
    findings = []
    used = {v for rule in module["rules"] for v, _ in _vars(rule)}
    for entry in module["imports"]:
        path = _ref_path(entry["refr"])
        if path[:1] == ["rego"] or path[:1] == ["future"]:
            continue
        alias = text[entry["as"]["start"] : entry["as"]["end"]] if entry.get("as") else path[-1]
        if alias not in used:
            findings.append(Finding(name, entry["span"]["line"], f"unused import {'.'.join(path)}"))
    for rule in module["rules"]:
        uses: dict[str, int] = {}
        for var, _ in _vars(rule):
            uses[var] = uses.get(var, 0) + 1
        for var, line in _assigned(rule):
            if not var.startswith("_") and uses.get(var, 0) <= 1:
                findings.append(Finding(name, line, f"unused local assignment {var}"))
    return findings


def project_findings(name: str, text: str, module: dict[str, Any]) -> list[Finding]:
    lines = text.splitlines()
    findings = []
    if not _metadata_title(_metadata_above(lines, module["package"]["span"]["line"])):
        findings.append(Finding(name, module["package"]["span"]["line"], "the package has no METADATA title"))
    defaults = {_rule_name(rule) for rule in module["rules"] if "Default" in rule}
    for rule in module["rules"]:
        rule_name, line = _rule_name(rule), _rule_line(rule)
        if rule_name in NEEDS_DEFAULT and rule_name not in defaults:
            findings.append(Finding(name, line, f"decision rule {rule_name} has no default"))
        if rule_name in DECISION_RULES and "Spec" in rule:
            metadata = _metadata_above(lines, line)
            if not _metadata_title(metadata) or not isinstance(
                (metadata.get("custom") or {}).get("statute"), str
            ):
                findings.append(Finding(name, line, f"{rule_name} has no METADATA title and custom.statute"))
        for node in _nodes(rule):
            if "NotExpr" in node and any(
                "Call" in n or "Membership" in n for n in _nodes(node["NotExpr"]["expr"])
            ):
                findings.append(
                    Finding(
                        name, node["NotExpr"]["span"]["line"], "negated call: name the condition in a rule"
                    )
                )
            if "Call" in node and ".".join(_ref_path(node["Call"]["fcn"])) in FORBIDDEN_CALLS:
                called = ".".join(_ref_path(node["Call"]["fcn"]))
                findings.append(
                    Finding(name, node["Call"]["span"]["line"], f"{called} is not allowed in a decision")
                )
    return findings


def _nodes(node: Any) -> Iterator[dict[str, Any]]:
    """Every syntax-tree object under (and including) `node`."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _nodes(value)
    elif isinstance(node, list):
        for value in node:
            yield from _nodes(value)


def _vars(node: Any) -> Iterator[tuple[str, int]]:
    for n in _nodes(node):
        var = n.get("Var")
        if isinstance(var, dict) and isinstance(var.get("value"), str):
            yield var["value"], var["span"]["line"]


def _assigned(rule: dict[str, Any]) -> Iterator[tuple[str, int]]:
    """Locals bound by `:=` in the rule's bodies (each is one use of its variable)."""
    for n in _nodes(rule.get("Spec", {}).get("bodies", [])):
        assign = n.get("AssignExpr")
        if isinstance(assign, dict) and assign.get("op") == "ColEq":
            yield from _vars(assign["lhs"])


def _ref_path(ref: dict[str, Any]) -> list[str]:
    if "Var" in ref:
        return [ref["Var"]["value"]]
    if "RefDot" in ref:
        return [*_ref_path(ref["RefDot"]["refr"]), ref["RefDot"]["field"][1]]
    return ["?"]


def _head(rule: dict[str, Any]) -> dict[str, Any]:
    if "Default" in rule:
        return dict(rule["Default"])
    head = rule["Spec"]["head"]
    return dict(next(iter(head.values())))


def _rule_name(rule: dict[str, Any]) -> str:
    return _ref_path(_head(rule)["refr"])[0]


def _rule_line(rule: dict[str, Any]) -> int:
    return int(next(iter(rule.values()))["span"]["line"])


def _metadata_above(lines: list[str], line: int) -> dict[str, Any]:
    """The METADATA block (as YAML) in the comment lines directly above a 1-based line, or {}."""
    start = line - 1
    while start > 0 and lines[start - 1].startswith("#"):
        start -= 1
    block = lines[start : line - 1]
    if not block or block[0].strip() != "# METADATA":
        return {}
    body = "\n".join(m.group(1) for m in (METADATA_LINE.match(x) for x in block[1:]) if m)
    try:
        parsed = yaml.safe_load(body)
    except yaml.YAMLError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


def _metadata_title(metadata: dict[str, Any]) -> bool:
    return isinstance(metadata.get("title"), str) and bool(metadata["title"].strip())
