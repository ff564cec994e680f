"""Pseudonyms: format, determinism, domain separation, reversibility rules and key rotation."""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from hypothesis import event, given, settings
from hypothesis import strategies as st

from gateway.privacy.keyring import Keyring
from gateway.privacy.pseudonyms import (
    DomainMismatchError,
    MalformedTokenError,
    PseudonymError,
    Pseudonymiser,
    ReversibleNotAllowedError,
    parse_token,
)

UPN = "A823456789012"
upns = st.from_regex(r"[A-HJ-NP-RT-Z][0-9]{11}[0-9A-Z]", fullmatch=True)
domains = st.from_regex(r"[a-z][a-z0-9-]{0,15}", fullmatch=True)
FIXED_KEYRING = Keyring({1: bytes(range(32))})


def test_one_way_token_is_the_truncated_hmac_under_the_derived_key(pseudonymiser: Pseudonymiser) -> None:
    key = pseudonymiser.keyring.derived_key("hmac", "dwp", 1)
    digest = hmac.new(key, UPN.encode(), hashlib.sha256).digest()[:20]
    expected = "p1.dwp." + base64.b32encode(digest).decode().lower()
    assert pseudonymiser.pseudonymise(UPN, "dwp") == expected
    assert len(expected) == len("p1.dwp.") + 32


def test_key_derivation_is_the_documented_hkdf() -> None:
    # A change to derivation or encoding would silently unlink every pseudonym already shared.
    key = HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=b"attendance-gateway/pseudonyms/2024",
        info=b"attendance-gateway pseudonym|hmac|v1|dwp",
    ).derive(bytes(range(32)))
    digest = hmac.new(key, UPN.encode(), hashlib.sha256).digest()[:20]
    assert (
        Pseudonymiser(FIXED_KEYRING).pseudonymise(UPN, "dwp")
        == "p1.dwp." + base64.b32encode(digest).decode().lower()
    )
    assert Pseudonymiser(FIXED_KEYRING).pseudonymise(UPN, "dwp") == "p1.dwp.nbjgz6zpil6dnhsi5kpnz2lvqurhefnk"


def test_upn_is_canonicalised_before_keying(pseudonymiser: Pseudonymiser) -> None:
    assert pseudonymiser.pseudonymise(" a823456789012 ", "dwp") == pseudonymiser.pseudonymise(UPN, "dwp")


@settings(max_examples=40, deadline=None)
@given(batch=st.lists(upns, min_size=1, max_size=30))
def test_batch_equals_one_at_a_time(batch: list[str]) -> None:
    pseudonymiser = Pseudonymiser(FIXED_KEYRING)
    event("repeated pupils in the batch" if len(set(batch)) < len(batch) else "distinct pupils")
    assert pseudonymiser.pseudonymise_many(batch, "la-886") == [
        pseudonymiser.pseudonymise(upn, "la-886") for upn in batch
    ]


def test_batch_canonicalises_like_single_tokens(pseudonymiser: Pseudonymiser) -> None:
    messy = [" a823456789012", "A823456789012\t", "a823456789012", "A823456789012\u00a0"]
    assert pseudonymiser.pseudonymise_many(messy, "dwp") == [pseudonymiser.pseudonymise(UPN, "dwp")] * 4
    assert pseudonymiser.pseudonymise_many(["a823456789012", "b823456789012"], "dwp") == [
        pseudonymiser.pseudonymise(UPN, "dwp"),
        pseudonymiser.pseudonymise("B823456789012", "dwp"),
    ]


def test_batch_of_none_is_empty(pseudonymiser: Pseudonymiser) -> None:
    assert pseudonymiser.pseudonymise_many([], "dwp") == []


@settings(max_examples=60, deadline=None)
@given(upn=upns, first=domains, second=domains)
def test_domains_are_unlinkable_and_each_is_deterministic(upn: str, first: str, second: str) -> None:
    pseudonymiser = Pseudonymiser(FIXED_KEYRING)
    a, b = pseudonymiser.pseudonymise(upn, first), pseudonymiser.pseudonymise(upn, second)
    event("one domain twice" if first == second else "two domains")
    assert a == pseudonymiser.pseudonymise(upn, first)
    assert (a.split(".")[2] == b.split(".")[2]) == (first == second)


