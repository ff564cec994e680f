import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.explain_decision_response_200 import ExplainDecisionResponse200
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    action: str,
    purpose: None | str | Unset = UNSET,
    agreement: None | str | Unset = UNSET,
    reason: None | str | Unset = UNSET,
    resource: None | str | Unset = UNSET,
    fields: None | str | Unset = UNSET,
    level: None | str | Unset = UNSET,
    region: None | str | Unset = UNSET,
    la_code: int | None | Unset = UNSET,
    urn: int | None | Unset = UNSET,
    date_from: datetime.date | None | Unset = UNSET,
    date_to: datetime.date | None | Unset = UNSET,
    breakdown: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["action"] = action

    json_purpose: None | str | Unset
    if isinstance(purpose, Unset):
        json_purpose = UNSET
    else:
        json_purpose = purpose
    params["purpose"] = json_purpose

    json_agreement: None | str | Unset
    if isinstance(agreement, Unset):
        json_agreement = UNSET
    else:
        json_agreement = agreement
    params["agreement"] = json_agreement

    json_reason: None | str | Unset
    if isinstance(reason, Unset):
        json_reason = UNSET
    else:
        json_reason = reason
    params["reason"] = json_reason

    json_resource: None | str | Unset
    if isinstance(resource, Unset):
        json_resource = UNSET
    else:
        json_resource = resource
    params["resource"] = json_resource

    json_fields: None | str | Unset
    if isinstance(fields, Unset):
        json_fields = UNSET
    else:
        json_fields = fields
    params["fields"] = json_fields

    json_level: None | str | Unset
    if isinstance(level, Unset):
        json_level = UNSET
    else:
        json_level = level
    params["level"] = json_level

    json_region: None | str | Unset
    if isinstance(region, Unset):
        json_region = UNSET
    else:
        json_region = region
    params["region"] = json_region

    json_la_code: int | None | Unset
    if isinstance(la_code, Unset):
        json_la_code = UNSET
    else:
        json_la_code = la_code
    params["la_code"] = json_la_code

    json_urn: int | None | Unset
    if isinstance(urn, Unset):
        json_urn = UNSET
    else:
        json_urn = urn
    params["urn"] = json_urn

    json_date_from: None | str | Unset
    if isinstance(date_from, Unset):
        json_date_from = UNSET
    elif isinstance(date_from, datetime.date):
        json_date_from = date_from.isoformat()
    else:
        json_date_from = date_from
    params["date_from"] = json_date_from

    json_date_to: None | str | Unset
    if isinstance(date_to, Unset):
        json_date_to = UNSET
    elif isinstance(date_to, datetime.date):
        json_date_to = date_to.isoformat()
    else:
        json_date_to = date_to
    params["date_to"] = json_date_to

    json_breakdown: None | str | Unset
    if isinstance(breakdown, Unset):
        json_breakdown = UNSET
    else:
        json_breakdown = breakdown
    params["breakdown"] = json_breakdown

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/decisions/explain",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ExplainDecisionResponse200 | Problem | None:
    if response.status_code == 200:
        response_200 = ExplainDecisionResponse200.from_dict(response.json())

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
) -> Response[ExplainDecisionResponse200 | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    action: str,
    purpose: None | str | Unset = UNSET,
    agreement: None | str | Unset = UNSET,
    reason: None | str | Unset = UNSET,
    resource: None | str | Unset = UNSET,
    fields: None | str | Unset = UNSET,
    level: None | str | Unset = UNSET,
    region: None | str | Unset = UNSET,
    la_code: int | None | Unset = UNSET,
    urn: int | None | Unset = UNSET,
    date_from: datetime.date | None | Unset = UNSET,
    date_to: datetime.date | None | Unset = UNSET,
    breakdown: None | str | Unset = UNSET,
) -> Response[ExplainDecisionResponse200 | Problem]:
    """Would I be allowed this, and why? (no data is returned)

     The decision the policy would make for the caller's own request: allow, reasons, obligations,
    revision.

    Args:
        action (str): The policy action to explain, e.g. pupils.list
        purpose (None | str | Unset): The purpose the request would state
        agreement (None | str | Unset): The data-sharing agreement it would name
        reason (None | str | Unset): The reason for access it would give
        resource (None | str | Unset): Resource kind (default: the action's)
        fields (None | str | Unset): Comma-separated field names
        level (None | str | Unset): national, region, la, school or pupil
        region (None | str | Unset): Region name
        la_code (int | None | Unset): Three-digit local authority code.
        urn (int | None | Unset): School URN (six digits).
        date_from (datetime.date | None | Unset): ISO 8601 date.
        date_to (datetime.date | None | Unset): ISO 8601 date.
        breakdown (None | str | Unset): Breakdown, e.g. fsm

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ExplainDecisionResponse200 | Problem]
    """

    kwargs = _get_kwargs(
        action=action,
        purpose=purpose,
        agreement=agreement,
        reason=reason,
        resource=resource,
        fields=fields,
        level=level,
        region=region,
        la_code=la_code,
        urn=urn,
        date_from=date_from,
        date_to=date_to,
        breakdown=breakdown,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    action: str,
    purpose: None | str | Unset = UNSET,
    agreement: None | str | Unset = UNSET,
    reason: None | str | Unset = UNSET,
    resource: None | str | Unset = UNSET,
    fields: None | str | Unset = UNSET,
    level: None | str | Unset = UNSET,
    region: None | str | Unset = UNSET,
    la_code: int | None | Unset = UNSET,
    urn: int | None | Unset = UNSET,
    date_from: datetime.date | None | Unset = UNSET,
    date_to: datetime.date | None | Unset = UNSET,
    breakdown: None | str | Unset = UNSET,
) -> ExplainDecisionResponse200 | Problem | None:
    """Would I be allowed this, and why? (no data is returned)

     The decision the policy would make for the caller's own request: allow, reasons, obligations,
    revision.

    Args:
        action (str): The policy action to explain, e.g. pupils.list
        purpose (None | str | Unset): The purpose the request would state
        agreement (None | str | Unset): The data-sharing agreement it would name
        reason (None | str | Unset): The reason for access it would give
        resource (None | str | Unset): Resource kind (default: the action's)
        fields (None | str | Unset): Comma-separated field names
        level (None | str | Unset): national, region, la, school or pupil
        region (None | str | Unset): Region name
        la_code (int | None | Unset): Three-digit local authority code.
        urn (int | None | Unset): School URN (six digits).
        date_from (datetime.date | None | Unset): ISO 8601 date.
        date_to (datetime.date | None | Unset): ISO 8601 date.
        breakdown (None | str | Unset): Breakdown, e.g. fsm

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ExplainDecisionResponse200 | Problem
    """

    return sync_detailed(
        client=client,
        action=action,
        purpose=purpose,
        agreement=agreement,
        reason=reason,
        resource=resource,
        fields=fields,
        level=level,
        region=region,
        la_code=la_code,
        urn=urn,
        date_from=date_from,
        date_to=date_to,
        breakdown=breakdown,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    action: str,
    purpose: None | str | Unset = UNSET,
    agreement: None | str | Unset = UNSET,
    reason: None | str | Unset = UNSET,
    resource: None | str | Unset = UNSET,
    fields: None | str | Unset = UNSET,
    level: None | str | Unset = UNSET,
    region: None | str | Unset = UNSET,
    la_code: int | None | Unset = UNSET,
    urn: int | None | Unset = UNSET,
    date_from: datetime.date | None | Unset = UNSET,
    date_to: datetime.date | None | Unset = UNSET,
    breakdown: None | str | Unset = UNSET,
) -> Response[ExplainDecisionResponse200 | Problem]:
    """Would I be allowed this, and why? (no data is returned)

     The decision the policy would make for the caller's own request: allow, reasons, obligations,
    revision.

    Args:
        action (str): The policy action to explain, e.g. pupils.list
        purpose (None | str | Unset): The purpose the request would state
        agreement (None | str | Unset): The data-sharing agreement it would name
        reason (None | str | Unset): The reason for access it would give
        resource (None | str | Unset): Resource kind (default: the action's)
        fields (None | str | Unset): Comma-separated field names
        level (None | str | Unset): national, region, la, school or pupil
        region (None | str | Unset): Region name
        la_code (int | None | Unset): Three-digit local authority code.
        urn (int | None | Unset): School URN (six digits).
        date_from (datetime.date | None | Unset): ISO 8601 date.
        date_to (datetime.date | None | Unset): ISO 8601 date.
        breakdown (None | str | Unset): Breakdown, e.g. fsm

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ExplainDecisionResponse200 | Problem]
    """

    kwargs = _get_kwargs(
        action=action,
        purpose=purpose,
        agreement=agreement,
        reason=reason,
        resource=resource,
        fields=fields,
        level=level,
        region=region,
        la_code=la_code,
        urn=urn,
        date_from=date_from,
        date_to=date_to,
        breakdown=breakdown,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    action: str,
    purpose: None | str | Unset = UNSET,
    agreement: None | str | Unset = UNSET,
    reason: None | str | Unset = UNSET,
    resource: None | str | Unset = UNSET,
    fields: None | str | Unset = UNSET,
    level: None | str | Unset = UNSET,
    region: None | str | Unset = UNSET,
    la_code: int | None | Unset = UNSET,
    urn: int | None | Unset = UNSET,
    date_from: datetime.date | None | Unset = UNSET,
    date_to: datetime.date | None | Unset = UNSET,
    breakdown: None | str | Unset = UNSET,
) -> ExplainDecisionResponse200 | Problem | None:
    """Would I be allowed this, and why? (no data is returned)

     The decision the policy would make for the caller's own request: allow, reasons, obligations,
    revision.

    Args:
        action (str): The policy action to explain, e.g. pupils.list
        purpose (None | str | Unset): The purpose the request would state
        agreement (None | str | Unset): The data-sharing agreement it would name
        reason (None | str | Unset): The reason for access it would give
        resource (None | str | Unset): Resource kind (default: the action's)
        fields (None | str | Unset): Comma-separated field names
        level (None | str | Unset): national, region, la, school or pupil
        region (None | str | Unset): Region name
        la_code (int | None | Unset): Three-digit local authority code.
        urn (int | None | Unset): School URN (six digits).
        date_from (datetime.date | None | Unset): ISO 8601 date.
        date_to (datetime.date | None | Unset): ISO 8601 date.
        breakdown (None | str | Unset): Breakdown, e.g. fsm

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ExplainDecisionResponse200 | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            action=action,
            purpose=purpose,
            agreement=agreement,
            reason=reason,
            resource=resource,
            fields=fields,
            level=level,
            region=region,
            la_code=la_code,
            urn=urn,
            date_from=date_from,
            date_to=date_to,
            breakdown=breakdown,
        )
    ).parsed
