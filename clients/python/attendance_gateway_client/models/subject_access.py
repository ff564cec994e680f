from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="SubjectAccess")


@_attrs_define
class SubjectAccess:
    """
    Attributes:
        agreement (None | str): Agreement the access was made under; null if none
        legal_gateway (None | str): Legal gateway of the agreement; null if none
        organisation (None | str): Organisation that accessed; null where withheld
        outcome (str): What happened to the request: allowed, denied or failed
        purpose (None | str): Purpose stated; null if none
        reason_text (None | str): The caseworker's stated reason; null when none or withheld
        route (str): The route the request was made to
        seq (int): Sequence number of the audit event
        time (str): When the access happened (RFC 3339)
        who (None | str): Who accessed: role and subject of the caller; null where withheld
        reason_withheld (bool | Unset): A reason was given that this caller's roles may not read Default: False.
    """

    agreement: None | str
    legal_gateway: None | str
    organisation: None | str
    outcome: str
    purpose: None | str
    reason_text: None | str
    route: str
    seq: int
    time: str
    who: None | str
    reason_withheld: bool | Unset = False
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        agreement: None | str
        agreement = self.agreement

        legal_gateway: None | str
        legal_gateway = self.legal_gateway

        organisation: None | str
        organisation = self.organisation

        outcome = self.outcome

        purpose: None | str
        purpose = self.purpose

        reason_text: None | str
        reason_text = self.reason_text

        route = self.route

        seq = self.seq

        time = self.time

        who: None | str
        who = self.who

        reason_withheld = self.reason_withheld

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "agreement": agreement,
                "legal_gateway": legal_gateway,
                "organisation": organisation,
                "outcome": outcome,
                "purpose": purpose,
                "reason_text": reason_text,
                "route": route,
                "seq": seq,
                "time": time,
                "who": who,
            }
        )
        if reason_withheld is not UNSET:
            field_dict["reason_withheld"] = reason_withheld

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_agreement(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        agreement = _parse_agreement(d.pop("agreement"))

        def _parse_legal_gateway(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        legal_gateway = _parse_legal_gateway(d.pop("legal_gateway"))

        def _parse_organisation(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        organisation = _parse_organisation(d.pop("organisation"))

        outcome = d.pop("outcome")

        def _parse_purpose(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        purpose = _parse_purpose(d.pop("purpose"))

        def _parse_reason_text(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reason_text = _parse_reason_text(d.pop("reason_text"))

        route = d.pop("route")

        seq = d.pop("seq")

        time = d.pop("time")

        def _parse_who(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        who = _parse_who(d.pop("who"))

        reason_withheld = d.pop("reason_withheld", UNSET)

        subject_access = cls(
            agreement=agreement,
            legal_gateway=legal_gateway,
            organisation=organisation,
            outcome=outcome,
            purpose=purpose,
            reason_text=reason_text,
            route=route,
            seq=seq,
            time=time,
            who=who,
            reason_withheld=reason_withheld,
        )

        subject_access.additional_properties = d
        return subject_access

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
