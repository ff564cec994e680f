from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.agreement_status import AgreementStatus, check_agreement_status
from ..models.level import Level, check_level

if TYPE_CHECKING:
    from ..models.profile_view import ProfileView


T = TypeVar("T", bound="AgreementCapabilities")


@_attrs_define
class AgreementCapabilities:
    """
    Attributes:
        actions (list[str]): Policy actions the agreement allows
        agreement_id (str): Agreement id, to name in the agreement parameter
        disclosure (None | ProfileView): Disclosure profile of aggregates; null if none
        dpia (str): The data protection impact assessment it rests on
        fields (list[str]): Fields the agreement releases
        granularity (str): Most detailed granularity released
        legal_gateway (str): The legal gateway (statute) the sharing rests on
        levels (list[Level]): Aggregate levels the policy answers for this caller; [] without aggregates
        purposes (list[str]): Purposes a request may state
        rate_limit_per_minute (int | None): Requests a minute this client may make under the agreement; null: unlimited
        row_cap (int | None): Most rows one response may carry; null: no cap
        status (AgreementStatus): Whether an agreement is in force today.
        title (str): Agreement title
        valid_from (datetime.date): First day the agreement is in force
        valid_to (datetime.date): Last day the agreement is in force
    """

    actions: list[str]
    agreement_id: str
    disclosure: None | ProfileView
    dpia: str
    fields: list[str]
    granularity: str
    legal_gateway: str
    levels: list[Level]
    purposes: list[str]
    rate_limit_per_minute: int | None
    row_cap: int | None
    status: AgreementStatus
    title: str
    valid_from: datetime.date
    valid_to: datetime.date
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.profile_view import ProfileView  # noqa: PLC0415

        actions = self.actions

        agreement_id = self.agreement_id

        disclosure: dict[str, Any] | None
        if isinstance(self.disclosure, ProfileView):
            disclosure = self.disclosure.to_dict()
        else:
            disclosure = self.disclosure

        dpia = self.dpia

        fields = self.fields

        granularity = self.granularity

        legal_gateway = self.legal_gateway

        levels = []
        for levels_item_data in self.levels:
            levels_item: str = levels_item_data
            levels.append(levels_item)

        purposes = self.purposes

        rate_limit_per_minute: int | None
        rate_limit_per_minute = self.rate_limit_per_minute

        row_cap: int | None
        row_cap = self.row_cap

        status: str = self.status

        title = self.title

        valid_from = self.valid_from.isoformat()

        valid_to = self.valid_to.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "actions": actions,
                "agreement_id": agreement_id,
                "disclosure": disclosure,
                "dpia": dpia,
                "fields": fields,
                "granularity": granularity,
                "legal_gateway": legal_gateway,
                "levels": levels,
                "purposes": purposes,
                "rate_limit_per_minute": rate_limit_per_minute,
                "row_cap": row_cap,
                "status": status,
                "title": title,
                "valid_from": valid_from,
                "valid_to": valid_to,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.profile_view import ProfileView  # noqa: PLC0415

        d = dict(src_dict)
        actions = cast(list[str], d.pop("actions"))

        agreement_id = d.pop("agreement_id")

        def _parse_disclosure(data: object) -> None | ProfileView:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                disclosure_type_0 = ProfileView.from_dict(data)

                return disclosure_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ProfileView, data)

        disclosure = _parse_disclosure(d.pop("disclosure"))

        dpia = d.pop("dpia")

        fields = cast(list[str], d.pop("fields"))

        granularity = d.pop("granularity")

        legal_gateway = d.pop("legal_gateway")

        levels = []
        _levels = d.pop("levels")
        for levels_item_data in _levels:
            levels_item = check_level(levels_item_data)

            levels.append(levels_item)

        purposes = cast(list[str], d.pop("purposes"))

        def _parse_rate_limit_per_minute(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        rate_limit_per_minute = _parse_rate_limit_per_minute(d.pop("rate_limit_per_minute"))

        def _parse_row_cap(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        row_cap = _parse_row_cap(d.pop("row_cap"))

        status = check_agreement_status(d.pop("status"))

        title = d.pop("title")

        valid_from = datetime.date.fromisoformat(d.pop("valid_from"))

        valid_to = datetime.date.fromisoformat(d.pop("valid_to"))

        agreement_capabilities = cls(
            actions=actions,
            agreement_id=agreement_id,
            disclosure=disclosure,
            dpia=dpia,
            fields=fields,
            granularity=granularity,
            legal_gateway=legal_gateway,
            levels=levels,
            purposes=purposes,
            rate_limit_per_minute=rate_limit_per_minute,
            row_cap=row_cap,
            status=status,
            title=title,
            valid_from=valid_from,
            valid_to=valid_to,
        )

        agreement_capabilities.additional_properties = d
        return agreement_capabilities

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
