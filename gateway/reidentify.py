"""Re-identification: the one operation that combines authentication, policy, the keyring and the audit log
outside the HTTP edge, so it lives above the stages (privacy stays pure). Added to `gateway pseudonyms`."""

from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass

import click

from gateway.audit.record import AccessRecord
from gateway.auth.principal import Principal
from gateway.policy.decision import Decision
from gateway.privacy.cli import pass_settings, pseudonyms
from gateway.privacy.keyring import KeyringError, load_keyring
from gateway.privacy.pseudonyms import PseudonymError, Pseudonymiser, parse_token
from gateway.settings import Settings

REIDENTIFY_ACTION = "pseudonyms.reidentify"


class ReidentificationRefused(click.ClickException):
    """The caller is not authenticated, or the policy does not allow this re-identification."""

    exit_code = 3

    def __init__(
        self, message: str, principal: Principal | None = None, decision: Decision | None = None
    ) -> None:
        super().__init__(message)
        self.principal = principal
        self.decision = decision


@dataclass(frozen=True, slots=True)
class Reidentification:
    """What the audit hook needs: who asked, under which decision, for which domain (and the answer)."""

    principal: Principal
    decision: Decision
    domain: str
    upn: str


@pseudonyms.command("reidentify")
@click.argument("pseudonym")
@click.option("--domain", required=True, help="The pseudonym domain the token must belong to.")
@click.option(
    "--token", "jwt", required=True, envvar="GATEWAY_TOKEN", help="Your bearer JWT (or GATEWAY_TOKEN)."
)
@click.option("--agreement", default=None, help="The agreement that allows re-identification.")
@click.option("--purpose", default=None, help="The purpose, as the agreement names it.")
@click.option("--reason", required=True, help="Why this pupil must be re-identified (recorded).")
@pass_settings
def reidentify(
    settings: Settings,
    pseudonym: str,
    domain: str,
    jwt: str,
    agreement: str | None,
    purpose: str | None,
    reason: str,
) -> None:
    """Print the UPN behind a reversible token, for a principal the policy allows to re-identify."""
    result = asyncio.run(
        audited_reidentification(
            settings, pseudonym, domain=domain, jwt=jwt, agreement=agreement, purpose=purpose, reason=reason
        )
    )
    click.echo(result.upn)


async def audited_reidentification(
    settings: Settings,
    pseudonym: str,
    *,
    domain: str,
    jwt: str,
    agreement: str | None,
    purpose: str | None,
    reason: str,
) -> Reidentification:
    """Every attempt, allowed or refused, is an audit event; the UPN is released only once its event is
    committed (if the audit log cannot be written, nothing is re-identified)."""
    started = time.perf_counter()
    record = AccessRecord(
        request_id=uuid.uuid4().hex,
        method="CLI",
        route="gateway pseudonyms reidentify",
        client="command line",
        action=REIDENTIFY_ACTION,
        purpose=purpose,
        agreement=agreement,
        reason_given=bool(reason),
        reason_text=reason,
        params={"domain": domain, "pseudonym": pseudonym},
    )
    try:
        result = await authorised_reidentification(
            settings, pseudonym, domain=domain, jwt=jwt, agreement=agreement, purpose=purpose, reason=reason
        )
    except ReidentificationRefused as refused:
        record.principal, record.decision = refused.principal, refused.decision
        record.auth_error = "unauthenticated" if refused.principal is None else None
        try:
            await _append(settings, record, 401 if refused.principal is None else 403, started)
        except click.ClickException as audit_failure:
            # Still a refusal (nothing was released); say that the attempt could not be recorded too.
            raise ReidentificationRefused(f"{refused.message}; {audit_failure.message}") from None
        raise
    record.principal, record.decision, record.rows_returned = result.principal, result.decision, 1
    record.subject_upns.add(result.upn)
    await _append(settings, record, 200, started)
    return result


async def _append(settings: Settings, record: AccessRecord, status: int, started: float) -> None:
    from gateway.audit.log import AuditLog
    from gateway.db.pool import create_pool
    from gateway.db.urls import resolve_database

    pool = create_pool(resolve_database(settings).app, 1, 1)
    try:
        await pool.open(wait=True, timeout=30)
        audit = AuditLog.from_settings(settings.audit, pool)
        await audit.append(record, status=status, duration_s=time.perf_counter() - started)
    except Exception as error:
        raise click.ClickException(
            f"the audit log could not record this re-identification ({type(error).__name__}); nothing was released"
        ) from None
    finally:
        await pool.close()


async def authorised_reidentification(
    settings: Settings,
    pseudonym: str,
    *,
    domain: str,
    jwt: str,
    agreement: str | None,
    purpose: str | None,
    reason: str,
) -> Reidentification:
    """Verify the JWT, ask the policy, check its obligations allow reversible tokens here, then reverse.

    Fails closed at every step: no verified principal, a denial, an engine failure, or obligations that
    do not name this domain with method "siv" all refuse, and the token is never opened.
    """
    from gateway.auth.authenticator import Authenticator
    from gateway.auth.errors import AuthError
    from gateway.policy.engine import PolicyEngineError
    from gateway.policy.factory import build_policy_engine
    from gateway.policy.input import policy_input

    try:
        parsed = parse_token(pseudonym)
    except PseudonymError as error:
        raise click.BadParameter(str(error), param_hint="PSEUDONYM") from None
    if parsed.kind != "r" or parsed.domain != domain:
        raise ReidentificationRefused("only reversible tokens of the named domain can be re-identified")
    try:
        principal = await Authenticator(settings.auth).authenticate(f"Bearer {jwt}")
    except AuthError as error:
        raise ReidentificationRefused(f"not authenticated: {error}") from None
    document = policy_input(
        principal,
        action=REIDENTIFY_ACTION,
        purpose=purpose,
        agreement=agreement,
        reason=reason,
        resource={"resource": "pseudonym"},
    )
    engine = build_policy_engine(settings.policy.model_copy(update={"watch": False}))
    try:
        decision = await engine.decide(document)
    except PolicyEngineError:
        raise ReidentificationRefused(
            "the policy engine could not decide; nothing was re-identified"
        ) from None
    finally:
        engine.close()
    if not decision.allow:
        raise ReidentificationRefused(
            "the policy denied re-identification: " + ", ".join(decision.reason_codes), principal, decision
        )
    obligations = decision.obligations
    if obligations.pseudonym_method != "siv" or obligations.pseudonym_domain != domain:
        raise ReidentificationRefused(
            "the agreement does not allow reversible tokens in this domain", principal, decision
        )
    try:
        upn = Pseudonymiser(load_keyring(settings.privacy)).reidentify(pseudonym, domain=domain)
    except (KeyringError, PseudonymError) as error:
        raise ReidentificationRefused(str(error), principal, decision) from None
    return Reidentification(principal=principal, decision=decision, domain=domain, upn=upn)


__all__ = ["pseudonyms"]
