from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.measure_shape import MeasureShape, check_measure_shape

if TYPE_CHECKING:
    from ..models.disclosure import Disclosure
    from ..models.governance import Governance
    from ..models.numeric_figures import NumericFigures
    from ..models.period_measured import PeriodMeasured


T = TypeVar("T", bound="NumericBenchmarkResponse")


@_attrs_define
class NumericBenchmarkResponse:
    """
    Attributes:
        comparators (list[NumericFigures]): Figures of similar schools, each group disclosure-controlled
        date_from (datetime.date): First day of the period measured
        date_to (datetime.date): Last day of the period measured
        disclosure (Disclosure):
        governance (Governance):
        measures (MeasureShape): How a JSON table gives its measures: numeric (number or null, status beside it) or
            symbols (deprecated: a suppressed measure is its symbol).
        period (PeriodMeasured):
        school (NumericFigures):
        similar_schools_rule (str): How comparator schools were chosen
        urn (int): School URN (unique reference number)
    """

    comparators: list[NumericFigures]
    date_from: datetime.date
    date_to: datetime.date
    disclosure: Disclosure
    governance: Governance
    measures: MeasureShape
    period: PeriodMeasured
    school: NumericFigures
    similar_schools_rule: str
    urn: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        comparators = []
        for comparators_item_data in self.comparators:
            comparators_item = comparators_item_data.to_dict()
            comparators.append(comparators_item)

        date_from = self.date_from.isoformat()

        date_to = self.date_to.isoformat()

        disclosure = self.disclosure.to_dict()

        governance = self.governance.to_dict()

        measures: str = self.measures

        period = self.period.to_dict()

        school = self.school.to_dict()

        similar_schools_rule = self.similar_schools_rule

        urn = self.urn

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "comparators": comparators,
                "date_from": date_from,
                "date_to": date_to,
                "disclosure": disclosure,
                "governance": governance,
                "measures": measures,
                "period": period,
                "school": school,
                "similar_schools_rule": similar_schools_rule,
                "urn": urn,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.disclosure import Disclosure  # noqa: PLC0415
        from ..models.governance import Governance  # noqa: PLC0415
        from ..models.numeric_figures import NumericFigures  # noqa: PLC0415
        from ..models.period_measured import PeriodMeasured  # noqa: PLC0415

        d = dict(src_dict)
        comparators = []
        _comparators = d.pop("comparators")
        for comparators_item_data in _comparators:
            comparators_item = NumericFigures.from_dict(comparators_item_data)

            comparators.append(comparators_item)

        date_from = datetime.date.fromisoformat(d.pop("date_from"))

        date_to = datetime.date.fromisoformat(d.pop("date_to"))

        disclosure = Disclosure.from_dict(d.pop("disclosure"))

        governance = Governance.from_dict(d.pop("governance"))

        measures = check_measure_shape(d.pop("measures"))

        period = PeriodMeasured.from_dict(d.pop("period"))

        school = NumericFigures.from_dict(d.pop("school"))

        similar_schools_rule = d.pop("similar_schools_rule")

        urn = d.pop("urn")

        numeric_benchmark_response = cls(
            comparators=comparators,
            date_from=date_from,
            date_to=date_to,
            disclosure=disclosure,
            governance=governance,
            measures=measures,
            period=period,
            school=school,
            similar_schools_rule=similar_schools_rule,
            urn=urn,
        )

        numeric_benchmark_response.additional_properties = d
        return numeric_benchmark_response

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
