from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.measure_shape import MeasureShape, check_measure_shape

if TYPE_CHECKING:
    from ..models.disclosure import Disclosure
    from ..models.governance import Governance
    from ..models.numeric_summary_row import NumericSummaryRow
    from ..models.period_measured import PeriodMeasured


T = TypeVar("T", bound="NumericSummaryResponse")


@_attrs_define
class NumericSummaryResponse:
    """
    Attributes:
        breakdown (None | str): The pupil group breakdown of the rows (fsm, sen, sex, ethnicity, year_group); null: none
        date_from (datetime.date): First day of the period measured
        date_to (datetime.date): Last day of the period measured
        disclosure (Disclosure):
        governance (Governance):
        level (str): The unit of the rows: national, region, la, school or trust
        measures (MeasureShape): How a JSON table gives its measures: numeric (number or null, status beside it) or
            symbols (deprecated: a suppressed measure is its symbol).
        period (PeriodMeasured):
        rows (list[NumericSummaryRow]): The rows of the answer
    """

    breakdown: None | str
    date_from: datetime.date
    date_to: datetime.date
    disclosure: Disclosure
    governance: Governance
    level: str
    measures: MeasureShape
    period: PeriodMeasured
    rows: list[NumericSummaryRow]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        breakdown: None | str
        breakdown = self.breakdown

        date_from = self.date_from.isoformat()

        date_to = self.date_to.isoformat()

        disclosure = self.disclosure.to_dict()

        governance = self.governance.to_dict()

        level = self.level

        measures: str = self.measures

        period = self.period.to_dict()

        rows = []
        for rows_item_data in self.rows:
            rows_item = rows_item_data.to_dict()
            rows.append(rows_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "breakdown": breakdown,
                "date_from": date_from,
                "date_to": date_to,
                "disclosure": disclosure,
                "governance": governance,
                "level": level,
                "measures": measures,
                "period": period,
                "rows": rows,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.disclosure import Disclosure  # noqa: PLC0415
        from ..models.governance import Governance  # noqa: PLC0415
        from ..models.numeric_summary_row import NumericSummaryRow  # noqa: PLC0415
        from ..models.period_measured import PeriodMeasured  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_breakdown(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        breakdown = _parse_breakdown(d.pop("breakdown"))

        date_from = datetime.date.fromisoformat(d.pop("date_from"))

        date_to = datetime.date.fromisoformat(d.pop("date_to"))

        disclosure = Disclosure.from_dict(d.pop("disclosure"))

        governance = Governance.from_dict(d.pop("governance"))

        level = d.pop("level")

        measures = check_measure_shape(d.pop("measures"))

        period = PeriodMeasured.from_dict(d.pop("period"))

        rows = []
        _rows = d.pop("rows")
        for rows_item_data in _rows:
            rows_item = NumericSummaryRow.from_dict(rows_item_data)

            rows.append(rows_item)

        numeric_summary_response = cls(
            breakdown=breakdown,
            date_from=date_from,
            date_to=date_to,
            disclosure=disclosure,
            governance=governance,
            level=level,
            measures=measures,
            period=period,
            rows=rows,
        )

        numeric_summary_response.additional_properties = d
        return numeric_summary_response

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
