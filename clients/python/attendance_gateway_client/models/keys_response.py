from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.key_view import KeyView


T = TypeVar("T", bound="KeysResponse")


@_attrs_define
class KeysResponse:
    """
    Attributes:
        current (None | str): Key id of the key signing new checkpoints; null if none
        keys (list[KeyView]): The signer's keys: the current one and those it replaced
        witnesses (list[KeyView]): Keys of the witnesses that cosign checkpoints
    """

    current: None | str
    keys: list[KeyView]
    witnesses: list[KeyView]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        current: None | str
        current = self.current

        keys = []
        for keys_item_data in self.keys:
            keys_item = keys_item_data.to_dict()
            keys.append(keys_item)

        witnesses = []
        for witnesses_item_data in self.witnesses:
            witnesses_item = witnesses_item_data.to_dict()
            witnesses.append(witnesses_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "current": current,
                "keys": keys,
                "witnesses": witnesses,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.key_view import KeyView  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_current(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        current = _parse_current(d.pop("current"))

        keys = []
        _keys = d.pop("keys")
        for keys_item_data in _keys:
            keys_item = KeyView.from_dict(keys_item_data)

            keys.append(keys_item)

        witnesses = []
        _witnesses = d.pop("witnesses")
        for witnesses_item_data in _witnesses:
            witnesses_item = KeyView.from_dict(witnesses_item_data)

            witnesses.append(witnesses_item)

        keys_response = cls(
            current=current,
            keys=keys,
            witnesses=witnesses,
        )

        keys_response.additional_properties = d
        return keys_response

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
