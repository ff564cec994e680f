import datetime
from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.pupil_history import PupilHistory
from ...types import UNSET, Response, Unset


def _get_kwargs(
    upn: str,
    *,
    purpose: str,
    agreement: str,
    reason: None | str | Unset = UNSET,
    period: None | str | Unset = UNSET,
    date_from: datetime.date | None | Unset = UNSET,
    date_to: datetime.date | None | Unset = UNSET,
    fields: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["purpose"] = purpose

    params["agreement"] = agreement

    json_reason: None | str | Unset
    if isinstance(reason, Unset):
        json_reason = UNSET
    else:
        json_reason = reason
    params["reason"] = json_reason

    json_period: None | str | Unset
    if isinstance(period, Unset):
        json_period = UNSET
    else:
        json_period = period
    params["period"] = json_period

    json_date_from: None | str | Unset
    if isinstance(date_from, Unset):
        json_date_from = UNSET
    elif isinstance(date_from, datetime.date):
        json_date_from = date_from.isoformat()
    else:
        json_date_from = date_from
    params["date_from"] = json_date_from

    json_date_to: None | str | Unset
    if isinstance(date_to, Unset):
        json_date_to = UNSET
    elif isinstance(date_to, datetime.date):
        json_date_to = date_to.isoformat()
    else:
        json_date_to = date_to
    params["date_to"] = json_date_to

    json_fields: None | str | Unset
    if isinstance(fields, Unset):
        json_fields = UNSET
    else:
        json_fields = fields
    params["fields"] = json_fields

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/pupils/{upn}/attendance".format(
            upn=quote(str(upn), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | Problem | PupilHistory | None:
    if response.status_code == 200:
        response_200 = PupilHistory.from_dict(response.json())

        return response_200

    if response.status_code == 304:
        response_304 = cast(Any, None)
        return response_304

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())

        return response_429

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Any | Problem | PupilHistory]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    upn: str,
    *,
    client: AuthenticatedClient,
    purpose: str,
    agreement: str,
    reason: None | str | Unset = UNSET,
    period: None | str | Unset = UNSET,
    date_from: datetime.date | None | Unset = UNSET,
    date_to: datetime.date | None | Unset = UNSET,
    fields: None | str | Unset = UNSET,
) -> Response[Any | Problem | PupilHistory]:
    """One pupil's session history for casework (pupils on roll in your area only)

     Every mark of the pupil's enrolments in the caller's scope over the period.

    Args:
        upn (str): The pupil's UPN: 13 characters (a check letter, 11 digits, a digit or letter)
            with a correct check letter and an English LA number (422 otherwise).
        purpose (str): Why the data is needed; must be a purpose of the agreement.
        agreement (str): The data-sharing agreement the request is made under.
        reason (None | str | Unset): Why you need this (required by some agreements; recorded in
            the audit log).
        period (None | str | Unset): A named period instead of date_from and date_to: ytd (the
            academic year to the latest session received; the default when no dates are given), an
            academic year (2025-26), a term (autumn-2025, spring-2026, summer-2026) or a half-term
            (autumn1-2025, autumn2-2025, ...).
        date_from (datetime.date | None | Unset): ISO 8601 date.
        date_to (datetime.date | None | Unset): ISO 8601 date.
        fields (None | str | Unset): Comma-separated fields to return (default: all the agreement
            permits).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem | PupilHistory]
    """

    kwargs = _get_kwargs(
        upn=upn,
        purpose=purpose,
        agreement=agreement,
        reason=reason,
        period=period,
        date_from=date_from,
        date_to=date_to,
        fields=fields,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    upn: str,
    *,
    client: AuthenticatedClient,
    purpose: str,
    agreement: str,
    reason: None | str | Unset = UNSET,
    period: None | str | Unset = UNSET,
    date_from: datetime.date | None | Unset = UNSET,
    date_to: datetime.date | None | Unset = UNSET,
    fields: None | str | Unset = UNSET,
) -> Any | Problem | PupilHistory | None:
    """One pupil's session history for casework (pupils on roll in your area only)

     Every mark of the pupil's enrolments in the caller's scope over the period.

    Args:
        upn (str): The pupil's UPN: 13 characters (a check letter, 11 digits, a digit or letter)
            with a correct check letter and an English LA number (422 otherwise).
        purpose (str): Why the data is needed; must be a purpose of the agreement.
        agreement (str): The data-sharing agreement the request is made under.
        reason (None | str | Unset): Why you need this (required by some agreements; recorded in
            the audit log).
        period (None | str | Unset): A named period instead of date_from and date_to: ytd (the
            academic year to the latest session received; the default when no dates are given), an
            academic year (2025-26), a term (autumn-2025, spring-2026, summer-2026) or a half-term
            (autumn1-2025, autumn2-2025, ...).
        date_from (datetime.date | None | Unset): ISO 8601 date.
        date_to (datetime.date | None | Unset): ISO 8601 date.
        fields (None | str | Unset): Comma-separated fields to return (default: all the agreement
            permits).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem | PupilHistory
    """

    return sync_detailed(
        upn=upn,
        client=client,
        purpose=purpose,
        agreement=agreement,
        reason=reason,
        period=period,
        date_from=date_from,
        date_to=date_to,
        fields=fields,
    ).parsed


