"""Session cookies, CSRF tokens and sealed tokens: what the console's session key protects."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.exceptions import InvalidTag
from hypothesis import event, given
from hypothesis import strategies as st

from gateway.console.routes import _safe_next
from gateway.console.sessions import SessionKeyMissingError, SessionKeys, load_session_key

KEYS = SessionKeys(b"k" * 32)


def test_a_signed_cookie_names_its_session() -> None:
    assert KEYS.verify(KEYS.sign("abc")) == "abc"


@given(st.integers(min_value=0), st.sampled_from("AQz-_."))
def test_a_cookie_altered_anywhere_is_refused(position: int, replacement: str) -> None:
    cookie = KEYS.sign("session-id-0123456789")
    index = position % len(cookie)
    altered = cookie[:index] + replacement + cookie[index + 1 :]
    event("changed" if altered != cookie else "unchanged")
    assert KEYS.verify(altered) == (None if altered != cookie else "session-id-0123456789")


def test_a_cookie_signed_under_another_key_is_refused() -> None:
    assert KEYS.verify(SessionKeys(b"x" * 32).sign("abc")) is None


@pytest.mark.parametrize("cookie", [None, "", "abc", "a.b.c"])
def test_malformed_cookies_are_refused(cookie: str | None) -> None:
    assert KEYS.verify(cookie) is None


def test_a_csrf_token_belongs_to_one_session() -> None:
    token = KEYS.csrf_token("one")
    assert (KEYS.check_csrf("one", token), KEYS.check_csrf("two", token), KEYS.check_csrf("one", None)) == (
        True,
        False,
        False,
    )


def test_sealed_tokens_open_only_in_their_own_context() -> None:
    sealed = KEYS.seal({"access_token": "t"}, context=b"one")
    assert KEYS.unseal(sealed, context=b"one") == {"access_token": "t"}
    assert b'"t"' not in sealed
    with pytest.raises(InvalidTag):
        KEYS.unseal(sealed, context=b"two")


def test_the_session_key_is_made_once_readable_by_its_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "console-key.bin"
    first = load_session_key(path, create=True)
    assert (load_session_key(path, create=True), path.stat().st_mode & 0o777) == (first, 0o600)


def test_production_never_makes_a_session_key(tmp_path: Path) -> None:
    with pytest.raises(SessionKeyMissingError):
        load_session_key(tmp_path / "absent.bin", create=False)


@pytest.mark.parametrize(
    ("given_next", "expected"),
    [
        ("/console/", "/console/"),
        ("/console/la/202", "/console/la/202"),
        ("https://elsewhere.example/console/", "/console/"),
        ("//elsewhere.example/console/", "/console/"),
        ("/console/\\elsewhere", "/console/"),
        ("/v1/pupils", "/console/"),
        (None, "/console/"),
    ],
)
def test_only_a_console_path_is_a_place_to_return_to(given_next: str | None, expected: str) -> None:
    assert _safe_next(given_next) == expected
