from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.decision_outcome import DecisionOutcome
from ...models.events_page import EventsPage
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    purpose: None | str | Unset = UNSET,
    dpo_agreement: None | str | Unset = UNSET,
    from_: None | str | Unset = UNSET,
    to: None | str | Unset = UNSET,
    organisation: None | str | Unset = UNSET,
    agreement: None | str | Unset = UNSET,
    gateway: None | str | Unset = UNSET,
    decision: DecisionOutcome | None | Unset = UNSET,
    route: None | str | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    limit: int | Unset = 100,
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

    json_organisation: None | str | Unset
    if isinstance(organisation, Unset):
        json_organisation = UNSET
    else:
        json_organisation = organisation
    params["organisation"] = json_organisation

    json_agreement: None | str | Unset
    if isinstance(agreement, Unset):
        json_agreement = UNSET
    else:
        json_agreement = agreement
    params["agreement"] = json_agreement

    json_gateway: None | str | Unset
    if isinstance(gateway, Unset):
        json_gateway = UNSET
    else:
        json_gateway = gateway
    params["gateway"] = json_gateway

    json_decision: None | str | Unset
    if isinstance(decision, Unset):
        json_decision = UNSET
    elif isinstance(decision, str):
        json_decision = decision
    else:
        json_decision = decision
    params["decision"] = json_decision

    json_route: None | str | Unset
    if isinstance(route, Unset):
        json_route = UNSET
    else:
        json_route = route
    params["route"] = json_route

    json_cursor: None | str | Unset
    if isinstance(cursor, Unset):
        json_cursor = UNSET
    else:
        json_cursor = cursor
    params["cursor"] = json_cursor

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/audit/events",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> EventsPage | Problem | None:
    if response.status_code == 200:
        response_200 = EventsPage.from_dict(response.json())

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


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[EventsPage | Problem]:
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
    from_: None | str | Unset = UNSET,
    to: None | str | Unset = UNSET,
    organisation: None | str | Unset = UNSET,
    agreement: None | str | Unset = UNSET,
    gateway: None | str | Unset = UNSET,
    decision: DecisionOutcome | None | Unset = UNSET,
    route: None | str | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    limit: int | Unset = 100,
) -> Response[EventsPage | Problem]:
    """Search the audit log

     Events in log order, within the officer's organisation unless they oversee every organisation.

    Args:
        purpose (None | str | Unset): Why the officer is looking (e.g. audit-oversight).
        dpo_agreement (None | str | Unset): The officer's own oversight agreement (chosen by
            policy if absent).
        from_ (None | str | Unset): Events at or after (RFC 3339).
        to (None | str | Unset): Events before (RFC 3339).
        organisation (None | str | Unset): Events of this organisation.
        agreement (None | str | Unset): Events under this data-sharing agreement.
        gateway (None | str | Unset): Events citing this statute.
        decision (DecisionOutcome | None | Unset): Outcome.
        route (None | str | Unset): Route template, e.g. /v1/pupils/{upn}.
        cursor (None | str | Unset): Opaque cursor from the previous page's next_cursor.
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EventsPage | Problem]
    """

    kwargs = _get_kwargs(
        purpose=purpose,
        dpo_agreement=dpo_agreement,
        from_=from_,
        to=to,
        organisation=organisation,
        agreement=agreement,
        gateway=gateway,
        decision=decision,
        route=route,
        cursor=cursor,
        limit=limit,
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
    from_: None | str | Unset = UNSET,
    to: None | str | Unset = UNSET,
    organisation: None | str | Unset = UNSET,
    agreement: None | str | Unset = UNSET,
    gateway: None | str | Unset = UNSET,
    decision: DecisionOutcome | None | Unset = UNSET,
    route: None | str | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    limit: int | Unset = 100,
) -> EventsPage | Problem | None:
    """Search the audit log

     Events in log order, within the officer's organisation unless they oversee every organisation.

    Args:
        purpose (None | str | Unset): Why the officer is looking (e.g. audit-oversight).
        dpo_agreement (None | str | Unset): The officer's own oversight agreement (chosen by
            policy if absent).
        from_ (None | str | Unset): Events at or after (RFC 3339).
        to (None | str | Unset): Events before (RFC 3339).
        organisation (None | str | Unset): Events of this organisation.
        agreement (None | str | Unset): Events under this data-sharing agreement.
        gateway (None | str | Unset): Events citing this statute.
        decision (DecisionOutcome | None | Unset): Outcome.
        route (None | str | Unset): Route template, e.g. /v1/pupils/{upn}.
        cursor (None | str | Unset): Opaque cursor from the previous page's next_cursor.
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EventsPage | Problem
    """

    return sync_detailed(
        client=client,
        purpose=purpose,
        dpo_agreement=dpo_agreement,
        from_=from_,
        to=to,
        organisation=organisation,
        agreement=agreement,
        gateway=gateway,
        decision=decision,
        route=route,
        cursor=cursor,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    purpose: None | str | Unset = UNSET,
    dpo_agreement: None | str | Unset = UNSET,
    from_: None | str | Unset = UNSET,
    to: None | str | Unset = UNSET,
    organisation: None | str | Unset = UNSET,
    agreement: None | str | Unset = UNSET,
    gateway: None | str | Unset = UNSET,
    decision: DecisionOutcome | None | Unset = UNSET,
    route: None | str | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    limit: int | Unset = 100,
) -> Response[EventsPage | Problem]:
    """Search the audit log

     Events in log order, within the officer's organisation unless they oversee every organisation.

    Args:
        purpose (None | str | Unset): Why the officer is looking (e.g. audit-oversight).
        dpo_agreement (None | str | Unset): The officer's own oversight agreement (chosen by
            policy if absent).
        from_ (None | str | Unset): Events at or after (RFC 3339).
        to (None | str | Unset): Events before (RFC 3339).
        organisation (None | str | Unset): Events of this organisation.
        agreement (None | str | Unset): Events under this data-sharing agreement.
        gateway (None | str | Unset): Events citing this statute.
        decision (DecisionOutcome | None | Unset): Outcome.
        route (None | str | Unset): Route template, e.g. /v1/pupils/{upn}.
        cursor (None | str | Unset): Opaque cursor from the previous page's next_cursor.
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EventsPage | Problem]
    """

    kwargs = _get_kwargs(
        purpose=purpose,
        dpo_agreement=dpo_agreement,
        from_=from_,
        to=to,
        organisation=organisation,
        agreement=agreement,
        gateway=gateway,
        decision=decision,
        route=route,
        cursor=cursor,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    purpose: None | str | Unset = UNSET,
    dpo_agreement: None | str | Unset = UNSET,
    from_: None | str | Unset = UNSET,
    to: None | str | Unset = UNSET,
    organisation: None | str | Unset = UNSET,
    agreement: None | str | Unset = UNSET,
    gateway: None | str | Unset = UNSET,
    decision: DecisionOutcome | None | Unset = UNSET,
    route: None | str | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    limit: int | Unset = 100,
) -> EventsPage | Problem | None:
    """Search the audit log

     Events in log order, within the officer's organisation unless they oversee every organisation.

    Args:
        purpose (None | str | Unset): Why the officer is looking (e.g. audit-oversight).
        dpo_agreement (None | str | Unset): The officer's own oversight agreement (chosen by
            policy if absent).
        from_ (None | str | Unset): Events at or after (RFC 3339).
        to (None | str | Unset): Events before (RFC 3339).
        organisation (None | str | Unset): Events of this organisation.
        agreement (None | str | Unset): Events under this data-sharing agreement.
        gateway (None | str | Unset): Events citing this statute.
        decision (DecisionOutcome | None | Unset): Outcome.
        route (None | str | Unset): Route template, e.g. /v1/pupils/{upn}.
        cursor (None | str | Unset): Opaque cursor from the previous page's next_cursor.
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EventsPage | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            purpose=purpose,
            dpo_agreement=dpo_agreement,
            from_=from_,
            to=to,
            organisation=organisation,
            agreement=agreement,
            gateway=gateway,
            decision=decision,
            route=route,
            cursor=cursor,
            limit=limit,
        )
    ).parsed
