"""One cursor format: opaque, HMAC-signed, bound to the listing that issued it; anything else is a 400."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from gateway.api.params import CURSOR_PATTERN
from gateway.edge.cursors import KEY_BYTES, Cursors, load_or_create_cursor_key
from gateway.edge.problems import ProblemError

CURSORS = Cursors(bytes(range(KEY_BYTES)))


def _refused(kind: str, cursor: str) -> str:
    with pytest.raises(ProblemError) as caught:
        CURSORS.decode(kind, cursor)
    return f"{caught.value.status} {caught.value.kind}"


@given(st.sampled_from(["pupils.list", "audit.search"]), st.integers(min_value=0, max_value=2**62))
def test_a_cursor_opens_to_the_position_it_was_issued_for(kind: str, position: int) -> None:
    event("large position" if position > 2**31 else "small position")
    cursor = CURSORS.encode(kind, position)
    assert CURSORS.decode(kind, cursor) == position
    # What the API's cursor parameter accepts, so a client hands it back unchanged.
    assert re.fullmatch(CURSOR_PATTERN.strip("^$"), cursor)
    assert len(cursor) <= 200


def test_no_cursor_is_the_first_page() -> None:
    assert CURSORS.decode("pupils.list", None) is None


def test_a_cursor_of_another_listing_is_refused() -> None:
    assert _refused("audit.search", CURSORS.encode("pupils.list", 7)) == "400 invalid-cursor"


def test_a_cursor_signed_under_another_key_is_refused() -> None:
    other = Cursors(bytes(KEY_BYTES)).encode("pupils.list", 7)
    assert _refused("pupils.list", other) == "400 invalid-cursor"


def test_an_edited_position_is_refused() -> None:
    body, tag = CURSORS.encode("pupils.list", 7).split(".")
    forged = base64.urlsafe_b64encode(b"pupils.list.8").decode().rstrip("=")
    assert _refused("pupils.list", f"{forged}.{tag}") == "400 invalid-cursor"
    assert body != forged


@pytest.mark.parametrize("cursor", ["bogus", "e:12", "Zm9vOmJhcg", "a.b.c", "!!.??", ""])
def test_malformed_cursors_are_refused(cursor: str) -> None:
    assert _refused("pupils.list", cursor) == "400 invalid-cursor"


def test_a_signed_cursor_that_holds_no_position_is_refused() -> None:
    signer = Cursors(bytes(range(KEY_BYTES)))
    payload = b"pupils.list.seven"
    tag = signer._tag(payload)
    b64 = base64.urlsafe_b64encode
    cursor = f"{b64(payload).decode().rstrip('=')}.{b64(tag).decode().rstrip('=')}"
    assert _refused("pupils.list", cursor) == "400 invalid-cursor"


def test_the_key_is_made_once_owner_only_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "cursor-key.bin"
    first = load_or_create_cursor_key(path)
    assert (len(first), path.stat().st_mode & 0o777) == (KEY_BYTES, 0o600)
    assert load_or_create_cursor_key(path) == first


def test_a_key_of_the_wrong_size_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cursor-key.bin"
    path.write_bytes(b"short")
    with pytest.raises(ValueError, match="must be 32 bytes"):
        load_or_create_cursor_key(path)
    with pytest.raises(ValueError, match="a cursor key is 32 bytes"):
        Cursors(b"short")
