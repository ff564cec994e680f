"""A small LRU of decisions keyed by the bundle revision and the exact policy input.

Correct by construction: a decision is a pure function of (bundle, input), and the key is both. The guard
gives `now` to the minute, so identical requests within a minute share one evaluation.
"""

from __future__ import annotations

import copy
from collections import OrderedDict
from dataclasses import replace
from typing import Any

import orjson

from gateway.policy.decision import Decision


def cache_key(revision: str, policy_input: dict[str, Any]) -> bytes | None:
    """The revision and the input as canonical JSON; None (not cached) for an input JSON cannot hold.

    Only string keys: JSON would make the keys 1 and "1" one key, and so two inputs one entry.
    """
    try:
        text = orjson.dumps(policy_input, default=str, option=orjson.OPT_SORT_KEYS)
    except TypeError:
        return None
    return revision.encode() + b"\0" + text


class DecisionCache:
    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[bytes, Decision] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def get(self, key: bytes) -> Decision | None:
        decision = self._entries.get(key)
        if decision is None:
            self.misses += 1
            return None
        self._entries.move_to_end(key)
        self.hits += 1
        return fresh_copy(decision)

    def put(self, key: bytes, decision: Decision) -> None:
        if self.max_entries <= 0:
            return
        self._entries[key] = fresh_copy(decision)  # the caller keeps the original
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    def clear(self) -> None:
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


def fresh_copy(decision: Decision) -> Decision:
    """The decision with its own dicts, so a caller that changes one cannot change the next caller's."""
    o = decision.obligations
    return replace(
        decision,
        obligations=replace(
            o,
            generalisations=dict(o.generalisations),
            disclosure_profile=copy.deepcopy(o.disclosure_profile),
        ),
    )
