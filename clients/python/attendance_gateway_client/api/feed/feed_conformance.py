from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.feed_conformance import FeedConformance
from ...types import Response


def _get_kwargs() -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/feed/conformance",
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> FeedConformance | None:
    if response.status_code == 200:
        response_200 = FeedConformance.from_dict(response.json())

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[FeedConformance]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
) -> Response[FeedConformance]:
    """Feed conformance by MIS product and sender

     How clean the register feeds each MIS product and version, and each sending aggregator, sent:
    batches,
    rows, reject rate by reason, late registers and corrections, and each product's latest verdict on
    the
    published test pack. Public and aggregated: no pupil data, and no
    group whose batches named fewer than `min_schools` schools. Every request is audited.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[FeedConformance]
    """

    kwargs = _get_kwargs()

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
) -> FeedConformance | None:
    """Feed conformance by MIS product and sender

     How clean the register feeds each MIS product and version, and each sending aggregator, sent:
    batches,
    rows, reject rate by reason, late registers and corrections, and each product's latest verdict on
    the
    published test pack. Public and aggregated: no pupil data, and no
    group whose batches named fewer than `min_schools` schools. Every request is audited.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        FeedConformance
    """

    return sync_detailed(
        client=client,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
) -> Response[FeedConformance]:
    """Feed conformance by MIS product and sender

     How clean the register feeds each MIS product and version, and each sending aggregator, sent:
    batches,
    rows, reject rate by reason, late registers and corrections, and each product's latest verdict on
    the
    published test pack. Public and aggregated: no pupil data, and no
    group whose batches named fewer than `min_schools` schools. Every request is audited.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[FeedConformance]
    """

    kwargs = _get_kwargs()

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
) -> FeedConformance | None:
    """Feed conformance by MIS product and sender

     How clean the register feeds each MIS product and version, and each sending aggregator, sent:
    batches,
    rows, reject rate by reason, late registers and corrections, and each product's latest verdict on
    the
    published test pack. Public and aggregated: no pupil data, and no
    group whose batches named fewer than `min_schools` schools. Every request is audited.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        FeedConformance
    """

    return (
        await asyncio_detailed(
            client=client,
        )
    ).parsed
