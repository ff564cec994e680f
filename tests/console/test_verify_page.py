"""The DPO's verification page checks the checkpoint signature and both proofs in Chromium, step by step,
and fails visibly when a proof is altered on its way to the browser."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, Route

from tests.console.conftest import Live, screenshot, sign_in

STEPS = "#verify-steps .app-verify-step"


def open_with_checkpoints(page: Page, live: Live) -> None:
    """The page once at least two checkpoints are signed (each console request is an event; 20 make one)."""
    sign_in(page, live, "dfe-dpo")
    for _ in range(60):
        page.goto(f"{live.gateway}/console/audit/verify")
        if page.locator("#older option").count() >= 2:  # "None" and at least one earlier checkpoint
            return
    raise AssertionError("no two checkpoints were signed after 60 page views")


def verify(page: Page) -> str:
    page.click("#verify-button")
    page.wait_for_selector("#verify-result[data-result]")
    return str(page.locator("#verify-result").get_attribute("data-result"))


def test_an_untouched_log_verifies_in_the_browser_step_by_step(page: Page, live: Live) -> None:
    open_with_checkpoints(page, live)
    result = verify(page)
    titles = page.locator(f"{STEPS} .app-verify-step__title").all_inner_texts()
    outcomes = [page.locator(STEPS).nth(i).get_attribute("data-result") for i in range(len(titles))]
    screenshot(page, "verify-passed")
    assert (result, set(outcomes), len(titles)) == ("passed", {"passed"}, 8)
    assert (titles[5].endswith("(inclusion proof)"), titles[7].endswith("(consistency proof)")) == (
        True,
        True,
    )


def flip_first_hash(route: Route) -> None:
    """Pass the gateway's answer on with one hash of its audit path changed by one hex digit."""
    body = route.fetch().json()
    first = body["path"][0]
    body["path"][0] = ("1" if first[0] != "1" else "2") + first[1:]
    route.fulfill(status=200, content_type="application/json", body=json.dumps(body))


@pytest.mark.parametrize(
    ("url", "failing"),
    [
        ("**/v1/audit/events/*/proof*", "is in the log (inclusion proof)"),
        ("**/v1/audit/consistency*", "(consistency proof)"),
    ],
    ids=["inclusion", "consistency"],
)
def test_an_altered_proof_fails_visibly(page: Page, live: Live, url: str, failing: str) -> None:
    open_with_checkpoints(page, live)
    page.route(url, flip_first_hash)
    result = verify(page)
    failed = page.locator(f"{STEPS}[data-result=failed] .app-verify-step__title").all_inner_texts()
    screenshot(page, f"verify-failed-{failing.split('(')[-1].split()[0]}")
    assert (result, len(failed), failing in failed[0]) == ("failed", 1, True)
    assert page.locator("#verify-result").inner_text().startswith("Verification failed")
