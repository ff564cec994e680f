import datetime
from http import HTTPStatus
from typing import Any, cast

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.early_warning_page import EarlyWarningPage
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    purpose: str,
    agreement: str,
    reason: None | str | Unset = UNSET,
    as_of: datetime.date | None | Unset = UNSET,
    recent_weeks: int | Unset = 4,
    drop_points: float | Unset = 10.0,
    la_code: int | None | Unset = UNSET,
    urn: int | None | Unset = UNSET,
    year_group: int | None | Unset = UNSET,
    fields: None | str | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    limit: int | Unset = 100,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["purpose"] = purpose

    params["agreement"] = agreement

    json_reason: None | str | Unset
    if isinstance(reason, Unset):
        json_reason = UNSET
    else:
        json_reason = reason
    params["reason"] = json_reason

    json_as_of: None | str | Unset
    if isinstance(as_of, Unset):
        json_as_of = UNSET
    elif isinstance(as_of, datetime.date):
        json_as_of = as_of.isoformat()
    else:
        json_as_of = as_of
    params["as_of"] = json_as_of

    params["recent_weeks"] = recent_weeks

    params["drop_points"] = drop_points

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

    json_year_group: int | None | Unset
    if isinstance(year_group, Unset):
        json_year_group = UNSET
    else:
        json_year_group = year_group
    params["year_group"] = json_year_group

    json_fields: None | str | Unset
    if isinstance(fields, Unset):
        json_fields = UNSET
    else:
        json_fields = fields
    params["fields"] = json_fields

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
        "url": "/v1/early-warning",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | EarlyWarningPage | Problem | None:
    if response.status_code == 200:
        response_200 = EarlyWarningPage.from_dict(response.json())

        return response_200

    if response.status_code == 304:
        response_304 = cast(Any, None)
        return response_304

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
) -> Response[Any | EarlyWarningPage | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    purpose: str,
    agreement: str,
    reason: None | str | Unset = UNSET,
    as_of: datetime.date | None | Unset = UNSET,
    recent_weeks: int | Unset = 4,
    drop_points: float | Unset = 10.0,
    la_code: int | None | Unset = UNSET,
    urn: int | None | Unset = UNSET,
    year_group: int | None | Unset = UNSET,
    fields: None | str | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    limit: int | Unset = 100,
) -> Response[Any | EarlyWarningPage | Problem]:
    """Pupils whose attendance is getting worse, with the rule that flagged each

     The last `recent_weeks` school weeks against the rest of the academic year to date.

    Args:
        purpose (str): Why the data is needed; must be a purpose of the agreement.
        agreement (str): The data-sharing agreement the request is made under.
        reason (None | str | Unset): Why you need this (required by some agreements; recorded in
            the audit log).
        as_of (datetime.date | None | Unset): ISO 8601 date.
        recent_weeks (int | Unset): School weeks in the recent window. Default: 4.
        drop_points (float | Unset): Attendance drop (points) that flags a pupil. Default: 10.0.
        la_code (int | None | Unset): Three-digit local authority code.
        urn (int | None | Unset): School URN (six digits).
        year_group (int | None | Unset): National curriculum year (0 = reception).
        fields (None | str | Unset): Comma-separated fields to return (default: all the agreement
            permits).
        cursor (None | str | Unset): Opaque cursor from the previous page's next_cursor.
        limit (int | Unset): Rows per page. Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | EarlyWarningPage | Problem]
    """

    kwargs = _get_kwargs(
        purpose=purpose,
        agreement=agreement,
        reason=reason,
        as_of=as_of,
        recent_weeks=recent_weeks,
        drop_points=drop_points,
        la_code=la_code,
        urn=urn,
        year_group=year_group,
        fields=fields,
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
    purpose: str,
    agreement: str,
    reason: None | str | Unset = UNSET,
    as_of: datetime.date | None | Unset = UNSET,
    recent_weeks: int | Unset = 4,
    drop_points: float | Unset = 10.0,
    la_code: int | None | Unset = UNSET,
    urn: int | None | Unset = UNSET,
    year_group: int | None | Unset = UNSET,
    fields: None | str | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    limit: int | Unset = 100,
) -> Any | EarlyWarningPage | Problem | None:
    """Pupils whose attendance is getting worse, with the rule that flagged each

     The last `recent_weeks` school weeks against the rest of the academic year to date.

    Args:
        purpose (str): Why the data is needed; must be a purpose of the agreement.
        agreement (str): The data-sharing agreement the request is made under.
        reason (None | str | Unset): Why you need this (required by some agreements; recorded in
            the audit log).
        as_of (datetime.date | None | Unset): ISO 8601 date.
        recent_weeks (int | Unset): School weeks in the recent window. Default: 4.
        drop_points (float | Unset): Attendance drop (points) that flags a pupil. Default: 10.0.
        la_code (int | None | Unset): Three-digit local authority code.
        urn (int | None | Unset): School URN (six digits).
        year_group (int | None | Unset): National curriculum year (0 = reception).
        fields (None | str | Unset): Comma-separated fields to return (default: all the agreement
            permits).
        cursor (None | str | Unset): Opaque cursor from the previous page's next_cursor.
        limit (int | Unset): Rows per page. Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | EarlyWarningPage | Problem
    """

    return sync_detailed(
        client=client,
        purpose=purpose,
        agreement=agreement,
        reason=reason,
        as_of=as_of,
        recent_weeks=recent_weeks,
        drop_points=drop_points,
        la_code=la_code,
        urn=urn,
        year_group=year_group,
        fields=fields,
        cursor=cursor,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    purpose: str,
    agreement: str,
    reason: None | str | Unset = UNSET,
    as_of: datetime.date | None | Unset = UNSET,
    recent_weeks: int | Unset = 4,
    drop_points: float | Unset = 10.0,
    la_code: int | None | Unset = UNSET,
    urn: int | None | Unset = UNSET,
    year_group: int | None | Unset = UNSET,
    fields: None | str | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    limit: int | Unset = 100,
) -> Response[Any | EarlyWarningPage | Problem]:
    """Pupils whose attendance is getting worse, with the rule that flagged each

     The last `recent_weeks` school weeks against the rest of the academic year to date.

    Args:
        purpose (str): Why the data is needed; must be a purpose of the agreement.
        agreement (str): The data-sharing agreement the request is made under.
        reason (None | str | Unset): Why you need this (required by some agreements; recorded in
            the audit log).
        as_of (datetime.date | None | Unset): ISO 8601 date.
        recent_weeks (int | Unset): School weeks in the recent window. Default: 4.
        drop_points (float | Unset): Attendance drop (points) that flags a pupil. Default: 10.0.
        la_code (int | None | Unset): Three-digit local authority code.
        urn (int | None | Unset): School URN (six digits).
        year_group (int | None | Unset): National curriculum year (0 = reception).
        fields (None | str | Unset): Comma-separated fields to return (default: all the agreement
            permits).
        cursor (None | str | Unset): Opaque cursor from the previous page's next_cursor.
        limit (int | Unset): Rows per page. Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | EarlyWarningPage | Problem]
    """

    kwargs = _get_kwargs(
        purpose=purpose,
        agreement=agreement,
        reason=reason,
        as_of=as_of,
        recent_weeks=recent_weeks,
        drop_points=drop_points,
        la_code=la_code,
        urn=urn,
        year_group=year_group,
        fields=fields,
        cursor=cursor,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    purpose: str,
    agreement: str,
    reason: None | str | Unset = UNSET,
    as_of: datetime.date | None | Unset = UNSET,
    recent_weeks: int | Unset = 4,
    drop_points: float | Unset = 10.0,
    la_code: int | None | Unset = UNSET,
    urn: int | None | Unset = UNSET,
    year_group: int | None | Unset = UNSET,
    fields: None | str | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    limit: int | Unset = 100,
) -> Any | EarlyWarningPage | Problem | None:
    """Pupils whose attendance is getting worse, with the rule that flagged each

     The last `recent_weeks` school weeks against the rest of the academic year to date.

    Args:
        purpose (str): Why the data is needed; must be a purpose of the agreement.
        agreement (str): The data-sharing agreement the request is made under.
        reason (None | str | Unset): Why you need this (required by some agreements; recorded in
            the audit log).
        as_of (datetime.date | None | Unset): ISO 8601 date.
        recent_weeks (int | Unset): School weeks in the recent window. Default: 4.
        drop_points (float | Unset): Attendance drop (points) that flags a pupil. Default: 10.0.
        la_code (int | None | Unset): Three-digit local authority code.
        urn (int | None | Unset): School URN (six digits).
        year_group (int | None | Unset): National curriculum year (0 = reception).
        fields (None | str | Unset): Comma-separated fields to return (default: all the agreement
            permits).
        cursor (None | str | Unset): Opaque cursor from the previous page's next_cursor.
        limit (int | Unset): Rows per page. Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | EarlyWarningPage | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            purpose=purpose,
            agreement=agreement,
            reason=reason,
            as_of=as_of,
            recent_weeks=recent_weeks,
            drop_points=drop_points,
            la_code=la_code,
            urn=urn,
            year_group=year_group,
            fields=fields,
            cursor=cursor,
            limit=limit,
        )
    ).parsed
