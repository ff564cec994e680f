"""Benchmark: every console page's latency on the LA-sized demo dataset (the `make demo` data set).

Starts the development identity provider and `gateway serve` as child processes, signs each persona in
through the real authorization-code flow in Debian's Chromium (Playwright), then times every page:
a few in the browser (navigation to the load event, assets and all) and every page with an HTTP client
carrying the browser's session cookie (one request at a time). The console home page, the smallest
governed page, is the baseline measured in the same run; each page's p50 is also given as a ratio to it.
Target (issue 14): every page p50 <= 150 ms and p99 <= 500 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import psycopg
from playwright.sync_api import Browser, sync_playwright

from gateway.db.urls import resolve_database
from gateway.demo import prepare_demo_data
from gateway.observability import configure_logging
from gateway.settings import (
    AuditSettings,
    AuthSettings,
    ConsoleSettings,
    IdpSettings,
    PrivacySettings,
    Settings,
    environment_for,
)

ROOT = Path(__file__).resolve().parents[1]
VAR = ROOT / "var" / "bench-console"
CHROMIUM = "/usr/bin/chromium"
REASON = "Termly targeting meeting, autumn 2025"
P50_TARGET_MS, P99_TARGET_MS = 150.0, 500.0
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def bench_settings(port: int) -> Settings:
    keys = VAR / "keys"
    gateway, idp = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{port + 1}"
    return Settings(
        pg_data_dir=ROOT / "var" / "bench-pgdata",
        database_name=os.environ.get("BENCH_CONSOLE_DATABASE", "gateway_bench_console"),
        var_dir=VAR,
        port=port,
        log_level="WARNING",
        auth=AuthSettings(dev_key_dir=keys / "dev-issuer", dev_idp_issuer=idp),
        idp=IdpSettings(clients_dir=keys / "idp", console_redirect_uris=[f"{gateway}/console/callback"]),
        console=ConsoleSettings(
            redirect_uri=f"{gateway}/console/callback", session_key_file=keys / "console-session.bin"
        ),
        privacy=PrivacySettings(keyring_file=keys / "pseudonym-keyring.json"),
        audit=AuditSettings(signing_key_file=keys / "audit.pem", subject_key_file=keys / "audit-subject.bin"),
    )


def wait_ready(url: str, process: subprocess.Popen[bytes], timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"a server exited during start-up ({url})")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not become ready")


def area(admin_url: str) -> dict[str, Any]:
    """The LA with most enrolments, its largest school, and one pupil on roll there."""
    with psycopg.connect(admin_url) as conn:
        la_code, urn = conn.execute(
            "SELECT la_code, urn FROM enrolments GROUP BY la_code, urn"
            " ORDER BY sum(count(*)) OVER (PARTITION BY la_code) DESC, count(*) DESC LIMIT 1"
        ).fetchone() or (0, 0)
        (upn,) = conn.execute(
            "SELECT p.upn FROM enrolments e JOIN pupils p USING (pupil_id)"
            " WHERE e.urn = %s AND e.leaving_date IS NULL ORDER BY e.enrolment_id LIMIT 1",
            (urn,),
        ).fetchone() or ("",)
    return {"la_code": int(la_code), "urn": int(urn), "upn": str(upn)}


def loaded(admin_url: str) -> dict[str, Any]:
    """What the bench database holds now (for --as-loaded: possibly only part of the demo set)."""
    with psycopg.connect(admin_url) as conn:
        row = conn.execute(
            "SELECT (SELECT count(*) FROM schools), (SELECT count(DISTINCT la_code) FROM schools),"
            " (SELECT count(*) FROM pupils), (SELECT count(*) FROM marks), (SELECT max(date) FROM marks),"
            " (SELECT count(*) FROM ingest_batches)"
        ).fetchone() or (0, 0, 0, 0, None, 0)
    schools, las, pupils, marks, last_date, batches = row
    return {"schools": schools, "las": las, "pupils": pupils, "marks": marks, "last_date": str(last_date),
            "batches": batches}  # fmt: skip


def sign_in(browser: Browser, gateway: str, persona: str, la_code: int, urn: int) -> Any:
    """A browser context signed in as the persona through the identity provider's picker."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{gateway}/console/sign-in")
    page.wait_for_url("**/authorize?*")
    page.check(f"input[name=persona][value='{persona}']")
    page.fill("#la_code", str(la_code))
    page.fill("#urn", str(urn))
    page.click("button:has-text('Sign in')")
    page.wait_for_url(f"{gateway}/console/")
    return context


