"""Published and pinned keys: anything malformed or inconsistent is refused with the reason."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import orjson
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from gateway.audit.checkpoint import Cosignature, cosign
from gateway.audit.keys import (
    ConfiguredKeys,
    PublicKey,
    configured_keys,
    load_or_create_subject_key,
    load_public_keys,
    pin_by_fingerprint,
    public_key_of,
    read_signing_key,
)

KEY = public_key_of(Ed25519PrivateKey.generate())
GOOD = KEY.as_dict()


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        (["not", "an", "object"], "a key is not a JSON object"),
        ({**GOOD, "algorithm": "RSA"}, "unsupported key algorithm 'RSA'"),
        ({"key_id": GOOD["key_id"]}, "malformed key: KeyError"),
        ({**GOOD, "public_key": "not base64!"}, "malformed key: Error"),
        ({**GOOD, "public_key": base64.b64encode(b"short").decode()}, "is not a 32-byte Ed25519 public key"),
        ({**GOOD, "key_id": "0123456789abcdef"}, "key id '0123456789abcdef' does not match its public key"),
        ({**GOOD, "fingerprint": "00" * 32}, "fingerprint does not match its public key"),
    ],
)
def test_a_malformed_key_is_refused_with_its_reason(document: Any, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        PublicKey.from_dict(document)


def test_a_published_key_reads_back_as_itself() -> None:
    assert PublicKey.from_dict(GOOD) == KEY
    assert GOOD["fingerprint"] == KEY.fingerprint
    assert KEY.fingerprint.startswith(KEY.key_id)


def test_fingerprints_may_be_written_in_any_case_with_colons_or_a_prefix() -> None:
    other = public_key_of(Ed25519PrivateKey.generate())
    colons = ":".join(KEY.fingerprint[i : i + 2] for i in range(0, 64, 2)).upper()
    for written in (KEY.fingerprint, colons, f"SHA256{KEY.fingerprint}"):
        assert pin_by_fingerprint([KEY, other], [written]) == {KEY.key_id: KEY}
    assert pin_by_fingerprint([KEY, other], [KEY.key_id]) == {}  # a key id is too short to pin


def test_a_keys_file_must_hold_a_list_of_keys(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    path.write_bytes(orjson.dumps({"keys": 5}))
    with pytest.raises(ValueError, match="holds no list of keys"):
        load_public_keys(path)
    path.write_bytes(orjson.dumps([GOOD]))
    assert load_public_keys(path) == {KEY.key_id: KEY}


def test_only_an_ed25519_private_key_signs(tmp_path: Path) -> None:
    path = tmp_path / "ec.pem"
    path.write_bytes(
        ec.generate_private_key(ec.SECP256R1()).private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    with pytest.raises(ValueError, match="does not hold an Ed25519 private key"):
        read_signing_key(path)


def test_a_short_subject_key_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "subject.bin"
    path.write_bytes(b"\x01" * 16)
    with pytest.raises(ValueError, match="shorter than 32 bytes"):
        load_or_create_subject_key(path)


def test_configured_keys_publish_signers_and_witnesses(tmp_path: Path) -> None:
    retired, witness = (
        public_key_of(Ed25519PrivateKey.generate()),
        public_key_of(Ed25519PrivateKey.generate()),
    )
    (tmp_path / "retired.json").write_bytes(orjson.dumps({"keys": [retired.as_dict()]}))
    (tmp_path / "witnesses.json").write_bytes(orjson.dumps({"keys": [witness.as_dict()]}))
    keys = configured_keys(KEY, tmp_path / "retired.json", tmp_path / "witnesses.json")
    assert keys.signers == {retired.key_id: retired, KEY.key_id: KEY}
    assert keys.witness_keys == {witness.key_id: witness}
    assert keys.as_dict() == {
        "keys": [retired.as_dict(), KEY.as_dict()],
        "current": KEY.key_id,
        "witnesses": [witness.as_dict()],
    }
    assert ConfiguredKeys(current=None).as_dict() == {"keys": [], "current": None, "witnesses": []}


def test_a_cosignature_reads_back_as_itself() -> None:
    from datetime import UTC, datetime

    made = cosign(Ed25519PrivateKey.generate(), 7, bytes(range(32)), datetime(2026, 1, 12, 9, 30, tzinfo=UTC))
    assert Cosignature.from_dict(made.as_dict()) == made
