"""Every example call the demo prints works as printed (the path and query string of each persona's curl)."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlsplit

import pytest
from litestar.testing import TestClient

from gateway.auth.personas import PERSONAS
from tests.api.conftest import Tokens

FEED = (
    b"urn,upn,date,session,code,recorded_at\n999999,A886123400001,2025-09-03,AM,/,2025-09-03T09:00:00+00:00\n"
)


@pytest.mark.parametrize("persona", sorted(PERSONAS))
def test_persona_example_call_succeeds(
    client: TestClient[Any], tokens: Tokens, areas: dict[str, Any], persona: str
) -> None:
    own = areas["own"]
    url = PERSONAS[persona].example_url(
        "http://testserver", own["la_code"], own["urn"], (date(2025, 9, 1), date(2025, 10, 24))
    )
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    headers = tokens.headers(persona)
    if PERSONAS[persona].example_method == "POST":
        response = client.post(target, headers={**headers, "content-type": "text/csv"}, content=FEED)
    else:
        response = client.get(target, headers=headers)
    assert response.status_code == 200, response.text[:400]
