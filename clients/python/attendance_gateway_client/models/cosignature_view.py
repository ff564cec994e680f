from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="CosignatureView")


@_attrs_define
class CosignatureView:
    """
    Attributes:
        key_id (str): Identifier of the signing key
        root (str): Merkle tree root, hex
        signature (str): Ed25519 signature, base64
        signed_at (str): When the checkpoint was signed (RFC 3339)
        size (int): Events in the tree the checkpoint signs
    """

    key_id: str
    root: str
    signature: str
    signed_at: str
    size: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        key_id = self.key_id

        root = self.root

        signature = self.signature

        signed_at = self.signed_at

        size = self.size

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "key_id": key_id,
                "root": root,
                "signature": signature,
                "signed_at": signed_at,
                "size": size,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        key_id = d.pop("key_id")

        root = d.pop("root")

        signature = d.pop("signature")

        signed_at = d.pop("signed_at")

        size = d.pop("size")

        cosignature_view = cls(
            key_id=key_id,
            root=root,
            signature=signature,
            signed_at=signed_at,
            size=size,
        )

        cosignature_view.additional_properties = d
        return cosignature_view

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
