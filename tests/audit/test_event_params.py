"""How request parameters are recorded in an event (pure): pupil identifiers hashed at any depth, structure kept,
long values truncated with their length; and repeated query names collected into a list."""

from __future__ import annotations

import asyncio

from psycopg_pool import AsyncConnectionPool

from gateway.audit.event import HASH_PREFIX, MAX_PARAM_CHARS, normalise_params, query_params
from gateway.audit.keys import subject_hash
from gateway.audit.writer import GroupCommitWriter, _Pending

KEY = bytes(range(32))
UPN = "A202000000123X"


def _hashed(upn: str) -> str:
    return HASH_PREFIX + subject_hash(KEY, upn).hex()


def test_pupil_identifiers_inside_lists_and_objects_are_hashed_and_the_structure_is_kept() -> None:
    params = {"upns": (UPN, "B202000000456Y"), "filter": {"pupil": UPN, "school": "Oakfield"}}
    assert normalise_params(params, KEY) == {
        "filter": {"pupil": _hashed(UPN), "school": "Oakfield"},
        "upns": [_hashed(UPN), _hashed("B202000000456Y")],
    }


def test_numbers_booleans_and_nulls_are_recorded_as_they_are() -> None:
    assert normalise_params({"limit": 50, "explain": True, "cursor": None}, KEY) == {
        "cursor": None,
        "explain": True,
        "limit": 50,
    }


def test_a_value_longer_than_the_bound_is_recorded_truncated_with_its_length() -> None:
    long = "x" * (MAX_PARAM_CHARS + 7)
    assert normalise_params({"q": long, "short": "x" * MAX_PARAM_CHARS}, KEY) == {
        "q": {"truncated": "x" * MAX_PARAM_CHARS, "length": MAX_PARAM_CHARS + 7},
        "short": "x" * MAX_PARAM_CHARS,
    }


def test_a_query_name_given_several_times_becomes_a_list_in_order() -> None:
    assert query_params(b"la=202&la=203&la=204&from=2025-09-01&blank=") == {
        "la": ["202", "203", "204"],
        "from": "2025-09-01",
        "blank": "",
    }


def test_the_writer_reports_how_many_events_wait_in_its_queue() -> None:
    async def run() -> int:
        # Never opened, and the writer's task never started, so what is queued stays queued.
        pool: AsyncConnectionPool = AsyncConnectionPool("", open=False)
        writer = GroupCommitWriter(
            pool, queue_max=8, batch_max=4, queue_wait_seconds=1.0, on_appended=_nothing, after_batch=_ignore
        )
        for content in ("{}", "{}", "{}"):
            writer._queue.put_nowait(_Pending(content, asyncio.get_running_loop().create_future()))
        return writer.queue_depth

    assert asyncio.run(run()) == 3


async def _nothing(_: object) -> None:
    return None


def _ignore(_: object) -> None:
    return None
