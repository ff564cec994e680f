"""What `gateway demo` prints about signing in: the console, the discovery URL, and a client-credentials call."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from gateway.auth.authenticator import discovery_url
from gateway.auth.personas import PERSONAS, default_period, grid_year_to_date
from gateway.idp.registry import load_registry
from gateway.settings import Settings

EXAMPLE_CLIENT = "dwp-dea-s35"


def sign_in_lines(
    settings: Settings, la_code: int, urn: int, period: tuple[date, date] | None = None
) -> list[str]:
    """Instructions only: no token is printed (a token is minted by whoever runs the example)."""
    base = f"http://{settings.host}:{settings.port}"
    issuer = settings.auth.dev_idp_issuer.rstrip("/")
    registry = load_registry(settings.idp.clients_dir, settings.idp.console_redirect_uris)
    start, end = grid_year_to_date(*(period or default_period()))  # on every profile's period grid
    query = urlencode(
        {
            "agreement": EXAMPLE_CLIENT,
            "purpose": "multiple-disadvantages",
            "level": "la",
            "breakdown": "fsm",
            "date_from": start.isoformat(),
            "date_to": end.isoformat(),
        }
    )
    services = ", ".join(c for c, client in registry.clients.items() if client.service is not None)
    return [
        "Sign in (development identity provider; no passwords, you choose a persona):",
        f"  console     {base}/console/   (personas: {', '.join(PERSONAS)}; LA {la_code}, URN {urn})",
        f"  discovery   {discovery_url(issuer)}",
        f"  clients     {services} (secrets: {settings.idp.clients_dir / 'clients.json'};",
        "              private_key_jwt keys: `gateway idp clients`)",
        "  A department's service client, by client credentials:",
        f"    SECRET=$(python3 -c \"import json;print(json.load(open('{settings.idp.clients_dir / 'clients.json'}'))['{EXAMPLE_CLIENT}'])\")",
        f"    TOKEN=$(curl -s -u {EXAMPLE_CLIENT}:$SECRET -d grant_type=client_credentials {issuer}/token"
        " | python3 -c 'import json,sys;print(json.load(sys.stdin)[\"access_token\"])')",
        f"    curl -s -H \"Authorization: Bearer $TOKEN\" '{base}/v1/attendance/summary?{query}'",
        "  Scripts can still mint a persona token: gateway tokens issue --persona la-attendance --la "
        f"{la_code}",
    ]
