"""The pages problem `type` URIs resolve to: `/problems` lists every kind, `/problems/{kind}` explains one.

Public (no token, no audit event, like the API reference): they hold no data, only what each error means
and what to do about it. tests/api/test_problem_types.py keeps this table in step with every kind raised
in gateway/. Plain HTML built here (escaped) rather than through the console's templates: the pages must
render without a console session or its assets.
"""

from __future__ import annotations

from html import escape
from typing import Annotated

from litestar import MediaType, Response, get
from litestar.params import Parameter

from gateway.edge.problems import ProblemError, problem_responses
from gateway.edge.public import PUBLIC

KIND_PATTERN = "^[a-z0-9][a-z0-9-]{0,60}$"
HEADERS = {
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "public, max-age=3600",
}
RENEW = "Get a new token (client credentials at the identity provider's token endpoint) and retry."

# kind -> (status, title, what it means and what to do)
PROBLEM_TYPES: dict[str, tuple[int, str, str]] = {
    "invalid-request": (
        400,
        "Invalid request",
        "A parameter or body member is malformed; `errors` names it.",
    ),
    "unknown-parameter": (400, "Unknown parameter", "The route does not declare this query parameter."),
    "repeated-parameter": (400, "Repeated parameter", "A query parameter was given more than once."),
    "invalid-cursor": (400, "Invalid cursor", "The cursor is not one this listing issued; start again."),
    "missing-token": (401, "Missing token", f"No bearer token was sent. {RENEW}"),
    "malformed-token": (401, "Malformed token", f"The bearer token is not a JWT. {RENEW}"),
    "invalid-token": (401, "Invalid token", f"The token could not be read or verified. {RENEW}"),
    "bad-signature": (401, "Bad signature", f"The token's signature does not verify. {RENEW}"),
    "alg-not-allowed": (401, "Algorithm not allowed", "The token is signed with an algorithm not accepted."),
    "unknown-issuer": (401, "Unknown issuer", "The token's issuer is not trusted by this gateway."),
    "unknown-key": (401, "Unknown key", "The token names a signing key the issuer does not publish."),
    "wrong-audience": (401, "Wrong audience", "The token was issued for another audience."),
    "token-expired": (401, "Token expired", f"The token's exp has passed. {RENEW}"),
    "token-not-yet-valid": (
        401,
        "Token not yet valid",
        "The token's nbf or iat is in the future; check clocks.",
    ),
    "token-lifetime-too-long": (
        401,
        "Token lifetime too long",
        "The token lives longer than the issuer allows.",
    ),
    "token-replayed": (401, "Token replayed", f"The issuer's tokens may be presented once. {RENEW}"),
    "missing-claim": (401, "Missing claim", "A claim the gateway needs is not in the token."),
    "invalid-claim": (401, "Invalid claim", "A claim in the token has a value the gateway refuses."),
    "unauthenticated": (401, "Unauthenticated", f"The request needs a valid bearer token. {RENEW}"),
    "access-denied": (
        403,
        "Access denied",
        "The policy refused the request; `reasons` cite the rule or statute. Ask /v1/decisions/explain "
        "or /v1/me what your agreements allow.",
    ),
    "forbidden": (403, "Forbidden", "The request is not allowed."),
    "csrf-token-invalid": (403, "CSRF token invalid", "A console form was sent without its session's token."),
    "not-found": (404, "Not found", "Nothing is at this path."),
    "pupil-not-found": (404, "Pupil not found", "No such pupil within your scope."),
    "no-attendance": (404, "No attendance", "The school has no attendance in the period."),
    "no-such-table": (404, "No such table", "The console has no table of that name."),
    "event-not-found": (404, "Event not found", "No audit event has this sequence number."),
    "event-not-covered": (404, "Event not covered", "No signed checkpoint covers this event yet; retry."),
    "no-checkpoint": (404, "No checkpoint", "No signed checkpoint exists yet."),
    "method-not-allowed": (405, "Method not allowed", "The path does not answer this method; see Allow."),
    "payload-too-large": (413, "Payload too large", "The body is over the cap named in the detail."),
    "unsupported-media-type": (415, "Unsupported media type", "Send one of the content types listed."),
    "invalid-period": (422, "Invalid period", "The dates do not make a period; `errors` says why."),
    "unknown-period": (422, "Unknown period", "Not a named period of the academic calendar."),
    "conflicting-period": (422, "Conflicting period", "Give a named period or dates, not both."),
    "totals-unavailable": (
        422,
        "Totals unavailable",
        "include_totals=true was asked where the higher-level rows would not be England's (a limited scope,"
        " or trust rows); ask without it.",
    ),
    "incomplete-period": (422, "Incomplete period", "date_from and date_to come together."),
    "period-too-long": (422, "Period too long", "The period is longer than the gateway answers at once."),
    "invalid-range": (422, "Invalid range", "The range's end is before its start."),
    "unknown-region": (422, "Unknown region", "Not a region of England."),
    "unknown-la": (422, "Unknown local authority", "Not a current local authority code."),
    "unknown-school": (422, "Unknown school", "No school has this URN."),
    "unknown-pupil": (422, "Unknown pupil", "No pupil in the store has this UPN."),
    "merge-into-self": (
        422,
        "Merge into itself",
        "A pupil's record cannot be merged into itself: `into` must be the pupil's other UPN.",
    ),
    "conflicting-marks": (
        422,
        "Conflicting marks",
        "Both records have a mark for one session with different codes (the detail names the first day and"
        " session); the school must correct one of them before the merge. Nothing was changed.",
    ),
    "establishment-number-taken": (
        422,
        "Establishment number taken",
        "Another school in the new LA already has this establishment number: the move would give two schools one LAESTAB.",
    ),
    "unknown-trust": (422, "Unknown trust", "No trust has this id."),
    "unknown-phase": (422, "Unknown phase", "The phase is primary, secondary or special."),
    "invalid-upn": (422, "Invalid UPN", "Not a valid unique pupil number (length, LA or check letter)."),
    "missing-parameter": (422, "Missing parameter", "A parameter this request needs is missing."),
    "row-cap-exceeded": (422, "Row cap exceeded", "The answer is over the agreement's row cap; narrow it."),
    "export-too-large": (422, "Export too large", "The export is over its cap; narrow the period."),
    "invalid-feed": (
        422,
        "Invalid feed",
        "The feed file is not one docs/feed.md describes; nothing was written.",
    ),
    "policy-bundle-invalid": (422, "Policy bundle invalid", "The bundle on disk does not compile."),
    "rate-limited": (429, "Too many requests", "Over the requests a minute; wait Retry-After seconds."),
    "internal-error": (500, "Internal error", "The gateway failed; no data was returned."),
    "http-error": (500, "HTTP error", "The request failed at the HTTP layer; the status says how."),
    "disclosure-refused": (
        403,
        "Disclosure refused",
        "The query is outside the published query space (period grid, breakdowns, levels, minimum population)"
        " or, with your earlier releases, would pin a small count; `reasons` names the rule. Ask for a grid"
        " period or a coarser table.",
    ),
    "release-ledger-unavailable": (503, "Release ledger unavailable", "Nothing was released; retry."),
    "effective-date-in-future": (
        422,
        "Effective date in the future",
        "A reassignment takes effect when it is made; give a date not after today.",
    ),
    "disclosure-control-failed": (500, "Disclosure control failed", "Nothing was released."),
    "disclosure-profile-invalid": (500, "Disclosure profile invalid", "Nothing was released."),
    "disclosure-profile-missing": (500, "Disclosure profile missing", "Nothing was released."),
    "audit-unavailable": (503, "Audit unavailable", "The audit log could not record it; nothing was sent."),
    "database-unavailable": (503, "Database unavailable", "Try again after Retry-After seconds."),
    "policy-engine-unavailable": (503, "Policy engine unavailable", "No decision, so no data; retry."),
    "not-ready": (503, "Not ready", "A dependency is failing; the detail names every one."),
}


