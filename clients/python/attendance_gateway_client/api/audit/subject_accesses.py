from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.subject_accesses import SubjectAccesses
from ...types import UNSET, Response, Unset


def _get_kwargs(
    upn: str,
    *,
    purpose: None | str | Unset = UNSET,
    dpo_agreement: None | str | Unset = UNSET,
    limit: int | Unset = 100,
    cursor: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_purpose: None | str | Unset
    if isinstance(purpose, Unset):
        json_purpose = UNSET
    else:
        json_purpose = purpose
    params["purpose"] = json_purpose

    json_dpo_agreement: None | str | Unset
    if isinstance(dpo_agreement, Unset):
        json_dpo_agreement = UNSET
    else:
        json_dpo_agreement = dpo_agreement
    params["dpo_agreement"] = json_dpo_agreement

    params["limit"] = limit

    json_cursor: None | str | Unset
    if isinstance(cursor, Unset):
        json_cursor = UNSET
    else:
        json_cursor = cursor
    params["cursor"] = json_cursor

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/audit/subjects/{upn}".format(
            upn=quote(str(upn), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | SubjectAccesses | None:
    if response.status_code == 200:
        response_200 = SubjectAccesses.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

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
) -> Response[Problem | SubjectAccesses]:
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
    purpose: None | str | Unset = UNSET,
    dpo_agreement: None | str | Unset = UNSET,
    limit: int | Unset = 100,
    cursor: None | str | Unset = UNSET,
) -> Response[Problem | SubjectAccesses]:
    """Who accessed this pupil's data

     Every recorded access that returned this pupil's data: when, by whom, under which statute and
    purpose.

    The UPN is looked up by its keyed hash; it is never stored in clear in the audit log.

    Args:
        upn (str): The pupil's UPN: 13 characters (a check letter, 11 digits, a digit or letter)
            with a correct check letter and an English LA number (422 otherwise).
        purpose (None | str | Unset): Why the officer is looking (e.g. audit-oversight).
        dpo_agreement (None | str | Unset): The officer's own oversight agreement (chosen by
            policy if absent).
        limit (int | Unset):  Default: 100.
        cursor (None | str | Unset): Opaque cursor from the previous page's next_cursor.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SubjectAccesses]
    """

    kwargs = _get_kwargs(
        upn=upn,
        purpose=purpose,
        dpo_agreement=dpo_agreement,
        limit=limit,
        cursor=cursor,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    upn: str,
    *,
    client: AuthenticatedClient,
    purpose: None | str | Unset = UNSET,
    dpo_agreement: None | str | Unset = UNSET,
    limit: int | Unset = 100,
    cursor: None | str | Unset = UNSET,
) -> Problem | SubjectAccesses | None:
    """Who accessed this pupil's data

     Every recorded access that returned this pupil's data: when, by whom, under which statute and
    purpose.

    The UPN is looked up by its keyed hash; it is never stored in clear in the audit log.

    Args:
        upn (str): The pupil's UPN: 13 characters (a check letter, 11 digits, a digit or letter)
            with a correct check letter and an English LA number (422 otherwise).
        purpose (None | str | Unset): Why the officer is looking (e.g. audit-oversight).
        dpo_agreement (None | str | Unset): The officer's own oversight agreement (chosen by
            policy if absent).
        limit (int | Unset):  Default: 100.
        cursor (None | str | Unset): Opaque cursor from the previous page's next_cursor.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SubjectAccesses
    """

    return sync_detailed(
        upn=upn,
        client=client,
        purpose=purpose,
        dpo_agreement=dpo_agreement,
        limit=limit,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    upn: str,
    *,
    client: AuthenticatedClient,
    purpose: None | str | Unset = UNSET,
    dpo_agreement: None | str | Unset = UNSET,
    limit: int | Unset = 100,
    cursor: None | str | Unset = UNSET,
) -> Response[Problem | SubjectAccesses]:
    """Who accessed this pupil's data

     Every recorded access that returned this pupil's data: when, by whom, under which statute and
    purpose.

    The UPN is looked up by its keyed hash; it is never stored in clear in the audit log.

    Args:
        upn (str): The pupil's UPN: 13 characters (a check letter, 11 digits, a digit or letter)
            with a correct check letter and an English LA number (422 otherwise).
        purpose (None | str | Unset): Why the officer is looking (e.g. audit-oversight).
        dpo_agreement (None | str | Unset): The officer's own oversight agreement (chosen by
            policy if absent).
        limit (int | Unset):  Default: 100.
        cursor (None | str | Unset): Opaque cursor from the previous page's next_cursor.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SubjectAccesses]
    """

    kwargs = _get_kwargs(
        upn=upn,
        purpose=purpose,
        dpo_agreement=dpo_agreement,
        limit=limit,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    upn: str,
    *,
    client: AuthenticatedClient,
    purpose: None | str | Unset = UNSET,
    dpo_agreement: None | str | Unset = UNSET,
    limit: int | Unset = 100,
    cursor: None | str | Unset = UNSET,
) -> Problem | SubjectAccesses | None:
    """Who accessed this pupil's data

     Every recorded access that returned this pupil's data: when, by whom, under which statute and
    purpose.

    The UPN is looked up by its keyed hash; it is never stored in clear in the audit log.

    Args:
        upn (str): The pupil's UPN: 13 characters (a check letter, 11 digits, a digit or letter)
            with a correct check letter and an English LA number (422 otherwise).
        purpose (None | str | Unset): Why the officer is looking (e.g. audit-oversight).
        dpo_agreement (None | str | Unset): The officer's own oversight agreement (chosen by
            policy if absent).
        limit (int | Unset):  Default: 100.
        cursor (None | str | Unset): Opaque cursor from the previous page's next_cursor.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SubjectAccesses
    """

    return (
        await asyncio_detailed(
            upn=upn,
            client=client,
            purpose=purpose,
            dpo_agreement=dpo_agreement,
            limit=limit,
            cursor=cursor,
        )
    ).parsed
