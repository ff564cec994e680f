from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Governance")


@_attrs_define
class Governance:
    """
    Attributes:
        agreement (None | str): Agreement the response was released under; null if none
        disclosure_profile (None | str): Name of the disclosure profile applied; null for none
        granularity (None | str): Most detailed granularity released under the agreement
        legal_gateway (None | str): The legal gateway (statute) the sharing rests on
        policy_revision (str): Revision of the policy bundle that decided
        purpose (None | str): Purpose stated; null if none
        request_id (None | str): The request's id, as in x-request-id and the audit log
    """

    agreement: None | str
    disclosure_profile: None | str
    granularity: None | str
    legal_gateway: None | str
    policy_revision: str
    purpose: None | str
    request_id: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        agreement: None | str
        agreement = self.agreement

        disclosure_profile: None | str
        disclosure_profile = self.disclosure_profile

        granularity: None | str
        granularity = self.granularity

        legal_gateway: None | str
        legal_gateway = self.legal_gateway

        policy_revision = self.policy_revision

        purpose: None | str
        purpose = self.purpose

        request_id: None | str
        request_id = self.request_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "agreement": agreement,
                "disclosure_profile": disclosure_profile,
                "granularity": granularity,
                "legal_gateway": legal_gateway,
                "policy_revision": policy_revision,
                "purpose": purpose,
                "request_id": request_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_agreement(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        agreement = _parse_agreement(d.pop("agreement"))

        def _parse_disclosure_profile(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        disclosure_profile = _parse_disclosure_profile(d.pop("disclosure_profile"))

        def _parse_granularity(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        granularity = _parse_granularity(d.pop("granularity"))

        def _parse_legal_gateway(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        legal_gateway = _parse_legal_gateway(d.pop("legal_gateway"))

        policy_revision = d.pop("policy_revision")

        def _parse_purpose(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        purpose = _parse_purpose(d.pop("purpose"))

        def _parse_request_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        request_id = _parse_request_id(d.pop("request_id"))

        governance = cls(
            agreement=agreement,
            disclosure_profile=disclosure_profile,
            granularity=granularity,
            legal_gateway=legal_gateway,
            policy_revision=policy_revision,
            purpose=purpose,
            request_id=request_id,
        )

        governance.additional_properties = d
        return governance

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
