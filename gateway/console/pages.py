"""The console's pages as data: each one's address, title and policy action, and which agreements serve it.

A page is offered to a principal only when the policy says the principal holds an agreement in force that
covers the page's action and whose area scope fits the page (a school's pages need an own-school agreement,
the national pages a national one). The agreement a page's request names is chosen the same way, so what
the navigation shows and what the policy allows cannot drift apart: the policy still decides every view.
"""

from __future__ import annotations

import dataclasses
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Final

from litestar import Request

from gateway.auth.principal import Principal
from gateway.console.agreements import AgreementData, HeldAgreement, agreements_held
from gateway.edge.guard import principal_of
from gateway.services import Services

HOME: Final = "/console/"
IN_FORCE: Final = "In force"


@dataclass(frozen=True, slots=True)
class PageSpec:
    key: str
    path: str
    title: str
    action: str
    scopes: frozenset[str]  # the agreement scopes (policies/data/agreements `scope`) this page serves
    section: str
    in_navigation: bool = True


def _page(
    key: str, path: str, title: str, action: str, scopes: set[str], section: str, **kw: Any
) -> PageSpec:
    return PageSpec(key, path, title, action, frozenset(scopes), section, **kw)


OVERSIGHT = {"all-organisations", "own-organisation"}
PAGES: Final[tuple[PageSpec, ...]] = (
    _page("school-attendance", "/console/school/attendance", "Attendance", "attendance.summary",
          {"own-school"}, "school"),
    _page("school-benchmark", "/console/school/benchmark", "Benchmark", "schools.benchmark",
          {"benchmark-own-school"}, "school"),
    _page("school-trend", "/console/school/trend", "Weekly trend", "schools.trend",
          {"benchmark-own-school"}, "school"),
    _page("school-pupils", "/console/school/pupils", "Pupils", "pupils.list", {"own-school"}, "school"),
    _page("la-start", "/console/la/", "Local authority", "pupils.list", {"own-la"}, "la"),
    _page("la-schools", "/console/la/schools", "Schools", "attendance.summary", {"own-la"}, "la",
          in_navigation=False),
    _page("la-pupils", "/console/la/pupils", "Pupil lists", "pupils.list", {"own-la"}, "la",
          in_navigation=False),
    _page("la-early-warning", "/console/la/early-warning", "Early warning", "early_warning.list",
          {"own-la"}, "la", in_navigation=False),
    _page("pupil-calendar", "/console/pupil", "Pupil's attendance", "pupils.attendance",
          {"own-la", "own-school"}, "casework", in_navigation=False),
    _page("national-daily", "/console/national/daily", "Daily series", "attendance.daily", {"national"},
          "national"),
    _page("national-closures", "/console/national/closures", "Closures", "attendance.closures",
          {"national"}, "national"),
    _page("audit-search", "/console/audit/events", "Audit log", "audit.search", OVERSIGHT, "dpo"),
    _page("audit-subject", "/console/audit/subject", "Who accessed a pupil", "audit.subject", OVERSIGHT,
          "dpo"),
    _page("audit-report", "/console/audit/report", "Transparency report", "audit.report", OVERSIGHT, "dpo"),
    _page("audit-verify", "/console/audit/verify", "Verify the log", "audit.checkpoint", OVERSIGHT, "dpo"),
)  # fmt: skip
PAGE_BY_KEY: Final = {p.key: p for p in PAGES}


class HeldAgreements:
    """What the policy says a principal holds, remembered per (principal, policy revision, day).

    Asking costs one decision per agreement in the bundle; a page view needs the answer twice (to name its
    agreement and to draw the navigation), so it is kept for a while. A new bundle revision or a new day
    (agreements start and end on dates) asks again."""

    def __init__(self, max_entries: int = 512) -> None:
        self.max_entries = max_entries
        self.data = AgreementData()
        self._entries: OrderedDict[tuple[Principal, str, date], list[HeldAgreement]] = OrderedDict()

    async def of(self, services: Services, principal: Principal) -> list[HeldAgreement]:
        engine = services.policy_engine
        who = dataclasses.replace(principal, token_id=None)  # the same person across refreshed tokens
        key = (who, engine.revision, datetime.now(UTC).date())
        found = self._entries.get(key)
        if found is not None:
            self._entries.move_to_end(key)
            return found
        agreements = self.data.for_revision(engine, services.settings.policy.bundle_dir)
        held = await agreements_held(engine, agreements, who)
        self._entries[key] = held
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)
        return held

    def scope_of(self, agreement_id: str) -> str | None:
        agreement = (self.data.agreements or {}).get(agreement_id) or {}
        scope = agreement.get("scope")
        return scope if isinstance(scope, str) else None


HELD = HeldAgreements()


def serving(page: PageSpec, held: list[HeldAgreement]) -> list[HeldAgreement]:
    """The agreements in force that cover the page's action with a scope the page serves, by id."""
    return [
        a
        for a in held
        if a.status == IN_FORCE and page.action in a.actions and HELD.scope_of(a.agreement_id) in page.scopes
    ]


async def held_by(request: Request[Any, Any, Any], services: Services) -> list[HeldAgreement]:
    return await HELD.of(services, principal_of(request))


async def agreement_for(
    request: Request[Any, Any, Any], services: Services, key: str
) -> HeldAgreement | None:
    """The agreement the page's request names: None when the principal holds none (the policy then denies)."""
    found = serving(PAGE_BY_KEY[key], await held_by(request, services))
    return found[0] if found else None


def visible_pages(held: list[HeldAgreement]) -> list[PageSpec]:
    return [p for p in PAGES if serving(p, held)]


def navigation(held: list[HeldAgreement], active: str) -> list[dict[str, Any]]:
    """Home, then the principal's own pages (a section's start page stands for the pages behind it)."""
    items = [{"href": HOME, "text": "Home", "active": active == HOME}]
    current = next((p for p in PAGES if p.path == active), None)
    for page in visible_pages(held):
        if not page.in_navigation:
            continue
        is_active = page.path == active or (
            current is not None and not current.in_navigation and current.section == page.section
        )
        items.append({"href": page.path, "text": page.title, "active": is_active})
    return items
