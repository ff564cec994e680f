from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.extract_request import ExtractRequest
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    *,
    body: ExtractRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/extracts",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | str | None:
    if response.status_code == 200:
        response_200 = response.text
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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | str]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: ExtractRequest,
) -> Response[Problem | str]:
    """A pseudonymised record-level extract, streamed as NDJSON or CSV

     Fields and period within the agreement; the agreement's row cap is enforced before anything is sent.

    NDJSON: one JSON object per record, then one final line `{"_summary": {"rows": N, "data_version":
    ...,
    "data_as_of": ..., "request_id": ...}}` (also for an empty extract). `rows` counts the records
    before it,
    and the other three equal the `Data-Version`, `Data-As-Of` and `x-request-id` headers, so a
    truncated
    download is detectable from the file alone. No record has a key starting with `_`. CSV carries no
    trailer (a CSV reader such as pandas would read it as a record); compare its rows with `x-row-
    count`.

    Args:
        body (ExtractRequest): The extract to produce.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | str]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: ExtractRequest,
) -> Problem | str | None:
    """A pseudonymised record-level extract, streamed as NDJSON or CSV

     Fields and period within the agreement; the agreement's row cap is enforced before anything is sent.

    NDJSON: one JSON object per record, then one final line `{"_summary": {"rows": N, "data_version":
    ...,
    "data_as_of": ..., "request_id": ...}}` (also for an empty extract). `rows` counts the records
    before it,
    and the other three equal the `Data-Version`, `Data-As-Of` and `x-request-id` headers, so a
    truncated
    download is detectable from the file alone. No record has a key starting with `_`. CSV carries no
    trailer (a CSV reader such as pandas would read it as a record); compare its rows with `x-row-
    count`.

    Args:
        body (ExtractRequest): The extract to produce.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | str
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: ExtractRequest,
) -> Response[Problem | str]:
    """A pseudonymised record-level extract, streamed as NDJSON or CSV

     Fields and period within the agreement; the agreement's row cap is enforced before anything is sent.

    NDJSON: one JSON object per record, then one final line `{"_summary": {"rows": N, "data_version":
    ...,
    "data_as_of": ..., "request_id": ...}}` (also for an empty extract). `rows` counts the records
    before it,
    and the other three equal the `Data-Version`, `Data-As-Of` and `x-request-id` headers, so a
    truncated
    download is detectable from the file alone. No record has a key starting with `_`. CSV carries no
    trailer (a CSV reader such as pandas would read it as a record); compare its rows with `x-row-
    count`.

    Args:
        body (ExtractRequest): The extract to produce.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | str]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: ExtractRequest,
) -> Problem | str | None:
    """A pseudonymised record-level extract, streamed as NDJSON or CSV

     Fields and period within the agreement; the agreement's row cap is enforced before anything is sent.

    NDJSON: one JSON object per record, then one final line `{"_summary": {"rows": N, "data_version":
    ...,
    "data_as_of": ..., "request_id": ...}}` (also for an empty extract). `rows` counts the records
    before it,
    and the other three equal the `Data-Version`, `Data-As-Of` and `x-request-id` headers, so a
    truncated
    download is detectable from the file alone. No record has a key starting with `_`. CSV carries no
    trailer (a CSV reader such as pandas would read it as a record); compare its rows with `x-row-
    count`.

    Args:
        body (ExtractRequest): The extract to produce.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | str
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
