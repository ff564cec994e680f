import datetime
from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.benchmark_response import BenchmarkResponse
from ...models.measure_shape import MeasureShape
from ...models.numeric_benchmark_response import NumericBenchmarkResponse
from ...models.problem import Problem
from ...models.table_format import TableFormat
from ...types import UNSET, Response, Unset


def _get_kwargs(
    urn: int,
    *,
    purpose: str,
    agreement: str,
    period: None | str | Unset = UNSET,
    date_from: datetime.date | None | Unset = UNSET,
    date_to: datetime.date | None | Unset = UNSET,
    reason: None | str | Unset = UNSET,
    format_: None | TableFormat | Unset = UNSET,
    measures: MeasureShape | None | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["purpose"] = purpose

    params["agreement"] = agreement

    json_period: None | str | Unset
    if isinstance(period, Unset):
        json_period = UNSET
    else:
        json_period = period
    params["period"] = json_period

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

    json_reason: None | str | Unset
    if isinstance(reason, Unset):
        json_reason = UNSET
    else:
        json_reason = reason
    params["reason"] = json_reason

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
        "url": "/v1/schools/{urn}/benchmark".format(
            urn=quote(str(urn), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | BenchmarkResponse | NumericBenchmarkResponse | Problem | None:
    if response.status_code == 200:

        def _parse_response_200(data: object) -> BenchmarkResponse | NumericBenchmarkResponse:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_200_type_0 = NumericBenchmarkResponse.from_dict(data)

                return response_200_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            response_200_type_1 = BenchmarkResponse.from_dict(data)

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
) -> Response[Any | BenchmarkResponse | NumericBenchmarkResponse | Problem]:
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
    purpose: str,
    agreement: str,
    period: None | str | Unset = UNSET,
    date_from: datetime.date | None | Unset = UNSET,
    date_to: datetime.date | None | Unset = UNSET,
    reason: None | str | Unset = UNSET,
    format_: None | TableFormat | Unset = UNSET,
    measures: MeasureShape | None | Unset = UNSET,
) -> Response[Any | BenchmarkResponse | NumericBenchmarkResponse | Problem]:
    """Benchmark a school against its local authority, England and similar schools

     The school's own figures: exact for the holders the profile's `exact_own_figures` names (the school
    itself), through the caller's disclosure profile for anyone else; comparators are aggregates of
    other schools, disclosure-controlled.

    Also as tidy CSV (`format=csv` or Accept text/csv): one row per group x measure, columns
    `date_from, date_to, urn, comparator, measure, value, status`: the school's own rows first, then
    each comparator's; `comparator` is the group's name; `value` is empty and `status` c, low, x or z
    where a measure is not published. And as Parquet (`format=parquet` or Accept
    application/vnd.apache.parquet): one row per group, typed columns `date_from, date_to` (date32),
    `urn` (int64), `comparator`, then each measure (int64 counts, float64 rates, null when not
    published) and `<measure>_status`; the file's metadata holds data_version, data_as_of,
    request_id, the disclosure profile, legend and rules, and the similar schools rule.

    Args:
        urn (int): The school's URN.
        purpose (str): Why the data is needed; must be a purpose of the agreement.
        agreement (str): The data-sharing agreement the request is made under.
        period (None | str | Unset): A named period instead of date_from and date_to: ytd (the
            academic year to the latest session received; the default when no dates are given), an
            academic year (2025-26), a term (autumn-2025, spring-2026, summer-2026) or a half-term
            (autumn1-2025, autumn2-2025, ...).
        date_from (datetime.date | None | Unset): First day of the period (ISO 8601), with
            date_to.
        date_to (datetime.date | None | Unset): Last day of the period (ISO 8601), inclusive, with
            date_from: on or after date_from, and at most the gateway's maximum period (400 days by
            default) after it.
        reason (None | str | Unset): Why you need this (required by some agreements; recorded in
            the audit log).
        format_ (None | TableFormat | Unset): json (default), csv: tidy CSV, one row per group x
            measure (as Accept: text/csv), or parquet: typed columns, one row per group (as Accept:
            application/vnd.apache.parquet); see the operation
        measures (MeasureShape | None | Unset): numeric: every JSON measure is a number or null,
            with `<measure>_status` beside it (c, low, x, z) and `group` Total on an area's total;
            symbols (the default until its sunset, deprecated): a suppressed measure is its symbol.
            CSV is numeric either way.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | BenchmarkResponse | NumericBenchmarkResponse | Problem]
    """

    kwargs = _get_kwargs(
        urn=urn,
        purpose=purpose,
        agreement=agreement,
        period=period,
        date_from=date_from,
        date_to=date_to,
        reason=reason,
        format_=format_,
        measures=measures,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    urn: int,
    *,
    client: AuthenticatedClient,
    purpose: str,
    agreement: str,
    period: None | str | Unset = UNSET,
    date_from: datetime.date | None | Unset = UNSET,
    date_to: datetime.date | None | Unset = UNSET,
    reason: None | str | Unset = UNSET,
    format_: None | TableFormat | Unset = UNSET,
    measures: MeasureShape | None | Unset = UNSET,
) -> Any | BenchmarkResponse | NumericBenchmarkResponse | Problem | None:
    """Benchmark a school against its local authority, England and similar schools

     The school's own figures: exact for the holders the profile's `exact_own_figures` names (the school
    itself), through the caller's disclosure profile for anyone else; comparators are aggregates of
    other schools, disclosure-controlled.

    Also as tidy CSV (`format=csv` or Accept text/csv): one row per group x measure, columns
    `date_from, date_to, urn, comparator, measure, value, status`: the school's own rows first, then
    each comparator's; `comparator` is the group's name; `value` is empty and `status` c, low, x or z
    where a measure is not published. And as Parquet (`format=parquet` or Accept
    application/vnd.apache.parquet): one row per group, typed columns `date_from, date_to` (date32),
    `urn` (int64), `comparator`, then each measure (int64 counts, float64 rates, null when not
    published) and `<measure>_status`; the file's metadata holds data_version, data_as_of,
    request_id, the disclosure profile, legend and rules, and the similar schools rule.

    Args:
        urn (int): The school's URN.
        purpose (str): Why the data is needed; must be a purpose of the agreement.
        agreement (str): The data-sharing agreement the request is made under.
        period (None | str | Unset): A named period instead of date_from and date_to: ytd (the
            academic year to the latest session received; the default when no dates are given), an
            academic year (2025-26), a term (autumn-2025, spring-2026, summer-2026) or a half-term
            (autumn1-2025, autumn2-2025, ...).
        date_from (datetime.date | None | Unset): First day of the period (ISO 8601), with
            date_to.
        date_to (datetime.date | None | Unset): Last day of the period (ISO 8601), inclusive, with
            date_from: on or after date_from, and at most the gateway's maximum period (400 days by
            default) after it.
        reason (None | str | Unset): Why you need this (required by some agreements; recorded in
            the audit log).
        format_ (None | TableFormat | Unset): json (default), csv: tidy CSV, one row per group x
            measure (as Accept: text/csv), or parquet: typed columns, one row per group (as Accept:
            application/vnd.apache.parquet); see the operation
        measures (MeasureShape | None | Unset): numeric: every JSON measure is a number or null,
            with `<measure>_status` beside it (c, low, x, z) and `group` Total on an area's total;
            symbols (the default until its sunset, deprecated): a suppressed measure is its symbol.
            CSV is numeric either way.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | BenchmarkResponse | NumericBenchmarkResponse | Problem
    """

    return sync_detailed(
        urn=urn,
        client=client,
        purpose=purpose,
        agreement=agreement,
        period=period,
        date_from=date_from,
        date_to=date_to,
        reason=reason,
        format_=format_,
        measures=measures,
    ).parsed


async def asyncio_detailed(
    urn: int,
    *,
    client: AuthenticatedClient,
    purpose: str,
    agreement: str,
    period: None | str | Unset = UNSET,
    date_from: datetime.date | None | Unset = UNSET,
    date_to: datetime.date | None | Unset = UNSET,
    reason: None | str | Unset = UNSET,
    format_: None | TableFormat | Unset = UNSET,
    measures: MeasureShape | None | Unset = UNSET,
) -> Response[Any | BenchmarkResponse | NumericBenchmarkResponse | Problem]:
    """Benchmark a school against its local authority, England and similar schools

     The school's own figures: exact for the holders the profile's `exact_own_figures` names (the school
    itself), through the caller's disclosure profile for anyone else; comparators are aggregates of
    other schools, disclosure-controlled.

    Also as tidy CSV (`format=csv` or Accept text/csv): one row per group x measure, columns
    `date_from, date_to, urn, comparator, measure, value, status`: the school's own rows first, then
    each comparator's; `comparator` is the group's name; `value` is empty and `status` c, low, x or z
    where a measure is not published. And as Parquet (`format=parquet` or Accept
    application/vnd.apache.parquet): one row per group, typed columns `date_from, date_to` (date32),
    `urn` (int64), `comparator`, then each measure (int64 counts, float64 rates, null when not
    published) and `<measure>_status`; the file's metadata holds data_version, data_as_of,
    request_id, the disclosure profile, legend and rules, and the similar schools rule.

    Args:
        urn (int): The school's URN.
        purpose (str): Why the data is needed; must be a purpose of the agreement.
        agreement (str): The data-sharing agreement the request is made under.
        period (None | str | Unset): A named period instead of date_from and date_to: ytd (the
            academic year to the latest session received; the default when no dates are given), an
            academic year (2025-26), a term (autumn-2025, spring-2026, summer-2026) or a half-term
            (autumn1-2025, autumn2-2025, ...).
        date_from (datetime.date | None | Unset): First day of the period (ISO 8601), with
            date_to.
        date_to (datetime.date | None | Unset): Last day of the period (ISO 8601), inclusive, with
            date_from: on or after date_from, and at most the gateway's maximum period (400 days by
            default) after it.
        reason (None | str | Unset): Why you need this (required by some agreements; recorded in
            the audit log).
        format_ (None | TableFormat | Unset): json (default), csv: tidy CSV, one row per group x
            measure (as Accept: text/csv), or parquet: typed columns, one row per group (as Accept:
            application/vnd.apache.parquet); see the operation
        measures (MeasureShape | None | Unset): numeric: every JSON measure is a number or null,
            with `<measure>_status` beside it (c, low, x, z) and `group` Total on an area's total;
            symbols (the default until its sunset, deprecated): a suppressed measure is its symbol.
            CSV is numeric either way.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | BenchmarkResponse | NumericBenchmarkResponse | Problem]
    """

    kwargs = _get_kwargs(
        urn=urn,
        purpose=purpose,
        agreement=agreement,
        period=period,
        date_from=date_from,
        date_to=date_to,
        reason=reason,
        format_=format_,
        measures=measures,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    urn: int,
    *,
    client: AuthenticatedClient,
    purpose: str,
    agreement: str,
    period: None | str | Unset = UNSET,
    date_from: datetime.date | None | Unset = UNSET,
    date_to: datetime.date | None | Unset = UNSET,
    reason: None | str | Unset = UNSET,
    format_: None | TableFormat | Unset = UNSET,
    measures: MeasureShape | None | Unset = UNSET,
) -> Any | BenchmarkResponse | NumericBenchmarkResponse | Problem | None:
    """Benchmark a school against its local authority, England and similar schools

     The school's own figures: exact for the holders the profile's `exact_own_figures` names (the school
    itself), through the caller's disclosure profile for anyone else; comparators are aggregates of
    other schools, disclosure-controlled.

    Also as tidy CSV (`format=csv` or Accept text/csv): one row per group x measure, columns
    `date_from, date_to, urn, comparator, measure, value, status`: the school's own rows first, then
    each comparator's; `comparator` is the group's name; `value` is empty and `status` c, low, x or z
    where a measure is not published. And as Parquet (`format=parquet` or Accept
    application/vnd.apache.parquet): one row per group, typed columns `date_from, date_to` (date32),
    `urn` (int64), `comparator`, then each measure (int64 counts, float64 rates, null when not
    published) and `<measure>_status`; the file's metadata holds data_version, data_as_of,
    request_id, the disclosure profile, legend and rules, and the similar schools rule.

    Args:
        urn (int): The school's URN.
        purpose (str): Why the data is needed; must be a purpose of the agreement.
        agreement (str): The data-sharing agreement the request is made under.
        period (None | str | Unset): A named period instead of date_from and date_to: ytd (the
            academic year to the latest session received; the default when no dates are given), an
            academic year (2025-26), a term (autumn-2025, spring-2026, summer-2026) or a half-term
            (autumn1-2025, autumn2-2025, ...).
        date_from (datetime.date | None | Unset): First day of the period (ISO 8601), with
            date_to.
        date_to (datetime.date | None | Unset): Last day of the period (ISO 8601), inclusive, with
            date_from: on or after date_from, and at most the gateway's maximum period (400 days by
            default) after it.
        reason (None | str | Unset): Why you need this (required by some agreements; recorded in
            the audit log).
        format_ (None | TableFormat | Unset): json (default), csv: tidy CSV, one row per group x
            measure (as Accept: text/csv), or parquet: typed columns, one row per group (as Accept:
            application/vnd.apache.parquet); see the operation
        measures (MeasureShape | None | Unset): numeric: every JSON measure is a number or null,
            with `<measure>_status` beside it (c, low, x, z) and `group` Total on an area's total;
            symbols (the default until its sunset, deprecated): a suppressed measure is its symbol.
            CSV is numeric either way.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | BenchmarkResponse | NumericBenchmarkResponse | Problem
    """

    return (
        await asyncio_detailed(
            urn=urn,
            client=client,
            purpose=purpose,
            agreement=agreement,
            period=period,
            date_from=date_from,
            date_to=date_to,
            reason=reason,
            format_=format_,
            measures=measures,
        )
    ).parsed
