from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.pack_check import PackCheck
from ...models.pack_submission import PackSubmission
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: PackSubmission,
    purpose: str,
    agreement: str,
    mis_product: str,
    mis_version: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["mis-product"] = mis_product

    if not isinstance(mis_version, Unset):
        headers["mis-version"] = mis_version

    params: dict[str, Any] = {}

    params["purpose"] = purpose

    params["agreement"] = agreement

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/feed/conformance/checks",
        "params": params,
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> PackCheck | Problem | None:
    if response.status_code == 200:
        response_200 = PackCheck.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[PackCheck | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: PackSubmission,
    purpose: str,
    agreement: str,
    mis_product: str,
    mis_version: None | str | Unset = UNSET,
) -> Response[PackCheck | Problem]:
    """Check a supplier's output for the published feed test pack and record the verdict

     The body names each file of the published test pack (docs/feed-tests/) with the supplier's output
    for
    it. The gateway checks them as `gateway feed check --pack` does, writes nothing but the verdict, and
    answers the verdict with each file's expected and found outcome. A missing or unexpected file is
    422.

    Args:
        purpose (str): Why the check is submitted (e.g. data-collection).
        agreement (str): The collection agreement the supplier sends feeds under.
        mis_product (str): The MIS product whose output this is; the verdict is recorded for it
            (docs/feed.md).
        mis_version (None | str | Unset): The MIS product's version; the verdict is recorded for
            it (docs/feed.md).
        body (PackSubmission): The supplier's output for each file of the test pack.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PackCheck | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        purpose=purpose,
        agreement=agreement,
        mis_product=mis_product,
        mis_version=mis_version,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: PackSubmission,
    purpose: str,
    agreement: str,
    mis_product: str,
    mis_version: None | str | Unset = UNSET,
) -> PackCheck | Problem | None:
    """Check a supplier's output for the published feed test pack and record the verdict

     The body names each file of the published test pack (docs/feed-tests/) with the supplier's output
    for
    it. The gateway checks them as `gateway feed check --pack` does, writes nothing but the verdict, and
    answers the verdict with each file's expected and found outcome. A missing or unexpected file is
    422.

    Args:
        purpose (str): Why the check is submitted (e.g. data-collection).
        agreement (str): The collection agreement the supplier sends feeds under.
        mis_product (str): The MIS product whose output this is; the verdict is recorded for it
            (docs/feed.md).
        mis_version (None | str | Unset): The MIS product's version; the verdict is recorded for
            it (docs/feed.md).
        body (PackSubmission): The supplier's output for each file of the test pack.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PackCheck | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
        purpose=purpose,
        agreement=agreement,
        mis_product=mis_product,
        mis_version=mis_version,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: PackSubmission,
    purpose: str,
    agreement: str,
    mis_product: str,
    mis_version: None | str | Unset = UNSET,
) -> Response[PackCheck | Problem]:
    """Check a supplier's output for the published feed test pack and record the verdict

     The body names each file of the published test pack (docs/feed-tests/) with the supplier's output
    for
    it. The gateway checks them as `gateway feed check --pack` does, writes nothing but the verdict, and
    answers the verdict with each file's expected and found outcome. A missing or unexpected file is
    422.

    Args:
        purpose (str): Why the check is submitted (e.g. data-collection).
        agreement (str): The collection agreement the supplier sends feeds under.
        mis_product (str): The MIS product whose output this is; the verdict is recorded for it
            (docs/feed.md).
        mis_version (None | str | Unset): The MIS product's version; the verdict is recorded for
            it (docs/feed.md).
        body (PackSubmission): The supplier's output for each file of the test pack.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PackCheck | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        purpose=purpose,
        agreement=agreement,
        mis_product=mis_product,
        mis_version=mis_version,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: PackSubmission,
    purpose: str,
    agreement: str,
    mis_product: str,
    mis_version: None | str | Unset = UNSET,
) -> PackCheck | Problem | None:
    """Check a supplier's output for the published feed test pack and record the verdict

     The body names each file of the published test pack (docs/feed-tests/) with the supplier's output
    for
    it. The gateway checks them as `gateway feed check --pack` does, writes nothing but the verdict, and
    answers the verdict with each file's expected and found outcome. A missing or unexpected file is
    422.

    Args:
        purpose (str): Why the check is submitted (e.g. data-collection).
        agreement (str): The collection agreement the supplier sends feeds under.
        mis_product (str): The MIS product whose output this is; the verdict is recorded for it
            (docs/feed.md).
        mis_version (None | str | Unset): The MIS product's version; the verdict is recorded for
            it (docs/feed.md).
        body (PackSubmission): The supplier's output for each file of the test pack.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PackCheck | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            purpose=purpose,
            agreement=agreement,
            mis_product=mis_product,
            mis_version=mis_version,
        )
    ).parsed
