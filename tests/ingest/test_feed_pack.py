"""Issue 15 item 6: the published feed test pack (docs/feed-tests/) and `gateway feed check --pack`, which
says pass or fail per file and exits 1 on any failure."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from gateway.cli import main
from gateway.ingest.pack import MANIFEST, PackError, load_manifest, run_pack

PACK = Path(__file__).resolve().parents[2] / "docs" / "feed-tests"


def _copy(tmp_path: Path) -> Path:
    pack = tmp_path / "pack"
    shutil.copytree(PACK, pack)
    return pack


def _manifest(pack: Path) -> dict[str, object]:
    return dict(json.loads((pack / MANIFEST).read_text()))


def _write(pack: Path, document: object) -> None:
    (pack / MANIFEST).write_text(json.dumps(document))


def test_every_file_of_the_pack_has_exactly_its_stated_outcome() -> None:
    results = run_pack(PACK)
    assert [(r.file, r.found.as_dict()) for r in results] == [
        ("schools.csv", {"accepted": 3, "rejected": {"bad_value": 2, "duplicate_in_batch": 1}}),
        (
            "roster.csv",
            {
                "accepted": 3,
                "rejected": {"bad_value": 1, "duplicate_in_batch": 1, "invalid_upn": 1, "unknown_school": 1},
            },
        ),
        (
            "marks.ndjson",
            {
                "accepted": 3,
                "rejected": {
                    "bad_session": 1,
                    "code_retired": 1,
                    "code_unknown": 1,
                    "duplicate_in_batch": 1,
                    "unknown_enrolment": 1,
                },
            },
        ),
        (
            "marks-corrections.csv",
            {"accepted": 2, "rejected": {"bad_date": 2, "malformed_row": 1, "unknown_enrolment": 1}},
        ),
    ]
    assert [r.ok for r in results] == [True, True, True, True]


def test_the_command_passes_the_published_pack() -> None:
    result = CliRunner().invoke(main, ["feed", "check", "--pack", str(PACK)])
    assert result.exit_code == 0, result.output
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == [
        "pass schools.csv",
        "pass roster.csv",
        "pass marks.ndjson",
        "pass marks-corrections.csv",
    ]
    assert result.stderr == "4 file(s), 0 failed\n"


def test_one_altered_expected_outcome_fails_that_file_and_the_command(tmp_path: Path) -> None:
    pack = _copy(tmp_path)
    document = _manifest(pack)
    files = document["files"]
    assert isinstance(files, list)
    files[2]["rejected"]["code_unknown"] = 2
    _write(pack, document)
    result = CliRunner().invoke(main, ["feed", "check", "--json", "--pack", str(pack)])
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(line["file"], line["pass"]) for line in lines] == [
        ("schools.csv", True),
        ("roster.csv", True),
        ("marks.ndjson", False),
        ("marks-corrections.csv", True),
    ]
    assert lines[2]["expected"]["rejected"]["code_unknown"] == 2
    assert lines[2]["found"]["rejected"]["code_unknown"] == 1
    assert result.stderr == "4 file(s), 1 failed\n"


def test_a_failing_file_is_shown_with_what_was_expected_and_found(tmp_path: Path) -> None:
    pack = _copy(tmp_path)
    document = _manifest(pack)
    files = document["files"]
    assert isinstance(files, list)
    files[0]["accepted"] = 4
    _write(pack, document)
    result = CliRunner().invoke(main, ["feed", "check", "--pack", str(pack)])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (
        "FAIL schools.csv: 3 accepted, {'bad_value': 2, 'duplicate_in_batch': 1} rejected"
        " (expected {'accepted': 4, 'rejected': {'bad_value': 2, 'duplicate_in_batch': 1}},"
        " found {'accepted': 3, 'rejected': {'bad_value': 2, 'duplicate_in_batch': 1}})"
    )


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"files": []}, "`files` must be a non-empty list"),
        ([], "`files` must be a non-empty list"),
        ({"files": ["schools.csv"]}, "the entry for ? must have exactly file, accepted and rejected"),
        ({"files": [{"file": "schools.csv", "accepted": 3}]}, "the entry for schools.csv must have exactly"),
        (
            {"files": [{"file": "schools.csv", "accepted": -1, "rejected": {}}]},
            "schools.csv needs a count of accepted rows and positive counts by reason",
        ),
        (
            {"files": [{"file": "schools.csv", "accepted": 3, "rejected": {"bad_value": 0}}]},
            "schools.csv needs a count of accepted rows",
        ),
        (
            {"files": [{"file": "schools.csv", "accepted": True, "rejected": {}}]},
            "schools.csv needs a count of accepted rows",
        ),
        ({"files": [{"file": "absent.csv", "accepted": 0, "rejected": {}}]}, "absent.csv is not a file in"),
    ],
    ids=[
        "empty",
        "not an object",
        "entry not an object",
        "missing key",
        "negative",
        "zero reason",
        "bool",
        "absent",
    ],
)
def test_a_malformed_manifest_is_refused_naming_what_is_wrong(
    tmp_path: Path, document: object, message: str
) -> None:
    pack = _copy(tmp_path)
    _write(pack, document)
    with pytest.raises(PackError) as raised:
        load_manifest(pack)
    assert message in str(raised.value)


def test_a_pack_without_a_manifest_is_an_error_of_the_command(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["feed", "check", "--pack", str(tmp_path)])
    assert result.exit_code == 1
    assert f"{tmp_path / MANIFEST}" in result.stderr


def test_files_and_a_pack_are_not_given_together() -> None:
    result = CliRunner().invoke(main, ["feed", "check", "--pack", str(PACK), str(PACK / "schools.csv")])
    assert result.exit_code == 2
    assert "--pack takes no FILES and no --against-db" in result.stderr


def test_neither_files_nor_a_pack_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["feed", "check"])
    assert result.exit_code == 2
    assert "give FILES to check, or --pack DIR" in result.stderr
