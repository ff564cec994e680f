import datetime
from http import HTTPStatus
from typing import Any, cast

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.closures_response import ClosuresResponse
from ...models.measure_shape import MeasureShape
from ...models.numeric_closures_response import NumericClosuresResponse
from ...models.phase import Phase
from ...models.problem import Problem
from ...models.table_format import TableFormat
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    purpose: str,
    agreement: str,
    date: datetime.date,
    reason: None | str | Unset = UNSET,
    region: None | str | Unset = UNSET,
    la_code: int | None | Unset = UNSET,
    phase: None | Phase | Unset = UNSET,
    format_: None | TableFormat | Unset = UNSET,
    measures: MeasureShape | None | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["purpose"] = purpose

    params["agreement"] = agreement

    json_date = date.isoformat()
    params["date"] = json_date

    json_reason: None | str | Unset
    if isinstance(reason, Unset):
        json_reason = UNSET
    else:
        json_reason = reason
    params["reason"] = json_reason

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

    json_phase: None | str | Unset
    if isinstance(phase, Unset):
        json_phase = UNSET
    elif isinstance(phase, str):
        json_phase = phase
    else:
        json_phase = phase
    params["phase"] = json_phase

    json_format_: None | str | Unset
    if isinstance(format_, Unset):
        json_format_ = UNSET
    elif isinstance(format_, str):
        json_format_ = format_
    else:
        json_format_ = format_
    params["format"] = json_format_

    json_measures: None | str | Unset
    if isinstance(measures, Unset):
        json_measures = UNSET
    elif isinstance(measures, str):
        json_measures = measures
    else:
        json_measures = measures
    params["measures"] = json_measures

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/attendance/closures",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | ClosuresResponse | NumericClosuresResponse | Problem | None:
    if response.status_code == 200:

        def _parse_response_200(data: object) -> ClosuresResponse | NumericClosuresResponse:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_200_type_0 = NumericClosuresResponse.from_dict(data)

                return response_200_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            response_200_type_1 = ClosuresResponse.from_dict(data)

            return response_200_type_1

        response_200 = _parse_response_200(response.json())

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
) -> Response[Any | ClosuresResponse | NumericClosuresResponse | Problem]:
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
    date: datetime.date,
    reason: None | str | Unset = UNSET,
    region: None | str | Unset = UNSET,
    la_code: int | None | Unset = UNSET,
    phase: None | Phase | Unset = UNSET,
    format_: None | TableFormat | Unset = UNSET,
    measures: MeasureShape | None | Unset = UNSET,
) -> Response[Any | ClosuresResponse | NumericClosuresResponse | Problem]:
    """Schools open, partially closed and closed on a day, with attendance

     Closure status per school from the #, Y4 and Y3 codes and from schools with no registers.

    Also as CSV (`format=csv`) and as Parquet (`format=parquet` or Accept
    application/vnd.apache.parquet): one row per school, typed columns `date, urn, school_name,
    la_code, phase, closure_status, attendance_rate, attendance_rate_status`; the file's
    metadata as the summary's.

    Args:
        purpose (str): Why the data is needed; must be a purpose of the agreement.
        agreement (str): The data-sharing agreement the request is made under.
        date (datetime.date): The school day (ISO 8601).
        reason (None | str | Unset): Why you need this (required by some agreements; recorded in
            the audit log).
        region (None | str | Unset): Region name, e.g. 'North West'.
        la_code (int | None | Unset): Three-digit local authority code.
        phase (None | Phase | Unset): School phase.
        format_ (None | TableFormat | Unset): json (default), csv: tidy CSV (as Accept: text/csv),
            or parquet: typed columns, one row per area x group (as Accept:
            application/vnd.apache.parquet); see the operation
        measures (MeasureShape | None | Unset): numeric: every JSON measure is a number or null,
            with `<measure>_status` beside it (c, low, x, z) and `group` Total on an area's total;
            symbols (the default until its sunset, deprecated): a suppressed measure is its symbol.
            CSV is numeric either way.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ClosuresResponse | NumericClosuresResponse | Problem]
    """

    kwargs = _get_kwargs(
        purpose=purpose,
        agreement=agreement,
        date=date,
        reason=reason,
        region=region,
        la_code=la_code,
        phase=phase,
        format_=format_,
        measures=measures,
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
    date: datetime.date,
    reason: None | str | Unset = UNSET,
    region: None | str | Unset = UNSET,
    la_code: int | None | Unset = UNSET,
    phase: None | Phase | Unset = UNSET,
    format_: None | TableFormat | Unset = UNSET,
    measures: MeasureShape | None | Unset = UNSET,
) -> Any | ClosuresResponse | NumericClosuresResponse | Problem | None:
    """Schools open, partially closed and closed on a day, with attendance

     Closure status per school from the #, Y4 and Y3 codes and from schools with no registers.

    Also as CSV (`format=csv`) and as Parquet (`format=parquet` or Accept
    application/vnd.apache.parquet): one row per school, typed columns `date, urn, school_name,
    la_code, phase, closure_status, attendance_rate, attendance_rate_status`; the file's
    metadata as the summary's.

    Args:
        purpose (str): Why the data is needed; must be a purpose of the agreement.
        agreement (str): The data-sharing agreement the request is made under.
        date (datetime.date): The school day (ISO 8601).
        reason (None | str | Unset): Why you need this (required by some agreements; recorded in
            the audit log).
        region (None | str | Unset): Region name, e.g. 'North West'.
        la_code (int | None | Unset): Three-digit local authority code.
        phase (None | Phase | Unset): School phase.
        format_ (None | TableFormat | Unset): json (default), csv: tidy CSV (as Accept: text/csv),
            or parquet: typed columns, one row per area x group (as Accept:
            application/vnd.apache.parquet); see the operation
        measures (MeasureShape | None | Unset): numeric: every JSON measure is a number or null,
            with `<measure>_status` beside it (c, low, x, z) and `group` Total on an area's total;
            symbols (the default until its sunset, deprecated): a suppressed measure is its symbol.
            CSV is numeric either way.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ClosuresResponse | NumericClosuresResponse | Problem
    """

    return sync_detailed(
        client=client,
        purpose=purpose,
        agreement=agreement,
        date=date,
        reason=reason,
        region=region,
        la_code=la_code,
        phase=phase,
        format_=format_,
        measures=measures,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    purpose: str,
    agreement: str,
    date: datetime.date,
    reason: None | str | Unset = UNSET,
    region: None | str | Unset = UNSET,
    la_code: int | None | Unset = UNSET,
    phase: None | Phase | Unset = UNSET,
    format_: None | TableFormat | Unset = UNSET,
    measures: MeasureShape | None | Unset = UNSET,
) -> Response[Any | ClosuresResponse | NumericClosuresResponse | Problem]:
    """Schools open, partially closed and closed on a day, with attendance

     Closure status per school from the #, Y4 and Y3 codes and from schools with no registers.

    Also as CSV (`format=csv`) and as Parquet (`format=parquet` or Accept
    application/vnd.apache.parquet): one row per school, typed columns `date, urn, school_name,
    la_code, phase, closure_status, attendance_rate, attendance_rate_status`; the file's
    metadata as the summary's.

    Args:
        purpose (str): Why the data is needed; must be a purpose of the agreement.
        agreement (str): The data-sharing agreement the request is made under.
        date (datetime.date): The school day (ISO 8601).
        reason (None | str | Unset): Why you need this (required by some agreements; recorded in
            the audit log).
        region (None | str | Unset): Region name, e.g. 'North West'.
        la_code (int | None | Unset): Three-digit local authority code.
        phase (None | Phase | Unset): School phase.
        format_ (None | TableFormat | Unset): json (default), csv: tidy CSV (as Accept: text/csv),
            or parquet: typed columns, one row per area x group (as Accept:
            application/vnd.apache.parquet); see the operation
        measures (MeasureShape | None | Unset): numeric: every JSON measure is a number or null,
            with `<measure>_status` beside it (c, low, x, z) and `group` Total on an area's total;
            symbols (the default until its sunset, deprecated): a suppressed measure is its symbol.
            CSV is numeric either way.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ClosuresResponse | NumericClosuresResponse | Problem]
    """

    kwargs = _get_kwargs(
        purpose=purpose,
        agreement=agreement,
        date=date,
        reason=reason,
        region=region,
        la_code=la_code,
        phase=phase,
        format_=format_,
        measures=measures,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    purpose: str,
    agreement: str,
    date: datetime.date,
    reason: None | str | Unset = UNSET,
    region: None | str | Unset = UNSET,
    la_code: int | None | Unset = UNSET,
    phase: None | Phase | Unset = UNSET,
    format_: None | TableFormat | Unset = UNSET,
    measures: MeasureShape | None | Unset = UNSET,
) -> Any | ClosuresResponse | NumericClosuresResponse | Problem | None:
    """Schools open, partially closed and closed on a day, with attendance

     Closure status per school from the #, Y4 and Y3 codes and from schools with no registers.

    Also as CSV (`format=csv`) and as Parquet (`format=parquet` or Accept
    application/vnd.apache.parquet): one row per school, typed columns `date, urn, school_name,
    la_code, phase, closure_status, attendance_rate, attendance_rate_status`; the file's
    metadata as the summary's.

    Args:
        purpose (str): Why the data is needed; must be a purpose of the agreement.
        agreement (str): The data-sharing agreement the request is made under.
        date (datetime.date): The school day (ISO 8601).
        reason (None | str | Unset): Why you need this (required by some agreements; recorded in
            the audit log).
        region (None | str | Unset): Region name, e.g. 'North West'.
        la_code (int | None | Unset): Three-digit local authority code.
        phase (None | Phase | Unset): School phase.
        format_ (None | TableFormat | Unset): json (default), csv: tidy CSV (as Accept: text/csv),
            or parquet: typed columns, one row per area x group (as Accept:
            application/vnd.apache.parquet); see the operation
        measures (MeasureShape | None | Unset): numeric: every JSON measure is a number or null,
            with `<measure>_status` beside it (c, low, x, z) and `group` Total on an area's total;
            symbols (the default until its sunset, deprecated): a suppressed measure is its symbol.
            CSV is numeric either way.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ClosuresResponse | NumericClosuresResponse | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            purpose=purpose,
            agreement=agreement,
            date=date,
            reason=reason,
            region=region,
            la_code=la_code,
            phase=phase,
            format_=format_,
            measures=measures,
        )
    ).parsed
