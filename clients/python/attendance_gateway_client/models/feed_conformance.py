from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.product_conformance import ProductConformance
    from ..models.sender_conformance import SenderConformance


T = TypeVar("T", bound="FeedConformance")


@_attrs_define
class FeedConformance:
    """
    Attributes:
        min_schools (int): Fewest schools a group's batches must name for it to be shown
        products (list[ProductConformance]): Per MIS product and version
        products_withheld (int): Product and version groups below the rule, not shown
        rule (str): The disclosure rule, in words
        schema_version (str): The feed schema the batches were checked against
        senders (list[SenderConformance]): Per sending organisation
        senders_withheld (int): Senders below the rule, not shown
    """

    min_schools: int
    products: list[ProductConformance]
    products_withheld: int
    rule: str
    schema_version: str
    senders: list[SenderConformance]
    senders_withheld: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        min_schools = self.min_schools

        products = []
        for products_item_data in self.products:
            products_item = products_item_data.to_dict()
            products.append(products_item)

        products_withheld = self.products_withheld

        rule = self.rule

        schema_version = self.schema_version

        senders = []
        for senders_item_data in self.senders:
            senders_item = senders_item_data.to_dict()
            senders.append(senders_item)

        senders_withheld = self.senders_withheld

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "min_schools": min_schools,
                "products": products,
                "products_withheld": products_withheld,
                "rule": rule,
                "schema_version": schema_version,
                "senders": senders,
                "senders_withheld": senders_withheld,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.product_conformance import ProductConformance  # noqa: PLC0415
        from ..models.sender_conformance import SenderConformance  # noqa: PLC0415

        d = dict(src_dict)
        min_schools = d.pop("min_schools")

        products = []
        _products = d.pop("products")
        for products_item_data in _products:
            products_item = ProductConformance.from_dict(products_item_data)

            products.append(products_item)

        products_withheld = d.pop("products_withheld")

        rule = d.pop("rule")

        schema_version = d.pop("schema_version")

        senders = []
        _senders = d.pop("senders")
        for senders_item_data in _senders:
            senders_item = SenderConformance.from_dict(senders_item_data)

            senders.append(senders_item)

        senders_withheld = d.pop("senders_withheld")

        feed_conformance = cls(
            min_schools=min_schools,
            products=products,
            products_withheld=products_withheld,
            rule=rule,
            schema_version=schema_version,
            senders=senders,
            senders_withheld=senders_withheld,
        )

        feed_conformance.additional_properties = d
        return feed_conformance

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
