"""Build the configured policy engine from settings."""

from __future__ import annotations

from gateway.policy.engine import PolicyEngine
from gateway.settings import PolicySettings


def build_policy_engine(settings: PolicySettings) -> PolicyEngine:
    if settings.engine == "opa":
        from gateway.policy.opa_engine import OPAEngine

        return OPAEngine(
            settings.opa_url,
            bundle_dir=settings.bundle_dir,
            entrypoint=settings.entrypoint,
            timeout_ms=settings.timeout_ms,
            push_bundle=settings.opa_push_bundle,
        )
    if settings.engine in ("regopy", "rego"):
        from gateway.policy.rego_engine import RegoEngine

        return RegoEngine(
            settings.bundle_dir,
            entrypoint=settings.entrypoint,
            timeout_ms=settings.timeout_ms,
            watch=settings.watch,
            cache_entries=settings.cache_entries,
            inline_budget_ms=settings.inline_budget_ms,
        )
    from gateway.policy.regorus_engine import RegorusEngine

    return RegorusEngine(
        settings.bundle_dir,
        entrypoint=settings.entrypoint,
        timeout_ms=settings.timeout_ms,
        watch=settings.watch,
        cache_entries=settings.cache_entries,
        inline_budget_ms=settings.inline_budget_ms,
        use_program=settings.compiled_program,
    )
