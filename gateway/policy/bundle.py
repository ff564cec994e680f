"""The policy bundle on disk: which files it holds, their data document, and its revision hash."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DATA_FILE = "data.json"  # as in an OPA bundle: only files of this name are data
SKIPPED_DIRS = frozenset({"samples"})  # golden samples are test material, not policy


@dataclass(frozen=True, slots=True)
class PolicyBundle:
    """The modules and data of one bundle directory, read at one moment."""

    root: Path
    modules: dict[str, str]  # path relative to root -> Rego source (tests excluded)
    test_modules: dict[str, str]
    data: dict[str, Any]  # merged base document, laid out as OPA lays out a directory of data files
    revision: str
    mtimes: dict[str, int]


def bundle_files(root: Path) -> list[Path]:
    """Every file that belongs to the bundle, in a stable order."""
    files = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if not path.is_file() or rel.parts[0] in SKIPPED_DIRS or any(p.startswith(".") for p in rel.parts):
            continue
        if path.suffix == ".rego" or path.name == DATA_FILE:
            files.append(path)
    return files


def file_mtimes(root: Path) -> dict[str, int]:
    return {str(p.relative_to(root)): p.stat().st_mtime_ns for p in bundle_files(root)}


def load_bundle(root: Path) -> PolicyBundle:
    """Read the bundle. A data file at a/b/data.json is merged under data.a.b, as OPA lays out a bundle."""
    modules: dict[str, str] = {}
    tests: dict[str, str] = {}
    data: dict[str, Any] = {}
    digest = hashlib.sha256()
    mtimes: dict[str, int] = {}
    for path in bundle_files(root):
        rel = path.relative_to(root)
        raw = path.read_bytes()
        mtimes[str(rel)] = path.stat().st_mtime_ns
        if not rel.name.endswith("_test.rego"):
            # The revision covers what decides (modules and data), so editing a test does not change it.
            digest.update(str(rel).encode() + b"\0" + hashlib.sha256(raw).digest())
        if path.suffix == ".rego":
            (tests if rel.name.endswith("_test.rego") else modules)[str(rel)] = raw.decode()
            continue
        document = json.loads(raw)
        if not isinstance(document, dict):
            raise ValueError(f"policy data file {rel} must hold a JSON object")
        node = data
        for part in rel.parent.parts:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                raise ValueError(
                    f"policy data file {rel} is under {part}, which another data file defines as a value"
                )
        _merge(node, document, str(rel))
    return PolicyBundle(root, modules, tests, data, digest.hexdigest(), mtimes)


def _merge(target: dict[str, Any], source: dict[str, Any], origin: str) -> None:
    for key, value in source.items():
        if key in target:
            if isinstance(target[key], dict) and isinstance(value, dict):
                _merge(target[key], value, origin)
                continue
            raise ValueError(f"policy data file {origin} redefines {key}")
        target[key] = value
