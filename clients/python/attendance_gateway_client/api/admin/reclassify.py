from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.reclassification import Reclassification
from ...models.reclassify_request import ReclassifyRequest
from ...types import Response


def _get_kwargs(
    urn: int,
    *,
    body: ReclassifyRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/admin/schools/{urn}/reclassify".format(
            urn=quote(str(urn), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | Reclassification | None:
    if response.status_code == 200:
        response_200 = Reclassification.from_dict(response.json())

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
) -> Response[Problem | Reclassification]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    urn: int,
    *,
    client: AuthenticatedClient,
    body: ReclassifyRequest,
) -> Response[Problem | Reclassification]:
    """Change a school's phase or type (DfE data management, with a reason)

     Every phase-filtered figure and every comparator follows the school from the next request (the data
    version moves); the old and new phase and type and the effective date are recorded in the request's
    audit event. A feed's rows for the school with the new values are accepted from then on.

    Args:
        urn (int): The school's URN.
        body (ReclassifyRequest): The school's new phase and type, and why.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Reclassification]
    """

    kwargs = _get_kwargs(
        urn=urn,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    urn: int,
    *,
    client: AuthenticatedClient,
    body: ReclassifyRequest,
) -> Problem | Reclassification | None:
    """Change a school's phase or type (DfE data management, with a reason)

     Every phase-filtered figure and every comparator follows the school from the next request (the data
    version moves); the old and new phase and type and the effective date are recorded in the request's
    audit event. A feed's rows for the school with the new values are accepted from then on.

    Args:
        urn (int): The school's URN.
        body (ReclassifyRequest): The school's new phase and type, and why.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Reclassification
    """

    return sync_detailed(
        urn=urn,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    urn: int,
    *,
    client: AuthenticatedClient,
    body: ReclassifyRequest,
) -> Response[Problem | Reclassification]:
    """Change a school's phase or type (DfE data management, with a reason)

     Every phase-filtered figure and every comparator follows the school from the next request (the data
    version moves); the old and new phase and type and the effective date are recorded in the request's
    audit event. A feed's rows for the school with the new values are accepted from then on.

    Args:
        urn (int): The school's URN.
        body (ReclassifyRequest): The school's new phase and type, and why.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Reclassification]
    """

    kwargs = _get_kwargs(
        urn=urn,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    urn: int,
    *,
    client: AuthenticatedClient,
    body: ReclassifyRequest,
) -> Problem | Reclassification | None:
    """Change a school's phase or type (DfE data management, with a reason)

     Every phase-filtered figure and every comparator follows the school from the next request (the data
    version moves); the old and new phase and type and the effective date are recorded in the request's
    audit event. A feed's rows for the school with the new values are accepted from then on.

    Args:
        urn (int): The school's URN.
        body (ReclassifyRequest): The school's new phase and type, and why.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Reclassification
    """

    return (
        await asyncio_detailed(
            urn=urn,
            client=client,
            body=body,
        )
    ).parsed
