"""`gateway demo`'s sign-in instructions work as printed, against the live gateway and identity provider."""

from __future__ import annotations

import json
import subprocess
from urllib.parse import urlsplit

from gateway.idp.instructions import sign_in_lines
from tests.console.conftest import Live


def test_the_printed_client_credentials_example_gets_an_answer_from_the_gateway(live: Live) -> None:
    gateway = urlsplit(live.gateway)
    settings = live.settings.model_copy(update={"port": gateway.port})
    lines = sign_in_lines(settings, 202, 100001)
    script = "\n".join(
        line.strip() for line in lines if line.strip().startswith(("SECRET=", "TOKEN=", "curl "))
    )
    assert script.count("\n") == 2
    result = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=60, check=True)
    answer = json.loads(result.stdout)
    assert (answer["governance"]["agreement"], answer["level"], answer["breakdown"]) == (
        "dwp-dea-s35",
        "la",
        "fsm",
    )


def test_the_instructions_print_no_token(live: Live) -> None:
    text = "\n".join(sign_in_lines(live.settings, 202, 100001))
    assert ("eyJ" in text, f"{live.idp}/.well-known/openid-configuration" in text) == (False, True)
