"""Contains all the data models used in inputs/outputs"""

from .agreement_capabilities import AgreementCapabilities
from .agreement_status import AgreementStatus
from .benchmark_response import BenchmarkResponse
from .breakdown import Breakdown
from .capabilities import Capabilities
from .check_verdict import CheckVerdict
from .checkpoint_view import CheckpointView
from .classification import Classification
from .closure_school import ClosureSchool
from .closures_response import ClosuresResponse
from .consistency_proof import ConsistencyProof
from .cosignature_view import CosignatureView
from .criterion import Criterion
from .daily_response import DailyResponse
from .daily_row import DailyRow
from .decision_outcome import DecisionOutcome
from .disclosure import Disclosure
from .disclosure_legend import DisclosureLegend
from .early_warning_page import EarlyWarningPage
from .early_warning_page_rules import EarlyWarningPageRules
from .event_view import EventView
from .event_view_event import EventViewEvent
from .events_page import EventsPage
from .explain_decision_response_200 import ExplainDecisionResponse200
from .extract_format import ExtractFormat
from .extract_request import ExtractRequest
from .feed_conformance import FeedConformance
from .feed_kind import FeedKind
from .figures import Figures
from .flagged_pupil import FlaggedPupil
from .flagged_pupil_pupil import FlaggedPupilPupil
from .governance import Governance
from .identity_correction import IdentityCorrection
from .identity_request import IdentityRequest
from .inclusion_proof import InclusionProof
from .ingest_result import IngestResult
from .ingest_result_reasons import IngestResultReasons
from .key_view import KeyView
from .keys_response import KeysResponse
from .latest_checkpoint_view import LatestCheckpointView
from .level import Level
from .live_response_200 import LiveResponse200
from .mark import Mark
from .measure_shape import MeasureShape
from .measure_status import MeasureStatus
from .merge_request import MergeRequest
from .numeric_benchmark_response import NumericBenchmarkResponse
from .numeric_closure_school import NumericClosureSchool
from .numeric_closures_response import NumericClosuresResponse
from .numeric_daily_response import NumericDailyResponse
from .numeric_daily_row import NumericDailyRow
from .numeric_figures import NumericFigures
from .numeric_summary_response import NumericSummaryResponse
from .numeric_summary_row import NumericSummaryRow
from .numeric_summary_row_code_rates_status_type_0 import NumericSummaryRowCodeRatesStatusType0
from .numeric_summary_row_code_rates_type_0 import NumericSummaryRowCodeRatesType0
from .oversight_scope import OversightScope
from .pack_check import PackCheck
from .pack_file_check import PackFileCheck
from .pack_outcome import PackOutcome
from .pack_outcome_rejected import PackOutcomeRejected
from .pack_submission import PackSubmission
from .pack_submission_files import PackSubmissionFiles
from .pack_verdict import PackVerdict
from .period_measured import PeriodMeasured
from .phase import Phase
from .placement import Placement
from .policy_reason import PolicyReason
from .problem import Problem
from .problem_item import ProblemItem
from .product_conformance import ProductConformance
from .product_conformance_reject_rate_by_reason import ProductConformanceRejectRateByReason
from .profile_view import ProfileView
from .pupil_history import PupilHistory
from .pupil_history_enrolments_item import PupilHistoryEnrolmentsItem
from .pupil_history_pupil import PupilHistoryPupil
from .pupil_merge import PupilMerge
from .pupil_page import PupilPage
from .pupil_page_rows_item import PupilPageRowsItem
from .query_space_view import QuerySpaceView
from .query_space_view_breakdowns import QuerySpaceViewBreakdowns
from .ready_response_200 import ReadyResponse200
from .reassign_request import ReassignRequest
from .reassignment import Reassignment
from .reclassification import Reclassification
from .reclassify_request import ReclassifyRequest
from .reload_policies_response_200 import ReloadPoliciesResponse200
from .report_period import ReportPeriod
from .sender_conformance import SenderConformance
from .sender_conformance_reject_rate_by_reason import SenderConformanceRejectRateByReason
from .sex import Sex
from .subject_access import SubjectAccess
from .subject_accesses import SubjectAccesses
from .summary_response import SummaryResponse
from .summary_row import SummaryRow
from .summary_row_code_rates_type_0 import SummaryRowCodeRatesType0
from .table_format import TableFormat
from .transparency_report import TransparencyReport
from .transparency_report_by import TransparencyReportBy
from .transparency_report_by_additional_property import TransparencyReportByAdditionalProperty

__all__ = (
    "AgreementCapabilities",
    "AgreementStatus",
    "BenchmarkResponse",
    "Breakdown",
    "Capabilities",
    "CheckpointView",
    "CheckVerdict",
    "Classification",
    "ClosureSchool",
    "ClosuresResponse",
    "ConsistencyProof",
    "CosignatureView",
    "Criterion",
    "DailyResponse",
    "DailyRow",
    "DecisionOutcome",
    "Disclosure",
    "DisclosureLegend",
    "EarlyWarningPage",
    "EarlyWarningPageRules",
    "EventsPage",
    "EventView",
    "EventViewEvent",
    "ExplainDecisionResponse200",
    "ExtractFormat",
    "ExtractRequest",
    "FeedConformance",
    "FeedKind",
    "Figures",
    "FlaggedPupil",
    "FlaggedPupilPupil",
    "Governance",
    "IdentityCorrection",
    "IdentityRequest",
    "InclusionProof",
    "IngestResult",
    "IngestResultReasons",
    "KeysResponse",
    "KeyView",
    "LatestCheckpointView",
    "Level",
    "LiveResponse200",
    "Mark",
    "MeasureShape",
    "MeasureStatus",
    "MergeRequest",
    "NumericBenchmarkResponse",
    "NumericClosureSchool",
    "NumericClosuresResponse",
    "NumericDailyResponse",
    "NumericDailyRow",
    "NumericFigures",
    "NumericSummaryResponse",
    "NumericSummaryRow",
    "NumericSummaryRowCodeRatesStatusType0",
    "NumericSummaryRowCodeRatesType0",
    "OversightScope",
    "PackCheck",
    "PackFileCheck",
    "PackOutcome",
    "PackOutcomeRejected",
    "PackSubmission",
    "PackSubmissionFiles",
    "PackVerdict",
    "PeriodMeasured",
    "Phase",
    "Placement",
    "PolicyReason",
    "Problem",
    "ProblemItem",
    "ProductConformance",
    "ProductConformanceRejectRateByReason",
    "ProfileView",
    "PupilHistory",
    "PupilHistoryEnrolmentsItem",
    "PupilHistoryPupil",
    "PupilMerge",
    "PupilPage",
    "PupilPageRowsItem",
    "QuerySpaceView",
    "QuerySpaceViewBreakdowns",
    "ReadyResponse200",
    "Reassignment",
    "ReassignRequest",
    "Reclassification",
    "ReclassifyRequest",
    "ReloadPoliciesResponse200",
    "ReportPeriod",
    "SenderConformance",
    "SenderConformanceRejectRateByReason",
    "Sex",
    "SubjectAccess",
    "SubjectAccesses",
    "SummaryResponse",
    "SummaryRow",
    "SummaryRowCodeRatesType0",
    "TableFormat",
    "TransparencyReport",
    "TransparencyReportBy",
    "TransparencyReportByAdditionalProperty",
)
