from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.merge_request import MergeRequest
from ...models.problem import Problem
from ...models.pupil_merge import PupilMerge
from ...types import Response


def _get_kwargs(
    upn: str,
    *,
    body: MergeRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/admin/pupils/{upn}/merge".format(
            upn=quote(str(upn), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | PupilMerge | None:
    if response.status_code == 200:
        response_200 = PupilMerge.from_dict(response.json())

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
) -> Response[Problem | PupilMerge]:
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
    body: MergeRequest,
) -> Response[Problem | PupilMerge]:
    """Merge a pupil recorded under two UPNs into the surviving record (DfE data management, with a reason)

     All or nothing, in one transaction: the pupil's enrolments and marks move to the surviving record
    (an
    enrolment at a school where both are enrolled is folded into the surviving one, a mark both hold is
    kept
    once, and two different marks for one session refuse the merge), every rollup they feed follows, the
    old
    UPN and record are retired (the UPN is unknown from then on) and the data version moves. The
    request's
    audit event records the counts moved, never a UPN in the clear.

    Args:
        upn (str): The pupil's UPN: 13 characters (a check letter, 11 digits, a digit or letter)
            with a correct check letter and an English LA number (422 otherwise).
        body (MergeRequest): The surviving record's UPN, and why.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | PupilMerge]
    """

    kwargs = _get_kwargs(
        upn=upn,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    upn: str,
    *,
    client: AuthenticatedClient,
    body: MergeRequest,
) -> Problem | PupilMerge | None:
    """Merge a pupil recorded under two UPNs into the surviving record (DfE data management, with a reason)

     All or nothing, in one transaction: the pupil's enrolments and marks move to the surviving record
    (an
    enrolment at a school where both are enrolled is folded into the surviving one, a mark both hold is
    kept
    once, and two different marks for one session refuse the merge), every rollup they feed follows, the
    old
    UPN and record are retired (the UPN is unknown from then on) and the data version moves. The
    request's
    audit event records the counts moved, never a UPN in the clear.

    Args:
        upn (str): The pupil's UPN: 13 characters (a check letter, 11 digits, a digit or letter)
            with a correct check letter and an English LA number (422 otherwise).
        body (MergeRequest): The surviving record's UPN, and why.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | PupilMerge
    """

    return sync_detailed(
        upn=upn,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    upn: str,
    *,
    client: AuthenticatedClient,
    body: MergeRequest,
) -> Response[Problem | PupilMerge]:
    """Merge a pupil recorded under two UPNs into the surviving record (DfE data management, with a reason)

     All or nothing, in one transaction: the pupil's enrolments and marks move to the surviving record
    (an
    enrolment at a school where both are enrolled is folded into the surviving one, a mark both hold is
    kept
    once, and two different marks for one session refuse the merge), every rollup they feed follows, the
    old
    UPN and record are retired (the UPN is unknown from then on) and the data version moves. The
    request's
    audit event records the counts moved, never a UPN in the clear.

    Args:
        upn (str): The pupil's UPN: 13 characters (a check letter, 11 digits, a digit or letter)
            with a correct check letter and an English LA number (422 otherwise).
        body (MergeRequest): The surviving record's UPN, and why.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | PupilMerge]
    """

    kwargs = _get_kwargs(
        upn=upn,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    upn: str,
    *,
    client: AuthenticatedClient,
    body: MergeRequest,
) -> Problem | PupilMerge | None:
    """Merge a pupil recorded under two UPNs into the surviving record (DfE data management, with a reason)

     All or nothing, in one transaction: the pupil's enrolments and marks move to the surviving record
    (an
    enrolment at a school where both are enrolled is folded into the surviving one, a mark both hold is
    kept
    once, and two different marks for one session refuse the merge), every rollup they feed follows, the
    old
    UPN and record are retired (the UPN is unknown from then on) and the data version moves. The
    request's
    audit event records the counts moved, never a UPN in the clear.

    Args:
        upn (str): The pupil's UPN: 13 characters (a check letter, 11 digits, a digit or letter)
            with a correct check letter and an English LA number (422 otherwise).
        body (MergeRequest): The surviving record's UPN, and why.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | PupilMerge
    """

    return (
        await asyncio_detailed(
            upn=upn,
            client=client,
            body=body,
        )
    ).parsed
