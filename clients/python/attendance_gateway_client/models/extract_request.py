from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.extract_format import ExtractFormat, check_extract_format
from ..models.phase import Phase, check_phase
from ..types import UNSET, Unset

T = TypeVar("T", bound="ExtractRequest")


@_attrs_define
class ExtractRequest:
    """The extract to produce.

    Attributes:
        agreement (str): The data-sharing agreement the request is made under
        date_from (datetime.date): First day of the period
        date_to (datetime.date): Last day of the period
        purpose (str): The purpose the request states (one of the agreement's)
        fields (list[str] | Unset): Fields to include (default: every field the agreement releases)
        format_ (ExtractFormat | Unset): An extract's or export's representation: NDJSON or CSV. Default: 'ndjson'.
        la_code (int | None | Unset): Only this local authority
        phase (None | Phase | Unset): Only schools of this phase
        reason (None | str | Unset): The caller's reason for access (required by some agreements)
        region (None | str | Unset): Only this region
        year_group (int | None | Unset): Only this year group
    """

    agreement: str
    date_from: datetime.date
    date_to: datetime.date
    purpose: str
    fields: list[str] | Unset = UNSET
    format_: ExtractFormat | Unset = "ndjson"
    la_code: int | None | Unset = UNSET
    phase: None | Phase | Unset = UNSET
    reason: None | str | Unset = UNSET
    region: None | str | Unset = UNSET
    year_group: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        agreement = self.agreement

        date_from = self.date_from.isoformat()

        date_to = self.date_to.isoformat()

        purpose = self.purpose

        fields: list[str] | Unset = UNSET
        if not isinstance(self.fields, Unset):
            fields = self.fields

        format_: str | Unset = UNSET
        if not isinstance(self.format_, Unset):
            format_ = self.format_

        la_code: int | None | Unset
        if isinstance(self.la_code, Unset):
            la_code = UNSET
        else:
            la_code = self.la_code

        phase: None | str | Unset
        if isinstance(self.phase, Unset):
            phase = UNSET
        elif isinstance(self.phase, str):
            phase = self.phase
        else:
            phase = self.phase

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        else:
            reason = self.reason

        region: None | str | Unset
        if isinstance(self.region, Unset):
            region = UNSET
        else:
            region = self.region

        year_group: int | None | Unset
        if isinstance(self.year_group, Unset):
            year_group = UNSET
        else:
            year_group = self.year_group

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "agreement": agreement,
                "date_from": date_from,
                "date_to": date_to,
                "purpose": purpose,
            }
        )
        if fields is not UNSET:
            field_dict["fields"] = fields
        if format_ is not UNSET:
            field_dict["format"] = format_
        if la_code is not UNSET:
            field_dict["la_code"] = la_code
        if phase is not UNSET:
            field_dict["phase"] = phase
        if reason is not UNSET:
            field_dict["reason"] = reason
        if region is not UNSET:
            field_dict["region"] = region
        if year_group is not UNSET:
            field_dict["year_group"] = year_group

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        agreement = d.pop("agreement")

        date_from = datetime.date.fromisoformat(d.pop("date_from"))

        date_to = datetime.date.fromisoformat(d.pop("date_to"))

        purpose = d.pop("purpose")

        fields = cast(list[str], d.pop("fields", UNSET))

        _format_ = d.pop("format", UNSET)
        format_: ExtractFormat | Unset
        if isinstance(_format_, Unset):
            format_ = UNSET
        else:
            format_ = check_extract_format(_format_)

        def _parse_la_code(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        la_code = _parse_la_code(d.pop("la_code", UNSET))

        def _parse_phase(data: object) -> None | Phase | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                phase_type_0 = check_phase(data)

                return phase_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Phase | Unset, data)

        phase = _parse_phase(d.pop("phase", UNSET))

        def _parse_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))

        def _parse_region(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        region = _parse_region(d.pop("region", UNSET))

        def _parse_year_group(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        year_group = _parse_year_group(d.pop("year_group", UNSET))

        extract_request = cls(
            agreement=agreement,
            date_from=date_from,
            date_to=date_to,
            purpose=purpose,
            fields=fields,
            format_=format_,
            la_code=la_code,
            phase=phase,
            reason=reason,
            region=region,
            year_group=year_group,
        )

        extract_request.additional_properties = d
        return extract_request

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
