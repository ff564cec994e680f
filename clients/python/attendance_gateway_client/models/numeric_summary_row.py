from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.measure_status import MeasureStatus, check_measure_status
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.numeric_summary_row_code_rates_status_type_0 import NumericSummaryRowCodeRatesStatusType0
    from ..models.numeric_summary_row_code_rates_type_0 import NumericSummaryRowCodeRatesType0


T = TypeVar("T", bound="NumericSummaryRow")


@_attrs_define
class NumericSummaryRow:
    """
    Attributes:
        absence_sessions (int | None): Count of absence sessions (authorised and unauthorised): a number, or null with
            the reason in `absence_sessions_status`
        absence_sessions_status (MeasureStatus | None): Why `absence_sessions` is null: c suppressed, low rounds to zero
            but is not zero, x not available, z not applicable (no denominator); null when it is a number
        area_id (str): Identifier of the area: E92000001 England, the region's name, the DfE LA code, the school's URN
            or the trust's id
        area_name (str): Name of the area
        attendance_rate (float | None): Sessions attended, of possible sessions (the official measure) as a percentage:
            a number, or null with the reason in `attendance_rate_status`
        attendance_rate_status (MeasureStatus | None): Why `attendance_rate` is null: c suppressed, low rounds to zero
            but is not zero, x not available, z not applicable (no denominator); null when it is a number
        attendance_sessions (int | None): Count of sessions attended: a number, or null with the reason in
            `attendance_sessions_status`
        attendance_sessions_status (MeasureStatus | None): Why `attendance_sessions` is null: c suppressed, low rounds
            to zero but is not zero, x not available, z not applicable (no denominator); null when it is a number
        authorised_absence_rate (float | None): Authorised absence, of possible sessions as a percentage: a number, or
            null with the reason in `authorised_absence_rate_status`
        authorised_absence_rate_status (MeasureStatus | None): Why `authorised_absence_rate` is null: c suppressed, low
            rounds to zero but is not zero, x not available, z not applicable (no denominator); null when it is a number
        authorised_sessions (int | None): Count of authorised absence sessions: a number, or null with the reason in
            `authorised_sessions_status`
        authorised_sessions_status (MeasureStatus | None): Why `authorised_sessions` is null: c suppressed, low rounds
            to zero but is not zero, x not available, z not applicable (no denominator); null when it is a number
        enrolments (int | None): Count of pupils enrolled in the period: a number, or null with the reason in
            `enrolments_status`
        enrolments_status (MeasureStatus | None): Why `enrolments` is null: c suppressed, low rounds to zero but is not
            zero, x not available, z not applicable (no denominator); null when it is a number
        group (str): The pupil group of the row; Total: the area's total
        gss_code (None | str): The area's GSS (ONS) code: E92000001 England, E12 regions, E06/E07/E08/E09/E10 local
            authorities; null for schools and trusts
        level (str): The unit of the row: national, region, la, school or trust
        overall_absence_rate (float | None): Overall absence, of possible sessions as a percentage: a number, or null
            with the reason in `overall_absence_rate_status`
        overall_absence_rate_status (MeasureStatus | None): Why `overall_absence_rate` is null: c suppressed, low rounds
            to zero but is not zero, x not available, z not applicable (no denominator); null when it is a number
        parent_id (None | str): Identifier of the area one level up (the same kind of id as area_id); null at the top
        persistent_absence_rate (float | None): Pupils missing 10% or more of possible sessions as a percentage: a
            number, or null with the reason in `persistent_absence_rate_status`
        persistent_absence_rate_status (MeasureStatus | None): Why `persistent_absence_rate` is null: c suppressed, low
            rounds to zero but is not zero, x not available, z not applicable (no denominator); null when it is a number
        persistent_absentees (int | None): Count of pupils missing 10% or more of possible sessions: a number, or null
            with the reason in `persistent_absentees_status`
        persistent_absentees_status (MeasureStatus | None): Why `persistent_absentees` is null: c suppressed, low rounds
            to zero but is not zero, x not available, z not applicable (no denominator); null when it is a number
        possible_sessions (int | None): Count of possible sessions: a number, or null with the reason in
            `possible_sessions_status`
        possible_sessions_status (MeasureStatus | None): Why `possible_sessions` is null: c suppressed, low rounds to
            zero but is not zero, x not available, z not applicable (no denominator); null when it is a number
        severe_absence_rate (float | None): Pupils missing 50% or more of possible sessions as a percentage: a number,
            or null with the reason in `severe_absence_rate_status`
        severe_absence_rate_status (MeasureStatus | None): Why `severe_absence_rate` is null: c suppressed, low rounds
            to zero but is not zero, x not available, z not applicable (no denominator); null when it is a number
        severe_absentees (int | None): Count of pupils missing 50% or more of possible sessions: a number, or null with
            the reason in `severe_absentees_status`
        severe_absentees_status (MeasureStatus | None): Why `severe_absentees` is null: c suppressed, low rounds to zero
            but is not zero, x not available, z not applicable (no denominator); null when it is a number
        unauthorised_absence_rate (float | None): Unauthorised absence, of possible sessions as a percentage: a number,
            or null with the reason in `unauthorised_absence_rate_status`
        unauthorised_absence_rate_status (MeasureStatus | None): Why `unauthorised_absence_rate` is null: c suppressed,
            low rounds to zero but is not zero, x not available, z not applicable (no denominator); null when it is a number
        unauthorised_sessions (int | None): Count of unauthorised absence sessions: a number, or null with the reason in
            `unauthorised_sessions_status`
        unauthorised_sessions_status (MeasureStatus | None): Why `unauthorised_sessions` is null: c suppressed, low
            rounds to zero but is not zero, x not available, z not applicable (no denominator); null when it is a number
        code_rates (None | NumericSummaryRowCodeRatesType0 | Unset): Rate of each attendance code, of possible sessions
            (with by_code=true); null otherwise
        code_rates_status (None | NumericSummaryRowCodeRatesStatusType0 | Unset): Why a code's rate is null, by code (c,
            low, x, z): only the codes whose rate is null
    """

    absence_sessions: int | None
    absence_sessions_status: MeasureStatus | None
    area_id: str
    area_name: str
    attendance_rate: float | None
    attendance_rate_status: MeasureStatus | None
    attendance_sessions: int | None
    attendance_sessions_status: MeasureStatus | None
    authorised_absence_rate: float | None
    authorised_absence_rate_status: MeasureStatus | None
    authorised_sessions: int | None
    authorised_sessions_status: MeasureStatus | None
    enrolments: int | None
    enrolments_status: MeasureStatus | None
    group: str
    gss_code: None | str
    level: str
    overall_absence_rate: float | None
    overall_absence_rate_status: MeasureStatus | None
    parent_id: None | str
    persistent_absence_rate: float | None
    persistent_absence_rate_status: MeasureStatus | None
    persistent_absentees: int | None
    persistent_absentees_status: MeasureStatus | None
    possible_sessions: int | None
    possible_sessions_status: MeasureStatus | None
    severe_absence_rate: float | None
    severe_absence_rate_status: MeasureStatus | None
    severe_absentees: int | None
    severe_absentees_status: MeasureStatus | None
    unauthorised_absence_rate: float | None
    unauthorised_absence_rate_status: MeasureStatus | None
    unauthorised_sessions: int | None
    unauthorised_sessions_status: MeasureStatus | None
    code_rates: None | NumericSummaryRowCodeRatesType0 | Unset = UNSET
    code_rates_status: None | NumericSummaryRowCodeRatesStatusType0 | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.numeric_summary_row_code_rates_status_type_0 import NumericSummaryRowCodeRatesStatusType0  # noqa: PLC0415
        from ..models.numeric_summary_row_code_rates_type_0 import NumericSummaryRowCodeRatesType0  # noqa: PLC0415

        absence_sessions: int | None
        absence_sessions = self.absence_sessions

        absence_sessions_status: None | str
        if isinstance(self.absence_sessions_status, str):
            absence_sessions_status = self.absence_sessions_status
        else:
            absence_sessions_status = self.absence_sessions_status

        area_id = self.area_id

        area_name = self.area_name

        attendance_rate: float | None
        attendance_rate = self.attendance_rate

        attendance_rate_status: None | str
        if isinstance(self.attendance_rate_status, str):
            attendance_rate_status = self.attendance_rate_status
        else:
            attendance_rate_status = self.attendance_rate_status

        attendance_sessions: int | None
        attendance_sessions = self.attendance_sessions

        attendance_sessions_status: None | str
        if isinstance(self.attendance_sessions_status, str):
            attendance_sessions_status = self.attendance_sessions_status
        else:
            attendance_sessions_status = self.attendance_sessions_status

        authorised_absence_rate: float | None
        authorised_absence_rate = self.authorised_absence_rate

        authorised_absence_rate_status: None | str
        if isinstance(self.authorised_absence_rate_status, str):
            authorised_absence_rate_status = self.authorised_absence_rate_status
        else:
            authorised_absence_rate_status = self.authorised_absence_rate_status

        authorised_sessions: int | None
        authorised_sessions = self.authorised_sessions

        authorised_sessions_status: None | str
        if isinstance(self.authorised_sessions_status, str):
            authorised_sessions_status = self.authorised_sessions_status
        else:
            authorised_sessions_status = self.authorised_sessions_status

        enrolments: int | None
        enrolments = self.enrolments

        enrolments_status: None | str
        if isinstance(self.enrolments_status, str):
            enrolments_status = self.enrolments_status
        else:
            enrolments_status = self.enrolments_status

        group = self.group

        gss_code: None | str
        gss_code = self.gss_code

        level = self.level

        overall_absence_rate: float | None
        overall_absence_rate = self.overall_absence_rate

        overall_absence_rate_status: None | str
        if isinstance(self.overall_absence_rate_status, str):
            overall_absence_rate_status = self.overall_absence_rate_status
        else:
            overall_absence_rate_status = self.overall_absence_rate_status

        parent_id: None | str
        parent_id = self.parent_id

        persistent_absence_rate: float | None
        persistent_absence_rate = self.persistent_absence_rate

        persistent_absence_rate_status: None | str
        if isinstance(self.persistent_absence_rate_status, str):
            persistent_absence_rate_status = self.persistent_absence_rate_status
        else:
            persistent_absence_rate_status = self.persistent_absence_rate_status

        persistent_absentees: int | None
        persistent_absentees = self.persistent_absentees

        persistent_absentees_status: None | str
        if isinstance(self.persistent_absentees_status, str):
            persistent_absentees_status = self.persistent_absentees_status
        else:
            persistent_absentees_status = self.persistent_absentees_status

        possible_sessions: int | None
        possible_sessions = self.possible_sessions

        possible_sessions_status: None | str
        if isinstance(self.possible_sessions_status, str):
            possible_sessions_status = self.possible_sessions_status
        else:
            possible_sessions_status = self.possible_sessions_status

        severe_absence_rate: float | None
        severe_absence_rate = self.severe_absence_rate

        severe_absence_rate_status: None | str
        if isinstance(self.severe_absence_rate_status, str):
            severe_absence_rate_status = self.severe_absence_rate_status
        else:
            severe_absence_rate_status = self.severe_absence_rate_status

        severe_absentees: int | None
        severe_absentees = self.severe_absentees

        severe_absentees_status: None | str
        if isinstance(self.severe_absentees_status, str):
            severe_absentees_status = self.severe_absentees_status
        else:
            severe_absentees_status = self.severe_absentees_status

        unauthorised_absence_rate: float | None
        unauthorised_absence_rate = self.unauthorised_absence_rate

        unauthorised_absence_rate_status: None | str
        if isinstance(self.unauthorised_absence_rate_status, str):
            unauthorised_absence_rate_status = self.unauthorised_absence_rate_status
        else:
            unauthorised_absence_rate_status = self.unauthorised_absence_rate_status

        unauthorised_sessions: int | None
        unauthorised_sessions = self.unauthorised_sessions

        unauthorised_sessions_status: None | str
        if isinstance(self.unauthorised_sessions_status, str):
            unauthorised_sessions_status = self.unauthorised_sessions_status
        else:
            unauthorised_sessions_status = self.unauthorised_sessions_status

        code_rates: dict[str, Any] | None | Unset
        if isinstance(self.code_rates, Unset):
            code_rates = UNSET
        elif isinstance(self.code_rates, NumericSummaryRowCodeRatesType0):
            code_rates = self.code_rates.to_dict()
        else:
            code_rates = self.code_rates

        code_rates_status: dict[str, Any] | None | Unset
        if isinstance(self.code_rates_status, Unset):
            code_rates_status = UNSET
        elif isinstance(self.code_rates_status, NumericSummaryRowCodeRatesStatusType0):
            code_rates_status = self.code_rates_status.to_dict()
        else:
            code_rates_status = self.code_rates_status

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "absence_sessions": absence_sessions,
                "absence_sessions_status": absence_sessions_status,
                "area_id": area_id,
                "area_name": area_name,
                "attendance_rate": attendance_rate,
                "attendance_rate_status": attendance_rate_status,
                "attendance_sessions": attendance_sessions,
                "attendance_sessions_status": attendance_sessions_status,
                "authorised_absence_rate": authorised_absence_rate,
                "authorised_absence_rate_status": authorised_absence_rate_status,
                "authorised_sessions": authorised_sessions,
                "authorised_sessions_status": authorised_sessions_status,
                "enrolments": enrolments,
                "enrolments_status": enrolments_status,
                "group": group,
                "gss_code": gss_code,
                "level": level,
                "overall_absence_rate": overall_absence_rate,
                "overall_absence_rate_status": overall_absence_rate_status,
                "parent_id": parent_id,
                "persistent_absence_rate": persistent_absence_rate,
                "persistent_absence_rate_status": persistent_absence_rate_status,
                "persistent_absentees": persistent_absentees,
                "persistent_absentees_status": persistent_absentees_status,
                "possible_sessions": possible_sessions,
                "possible_sessions_status": possible_sessions_status,
                "severe_absence_rate": severe_absence_rate,
                "severe_absence_rate_status": severe_absence_rate_status,
                "severe_absentees": severe_absentees,
                "severe_absentees_status": severe_absentees_status,
                "unauthorised_absence_rate": unauthorised_absence_rate,
                "unauthorised_absence_rate_status": unauthorised_absence_rate_status,
                "unauthorised_sessions": unauthorised_sessions,
                "unauthorised_sessions_status": unauthorised_sessions_status,
            }
        )
        if code_rates is not UNSET:
            field_dict["code_rates"] = code_rates
        if code_rates_status is not UNSET:
            field_dict["code_rates_status"] = code_rates_status

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.numeric_summary_row_code_rates_status_type_0 import NumericSummaryRowCodeRatesStatusType0  # noqa: PLC0415
        from ..models.numeric_summary_row_code_rates_type_0 import NumericSummaryRowCodeRatesType0  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_absence_sessions(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        absence_sessions = _parse_absence_sessions(d.pop("absence_sessions"))

        def _parse_absence_sessions_status(data: object) -> MeasureStatus | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                absence_sessions_status_type_0 = check_measure_status(data)

                return absence_sessions_status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MeasureStatus | None, data)

        absence_sessions_status = _parse_absence_sessions_status(d.pop("absence_sessions_status"))

        area_id = d.pop("area_id")

        area_name = d.pop("area_name")

        def _parse_attendance_rate(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        attendance_rate = _parse_attendance_rate(d.pop("attendance_rate"))

        def _parse_attendance_rate_status(data: object) -> MeasureStatus | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                attendance_rate_status_type_0 = check_measure_status(data)

                return attendance_rate_status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MeasureStatus | None, data)

        attendance_rate_status = _parse_attendance_rate_status(d.pop("attendance_rate_status"))

        def _parse_attendance_sessions(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        attendance_sessions = _parse_attendance_sessions(d.pop("attendance_sessions"))

        def _parse_attendance_sessions_status(data: object) -> MeasureStatus | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                attendance_sessions_status_type_0 = check_measure_status(data)

                return attendance_sessions_status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MeasureStatus | None, data)

        attendance_sessions_status = _parse_attendance_sessions_status(d.pop("attendance_sessions_status"))

        def _parse_authorised_absence_rate(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        authorised_absence_rate = _parse_authorised_absence_rate(d.pop("authorised_absence_rate"))

        def _parse_authorised_absence_rate_status(data: object) -> MeasureStatus | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                authorised_absence_rate_status_type_0 = check_measure_status(data)

                return authorised_absence_rate_status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MeasureStatus | None, data)

        authorised_absence_rate_status = _parse_authorised_absence_rate_status(d.pop("authorised_absence_rate_status"))

        def _parse_authorised_sessions(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        authorised_sessions = _parse_authorised_sessions(d.pop("authorised_sessions"))

        def _parse_authorised_sessions_status(data: object) -> MeasureStatus | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                authorised_sessions_status_type_0 = check_measure_status(data)

                return authorised_sessions_status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MeasureStatus | None, data)

        authorised_sessions_status = _parse_authorised_sessions_status(d.pop("authorised_sessions_status"))

        def _parse_enrolments(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        enrolments = _parse_enrolments(d.pop("enrolments"))

        def _parse_enrolments_status(data: object) -> MeasureStatus | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                enrolments_status_type_0 = check_measure_status(data)

                return enrolments_status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MeasureStatus | None, data)

        enrolments_status = _parse_enrolments_status(d.pop("enrolments_status"))

        group = d.pop("group")

        def _parse_gss_code(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        gss_code = _parse_gss_code(d.pop("gss_code"))

        level = d.pop("level")

        def _parse_overall_absence_rate(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        overall_absence_rate = _parse_overall_absence_rate(d.pop("overall_absence_rate"))

        def _parse_overall_absence_rate_status(data: object) -> MeasureStatus | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                overall_absence_rate_status_type_0 = check_measure_status(data)

                return overall_absence_rate_status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MeasureStatus | None, data)

        overall_absence_rate_status = _parse_overall_absence_rate_status(d.pop("overall_absence_rate_status"))

        def _parse_parent_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        parent_id = _parse_parent_id(d.pop("parent_id"))

        def _parse_persistent_absence_rate(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        persistent_absence_rate = _parse_persistent_absence_rate(d.pop("persistent_absence_rate"))

        def _parse_persistent_absence_rate_status(data: object) -> MeasureStatus | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                persistent_absence_rate_status_type_0 = check_measure_status(data)

                return persistent_absence_rate_status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MeasureStatus | None, data)

        persistent_absence_rate_status = _parse_persistent_absence_rate_status(d.pop("persistent_absence_rate_status"))

        def _parse_persistent_absentees(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        persistent_absentees = _parse_persistent_absentees(d.pop("persistent_absentees"))

        def _parse_persistent_absentees_status(data: object) -> MeasureStatus | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                persistent_absentees_status_type_0 = check_measure_status(data)

                return persistent_absentees_status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MeasureStatus | None, data)

        persistent_absentees_status = _parse_persistent_absentees_status(d.pop("persistent_absentees_status"))

        def _parse_possible_sessions(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        possible_sessions = _parse_possible_sessions(d.pop("possible_sessions"))

        def _parse_possible_sessions_status(data: object) -> MeasureStatus | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                possible_sessions_status_type_0 = check_measure_status(data)

                return possible_sessions_status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MeasureStatus | None, data)

        possible_sessions_status = _parse_possible_sessions_status(d.pop("possible_sessions_status"))

        def _parse_severe_absence_rate(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        severe_absence_rate = _parse_severe_absence_rate(d.pop("severe_absence_rate"))

        def _parse_severe_absence_rate_status(data: object) -> MeasureStatus | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                severe_absence_rate_status_type_0 = check_measure_status(data)

                return severe_absence_rate_status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MeasureStatus | None, data)

        severe_absence_rate_status = _parse_severe_absence_rate_status(d.pop("severe_absence_rate_status"))

        def _parse_severe_absentees(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        severe_absentees = _parse_severe_absentees(d.pop("severe_absentees"))

        def _parse_severe_absentees_status(data: object) -> MeasureStatus | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                severe_absentees_status_type_0 = check_measure_status(data)

                return severe_absentees_status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MeasureStatus | None, data)

        severe_absentees_status = _parse_severe_absentees_status(d.pop("severe_absentees_status"))

        def _parse_unauthorised_absence_rate(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        unauthorised_absence_rate = _parse_unauthorised_absence_rate(d.pop("unauthorised_absence_rate"))

        def _parse_unauthorised_absence_rate_status(data: object) -> MeasureStatus | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                unauthorised_absence_rate_status_type_0 = check_measure_status(data)

                return unauthorised_absence_rate_status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MeasureStatus | None, data)

        unauthorised_absence_rate_status = _parse_unauthorised_absence_rate_status(
            d.pop("unauthorised_absence_rate_status")
        )

        def _parse_unauthorised_sessions(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        unauthorised_sessions = _parse_unauthorised_sessions(d.pop("unauthorised_sessions"))

        def _parse_unauthorised_sessions_status(data: object) -> MeasureStatus | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                unauthorised_sessions_status_type_0 = check_measure_status(data)

                return unauthorised_sessions_status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MeasureStatus | None, data)

        unauthorised_sessions_status = _parse_unauthorised_sessions_status(d.pop("unauthorised_sessions_status"))

        def _parse_code_rates(data: object) -> None | NumericSummaryRowCodeRatesType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                code_rates_type_0 = NumericSummaryRowCodeRatesType0.from_dict(data)

                return code_rates_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | NumericSummaryRowCodeRatesType0 | Unset, data)

        code_rates = _parse_code_rates(d.pop("code_rates", UNSET))

        def _parse_code_rates_status(data: object) -> None | NumericSummaryRowCodeRatesStatusType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                code_rates_status_type_0 = NumericSummaryRowCodeRatesStatusType0.from_dict(data)

                return code_rates_status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | NumericSummaryRowCodeRatesStatusType0 | Unset, data)

        code_rates_status = _parse_code_rates_status(d.pop("code_rates_status", UNSET))

        numeric_summary_row = cls(
            absence_sessions=absence_sessions,
            absence_sessions_status=absence_sessions_status,
            area_id=area_id,
            area_name=area_name,
            attendance_rate=attendance_rate,
            attendance_rate_status=attendance_rate_status,
            attendance_sessions=attendance_sessions,
            attendance_sessions_status=attendance_sessions_status,
            authorised_absence_rate=authorised_absence_rate,
            authorised_absence_rate_status=authorised_absence_rate_status,
            authorised_sessions=authorised_sessions,
            authorised_sessions_status=authorised_sessions_status,
            enrolments=enrolments,
            enrolments_status=enrolments_status,
            group=group,
            gss_code=gss_code,
            level=level,
            overall_absence_rate=overall_absence_rate,
            overall_absence_rate_status=overall_absence_rate_status,
            parent_id=parent_id,
            persistent_absence_rate=persistent_absence_rate,
            persistent_absence_rate_status=persistent_absence_rate_status,
            persistent_absentees=persistent_absentees,
            persistent_absentees_status=persistent_absentees_status,
            possible_sessions=possible_sessions,
            possible_sessions_status=possible_sessions_status,
            severe_absence_rate=severe_absence_rate,
            severe_absence_rate_status=severe_absence_rate_status,
            severe_absentees=severe_absentees,
            severe_absentees_status=severe_absentees_status,
            unauthorised_absence_rate=unauthorised_absence_rate,
            unauthorised_absence_rate_status=unauthorised_absence_rate_status,
            unauthorised_sessions=unauthorised_sessions,
            unauthorised_sessions_status=unauthorised_sessions_status,
            code_rates=code_rates,
            code_rates_status=code_rates_status,
        )

        numeric_summary_row.additional_properties = d
        return numeric_summary_row

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
