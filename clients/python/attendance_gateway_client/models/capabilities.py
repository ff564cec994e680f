from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.agreement_capabilities import AgreementCapabilities


T = TypeVar("T", bound="Capabilities")


@_attrs_define
class Capabilities:
    """
    Attributes:
        agreements (list[AgreementCapabilities]): Agreements the caller holds, by id
        la_code (int | None): Local authority code of an LA caller; null otherwise
        organisation (str): The caller's organisation
        organisation_type (str): la, school, trust, ogd, dfe or aggregator
        policy_revision (str): The policy bundle revision that answered
        roles (list[str]): The caller's roles
        subject (str): The token's subject
        trust_id (int | None): Trust (GIAS group UID) of a trust caller; null otherwise
        urn (int | None): School URN of a school caller; null otherwise
    """

    agreements: list[AgreementCapabilities]
    la_code: int | None
    organisation: str
    organisation_type: str
    policy_revision: str
    roles: list[str]
    subject: str
    trust_id: int | None
    urn: int | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        agreements = []
        for agreements_item_data in self.agreements:
            agreements_item = agreements_item_data.to_dict()
            agreements.append(agreements_item)

        la_code: int | None
        la_code = self.la_code

        organisation = self.organisation

        organisation_type = self.organisation_type

        policy_revision = self.policy_revision

        roles = self.roles

        subject = self.subject

        trust_id: int | None
        trust_id = self.trust_id

        urn: int | None
        urn = self.urn

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "agreements": agreements,
                "la_code": la_code,
                "organisation": organisation,
                "organisation_type": organisation_type,
                "policy_revision": policy_revision,
                "roles": roles,
                "subject": subject,
                "trust_id": trust_id,
                "urn": urn,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.agreement_capabilities import AgreementCapabilities  # noqa: PLC0415

        d = dict(src_dict)
        agreements = []
        _agreements = d.pop("agreements")
        for agreements_item_data in _agreements:
            agreements_item = AgreementCapabilities.from_dict(agreements_item_data)

            agreements.append(agreements_item)

        def _parse_la_code(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        la_code = _parse_la_code(d.pop("la_code"))

        organisation = d.pop("organisation")

        organisation_type = d.pop("organisation_type")

        policy_revision = d.pop("policy_revision")

        roles = cast(list[str], d.pop("roles"))

        subject = d.pop("subject")

        def _parse_trust_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        trust_id = _parse_trust_id(d.pop("trust_id"))

        def _parse_urn(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        urn = _parse_urn(d.pop("urn"))

        capabilities = cls(
            agreements=agreements,
            la_code=la_code,
            organisation=organisation,
            organisation_type=organisation_type,
            policy_revision=policy_revision,
            roles=roles,
            subject=subject,
            trust_id=trust_id,
            urn=urn,
        )

        capabilities.additional_properties = d
        return capabilities

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
