from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.oversight_scope import OversightScope
    from ..models.report_period import ReportPeriod
    from ..models.transparency_report_by import TransparencyReportBy


T = TypeVar("T", bound="TransparencyReport")


@_attrs_define
class TransparencyReport:
    """
    Attributes:
        by (TransparencyReportBy): Counts of events by dimension (route, outcome, organisation type): null where
            suppressed
        disclosure_rule (str): How the report's small counts are protected
        period (ReportPeriod):
        scope (OversightScope):
        total (int | None): Total events; null where suppressed
    """

    by: TransparencyReportBy
    disclosure_rule: str
    period: ReportPeriod
    scope: OversightScope
    total: int | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        by = self.by.to_dict()

        disclosure_rule = self.disclosure_rule

        period = self.period.to_dict()

        scope = self.scope.to_dict()

        total: int | None
        total = self.total

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "by": by,
                "disclosure_rule": disclosure_rule,
                "period": period,
                "scope": scope,
                "total": total,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.oversight_scope import OversightScope  # noqa: PLC0415
        from ..models.report_period import ReportPeriod  # noqa: PLC0415
        from ..models.transparency_report_by import TransparencyReportBy  # noqa: PLC0415

        d = dict(src_dict)
        by = TransparencyReportBy.from_dict(d.pop("by"))

        disclosure_rule = d.pop("disclosure_rule")

        period = ReportPeriod.from_dict(d.pop("period"))

        scope = OversightScope.from_dict(d.pop("scope"))

        def _parse_total(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        total = _parse_total(d.pop("total"))

        transparency_report = cls(
            by=by,
            disclosure_rule=disclosure_rule,
            period=period,
            scope=scope,
            total=total,
        )

        transparency_report.additional_properties = d
        return transparency_report

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
