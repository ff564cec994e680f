"""`POST /v1/feed/conformance/checks`: a supplier's verdict on the published feed test pack, recorded by the
gateway (issue 15 item 6), not declared by the supplier.

The supplier sends the files its own system produced for the pack (docs/feed-tests/), by the pack's names,
with the `MIS-Product` / `MIS-Version` headers ingest uses. The gateway runs the same checker as
`gateway feed check --pack` (gateway/ingest/pack.py) over them: a dry run that reads files only and writes
nothing to the store but the verdict row. The public record (GET /v1/feed/conformance) shows each product and
version's latest verdict.

Policy: the route is decided as `ingest.registers`. The principals, agreement and purpose are the ones that
send feeds (the feed-submitter role under a collection agreement), and the question ("may this organisation
submit feed files under this agreement?") is the ingest question. The check writes no pupil data, so it
adds no processing to the ingest DPIA entry.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Annotated, Any, Final, Literal

import msgspec
from litestar import post
from litestar.params import Body, HeaderParameter, QueryParameter

from gateway.api.ingest import MIS_NAME_PATTERN, IngestRequested
from gateway.api.params import IDENTIFIER_PATTERN
from gateway.edge.governed import Governance, Governed, governed_route
from gateway.edge.problems import ProblemError, problem_responses
from gateway.ingest.feed import FeedError
from gateway.ingest.pack import PUBLISHED_PACK, FileResult, Outcome, PackError, pack_identity, run_submission
from gateway.store.feed_verdicts import Verdict, record_verdict

MAX_FILE_CHARS: Final = (
    1024 * 1024
)  # the pack's files are a few hundred bytes; a supplier's output is no larger
Result = Literal["pass", "fail"]


def _doc(text: str, example: Any) -> msgspec.Meta:
    return msgspec.Meta(description=text, examples=[example])


# The first row of each pack file, as a supplier's system would write it (the whole pack is docs/feed-tests/).
EXAMPLE_FILES: Final = {
    "schools.csv": "urn,name,la_code,estab_number,phase,school_type\n900001,Pack Primary,202,4001,primary,community\n",
    "roster.csv": "urn,upn,forename,surname,date_of_birth,sex,ethnicity,year_group,fsm,sen_provision,looked_after,"
    "previously_looked_after,child_in_need,child_protection_plan,admission_date,leaving_date,recorded_at\n"
    "900001,G202400125001,Ada,Pack,2018-03-01,F,WBRI,2,true,N,false,false,false,false,2022-09-01,,"
    "2025-09-01T08:00:00Z\n",
    "marks.ndjson": '{"urn": 900001, "upn": "G202400125001", "date": "2025-09-08", "session": "AM", "code": "/",'
    ' "recorded_at": "2025-09-08T08:50:00+01:00"}\n',
    "marks-corrections.csv": "urn,upn,date,session,code,recorded_at\n"
    "900001,G202400125001,2025-09-09,AM,N,2025-09-09T09:00:00+01:00\n",
}


class PackSubmission(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A supplier's own output for the published test pack: one file for each of the pack's, by its name."""

    files: Annotated[
        dict[
            Annotated[str, msgspec.Meta(max_length=200)],
            Annotated[str, msgspec.Meta(max_length=MAX_FILE_CHARS)],
        ],
        msgspec.Meta(
            description="Each pack file's name (as docs/feed-tests/manifest.json names it) and the text the"
            " supplier's system produced for it (UTF-8 CSV or NDJSON)",
            examples=[EXAMPLE_FILES],
            max_length=16,
        ),
    ]


class PackOutcome(msgspec.Struct, kw_only=True):
    """How many rows of a file are accepted, and how many are rejected for each reason."""

    accepted: Annotated[int, _doc("Rows accepted", 3)]
    rejected: Annotated[dict[str, int], _doc("Rows rejected, by reason code", {"bad_value": 2})]

    @classmethod
    def of(cls, outcome: Outcome) -> PackOutcome:
        return cls(accepted=outcome.accepted, rejected=dict(sorted(outcome.rejected.items())))


class PackFileCheck(msgspec.Struct, kw_only=True):
    """One pack file: the outcome the pack states and the checker's outcome on the supplier's output."""

    file: Annotated[str, _doc("The pack file", "schools.csv")]
    verdict: Annotated[Result, _doc("pass when the found outcome is exactly the expected one", "pass")]
    expected: Annotated[PackOutcome, _doc("What the pack's manifest says a conforming system does", None)]
    found: Annotated[PackOutcome, _doc("What the checker found in the supplier's output", None)]


