"""Loading a bundle's data files (nested merge, refusals) and probe inputs from odd samples and agreements."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from gateway.policy.bundle import PolicyBundle, load_bundle
from gateway.policy.probes import probe_inputs, sample_inputs


def _write(root: Path, rel: str, document: Any) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document))


def test_data_files_at_two_levels_merge_into_one_nested_document(tmp_path: Path) -> None:
    _write(tmp_path, "data/data.json", {"roles": {"r": {"a": 1}}})
    _write(tmp_path, "data/roles/data.json", {"r": {"b": 2}})
    assert load_bundle(tmp_path).data == {"data": {"roles": {"r": {"a": 1, "b": 2}}}}


def test_a_data_file_under_a_key_another_file_defines_as_a_value_is_refused(tmp_path: Path) -> None:
    _write(tmp_path, "data/data.json", {"roles": ["r"]})
    _write(tmp_path, "data/roles/data.json", {"a": 2})
    message = (
        r"^policy data file data/roles/data.json is under roles, which another data file defines as a value$"
    )
    with pytest.raises(ValueError, match=message):
        load_bundle(tmp_path)


def test_a_data_file_that_redefines_a_value_is_refused(tmp_path: Path) -> None:
    _write(tmp_path, "data/data.json", {"roles": {"a": 1}})
    _write(tmp_path, "data/roles/data.json", {"a": 2})
    with pytest.raises(ValueError, match=r"^policy data file data/roles/data.json redefines a$"):
        load_bundle(tmp_path)


def test_a_data_file_that_is_not_an_object_is_refused(tmp_path: Path) -> None:
    _write(tmp_path, "data/data.json", [1, 2])
    with pytest.raises(ValueError, match=r"^policy data file data/data.json must hold a JSON object$"):
        load_bundle(tmp_path)


def test_only_samples_that_hold_an_input_object_are_sample_inputs(tmp_path: Path) -> None:
    _write(tmp_path, "samples/a.json", {"input": {"action": "x"}})
    _write(tmp_path, "samples/b.json", [1])
    _write(tmp_path, "samples/c.json", {"input": 3})
    assert sample_inputs(tmp_path) == [{"action": "x"}]


def test_an_agreement_that_is_not_an_object_gives_no_probes(tmp_path: Path) -> None:
    bundle = PolicyBundle(tmp_path, {}, {}, {"data": {"agreements": {"broken": "text"}}}, "r", {})
    probes = probe_inputs(bundle)
    assert len(probes) == 2
    assert probes[0] == {}
