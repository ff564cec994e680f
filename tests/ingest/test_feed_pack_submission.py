"""The published test pack run over a supplier's own output (gateway/ingest/pack.py `run_submission`), and the
identity a verdict records for the pack (`pack_identity`)."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from gateway.ingest.pack import (
    PUBLISHED_PACK,
    PackError,
    load_manifest,
    pack_identity,
    run_pack,
    run_submission,
)

OWN_FILES = {path.name: path.read_bytes() for path, _ in load_manifest(PUBLISHED_PACK)}


def test_the_packs_own_files_as_a_submission_give_the_packs_own_outcomes() -> None:
    submitted = run_submission(PUBLISHED_PACK, OWN_FILES)
    assert [(r.file, r.ok) for r in submitted] == [
        ("schools.csv", True),
        ("roster.csv", True),
        ("marks.ndjson", True),
        ("marks-corrections.csv", True),
    ]
    assert submitted == run_pack(PUBLISHED_PACK)


def test_a_submitted_file_that_differs_fails_only_that_file() -> None:
    schools = OWN_FILES["schools.csv"] + b"900009,Another School,202,4009,primary,community\n"
    submitted = run_submission(PUBLISHED_PACK, {**OWN_FILES, "schools.csv": schools})
    assert [(r.file, r.ok) for r in submitted] == [
        ("schools.csv", False),
        ("roster.csv", True),
        ("marks.ndjson", True),
        ("marks-corrections.csv", True),
    ]
    assert (submitted[0].expected.accepted, submitted[0].found.accepted) == (3, 4)


def test_a_submission_without_exactly_the_packs_files_is_refused_naming_them() -> None:
    wrong = {k: v for k, v in OWN_FILES.items() if k not in ("roster.csv", "marks.ndjson")}
    with pytest.raises(PackError) as raised:
        run_submission(PUBLISHED_PACK, {**wrong, "pupils.csv": b"", "a.csv": b""})
    assert str(raised.value) == (
        "the submission must have exactly the pack's files (schools.csv, roster.csv, marks.ndjson,"
        " marks-corrections.csv): missing roster.csv, marks.ndjson; unexpected a.csv, pupils.csv"
    )


def test_only_a_missing_file_is_named_when_nothing_is_unexpected() -> None:
    with pytest.raises(PackError, match=r"\): missing marks-corrections.csv$"):
        run_submission(PUBLISHED_PACK, {k: v for k, v in OWN_FILES.items() if k != "marks-corrections.csv"})


def test_the_pack_identity_is_its_version_and_a_digest_of_the_manifest_and_files(tmp_path: Path) -> None:
    identity = pack_identity(PUBLISHED_PACK)
    expected = hashlib.sha256((PUBLISHED_PACK / "manifest.json").read_bytes())
    for path, _ in load_manifest(PUBLISHED_PACK):
        expected.update(b"\0" + path.name.encode() + b"\0" + path.read_bytes())
    assert (identity.version, identity.digest) == ("1", expected.hexdigest())

    copy = tmp_path / "pack"
    shutil.copytree(PUBLISHED_PACK, copy)
    assert pack_identity(copy) == identity
    with (copy / "marks.ndjson").open("ab") as changed:
        changed.write(b"\n")
    assert pack_identity(copy).digest != identity.digest


def test_a_manifest_without_a_version_is_unversioned(tmp_path: Path) -> None:
    copy = tmp_path / "pack"
    shutil.copytree(PUBLISHED_PACK, copy)
    manifest = copy / "manifest.json"
    manifest.write_text(manifest.read_text().replace('"version": "1",', ""))
    assert pack_identity(copy).version == "unversioned"
