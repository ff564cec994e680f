from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="KeyView")


@_attrs_define
class KeyView:
    """
    Attributes:
        algorithm (str): Signature algorithm of the key
        fingerprint (str): SHA-256 of the raw public key, hex: what a verifier pins
        key_id (str): Identifier of the signing key
        public_key (str): The public key, base64
    """

    algorithm: str
    fingerprint: str
    key_id: str
    public_key: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        algorithm = self.algorithm

        fingerprint = self.fingerprint

        key_id = self.key_id

        public_key = self.public_key

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "algorithm": algorithm,
                "fingerprint": fingerprint,
                "key_id": key_id,
                "public_key": public_key,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        algorithm = d.pop("algorithm")

        fingerprint = d.pop("fingerprint")

        key_id = d.pop("key_id")

        public_key = d.pop("public_key")

        key_view = cls(
            algorithm=algorithm,
            fingerprint=fingerprint,
            key_id=key_id,
            public_key=public_key,
        )

        key_view.additional_properties = d
        return key_view

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
