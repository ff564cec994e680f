from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.capabilities import Capabilities
from ...models.problem import Problem
from ...types import Response


def _get_kwargs() -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/me",
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Capabilities | Problem | None:
    if response.status_code == 200:
        response_200 = Capabilities.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

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
) -> Response[Capabilities | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
) -> Response[Capabilities | Problem]:
    """What may I ask? The agreements the caller holds and what each allows

     Capabilities from the policy data and the caller's token: for each agreement the caller holds, its
    legal gateway, purposes, actions, levels, fields, granularity, disclosure profile with its
    thresholds
    and query-space rules, row cap, rate limit, validity dates and DPIA. Decided as a self-service
    request
    (decisions.explain, like the console's home page) and audited as one event; no data leaves.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Capabilities | Problem]
    """

    kwargs = _get_kwargs()

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
) -> Capabilities | Problem | None:
    """What may I ask? The agreements the caller holds and what each allows

     Capabilities from the policy data and the caller's token: for each agreement the caller holds, its
    legal gateway, purposes, actions, levels, fields, granularity, disclosure profile with its
    thresholds
    and query-space rules, row cap, rate limit, validity dates and DPIA. Decided as a self-service
    request
    (decisions.explain, like the console's home page) and audited as one event; no data leaves.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Capabilities | Problem
    """

    return sync_detailed(
        client=client,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
) -> Response[Capabilities | Problem]:
    """What may I ask? The agreements the caller holds and what each allows

     Capabilities from the policy data and the caller's token: for each agreement the caller holds, its
    legal gateway, purposes, actions, levels, fields, granularity, disclosure profile with its
    thresholds
    and query-space rules, row cap, rate limit, validity dates and DPIA. Decided as a self-service
    request
    (decisions.explain, like the console's home page) and audited as one event; no data leaves.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Capabilities | Problem]
    """

    kwargs = _get_kwargs()

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
) -> Capabilities | Problem | None:
    """What may I ask? The agreements the caller holds and what each allows

     Capabilities from the policy data and the caller's token: for each agreement the caller holds, its
    legal gateway, purposes, actions, levels, fields, granularity, disclosure profile with its
    thresholds
    and query-space rules, row cap, rate limit, validity dates and DPIA. Decided as a self-service
    request
    (decisions.explain, like the console's home page) and audited as one event; no data leaves.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Capabilities | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
        )
    ).parsed
