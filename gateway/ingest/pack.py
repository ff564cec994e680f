"""`gateway feed check --pack DIR`: run the published feed test pack (docs/feed-tests/) through the checker.

The pack is small feed files and a manifest (`manifest.json`) saying, for each file, how many rows a
conforming system accepts and how many it rejects for each reason. The files run in the manifest's order,
sharing what they declare (schools, then rosters, then marks), as one `gateway ingest` run would; a file
passes when the checker's outcome is exactly the manifest's.

`run_submission` runs the same checker over a supplier's own output for the pack (POST
/v1/feed/conformance/checks): the files as the supplier's system produced them, under the pack's names. The
checker reads files only, never the store, so a check writes nothing but its verdict.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gateway.ingest.check import Known, check_files

MANIFEST = "manifest.json"
# The published pack (docs/feed-tests/), as the gateway's conformance route checks submissions against it.
PUBLISHED_PACK = Path(__file__).resolve().parents[2] / "docs" / "feed-tests"


class PackError(Exception):
    """The pack itself is unusable (no manifest, a malformed one, or a file it names is missing)."""


@dataclass(frozen=True, slots=True)
class Outcome:
    accepted: int
    rejected: dict[str, int]

    def as_dict(self) -> dict[str, Any]:
        return {"accepted": self.accepted, "rejected": dict(sorted(self.rejected.items()))}


@dataclass(frozen=True, slots=True)
class FileResult:
    file: str
    expected: Outcome
    found: Outcome

    @property
    def ok(self) -> bool:
        return self.expected == self.found


def _outcome(entry: Any, name: str) -> Outcome:
    if not isinstance(entry, dict) or set(entry) != {"file", "accepted", "rejected"}:
        raise PackError(f"{MANIFEST}: the entry for {name} must have exactly file, accepted and rejected")
    accepted, rejected = entry["accepted"], entry["rejected"]
    counts_ok = isinstance(rejected, dict) and all(type(n) is int and n > 0 for n in rejected.values())
    if type(accepted) is not int or accepted < 0 or not counts_ok:
        raise PackError(f"{MANIFEST}: {name} needs a count of accepted rows and positive counts by reason")
    return Outcome(accepted, {str(k): int(v) for k, v in rejected.items()})


def load_manifest(pack: Path) -> list[tuple[Path, Outcome]]:
    """The pack's files, in run order, with their expected outcomes."""
    try:
        document = json.loads((pack / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise PackError(f"{pack / MANIFEST}: {exc}") from exc
    entries = document.get("files") if isinstance(document, dict) else None
    if not isinstance(entries, list) or not entries:
        raise PackError(f"{MANIFEST}: `files` must be a non-empty list")
    expected: list[tuple[Path, Outcome]] = []
    for entry in entries:
        name = str(entry.get("file")) if isinstance(entry, dict) else "?"
        outcome = _outcome(entry, name)
        path = pack / name
        if not path.is_file():
            raise PackError(f"{MANIFEST}: {name} is not a file in {pack}")
        expected.append((path, outcome))
    return expected


def _check_in_order(files: list[tuple[Path, Outcome]]) -> list[FileResult]:
    known = Known()
    results: list[FileResult] = []
    for path, expected in files:
        report = check_files([path], known)
        rejected = Counter(f.reason for f in report.findings)
        found = Outcome(report.rows - sum(rejected.values()), dict(rejected))
        results.append(FileResult(path.name, expected, found))
    return results


def run_pack(pack: Path) -> list[FileResult]:
    """Check each file of the pack in order, later files seeing the schools and enrolments of earlier ones."""
    return _check_in_order(load_manifest(pack))


@dataclass(frozen=True, slots=True)
class PackIdentity:
    """Which pack a verdict is about: the manifest's `version` and a SHA-256 over the manifest and its files."""

    version: str
    digest: str


def pack_identity(pack: Path) -> PackIdentity:
    document = json.loads((pack / MANIFEST).read_text(encoding="utf-8"))
    digest = hashlib.sha256((pack / MANIFEST).read_bytes())
    for path, _ in load_manifest(pack):
        digest.update(b"\0" + path.name.encode() + b"\0" + path.read_bytes())
    return PackIdentity(str(document.get("version", "unversioned")), digest.hexdigest())


def run_submission(pack: Path, outputs: Mapping[str, bytes]) -> list[FileResult]:
    """The pack's checks run over a supplier's output: one file for each of the manifest's, by the same name.

    A missing or unexpected name is a PackError naming it. The files are written to a private temporary
    directory only because the checker reads paths; nothing else is written."""
    expected = load_manifest(pack)
    names = [path.name for path, _ in expected]
    missing = [n for n in names if n not in outputs]
    unexpected = sorted(set(outputs) - set(names))
    if missing or unexpected:
        said = "; ".join(
            f"{what} {', '.join(which)}"
            for what, which in (("missing", missing), ("unexpected", unexpected))
            if which
        )
        raise PackError(f"the submission must have exactly the pack's files ({', '.join(names)}): {said}")
    with tempfile.TemporaryDirectory(prefix="feed-check-") as work:
        files: list[tuple[Path, Outcome]] = []
        for name, outcome in ((path.name, outcome) for path, outcome in expected):
            path = Path(work) / name
            path.write_bytes(outputs[name])
            files.append((path, outcome))
        return _check_in_order(files)
