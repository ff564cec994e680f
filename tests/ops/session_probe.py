"""Run only by test_test_session_lifetime (as its own pytest session): two tests on two workers, each using
the embedded test server, so both workers hold it and the last to finish must stop it."""

from __future__ import annotations

from typing import Any

import psycopg


def test_first_worker_uses_the_database(admin_conn: psycopg.Connection[Any]) -> None:
    assert admin_conn.execute("SELECT 1").fetchone() == (1,)


def test_second_worker_uses_the_database(admin_conn: psycopg.Connection[Any]) -> None:
    assert admin_conn.execute("SELECT 2").fetchone() == (2,)
