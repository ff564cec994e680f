from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.query_space_view_breakdowns import QuerySpaceViewBreakdowns


T = TypeVar("T", bound="QuerySpaceView")


@_attrs_define
class QuerySpaceView:
    """The questions the profile answers

    Attributes:
        breakdowns (QuerySpaceViewBreakdowns): Breakdowns published at each level
        ledger (bool): Whether every release is kept in a ledger so differencing queries are refused
        min_population (int): Smallest population (pupils) a published area or group may have; 0 for none
        named_periods (str): How named periods (ytd, term, half_term) are served under this profile
        periods (list[str] | Literal['free']): Period kinds a request may cover (ytd, year, term, half_term), or free
            for any dates
    """

    breakdowns: QuerySpaceViewBreakdowns
    ledger: bool
    min_population: int
    named_periods: str
    periods: list[str] | Literal["free"]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        breakdowns = self.breakdowns.to_dict()

        ledger = self.ledger

        min_population = self.min_population

        named_periods = self.named_periods

        periods: list[str] | Literal["free"]
        if isinstance(self.periods, list):
            periods = self.periods

        else:
            periods = self.periods

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "breakdowns": breakdowns,
                "ledger": ledger,
                "min_population": min_population,
                "named_periods": named_periods,
                "periods": periods,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.query_space_view_breakdowns import QuerySpaceViewBreakdowns  # noqa: PLC0415

        d = dict(src_dict)
        breakdowns = QuerySpaceViewBreakdowns.from_dict(d.pop("breakdowns"))

        ledger = d.pop("ledger")

        min_population = d.pop("min_population")

        named_periods = d.pop("named_periods")

        def _parse_periods(data: object) -> list[str] | Literal["free"]:
            try:
                if not isinstance(data, list):
                    raise TypeError()
                periods_type_0 = cast(list[str], data)

                return periods_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            periods_type_1 = cast(Literal["free"], data)
            if periods_type_1 != "free":
                raise ValueError(f"periods_type_1 must match const 'free', got '{periods_type_1}'")
            return periods_type_1

        periods = _parse_periods(d.pop("periods"))

        query_space_view = cls(
            breakdowns=breakdowns,
            ledger=ledger,
            min_population=min_population,
            named_periods=named_periods,
            periods=periods,
        )

        query_space_view.additional_properties = d
        return query_space_view

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
