"""Run only by test_test_session_lifetime (as its own pytest session): two tests on two workers, each starting
the embedded test server as the suite's fixtures do, so both workers hold it and the last to finish must stop
it. (No migrations: what is under test is the server's lifetime, not the schema.)"""

from __future__ import annotations

import psycopg
import pytest

from gateway.db.urls import start_embedded
from tests.conftest import TEST_PG_DIR


@pytest.fixture
def server_url() -> str:
    return start_embedded(TEST_PG_DIR)


def test_first_worker_uses_the_server(server_url: str) -> None:
    with psycopg.connect(server_url) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)


def test_second_worker_uses_the_server(server_url: str) -> None:
    with psycopg.connect(server_url) as conn:
        assert conn.execute("SELECT 2").fetchone() == (2,)