async def asyncio_detailed(
    upn: str,
    *,
    client: AuthenticatedClient,
    purpose: str,
    agreement: str,
    reason: None | str | Unset = UNSET,
    period: None | str | Unset = UNSET,
    date_from: datetime.date | None | Unset = UNSET,
    date_to: datetime.date | None | Unset = UNSET,
    fields: None | str | Unset = UNSET,
) -> Response[Any | Problem | PupilHistory]:
    """One pupil's session history for casework (pupils on roll in your area only)

     Every mark of the pupil's enrolments in the caller's scope over the period.

    Args:
        upn (str): The pupil's UPN: 13 characters (a check letter, 11 digits, a digit or letter)
            with a correct check letter and an English LA number (422 otherwise).
        purpose (str): Why the data is needed; must be a purpose of the agreement.
        agreement (str): The data-sharing agreement the request is made under.
        reason (None | str | Unset): Why you need this (required by some agreements; recorded in
            the audit log).
        period (None | str | Unset): A named period instead of date_from and date_to: ytd (the
            academic year to the latest session received; the default when no dates are given), an
            academic year (2025-26), a term (autumn-2025, spring-2026, summer-2026) or a half-term
            (autumn1-2025, autumn2-2025, ...).
        date_from (datetime.date | None | Unset): ISO 8601 date.
        date_to (datetime.date | None | Unset): ISO 8601 date.
        fields (None | str | Unset): Comma-separated fields to return (default: all the agreement
            permits).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem | PupilHistory]
    """

    kwargs = _get_kwargs(
        upn=upn,
        purpose=purpose,
        agreement=agreement,
        reason=reason,
        period=period,
        date_from=date_from,
        date_to=date_to,
        fields=fields,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    upn: str,
    *,
    client: AuthenticatedClient,
    purpose: str,
    agreement: str,
    reason: None | str | Unset = UNSET,
    period: None | str | Unset = UNSET,
    date_from: datetime.date | None | Unset = UNSET,
    date_to: datetime.date | None | Unset = UNSET,
    fields: None | str | Unset = UNSET,
) -> Any | Problem | PupilHistory | None:
    """One pupil's session history for casework (pupils on roll in your area only)

     Every mark of the pupil's enrolments in the caller's scope over the period.

    Args:
        upn (str): The pupil's UPN: 13 characters (a check letter, 11 digits, a digit or letter)
            with a correct check letter and an English LA number (422 otherwise).
        purpose (str): Why the data is needed; must be a purpose of the agreement.
        agreement (str): The data-sharing agreement the request is made under.
        reason (None | str | Unset): Why you need this (required by some agreements; recorded in
            the audit log).
        period (None | str | Unset): A named period instead of date_from and date_to: ytd (the
            academic year to the latest session received; the default when no dates are given), an
            academic year (2025-26), a term (autumn-2025, spring-2026, summer-2026) or a half-term
            (autumn1-2025, autumn2-2025, ...).
        date_from (datetime.date | None | Unset): ISO 8601 date.
        date_to (datetime.date | None | Unset): ISO 8601 date.
        fields (None | str | Unset): Comma-separated fields to return (default: all the agreement
            permits).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem | PupilHistory
    """

    return (
        await asyncio_detailed(
            upn=upn,
            client=client,
            purpose=purpose,
            agreement=agreement,
            reason=reason,
            period=period,
            date_from=date_from,
            date_to=date_to,
            fields=fields,
        )
    ).parsed