class PackCheck(msgspec.Struct, kw_only=True):
    """The recorded verdict of one check of a supplier's output against the published test pack."""

    governance: Governance
    verdict_id: Annotated[int, _doc("Identifier of the recorded verdict", 12)]
    mis_product: Annotated[str, _doc("The MIS product checked (the MIS-Product header)", "Arbor")]
    mis_version: Annotated[str | None, _doc("Its version (MIS-Version); null when none given", "2026.3.1")]
    sender: Annotated[str, _doc("The organisation that submitted the check", "register-aggregator")]
    pack_version: Annotated[str, _doc("The test pack's version (its manifest's `version`)", "1")]
    pack_digest: Annotated[
        str, _doc("SHA-256 of the pack's manifest and files, in manifest order", "9f2c" + "0" * 60)
    ]
    verdict: Annotated[Result, _doc("pass when every file's outcome is exactly the pack's", "fail")]
    files_failed: Annotated[int, _doc("Files whose outcome differs from the pack's", 1)]
    checked_at: Annotated[datetime, _doc("When the gateway ran the check", "2026-12-02T06:00:00Z")]
    files: Annotated[list[PackFileCheck], _doc("Each pack file, in run order", None)]


def check_request(
    purpose: Annotated[
        str,
        QueryParameter(
            description="Why the check is submitted (e.g. data-collection).",
            min_length=1,
            max_length=100,
            pattern=IDENTIFIER_PATTERN,
        ),
    ],
    agreement: Annotated[
        str,
        QueryParameter(
            description="The collection agreement the supplier sends feeds under.",
            min_length=1,
            max_length=100,
            pattern=IDENTIFIER_PATTERN,
        ),
    ],
    mis_product: Annotated[
        str,
        HeaderParameter(
            name="mis-product",
            description="The MIS product whose output this is; the verdict is recorded for it (docs/feed.md).",
            min_length=1,
            max_length=64,
            pattern=MIS_NAME_PATTERN,
        ),
    ],
    mis_version: Annotated[
        str | None,
        HeaderParameter(
            name="mis-version",
            description="The MIS product's version; the verdict is recorded for it (docs/feed.md).",
            min_length=1,
            max_length=32,
            pattern=MIS_NAME_PATTERN,
        ),
    ] = None,
) -> IngestRequested:
    return IngestRequested(
        purpose=purpose,
        agreement=agreement,
        resource="ingest",
        mis_product=mis_product,
        mis_version=mis_version,
    )


def _file_check(result: FileResult) -> PackFileCheck:
    return PackFileCheck(
        file=result.file,
        verdict="pass" if result.ok else "fail",
        expected=PackOutcome.of(result.expected),
        found=PackOutcome.of(result.found),
    )


@post(
    "/v1/feed/conformance/checks",
    **governed_route("ingest.registers", requested=check_request),
    summary="Check a supplier's output for the published feed test pack and record the verdict",
    tags=["feed"],
    status_code=200,
    responses=problem_responses(400, 401, 403, 422, 503),
    request_max_body_size=8 * 1024 * 1024,
)
async def check_feed_pack(
    data: Annotated[
        PackSubmission, Body(description="The supplier's output for each file of the test pack.")
    ],
    gov: Governed[IngestRequested],
) -> PackCheck:
    """The body names each file of the published test pack (docs/feed-tests/) with the supplier's output for
    it. The gateway checks them as `gateway feed check --pack` does, writes nothing but the verdict, and
    answers the verdict with each file's expected and found outcome. A missing or unexpected file is 422."""
    asked = gov.requested
    assert asked.mis_product is not None  # a required header
    outputs = {name: text.encode("utf-8") for name, text in data.files.items()}
    try:
        results = await asyncio.to_thread(run_submission, PUBLISHED_PACK, outputs)
    except (PackError, FeedError) as exc:
        raise ProblemError(422, "invalid-feed", f"The submission was not checked: {exc}") from exc
    pack = pack_identity(PUBLISHED_PACK)
    files = [_file_check(r) for r in results]
    verdict = Verdict(
        mis_product=asked.mis_product,
        mis_version=asked.mis_version,
        sender=gov.principal.organisation,
        pack_version=pack.version,
        pack_digest=pack.digest,
        passed=all(r.ok for r in results),
        files=[msgspec.to_builtins(f) for f in files],
    )
    recorded = await record_verdict(gov.conn, verdict)
    return PackCheck(
        governance=gov.release(0),
        verdict_id=recorded.verdict_id,
        mis_product=verdict.mis_product,
        mis_version=verdict.mis_version,
        sender=verdict.sender,
        pack_version=pack.version,
        pack_digest=pack.digest,
        verdict="pass" if verdict.passed else "fail",
        files_failed=sum(not r.ok for r in results),
        checked_at=recorded.checked_at,
        files=files,
    )


FEED_CHECK_ROUTES: Final = (check_feed_pack,)
