from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.governance import Governance
    from ..models.period_measured import PeriodMeasured
    from ..models.pupil_page_rows_item import PupilPageRowsItem


T = TypeVar("T", bound="PupilPage")


@_attrs_define
class PupilPage:
    """
    Attributes:
        criterion (str): Which pupils the list selects: persistent, severe, rate, unauthorised_10_in_10 or all
        date_from (datetime.date): First day of the period measured
        date_to (datetime.date): Last day of the period measured
        fields (list[str]): Fields each record carries
        governance (Governance):
        next_cursor (None | str): Cursor of the next page; null on the last page
        period (PeriodMeasured):
        rows (list[PupilPageRowsItem]): The pupils' released records
    """

    criterion: str
    date_from: datetime.date
    date_to: datetime.date
    fields: list[str]
    governance: Governance
    next_cursor: None | str
    period: PeriodMeasured
    rows: list[PupilPageRowsItem]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        criterion = self.criterion

        date_from = self.date_from.isoformat()

        date_to = self.date_to.isoformat()

        fields = self.fields

        governance = self.governance.to_dict()

        next_cursor: None | str
        next_cursor = self.next_cursor

        period = self.period.to_dict()

        rows = []
        for rows_item_data in self.rows:
            rows_item = rows_item_data.to_dict()
            rows.append(rows_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "criterion": criterion,
                "date_from": date_from,
                "date_to": date_to,
                "fields": fields,
                "governance": governance,
                "next_cursor": next_cursor,
                "period": period,
                "rows": rows,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.governance import Governance  # noqa: PLC0415
        from ..models.period_measured import PeriodMeasured  # noqa: PLC0415
        from ..models.pupil_page_rows_item import PupilPageRowsItem  # noqa: PLC0415

        d = dict(src_dict)
        criterion = d.pop("criterion")

        date_from = datetime.date.fromisoformat(d.pop("date_from"))

        date_to = datetime.date.fromisoformat(d.pop("date_to"))

        fields = cast(list[str], d.pop("fields"))

        governance = Governance.from_dict(d.pop("governance"))

        def _parse_next_cursor(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        next_cursor = _parse_next_cursor(d.pop("next_cursor"))

        period = PeriodMeasured.from_dict(d.pop("period"))

        rows = []
        _rows = d.pop("rows")
        for rows_item_data in _rows:
            rows_item = PupilPageRowsItem.from_dict(rows_item_data)

            rows.append(rows_item)

        pupil_page = cls(
            criterion=criterion,
            date_from=date_from,
            date_to=date_to,
            fields=fields,
            governance=governance,
            next_cursor=next_cursor,
            period=period,
            rows=rows,
        )

        pupil_page.additional_properties = d
        return pupil_page

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