def summary(timings: list[float]) -> dict[str, float]:
    ordered = sorted(timings)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return {"p50_ms": round(statistics.median(ordered), 1), "p99_ms": round(p99, 1), "n": len(ordered)}


def time_http(
    client: httpx.Client, method: str, path: str, form: dict[str, str] | None, n: int
) -> list[float]:
    timings = []
    for _ in range(n + 2):  # the first two warm the caches and are not counted
        started = time.perf_counter()
        response = client.request(method, path, data=form, headers={"Accept": "text/html"})
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{method} {path} answered {response.status_code}: {response.text[:300]}")
    return timings[2:]


# The browser's own Navigation Timing of the load just made: until the last byte of the page arrived
# (request, server, transfer), and from then to the end of the load event (parsing, styles, layout, the
# SVG charts, assets from the cache), so a slow browser figure says which side it is on.
NAVIGATION_SPLIT = (
    "() => { const n = performance.getEntriesByType('navigation')[0];"
    " return [n.responseEnd - n.startTime, n.loadEventEnd - n.responseEnd]; }"
)


def time_browser(context: Any, url: str, n: int) -> tuple[list[float], list[float], list[float]]:
    """Wall time of each load (navigation to the load event), and its split: page received, then rendered."""
    page = context.new_page()
    timings, received, rendered = [], [], []
    for _ in range(n + 1):
        started = time.perf_counter()
        response = page.goto(url, wait_until="load")
        timings.append((time.perf_counter() - started) * 1000)
        if response is None or response.status != 200:
            body = response.text()[:600] if response is not None else ""
            raise RuntimeError(f"the browser got {response and response.status} for {url}: {body}")
        arrived, after = page.evaluate(NAVIGATION_SPLIT)
        received.append(float(arrived))
        rendered.append(float(after))
    page.close()
    return timings[1:], received[1:], rendered[1:]


def browser_summary(loads: tuple[list[float], list[float], list[float]]) -> dict[str, float]:
    timings, received, rendered = loads
    return {
        **summary(timings),
        "received_p50_ms": round(statistics.median(received), 1),
        "rendered_p50_ms": round(statistics.median(rendered), 1),
    }


def pages(where: dict[str, Any]) -> dict[str, list[tuple[str, str, str, dict[str, str] | None]]]:
    """persona -> (name, method, path, form) for every page it holds; forms get the CSRF token later."""
    officer = {"purpose": "attendance-support", "reason": REASON}
    return {
        "school-lead": [
            (name, "GET", f"/console/school/{name.split('-')[1]}", None)
            for name in ("school-attendance", "school-benchmark", "school-trend", "school-pupils")
        ],
        "la-attendance": [
            ("la-start", "GET", "/console/la/", None),
            ("la-schools", "POST", "/console/la/schools", officer),
            *(
                (f"la-pupils-{c}", "POST", "/console/la/pupils", {**officer, "criterion": c})
                for c in ("persistent", "severe", "unauthorised_10_in_10")
            ),
            ("la-early-warning", "POST", "/console/la/early-warning", officer),
            ("pupil-calendar", "POST", "/console/pupil", {**officer, "upn": where["upn"]}),
        ],
        "dfe-analyst": [
            ("national-daily", "GET", "/console/national/daily", None),
            ("national-closures", "GET", "/console/national/closures", None),
            ("feed-conformance", "GET", "/console/feed", None),
        ],
        "la-dpo": [
            ("audit-search", "GET", "/console/audit/events", None),
            ("audit-subject", "GET", "/console/audit/subject", None),
            ("audit-subject-lookup", "POST", "/console/audit/subject", {"upn": where["upn"]}),
            ("audit-report", "GET", "/console/audit/report", None),
            ("audit-verify", "GET", "/console/audit/verify", None),
        ],
    }


BROWSER_PAGES = {
    "school-lead": "/console/school/trend",
    "la-attendance": "/console/la/",
    "dfe-analyst": "/console/national/daily",
    "la-dpo": "/console/audit/verify",
}


