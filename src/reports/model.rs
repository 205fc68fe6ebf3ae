//! The report's shapes, as docs/report.md fixes them.

use crate::http::csv::HeaderLang;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::percent::Percent;
use super::targets::{Comparator, Indicator};

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct AgencyRef {
    pub id: String,
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PeriodOut {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The instant the dossiers are judged at: the period's end, or now if that is earlier.
    pub as_of: DateTime<Utc>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct Reception {
    pub new_online: i64,
    pub new_direct: i64,
    pub new_postal: i64,
    pub new: i64,
    pub carried_over: i64,
    pub total: i64,
    pub online_rate: Option<Percent>,
    pub direct_rate: Option<Percent>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct Resolution {
    pub resolved: i64,
    /// Resolved on a calendar day before the due day (trước hạn).
    pub early: i64,
    /// Resolved no later than due, early ones included.
    pub on_time: i64,
    pub late: i64,
    pub on_time_rate: Option<Percent>,
    pub late_rate: Option<Percent>,
    pub withdrawn: i64,
    pub in_progress: i64,
    pub in_progress_within_deadline: i64,
    pub in_progress_overdue: i64,
    pub late_with_apology: i64,
    pub late_without_apology: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct OnlineLevel {
    pub dossiers: i64,
    pub submitted_online: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct Acceptance {
    /// Online submissions that reached the system in the period, accepted or not.
    pub online_submitted: i64,
    /// Of those, answered (accepted, sent back for supplement or refused) within 8 working hours,
    /// or still within them at `as_of`.
    pub answered_in_time: i64,
    pub rate: Option<Percent>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct OnlineServiceFigures {
    /// Procedures offered fully online (toàn trình).
    pub full: OnlineLevel,
    /// Procedures offered partly online (một phần).
    pub partial: OnlineLevel,
    pub online_submission_rate: Option<Percent>,
    pub acceptance: Acceptance,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct Payment {
    pub payable: i64,
    pub paid_online: i64,
    pub dossier_rate: Option<Percent>,
    pub procedures_with_fees: i64,
    pub procedures_paid_online: i64,
    pub procedure_rate: Option<Percent>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct DigitizationPart {
    pub eligible: i64,
    pub digitized: i64,
    pub rate: Option<Percent>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ResponsibleKind {
    User,
    /// A portal's service account.
    ServiceAccount,
    /// An agency: another one that produced a result, or the dossier's own when no person is on
    /// record (accepted by a portal).
    Agency,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Responsible {
    pub kind: ResponsibleKind,
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct MissingDigitization {
    pub responsible: Responsible,
    /// Dossiers received in the period without every component digitized.
    pub reception: i64,
    /// Dossiers resolved in the period whose result was not digitized.
    pub result: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct Digitization {
    pub reception: DigitizationPart,
    pub result: DigitizationPart,
    /// Most missing first.
    pub missing_by_responsible: Vec<MissingDigitization>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct Satisfaction {
    pub responses: i64,
    pub very_satisfied: i64,
    pub satisfied: i64,
    pub unsatisfied: i64,
    pub very_satisfied_rate: Option<Percent>,
    pub satisfied_rate: Option<Percent>,
    pub unsatisfied_rate: Option<Percent>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct FeedbackChannels {
    pub national_portal: i64,
    pub provincial_portal: i64,
    pub direct: i64,
    pub hotline: i64,
    pub email: i64,
    pub other: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct FeedbackFigures {
    pub received: i64,
    pub by_channel: FeedbackChannels,
    pub resolved: i64,
    /// Refused as outside the rules (not a complaint about a procedure, anonymous, …).
    pub rejected: i64,
    pub in_progress: i64,
    pub published: i64,
    /// Answered by its due instant.
    pub resolved_on_time: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct CatalogueFigures {
    /// Publication decisions for the agency's procedures signed in the period.
    pub publications: i64,
    /// Posted (niêm yết) within 5 working days of signing.
    pub posted_in_time: i64,
    /// Not posted yet, but still within the 5 working days at `as_of`.
    pub awaiting_posting: i64,
    pub rate: Option<Percent>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct TargetRow {
    pub indicator: Indicator,
    pub comparator: Comparator,
    pub target: Percent,
    pub actual: Option<Percent>,
    pub met: Option<bool>,
    /// The agency that set the target (this one or one above); absent for the default.
    pub set_by_agency_id: Option<String>,
}

/// The dossiers of the period the national portal holds as they are (Decision 766/QĐ-TTg's
/// share of dossiers synced to the portal; docs/report.md, "Portal sync").
#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct PortalSync {
    /// Dossiers that reached the system in the period (submitted, before `as_of`).
    pub dossiers: i64,
    /// Of those, the ones whose current version the portal accepted.
    pub synced: i64,
    pub rate: Option<Percent>,
}

/// One line of form II.06a: a field (lĩnh vực) of procedures.
#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct FieldLine {
    pub field: String,
    pub reception: Reception,
    pub resolution: Resolution,
}

/// Digitization at reception and of results, as in the summary but without who answers for the
/// missing ones (the summary's footnotes name them).
#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct DigitizationParts {
    pub reception: DigitizationPart,
    pub result: DigitizationPart,
}

/// One line of the league table of agencies: an agency directly below the report's, with every
/// agency below it, or the report's own agency for what it handled itself. The figures are the
/// summary's, under the same names, for that part of the report only.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct AgencyLine {
    pub agency: AgencyRef,
    /// The report's own agency (its own desk's dossiers), not one below it.
    pub own: bool,
    pub reception: Reception,
    pub resolution: Resolution,
    pub digitization: DigitizationParts,
    pub satisfaction: Satisfaction,
    pub feedback: FeedbackFigures,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Summary {
    pub agency: AgencyRef,
    pub period: PeriodOut,
    pub reception: Reception,
    pub resolution: Resolution,
    pub online_service: OnlineServiceFigures,
    pub payment: Payment,
    pub digitization: Digitization,
    pub satisfaction: Satisfaction,
    pub feedback: FeedbackFigures,
    pub catalogue: CatalogueFigures,
    pub targets: Vec<TargetRow>,
    /// Reception and resolution by field, as the rows of form II.06a.
    pub by_field: Vec<FieldLine>,
    /// Decision 766's share of the dossiers received in the period that the national portal holds
    /// as they are (every change accepted), as the portal adapter recorded its answers.
    pub portal_sync: PortalSync,
    /// The league table: a line per agency directly below this one (each with everything below
    /// it, even with nothing in the period), plus this agency's own line when it handled
    /// something itself. On-time rate highest first, those with nothing resolved last; then
    /// fewer in progress past the deadline, then by name. Empty for an agency with nothing below.
    pub by_agency: Vec<AgencyLine>,
}

impl Summary {
    /// The figure an indicator judges.
    pub fn figure(&self, indicator: Indicator) -> Option<Percent> {
        match indicator {
            Indicator::LateRate => self.resolution.late_rate,
            Indicator::OnTimeRate => self.resolution.on_time_rate,
            Indicator::AcceptanceRate => self.online_service.acceptance.rate,
            Indicator::PaymentProcedureRate => self.payment.procedure_rate,
            Indicator::PaymentDossierRate => self.payment.dossier_rate,
            Indicator::DigitizationReceptionRate => self.digitization.reception.rate,
            Indicator::DigitizationResultRate => self.digitization.result.rate,
            Indicator::PostingRate => self.catalogue.rate,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReportFormat {
    #[default]
    Json,
    Csv,
    Xlsx,
    Docx,
    Html,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SummaryQuery {
    /// The agency; the report covers it and every agency below it.
    pub agency_id: String,
    /// First day, inclusive (Vietnam time).
    #[param(value_type = String, format = Date, example = "2024-01-01")]
    pub from: NaiveDate,
    /// Last day, inclusive.
    #[param(value_type = String, format = Date, example = "2024-06-25")]
    pub to: NaiveDate,
    /// `json` (the default), `csv`, `xlsx`, `docx` (the report as the province files it) or `html`.
    #[param(inline)]
    #[serde(default)]
    pub format: ReportFormat,
    /// DOCX and HTML: the document's section I (direction and organization), the desk's own text.
    #[param(max_length = 1000)]
    pub direction: Option<String>,
    /// DOCX and HTML: the document's section III (tasks ahead), the desk's own text.
    #[param(max_length = 1000)]
    pub tasks_ahead: Option<String>,
    /// The document's number, e.g. `15/BC-BPMC`.
    #[param(max_length = 100)]
    pub document_number: Option<String>,
    /// CSV: the column headers' language, `en` (machine names, the default) or `vi`.
    #[param(inline)]
    pub lang: Option<HeaderLang>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Granularity {
    Day,
    /// ISO weeks, from Monday.
    Week,
    Month,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TimeseriesQuery {
    /// The agency; the series covers it and every agency below it.
    pub agency_id: String,
    /// First day, inclusive (Vietnam time).
    #[param(value_type = String, format = Date)]
    pub from: NaiveDate,
    /// Last day, inclusive.
    #[param(value_type = String, format = Date)]
    pub to: NaiveDate,
    /// The buckets: `day`, `week` (ISO, from Monday) or `month`.
    #[param(inline)]
    pub granularity: Granularity,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct Bucket {
    /// The bucket's first day (a Monday for weeks, the 1st for months); the first and last
    /// buckets are cut at the period's ends.
    pub start: NaiveDate,
    /// Accepted (officially received) in the bucket.
    pub received: i64,
    pub received_online: i64,
    pub resolved: i64,
    pub on_time: i64,
    pub late: i64,
    pub withdrawn: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Timeseries {
    pub agency: AgencyRef,
    pub period: PeriodOut,
    pub granularity: Granularity,
    pub buckets: Vec<Bucket>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OfficersQuery {
    /// The agency; its officers and those of every agency below it.
    pub agency_id: String,
    /// First day, inclusive (Vietnam time).
    #[param(value_type = String, format = Date)]
    pub from: NaiveDate,
    /// Last day, inclusive.
    #[param(value_type = String, format = Date)]
    pub to: NaiveDate,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct OfficerLine {
    pub user_id: String,
    pub full_name: String,
    pub agency_id: Option<String>,
    #[serde(flatten)]
    pub counts: OfficerCounts,
}

/// What one officer received, resolved, let run late, and left undigitized in the period.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct OfficerCounts {
    /// Dossiers this officer accepted in the period.
    pub received: i64,
    /// Dossiers this officer resolved in the period (results of other agencies excluded).
    pub resolved: i64,
    pub late: i64,
    /// Late dossiers without an apology and new appointment: resolved late by this officer, or
    /// assigned to them and overdue at `as_of`.
    pub apologies_missing: i64,
    pub reception_digitization_missing: i64,
    pub result_digitization_missing: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OfficersReport {
    pub agency: AgencyRef,
    pub period: PeriodOut,
    /// Most to answer for first.
    pub officers: Vec<OfficerLine>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TargetsQuery {
    /// The agency whose targets are read: its own, else those inherited from above.
    pub agency_id: String,
    /// The calendar year the targets hold for.
    #[param(minimum = 1900, maximum = 2200, example = 2024)]
    pub year: i32,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EffectiveTarget {
    pub indicator: Indicator,
    pub comparator: Comparator,
    pub target: Percent,
    /// The agency that set it (this one or one above); absent for the default.
    pub set_by_agency_id: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Targets {
    pub agency_id: String,
    pub year: i32,
    pub targets: Vec<EffectiveTarget>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TargetSetting {
    pub indicator: Indicator,
    /// A percentage with at most two decimals, 0–100; `null` removes this agency's own setting so
    /// that the one above (or the default) applies again.
    #[schema(value_type = Option<f64>, example = 3.0)]
    pub target: Option<f64>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"agency_id": "0b6f9c1e-8d0e-4a57-9a55-6d1c2f3e4a5b", "year": 2024, "targets": [{"indicator": "late_rate", "target": 3.0}]}))]
pub struct TargetsUpdate {
    pub agency_id: String,
    #[schema(minimum = 1900, maximum = 2200)]
    pub year: i32,
    pub targets: Vec<TargetSetting>,
}
