"""A malformed keyring, built or loaded, is refused with the reason and never a secret."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from gateway.privacy.keyring import KEYRING_FORMAT, MASTER_KEY_BYTES, Keyring, KeyringError

SECRET = bytes(range(MASTER_KEY_BYTES))


def test_a_keyring_without_keys_is_refused() -> None:
    with pytest.raises(KeyringError) as raised:
        Keyring({})
    assert str(raised.value) == "a keyring needs at least one key version"


@pytest.mark.parametrize("version", [0, -2, "1"])
def test_a_key_version_that_is_not_a_positive_integer_is_refused(version: Any) -> None:
    with pytest.raises(KeyringError) as raised:
        Keyring({version: SECRET})
    assert str(raised.value) == f"key versions are positive integers, got {version!r}"


def test_a_current_version_outside_the_keyring_is_refused() -> None:
    with pytest.raises(KeyringError) as raised:
        Keyring({1: SECRET, 2: SECRET}, current=3)
    assert str(raised.value) == "current key version 3 is not in the keyring"


def _document(keys: Any) -> str:
    return json.dumps({"format": KEYRING_FORMAT, "keys": keys})


@pytest.mark.parametrize("keys", [[], {"version": 1}, None])
def test_keys_that_are_not_a_non_empty_list_are_refused(keys: Any) -> None:
    with pytest.raises(KeyringError) as raised:
        Keyring.from_json(_document(keys))
    assert str(raised.value) == "keyring 'keys' must be a non-empty list"


@pytest.mark.parametrize("entry", ["key", {"key": "AAAA"}, {"version": "1", "key": "AAAA"}])
def test_an_entry_without_an_integer_version_is_refused(entry: Any) -> None:
    with pytest.raises(KeyringError) as raised:
        Keyring.from_json(_document([entry]))
    assert str(raised.value) == "each keyring entry needs an integer 'version'"


def test_a_key_that_is_not_base64_is_refused_without_quoting_it() -> None:
    good = base64.b64encode(SECRET).decode()
    with pytest.raises(KeyringError) as raised:
        Keyring.from_json(_document([{"version": 1, "key": good}, {"version": 2, "key": "sec!ret"}]))
    assert str(raised.value) == "key version 2 is not valid base64"


def test_a_version_listed_twice_is_refused() -> None:
    good = base64.b64encode(SECRET).decode()
    with pytest.raises(KeyringError) as raised:
        Keyring.from_json(_document([{"version": 4, "key": good}, {"version": 4, "key": good}]))
    assert str(raised.value) == "key version 4 appears twice"


@pytest.mark.parametrize("current", ["1", 1.0])
def test_a_current_version_that_is_not_an_integer_is_refused(current: Any) -> None:
    good = base64.b64encode(SECRET).decode()
    text = json.dumps({"format": KEYRING_FORMAT, "keys": [{"version": 1, "key": good}], "current": current})
    with pytest.raises(KeyringError) as raised:
        Keyring.from_json(text)
    assert str(raised.value) == "keyring 'current' must be an integer"