def _page(title: str, body: str) -> Response[str]:
    html = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)} - Attendance data gateway</title></head><body>{body}</body></html>"
    )
    return Response(html, media_type="text/html", headers=HEADERS)


@get(
    "/problems",
    opt=PUBLIC,
    media_type=MediaType.HTML,
    summary="Every problem type the gateway answers",
    tags=["problems"],
)
async def problem_index() -> Response[str]:
    """An HTML list of every problem `type`, with its status and meaning."""
    items = "".join(
        f'<li><a href="/problems/{escape(k)}">{escape(k)}</a> ({s}): {escape(t)}</li>'
        for k, (s, t, _) in sorted(PROBLEM_TYPES.items())
    )
    return _page("Problem types", f"<h1>Problem types</h1><ul>{items}</ul>")


@get(
    "/problems/{kind:str}",
    opt=PUBLIC,
    media_type=MediaType.HTML,
    summary="What one problem type means and what to do about it",
    tags=["problems"],
    responses=problem_responses(400, 404),
)
async def problem_page(
    kind: Annotated[
        str,
        Parameter(
            description="The problem kind, the last segment of `type`", max_length=61, pattern=KIND_PATTERN
        ),
    ],
) -> Response[str]:
    """The HTML page a problem's `type` URI resolves to."""
    found = PROBLEM_TYPES.get(kind)
    if found is None:
        raise ProblemError(404, "not-found", f"No problem type is called {kind}.")
    status, title, meaning = found
    return _page(
        title,
        f"<h1>{escape(title)}</h1><p>HTTP status {status}. Type <code>/problems/{escape(kind)}</code>.</p>"
        f"<p>{escape(meaning)}</p><p>Every problem is RFC 9457 problem+json: type, title, status, detail, "
        "instance (urn:request:&lt;request id&gt;), and where relevant <code>errors</code> (field, source, "
        'message) or <code>reasons</code> (code, message, citation). <a href="/problems">All types</a>.</p>',
    )


PROBLEM_ROUTES = [problem_index, problem_page]
