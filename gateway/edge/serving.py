"""How uvicorn serves the gateway: no `Server:` banner naming the software, no access log of its own (the
edge writes one without query strings), and logging left to gateway.observability."""

from __future__ import annotations

from typing import Any

UVICORN_OPTIONS: dict[str, Any] = {"server_header": False, "access_log": False, "log_config": None}