@settings(max_examples=60, deadline=None)
@given(first=upns, second=upns)
def test_different_pupils_get_different_tokens(first: str, second: str) -> None:
    pseudonymiser = Pseudonymiser(FIXED_KEYRING)
    event("the same pupil twice" if first == second else "two pupils")
    same = pseudonymiser.pseudonymise(first, "dwp") == pseudonymiser.pseudonymise(second, "dwp")
    assert same == (first == second)


def test_reversible_tokens_are_refused_unless_the_domain_allows_them(pseudonymiser: Pseudonymiser) -> None:
    with pytest.raises(ReversibleNotAllowedError):
        pseudonymiser.pseudonymise(UPN, "dwp", "siv")
    with pytest.raises(ReversibleNotAllowedError):
        pseudonymiser.pseudonymise_many([UPN], "dwp", "siv")


def test_reversible_token_round_trips_and_is_deterministic(pseudonymiser: Pseudonymiser) -> None:
    token = pseudonymiser.pseudonymise(UPN, "la-886", "siv", reversible_allowed=True)
    assert token.startswith("r1.la-886.")
    assert token == pseudonymiser.pseudonymise_many([UPN], "la-886", "siv", reversible_allowed=True)[0]
    assert pseudonymiser.reidentify(token, domain="la-886") == UPN


def test_reidentify_refuses_another_domains_token(pseudonymiser: Pseudonymiser) -> None:
    token = pseudonymiser.pseudonymise(UPN, "la-886", "siv", reversible_allowed=True)
    with pytest.raises(DomainMismatchError):
        pseudonymiser.reidentify(token, domain="dwp")


def test_reidentify_refuses_a_token_whose_domain_was_edited(pseudonymiser: Pseudonymiser) -> None:
    token = pseudonymiser.pseudonymise(UPN, "la-886", "siv", reversible_allowed=True)
    forged = token.replace(".la-886.", ".dwp.")
    with pytest.raises(MalformedTokenError, match="does not authenticate"):
        pseudonymiser.reidentify(forged, domain="dwp")


def test_one_way_tokens_cannot_be_reversed(pseudonymiser: Pseudonymiser) -> None:
    with pytest.raises(MalformedTokenError, match="cannot be reversed"):
        pseudonymiser.reidentify(pseudonymiser.pseudonymise(UPN, "dwp"), domain="dwp")


def test_rotation_issues_new_version_and_old_tokens_still_verify_and_reverse(keyring: Keyring) -> None:
    old = Pseudonymiser(keyring)
    old_token = old.pseudonymise(UPN, "dwp")
    old_reversible = old.pseudonymise(UPN, "dwp", "siv", reversible_allowed=True)
    new = Pseudonymiser(keyring.rotated())
    new_token = new.pseudonymise(UPN, "dwp")
    assert new_token.startswith("p2.dwp.")
    assert new_token != old_token.replace("p1.", "p2.")
    assert new.verify(old_token, UPN)
    assert new.verify(new_token, UPN)
    assert new.reidentify(old_reversible, domain="dwp") == UPN


def test_verify_rejects_another_pupil_and_garbage(pseudonymiser: Pseudonymiser) -> None:
    token = pseudonymiser.pseudonymise(UPN, "dwp")
    assert not pseudonymiser.verify(token, "B823456789012")
    assert not pseudonymiser.verify("p9.dwp." + token.split(".")[2], UPN)
    assert not pseudonymiser.verify("nonsense", UPN)


@pytest.mark.parametrize("token", ["p1.dwp", "x1.dwp.abc", "p0.dwp.aaaa", "p1.DWP.aaaa", "p1.dwp.aaaa"])
def test_parse_refuses_malformed_tokens(token: str) -> None:
    with pytest.raises(MalformedTokenError):
        parse_token(token)


def test_unknown_method_is_refused(pseudonymiser: Pseudonymiser) -> None:
    with pytest.raises(PseudonymError, match="unknown pseudonym method 'md5'"):
        pseudonymiser.pseudonymise(UPN, "dwp", "md5")  # type: ignore[arg-type]
