"""Fixtures for the privacy package: real keyrings with fresh random keys."""

from __future__ import annotations

import pytest

from gateway.privacy.keyring import Keyring
from gateway.privacy.pseudonyms import Pseudonymiser


@pytest.fixture
def keyring() -> Keyring:
    return Keyring.generate()


@pytest.fixture
def pseudonymiser(keyring: Keyring) -> Pseudonymiser:
    return Pseudonymiser(keyring)
