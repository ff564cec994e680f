from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.ready_response_200 import ReadyResponse200
from ...types import Response


def _get_kwargs() -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/health/ready",
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | ReadyResponse200 | None:
    if response.status_code == 200:
        response_200 = ReadyResponse200.from_dict(response.json())

        return response_200

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | ReadyResponse200]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
) -> Response[Problem | ReadyResponse200]:
    """Readiness probe: every dependency of a governed request, each with its reason

     Ready when the database answers, accepts writes and lets the application append audit events, the
    pool is not saturated, the audit writer's last batch did not fail, the signer runs, a policy bundle
    is
    compiled and the keyring has its current key. 503 `not-ready` names every failing check.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ReadyResponse200]
    """

    kwargs = _get_kwargs()

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
) -> Problem | ReadyResponse200 | None:
    """Readiness probe: every dependency of a governed request, each with its reason

     Ready when the database answers, accepts writes and lets the application append audit events, the
    pool is not saturated, the audit writer's last batch did not fail, the signer runs, a policy bundle
    is
    compiled and the keyring has its current key. 503 `not-ready` names every failing check.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ReadyResponse200
    """

    return sync_detailed(
        client=client,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
) -> Response[Problem | ReadyResponse200]:
    """Readiness probe: every dependency of a governed request, each with its reason

     Ready when the database answers, accepts writes and lets the application append audit events, the
    pool is not saturated, the audit writer's last batch did not fail, the signer runs, a policy bundle
    is
    compiled and the keyring has its current key. 503 `not-ready` names every failing check.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ReadyResponse200]
    """

    kwargs = _get_kwargs()

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
) -> Problem | ReadyResponse200 | None:
    """Readiness probe: every dependency of a governed request, each with its reason

     Ready when the database answers, accepts writes and lets the application append audit events, the
    pool is not saturated, the audit writer's last batch did not fail, the signer runs, a policy bundle
    is
    compiled and the keyring has its current key. 503 `not-ready` names every failing check.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ReadyResponse200
    """

    return (
        await asyncio_detailed(
            client=client,
        )
    ).parsed
