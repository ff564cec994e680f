"""Pseudonym edge cases: malformed bodies, unknown methods, reversible tokens verified, odd UPNs."""

from __future__ import annotations

import pytest

from gateway.privacy.keyring import Keyring
from gateway.privacy.pseudonyms import MalformedTokenError, PseudonymError, Pseudonymiser, parse_token

KEYRING = Keyring({1: bytes(range(32))})
UPN = "A123456789012"


def test_a_body_of_impossible_base32_length_is_malformed() -> None:
    with pytest.raises(MalformedTokenError) as raised:
        parse_token("p1.dwp.a")
    assert str(raised.value) == "token body is not valid base32"


def test_the_repr_names_the_keyring_not_its_secrets() -> None:
    assert repr(Pseudonymiser(KEYRING)) == "Pseudonymiser(Keyring(versions=[1], current=1))"


def test_an_unknown_method_is_refused_in_bulk() -> None:
    with pytest.raises(PseudonymError) as raised:
        Pseudonymiser(KEYRING).pseudonymise_many([UPN], "dwp", "md5")  # type: ignore[arg-type]
    assert str(raised.value) == "unknown pseudonym method 'md5': use 'hmac' or 'siv'"


def test_a_reversible_token_verifies_for_its_pupil_only() -> None:
    pseudonymiser = Pseudonymiser(KEYRING)
    token = pseudonymiser.pseudonymise(UPN, "dwp", "siv", reversible_allowed=True)
    assert token.startswith("r1.dwp.")
    assert pseudonymiser.verify(token, f" {UPN.lower()} ") is True
    assert pseudonymiser.verify(token, "B123456789012") is False


def test_a_upn_holding_a_newline_takes_the_exact_path() -> None:
    pseudonymiser = Pseudonymiser(KEYRING)
    upns = ["A1\nB2", UPN]
    assert pseudonymiser.pseudonymise_many(upns, "dwp") == [
        pseudonymiser.pseudonymise(u, "dwp") for u in upns
    ]
