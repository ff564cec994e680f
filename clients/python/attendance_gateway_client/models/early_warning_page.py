from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.early_warning_page_rules import EarlyWarningPageRules
    from ..models.flagged_pupil import FlaggedPupil
    from ..models.governance import Governance


T = TypeVar("T", bound="EarlyWarningPage")


@_attrs_define
class EarlyWarningPage:
    """
    Attributes:
        as_of (datetime.date): The day the early-warning rules were applied to
        governance (Governance):
        next_cursor (None | str): Cursor of the next page; null on the last page
        period_start (datetime.date): First day of the period the early-warning rules compare against
        recent_weeks (int): Weeks the recent attendance rate covers
        rows (list[FlaggedPupil]): The rows of the answer
        rules (EarlyWarningPageRules): Each rule applied, by name, in words
    """

    as_of: datetime.date
    governance: Governance
    next_cursor: None | str
    period_start: datetime.date
    recent_weeks: int
    rows: list[FlaggedPupil]
    rules: EarlyWarningPageRules
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        as_of = self.as_of.isoformat()

        governance = self.governance.to_dict()

        next_cursor: None | str
        next_cursor = self.next_cursor

        period_start = self.period_start.isoformat()

        recent_weeks = self.recent_weeks

        rows = []
        for rows_item_data in self.rows:
            rows_item = rows_item_data.to_dict()
            rows.append(rows_item)

        rules = self.rules.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "as_of": as_of,
                "governance": governance,
                "next_cursor": next_cursor,
                "period_start": period_start,
                "recent_weeks": recent_weeks,
                "rows": rows,
                "rules": rules,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.early_warning_page_rules import EarlyWarningPageRules  # noqa: PLC0415
        from ..models.flagged_pupil import FlaggedPupil  # noqa: PLC0415
        from ..models.governance import Governance  # noqa: PLC0415

        d = dict(src_dict)
        as_of = datetime.date.fromisoformat(d.pop("as_of"))

        governance = Governance.from_dict(d.pop("governance"))

        def _parse_next_cursor(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        next_cursor = _parse_next_cursor(d.pop("next_cursor"))

        period_start = datetime.date.fromisoformat(d.pop("period_start"))

        recent_weeks = d.pop("recent_weeks")

        rows = []
        _rows = d.pop("rows")
        for rows_item_data in _rows:
            rows_item = FlaggedPupil.from_dict(rows_item_data)

            rows.append(rows_item)

        rules = EarlyWarningPageRules.from_dict(d.pop("rules"))

        early_warning_page = cls(
            as_of=as_of,
            governance=governance,
            next_cursor=next_cursor,
            period_start=period_start,
            recent_weeks=recent_weeks,
            rows=rows,
            rules=rules,
        )

        early_warning_page.additional_properties = d
        return early_warning_page

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
