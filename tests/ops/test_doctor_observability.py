"""`gateway doctor` checks the observability settings (issue 17): the /metrics scrape token's length and
entropy (a failure in production, a warning elsewhere) and that the OTLP traces endpoint is a usable URL."""

from __future__ import annotations

import secrets

import pytest
from pydantic import SecretStr

from gateway.ops.doctor import Finding
from gateway.ops.doctor_observability import (
    metrics_token_finding,
    observability_findings,
    token_bits,
    tracing_endpoint_finding,
)
from gateway.settings import Settings


def configured(environment: str = "production", **values: object) -> Settings:
    return Settings(environment=environment).model_copy(update=values)


def test_with_neither_setting_both_are_reported_off() -> None:
    assert observability_findings(configured()) == [
        Finding("metrics.token", "ok", "/metrics is off (no GATEWAY_METRICS_TOKEN): it answers 404"),
        Finding("tracing.endpoint", "ok", "traces are off (no GATEWAY_TRACING_OTLP_ENDPOINT)"),
    ]


def test_a_random_token_passes_in_production() -> None:
    token = secrets.token_urlsafe(32)
    finding = metrics_token_finding(configured(metrics_token=SecretStr(token)))
    assert finding == Finding("metrics.token", "ok", f"/metrics needs a {len(token)}-character bearer token")


@pytest.mark.parametrize(
    ("token", "bits"),
    [
        ("metrics", 19),  # short: 7 lower-case letters, 6 distinct
        ("a" * 64, 0),  # long but one character
        ("abababababababababababababababab", 32),  # long, two characters
        ("correct-horse-battery-staple", 103),  # words: long enough, too little entropy
    ],
)
def test_a_weak_token_fails_in_production_without_showing_it(token: str, bits: int) -> None:
    finding = metrics_token_finding(configured(metrics_token=SecretStr(token)))
    assert int(token_bits(token)) == bits
    assert finding.status == "fail"
    assert finding.detail == (
        f"GATEWAY_METRICS_TOKEN is weak ({len(token)} characters, about {bits} bits; needs 128)"
    )
    assert token not in finding.detail
    assert token not in finding.fix
    assert finding.fix.startswith("set GATEWAY_METRICS_TOKEN to a random token")


def test_a_weak_token_is_a_warning_outside_production() -> None:
    finding = metrics_token_finding(configured("development", metrics_token=SecretStr("metrics")))
    assert finding.status == "warn"


def test_token_entropy_of_nothing_is_zero() -> None:
    assert token_bits("") == 0.0


def test_a_hex_token_counts_two_classes() -> None:
    token = "0123456789abcdef" * 2  # 32 hex characters: 36-letter alphabet, 16 distinct
    assert int(token_bits(token)) == 128  # limited by its 16 distinct characters: 32 * 4


def test_a_token_with_punctuation_counts_the_other_characters() -> None:
    token = "Ab1!" * 8
    # 26 + 26 + 10 + 33 = 95 letters, but only 4 distinct: 32 * 2 bits
    assert token_bits(token) == 64.0


@pytest.mark.parametrize(
    ("endpoint", "status", "detail"),
    [
        ("http://127.0.0.1:4318/v1/traces", "ok", "traces are exported to http://127.0.0.1:4318/v1/traces"),
        (
            "https://otel.example.org/v1/traces",
            "ok",
            "traces are exported to https://otel.example.org/v1/traces",
        ),
        ("collector:4318", "fail", "not an http(s) URL with a host"),
        ("ftp://collector/v1/traces", "fail", "not an http(s) URL with a host"),
        ("http:///v1/traces", "fail", "not an http(s) URL with a host"),
        ("http://collector:99999/v1/traces", "fail", "not a URL: Port out of range 0-65535"),
        (
            "http://collector:port/v1/traces",
            "fail",
            "not a URL: Port could not be cast to integer value as 'port'",
        ),
        ("https://user:secret@otel.example.org/v1/traces", "fail", "the URL carries credentials"),
        (
            "http://collector:4318",
            "warn",
            "http://collector:4318 does not end in /v1/traces: the exporter posts to it as given",
        ),
        (
            "http://otel.example.org/v1/traces",
            "warn",
            "http://otel.example.org/v1/traces: spans (routes, decisions, timings) would cross the network unencrypted",
        ),
    ],
)
def test_the_traces_endpoint_is_checked_in_production(endpoint: str, status: str, detail: str) -> None:
    finding = tracing_endpoint_finding(configured(tracing_otlp_endpoint=endpoint))
    assert (finding.status, finding.detail) == (status, detail)
    assert "secret" not in finding.detail


def test_plain_http_to_a_remote_collector_is_fine_outside_production() -> None:
    finding = tracing_endpoint_finding(
        configured("development", tracing_otlp_endpoint="http://otel.example.org/v1/traces")
    )
    assert finding.status == "ok"