def measure(
    gateway: str, where: dict[str, Any], n: int, n_browser: int, only: frozenset[str] | None = None
) -> dict[str, Any]:
    http: dict[str, dict[str, float]] = {}
    browser_figures: dict[str, dict[str, float]] = {}
    baseline: list[float] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for persona, every_page in pages(where).items():
            persona_pages = [p for p in every_page if only is None or p[0] in only]
            if not persona_pages:
                continue
            context = sign_in(browser, gateway, persona, where["la_code"], where["urn"])
            cookies = {c["name"]: c["value"] for c in context.cookies()}
            with httpx.Client(base_url=gateway, cookies=cookies, timeout=30) as client:
                home = client.get("/console/", headers={"Accept": "text/html"})
                token = CSRF.search(home.text)
                baseline += time_http(client, "GET", "/console/", None, n)
                for name, method, path, form in persona_pages:
                    filled = None if form is None else {**form, "csrf_token": token.group(1) if token else ""}
                    http[name] = summary(time_http(client, method, path, filled, n))
            browser_figures[BROWSER_PAGES[persona]] = browser_summary(
                time_browser(context, gateway + BROWSER_PAGES[persona], n_browser)
            )
            context.close()
        browser.close()
    base = summary(baseline)
    for figures in http.values():
        figures["p50_vs_home"] = round(figures["p50_ms"] / base["p50_ms"], 2)
    # The target holds for every page however it is timed: a browser load (rendering included) counts too.
    timed = {**http, **{f"browser {path}": f for path, f in browser_figures.items()}}
    slow = sorted(k for k, v in timed.items() if v["p50_ms"] > P50_TARGET_MS or v["p99_ms"] > P99_TARGET_MS)
    return {"baseline_home": base, "http": http, "browser": browser_figures, "over_target": slow}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=30, help="Timed requests per page (HTTP client).")
    parser.add_argument("--browser-loads", type=int, default=10, help="Timed loads per browser page.")
    parser.add_argument("--port", type=int, default=8775, help="The gateway's port (the provider's is +1).")
    parser.add_argument(
        "--as-loaded",
        action="store_true",
        help="Time the data already in the bench database (however much of the demo set is in) without "
        "ingesting the rest; the output gives its dates and counts.",
    )
    parser.add_argument(
        "--pages",
        nargs="+",
        metavar="NAME",
        help="Time only these pages (names as in the output, e.g. national-closures); default: every page.",
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    configure_logging("WARNING", json=True)
    settings = bench_settings(args.port)
    started = time.perf_counter()
    if args.as_loaded:
        dataset = loaded(resolve_database(settings).admin)
    else:
        data = prepare_demo_data(settings, progress=lambda line: print(line, file=sys.stderr))
        dataset = {
            "schools": data.schools,
            "las": data.local_authorities,
            "pupils": data.pupils,
            "marks": data.marks,
            "last_date": str(data.last_date),
        }
    load_seconds = time.perf_counter() - started
    where = area(resolve_database(settings).admin)
    env = {**os.environ, **environment_for(settings), "GATEWAY_LOG_LEVEL": "WARNING"}
    gateway = f"http://127.0.0.1:{args.port}"
    cli = [sys.executable, "-m", "gateway.cli"]
    quiet = {"env": env, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    idp = subprocess.Popen([*cli, "idp", "serve"], **quiet)  # type: ignore[call-overload]
    server = subprocess.Popen([*cli, "serve", "--workers", "1", "--port", str(args.port)], **quiet)  # type: ignore[call-overload]
    try:
        wait_ready(f"{settings.auth.dev_idp_issuer}/.well-known/openid-configuration", idp)
        wait_ready(gateway + "/health/ready", server)
        only = frozenset(args.pages) if args.pages else None
        figures = measure(gateway, where, args.requests, args.browser_loads, only)
    finally:
        for process in (server, idp):
            process.terminate()
            process.wait(timeout=30)
    result = {
        "dataset": {**dataset, "load_seconds": round(load_seconds, 1)},
        "area": {"la_code": where["la_code"], "urn": where["urn"]},
        "targets_ms": {"p50": P50_TARGET_MS, "p99": P99_TARGET_MS},
        "load_average": os.getloadavg(),
        **figures,
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"baseline (home) p50 {figures['baseline_home']['p50_ms']} ms")
    for name, f in {**figures["http"], **figures["browser"]}.items():
        print(f"{name:32} p50 {f['p50_ms']:7.1f} ms  p99 {f['p99_ms']:7.1f} ms")
    print("over target:", ", ".join(figures["over_target"]) or "none")


if __name__ == "__main__":
    main()
