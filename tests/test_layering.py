"""The house's layering, checked over the import graph: stages know nothing of HTTP, the edge, the API or the
CLI; privacy is pure; migrations import no live code; no file in gateway/ is over 450 lines."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

GATEWAY = Path(__file__).resolve().parent.parent / "gateway"
MAX_LINES = 450
# What a stage may never import: the HTTP edge and the layers above it.
ABOVE_THE_STAGES = (
    "gateway.edge",
    "gateway.api",
    "gateway.app",
    "gateway.services",
    "gateway.cli",
    "gateway.reidentify",
    "gateway.demo",
    "gateway.console",
    "litestar",
)
STAGES = ("auth", "policy", "privacy", "store", "audit")
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "auth": (*ABOVE_THE_STAGES, "gateway.policy", "gateway.audit"),
    "policy": (*ABOVE_THE_STAGES, "gateway.audit"),
    "privacy": (
        *ABOVE_THE_STAGES,
        "gateway.audit",
        "gateway.db",
        "gateway.store",
        "gateway.ingest",
        "psycopg",
        "psycopg_pool",
        "sqlalchemy",
        "alembic",
        "httpx",
    ),
    "store": ABOVE_THE_STAGES,
    "audit": ABOVE_THE_STAGES,
}


def imported_modules(path: Path, root: Path = GATEWAY.parent) -> set[str]:
    """Every module a file imports, at the top or inside a function (relative imports resolved)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = ".".join(path.relative_to(root).with_suffix("").parts[:-1])
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def _violates(module: str, forbidden: tuple[str, ...]) -> bool:
    return any(module == f or module.startswith(f + ".") for f in forbidden)


def _stage_files(stage: str) -> list[Path]:
    # A stage's own `cli.py` is a command line, not the stage: it may read settings and print, but the
    # import rules hold for it too (it must not reach up into the top-level CLI).
    return sorted((GATEWAY / stage).rglob("*.py"))


@pytest.mark.parametrize("stage", STAGES)
def test_stage_imports_nothing_above_it(stage: str) -> None:
    files = _stage_files(stage)
    assert files, f"no modules in gateway/{stage}"
    bad = {
        f"{path.relative_to(GATEWAY.parent)} imports {module}"
        for path in files
        for module in imported_modules(path)
        if _violates(module, FORBIDDEN[stage])
    }
    assert sorted(bad) == []


def test_the_checker_sees_a_forbidden_import(tmp_path: Path) -> None:
    fake = tmp_path / "gateway" / "privacy" / "probe.py"
    fake.parent.mkdir(parents=True)
    fake.write_text("def f():\n    from gateway.audit.log import AuditLog\n    from ..edge import guard\n")
    modules = imported_modules(fake, root=tmp_path)
    assert _violates("gateway.audit.log", FORBIDDEN["privacy"])
    assert {"gateway.audit.log", "gateway.edge", "gateway.edge.guard"} <= modules


def test_migrations_import_no_gateway_module() -> None:
    """An old migration must do today what it did when written: no live reference data, no live code."""
    versions = sorted((GATEWAY / "db" / "migrations" / "versions").glob("*.py"))
    assert versions
    bad = {
        f"{path.name} imports {module}"
        for path in versions
        for module in imported_modules(path)
        if module == "gateway" or module.startswith("gateway.")
    }
    assert sorted(bad) == []


def test_no_file_in_gateway_is_over_450_lines() -> None:
    sizes = {
        str(p.relative_to(GATEWAY.parent)): len(p.read_text().splitlines()) for p in GATEWAY.rglob("*.py")
    }
    assert len(sizes) > 50
    assert {name: n for name, n in sizes.items() if n > MAX_LINES} == {}
