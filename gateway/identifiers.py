"""Identifier patterns every layer shares: the one shape of a UPN, for validation, audit hashing and log
redaction (the validator itself, with its check letter and LA numbers, is gateway.store.upn)."""

from __future__ import annotations

import re

# Anything that looks like a UPN (a letter, 11 digits, a digit or letter), in any case: what the audit log
# hashes and the logs redact. Broader than a valid UPN on purpose: a mistyped UPN still names a pupil.
UPN_LIKE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z][0-9]{11}[0-9A-Za-z](?![A-Za-z0-9])")


def is_upn_shaped(text: str) -> bool:
    """The whole text (surrounding spaces aside) looks like a UPN."""
    return UPN_LIKE.fullmatch(text.strip()) is not None
