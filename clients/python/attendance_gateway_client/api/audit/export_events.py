from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.extract_format import ExtractFormat
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    format_: ExtractFormat | Unset = "ndjson",
    purpose: None | str | Unset = UNSET,
    dpo_agreement: None | str | Unset = UNSET,
    from_: None | str | Unset = UNSET,
    to: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_format_: str | Unset = UNSET
    if not isinstance(format_, Unset):
        json_format_ = format_

    params["format"] = json_format_

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

    json_from_: None | str | Unset
    if isinstance(from_, Unset):
        json_from_ = UNSET
    else:
        json_from_ = from_
    params["from"] = json_from_

    json_to: None | str | Unset
    if isinstance(to, Unset):
        json_to = UNSET
    else:
        json_to = to
    params["to"] = json_to

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/audit/export",
        "params": params,
    }

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
    format_: ExtractFormat | Unset = "ndjson",
    purpose: None | str | Unset = UNSET,
    dpo_agreement: None | str | Unset = UNSET,
    from_: None | str | Unset = UNSET,
    to: None | str | Unset = UNSET,
) -> Response[Problem | str]:
    """Export the audit log (NDJSON or CSV)

     Events within the officer's scope. The NDJSON form carries keys and checkpoints too: a complete
    export
    (the DfE officer's, unfiltered) verifies offline with `gateway audit verify --export FILE`.

    Args:
        format_ (ExtractFormat | Unset): An extract's or export's representation: NDJSON or CSV.
            Default: 'ndjson'.
        purpose (None | str | Unset): Why the officer is looking (e.g. audit-oversight).
        dpo_agreement (None | str | Unset): The officer's own oversight agreement (chosen by
            policy if absent).
        from_ (None | str | Unset): Events at or after (RFC 3339).
        to (None | str | Unset): Events before (RFC 3339).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | str]
    """

    kwargs = _get_kwargs(
        format_=format_,
        purpose=purpose,
        dpo_agreement=dpo_agreement,
        from_=from_,
        to=to,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    format_: ExtractFormat | Unset = "ndjson",
    purpose: None | str | Unset = UNSET,
    dpo_agreement: None | str | Unset = UNSET,
    from_: None | str | Unset = UNSET,
    to: None | str | Unset = UNSET,
) -> Problem | str | None:
    """Export the audit log (NDJSON or CSV)

     Events within the officer's scope. The NDJSON form carries keys and checkpoints too: a complete
    export
    (the DfE officer's, unfiltered) verifies offline with `gateway audit verify --export FILE`.

    Args:
        format_ (ExtractFormat | Unset): An extract's or export's representation: NDJSON or CSV.
            Default: 'ndjson'.
        purpose (None | str | Unset): Why the officer is looking (e.g. audit-oversight).
        dpo_agreement (None | str | Unset): The officer's own oversight agreement (chosen by
            policy if absent).
        from_ (None | str | Unset): Events at or after (RFC 3339).
        to (None | str | Unset): Events before (RFC 3339).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | str
    """

    return sync_detailed(
        client=client,
        format_=format_,
        purpose=purpose,
        dpo_agreement=dpo_agreement,
        from_=from_,
        to=to,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    format_: ExtractFormat | Unset = "ndjson",
    purpose: None | str | Unset = UNSET,
    dpo_agreement: None | str | Unset = UNSET,
    from_: None | str | Unset = UNSET,
    to: None | str | Unset = UNSET,
) -> Response[Problem | str]:
    """Export the audit log (NDJSON or CSV)

     Events within the officer's scope. The NDJSON form carries keys and checkpoints too: a complete
    export
    (the DfE officer's, unfiltered) verifies offline with `gateway audit verify --export FILE`.

    Args:
        format_ (ExtractFormat | Unset): An extract's or export's representation: NDJSON or CSV.
            Default: 'ndjson'.
        purpose (None | str | Unset): Why the officer is looking (e.g. audit-oversight).
        dpo_agreement (None | str | Unset): The officer's own oversight agreement (chosen by
            policy if absent).
        from_ (None | str | Unset): Events at or after (RFC 3339).
        to (None | str | Unset): Events before (RFC 3339).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | str]
    """

    kwargs = _get_kwargs(
        format_=format_,
        purpose=purpose,
        dpo_agreement=dpo_agreement,
        from_=from_,
        to=to,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    format_: ExtractFormat | Unset = "ndjson",
    purpose: None | str | Unset = UNSET,
    dpo_agreement: None | str | Unset = UNSET,
    from_: None | str | Unset = UNSET,
    to: None | str | Unset = UNSET,
) -> Problem | str | None:
    """Export the audit log (NDJSON or CSV)

     Events within the officer's scope. The NDJSON form carries keys and checkpoints too: a complete
    export
    (the DfE officer's, unfiltered) verifies offline with `gateway audit verify --export FILE`.

    Args:
        format_ (ExtractFormat | Unset): An extract's or export's representation: NDJSON or CSV.
            Default: 'ndjson'.
        purpose (None | str | Unset): Why the officer is looking (e.g. audit-oversight).
        dpo_agreement (None | str | Unset): The officer's own oversight agreement (chosen by
            policy if absent).
        from_ (None | str | Unset): Events at or after (RFC 3339).
        to (None | str | Unset): Events before (RFC 3339).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | str
    """

    return (
        await asyncio_detailed(
            client=client,
            format_=format_,
            purpose=purpose,
            dpo_agreement=dpo_agreement,
            from_=from_,
            to=to,
        )
    ).parsed
