"""Problem `type` URIs resolve to pages the gateway serves, and every kind raised in gateway/ has one."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

from litestar.testing import TestClient

from gateway.api.problem_types import PROBLEM_TYPES
from gateway.edge.problems import HTTP_KINDS
from gateway.edge.rate_limit import RATE_LIMITED

GATEWAY = Path(__file__).resolve().parents[2] / "gateway"
# Calls whose first string argument is the kind; `invalid(name, location, message, kind=...)` names it by
# keyword only.
POSITIONAL = {
    "ProblemError",
    "problem_response",
    "AuthError",
    "RegisterError",
    "ReassignError",
    "MergeError",
}  # the last three: data-management refusals, answered with their kind
# Kinds not spelled as a literal argument: the audit trail's own 503, Litestar's HTTP errors, the limiter.
INDIRECT = {"audit-unavailable", "http-error", RATE_LIMITED, *HTTP_KINDS.values()}


def _kinds_raised() -> set[str]:
    """The kinds given as literals to ProblemError, problem_response, AuthError and invalid(kind=...)."""
    found: set[str] = set()
    for path in GATEWAY.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            literals = [
                a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)
            ]
            if name in POSITIONAL and literals:
                found.add(literals[0])
            found.update(
                k.value.value
                for k in node.keywords
                if name == "invalid" and k.arg == "kind" and isinstance(k.value, ast.Constant)
            )
    return found


def test_every_kind_raised_has_a_page() -> None:
    raised = _kinds_raised() | INDIRECT
    assert sorted(raised - set(PROBLEM_TYPES)) == []
    assert sorted(set(PROBLEM_TYPES) - raised) == []  # no page for a kind nothing raises


def test_a_problems_type_resolves_to_its_page(client: TestClient[Any]) -> None:
    problem = client.get("/v1/me")
    page = client.get(problem.json()["type"])
    assert problem.json()["type"] == "/problems/missing-token"
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "<h1>Missing token</h1>" in page.text
    assert "HTTP status 401" in page.text


def test_the_index_links_every_type(client: TestClient[Any]) -> None:
    page = client.get("/problems")
    assert page.text.count('<li><a href="/problems/') == len(PROBLEM_TYPES)


def test_an_unknown_type_is_404(client: TestClient[Any]) -> None:
    response = client.get("/problems/no-such-kind")
    assert (response.status_code, response.json()["type"]) == (404, "/problems/not-found")
