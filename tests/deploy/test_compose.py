"""docker-compose.yml is a valid deployment whose gateway environment matches the settings it reads."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from gateway.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
ALIASES = {"DATABASE_URL", "DATABASE_ADMIN_URL"}
LIBPQ = {"PGPASSFILE"}  # read by libpq itself, not by the gateway


def _compose() -> dict[str, Any]:
    loaded = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert isinstance(loaded, dict)
    return loaded


def _setting_names(model: type[BaseModel], prefix: str) -> set[str]:
    names: set[str] = set()
    for name, field in model.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            names |= _setting_names(annotation, f"{prefix}{name.upper()}__")
        names.add(f"{prefix}{name.upper()}")
    return names


def test_compose_runs_postgres_opa_and_the_gateway() -> None:
    assert set(_compose()["services"]) == {"postgres", "opa", "gateway"}


def test_opa_serves_the_policies_folder_as_a_bundle() -> None:
    opa = _compose()["services"]["opa"]
    assert "--bundle" in opa["command"]
    assert "./policies:/policies:ro" in opa["volumes"]


def test_opa_is_the_release_the_tests_evaluate_with() -> None:
    import opa_bindings

    from gateway.policy.opa_bridge import OPA_VERSION

    library = (Path(opa_bindings.__file__).parent / "libopabridge.so").read_bytes()
    assert _compose()["services"]["opa"]["image"] == f"openpolicyagent/opa:{OPA_VERSION}"
    assert f"open-policy-agent/opa@v{OPA_VERSION}/".encode() in library


def test_every_gateway_variable_is_a_setting_the_gateway_reads() -> None:
    env = _compose()["services"]["gateway"]["environment"]
    known = _setting_names(Settings, "GATEWAY_") | ALIASES | LIBPQ
    assert sorted(set(env) - known) == []


def test_compose_environment_loads_into_settings_with_the_opa_engine(monkeypatch: Any) -> None:
    env = _compose()["services"]["gateway"]["environment"]
    for name, value in env.items():
        monkeypatch.setenv(name, str(value))
    settings = Settings()
    assert settings.policy.engine == "opa"
    assert settings.policy.opa_url == "http://opa:8181"
    assert settings.database_url == "postgresql://gateway_app@postgres:5432/gateway"
    assert settings.auth.trust_dev_issuer is False
    assert settings.auth.issuers[0].jwks_url == json.loads(env["GATEWAY_AUTH__ISSUERS"])[0]["jwks_url"]


def test_gateway_image_is_built_from_the_dockerfile() -> None:
    assert _compose()["services"]["gateway"]["build"] == "."
    assert (ROOT / "Dockerfile").read_text().count("gateway serve") == 1
