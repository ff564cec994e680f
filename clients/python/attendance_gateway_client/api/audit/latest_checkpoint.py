from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.latest_checkpoint_view import LatestCheckpointView
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    purpose: None | str | Unset = UNSET,
    dpo_agreement: None | str | Unset = UNSET,
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

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/audit/checkpoints/latest",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> LatestCheckpointView | Problem | None:
    if response.status_code == 200:
        response_200 = LatestCheckpointView.from_dict(response.json())

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
) -> Response[LatestCheckpointView | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    purpose: None | str | Unset = UNSET,
    dpo_agreement: None | str | Unset = UNSET,
) -> Response[LatestCheckpointView | Problem]:
    """The latest signed checkpoint

     Tree size, root, time and key id, with the Ed25519 signature over them, and the cosignatures of the
    witnesses that found it consistent with the last checkpoint they saw.

    Args:
        purpose (None | str | Unset): Why the officer is looking (e.g. audit-oversight).
        dpo_agreement (None | str | Unset): The officer's own oversight agreement (chosen by
            policy if absent).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LatestCheckpointView | Problem]
    """

    kwargs = _get_kwargs(
        purpose=purpose,
        dpo_agreement=dpo_agreement,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    purpose: None | str | Unset = UNSET,
    dpo_agreement: None | str | Unset = UNSET,
) -> LatestCheckpointView | Problem | None:
    """The latest signed checkpoint

     Tree size, root, time and key id, with the Ed25519 signature over them, and the cosignatures of the
    witnesses that found it consistent with the last checkpoint they saw.

    Args:
        purpose (None | str | Unset): Why the officer is looking (e.g. audit-oversight).
        dpo_agreement (None | str | Unset): The officer's own oversight agreement (chosen by
            policy if absent).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LatestCheckpointView | Problem
    """

    return sync_detailed(
        client=client,
        purpose=purpose,
        dpo_agreement=dpo_agreement,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    purpose: None | str | Unset = UNSET,
    dpo_agreement: None | str | Unset = UNSET,
) -> Response[LatestCheckpointView | Problem]:
    """The latest signed checkpoint

     Tree size, root, time and key id, with the Ed25519 signature over them, and the cosignatures of the
    witnesses that found it consistent with the last checkpoint they saw.

    Args:
        purpose (None | str | Unset): Why the officer is looking (e.g. audit-oversight).
        dpo_agreement (None | str | Unset): The officer's own oversight agreement (chosen by
            policy if absent).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LatestCheckpointView | Problem]
    """

    kwargs = _get_kwargs(
        purpose=purpose,
        dpo_agreement=dpo_agreement,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    purpose: None | str | Unset = UNSET,
    dpo_agreement: None | str | Unset = UNSET,
) -> LatestCheckpointView | Problem | None:
    """The latest signed checkpoint

     Tree size, root, time and key id, with the Ed25519 signature over them, and the cosignatures of the
    witnesses that found it consistent with the last checkpoint they saw.

    Args:
        purpose (None | str | Unset): Why the officer is looking (e.g. audit-oversight).
        dpo_agreement (None | str | Unset): The officer's own oversight agreement (chosen by
            policy if absent).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LatestCheckpointView | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            purpose=purpose,
            dpo_agreement=dpo_agreement,
        )
    ).parsed
