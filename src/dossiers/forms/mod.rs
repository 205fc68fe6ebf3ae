//! The forms a dossier's desk prints (Circular 01/2018/TT-VPCP): 01 the receipt and appointment,
//! 02 the request to supplement, 03 the refusal, 04 the apology with the new appointment, 05 the
//! control sheet of the dossier's handling. One file per form, each a pure function from the
//! dossier's [`Paper`] to a [`Sheet`] (laid out by `crate::forms`); this file loads the paper
//! and says when a form applies.
//!
//! A form is printed only when what it records happened, so that no blank refusal or apology
//! can be printed on the agency's letterhead: 01 and 05 once the dossier is accepted, 02 once a
//! supplement was requested, 03 once it was refused at reception, 04 once the desk apologized.
//! Otherwise the answer is a 409 naming the rule. The reasons printed are the ones recorded
//! with the step (the history's note); a form shows only what its reader may read (contacts to
//! the agency's staff, the applicant and a service account granted `personal_data`; officers'
//! internal notes not to the applicant).

mod apology;
mod control_sheet;
mod receipt;
mod refusal;
mod supplement;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::access::{load_visible, sees_personal_data};
use super::lifecycle::Action;
use super::row::DossierRow;
use super::views::{self, ReceiptNames, note_is_for_the_applicant};
use super::{service, store};
use crate::agencies::store as agencies;
use crate::auth::caller::Caller;
use crate::auth::role::Role;
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::forms::{PrintFormat, Sheet, sheet};
use crate::i18n::Text;
use crate::records::history::{self, Trail};
use crate::users::store as users;

/// Which form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum FormKind {
    /// 01: receipt and appointment (giấy tiếp nhận hồ sơ và hẹn trả kết quả).
    Receipt,
    /// 02: request to supplement (phiếu yêu cầu bổ sung, hoàn thiện hồ sơ).
    SupplementRequest,
    /// 03: refusal at reception (phiếu từ chối tiếp nhận giải quyết hồ sơ).
    Refusal,
    /// 04: apology with the new appointment (phiếu xin lỗi và hẹn lại ngày trả kết quả).
    Apology,
    /// 05: control sheet of the handling (phiếu kiểm soát quá trình giải quyết hồ sơ).
    ControlSheet,
}

impl FormKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FormKind::Receipt => "receipt",
            FormKind::SupplementRequest => "supplement-request",
            FormKind::Refusal => "refusal",
            FormKind::Apology => "apology",
            FormKind::ControlSheet => "control-sheet",
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct FormQuery {
    /// `html` (printable, A4; the default) or `docx`.
    #[param(inline)]
    pub format: Option<PrintFormat>,
}

/// One step of the dossier as the control sheet prints it.
#[derive(Debug, Clone)]
pub struct StepLine {
    pub action: String,
    /// The status it led to (a `resolve` that only proposed the result says so).
    pub to_status: String,
    pub at: DateTime<Utc>,
    /// The officer's or system's name.
    pub actor: Option<String>,
    pub note: Option<String>,
}

/// Everything the forms print about one dossier, as its reader may see it.
pub struct Paper {
    pub row: DossierRow,
    pub names: ReceiptNames,
    pub steps: Vec<StepLine>,
    /// The agencies the dossier was sent on to (joint processing), in order, by name.
    pub partners: Vec<String>,
    /// Contacts shown ([`sees_personal_data`]).
    pub personal: bool,
    /// The service's address as the desk reached it (`https://host`), for the receipt's QR code.
    pub origin: String,
}

impl Paper {
    /// The note of the latest step of this action: the reason it was taken.
    fn reason_of(&self, action: Action) -> Option<&str> {
        self.steps.iter().rev().find(|s| s.action == action.as_str()).and_then(|s| s.note.as_deref())
    }

    /// The applicant's address and phone, when this reader may see them.
    fn address(&self) -> Option<&str> {
        self.row.applicant_address.as_deref().filter(|_| self.personal)
    }

    fn phone(&self) -> Option<&str> {
        self.row.applicant_phone.as_deref().filter(|_| self.personal)
    }

    /// The sheet's heading for this dossier: the agency's desk, numbered and dated by hand.
    fn sheet(&self, form_number: &'static str, name: &str, parts: Vec<sheet::Part>) -> Sheet {
        let agency = &self.names.agency;
        Sheet {
            title: format!("{name} {}", self.row.code),
            form_number,
            issuer: sheet::issuer(agency),
            number: Some("Số: ……/……".to_owned()),
            place_date: Some(format!("{}, {}", sheet::place(agency), crate::forms::BLANK_DATE)),
            name: name.to_owned(),
            subtitle: Some(format!("Mã hồ sơ: {}", self.row.code)),
            parts,
            signatures: Vec::new(),
            qr: None,
            landscape: false,
        }
    }

    /// The lines every form opens with: whose dossier and what it asks.
    fn applicant_lines(&self, lead: &str) -> Vec<sheet::Part> {
        vec![
            sheet::labelled(lead, self.row.applicant_name.clone()),
            sheet::labelled_or_blank("Địa chỉ", self.address()),
            sheet::labelled_or_blank("Số điện thoại", self.phone()),
            sheet::para(format!(
                "Nội dung yêu cầu giải quyết: {} (mã thủ tục {})",
                self.names.procedure, self.names.procedure_code
            )),
        ]
    }
}

/// A rule that keeps a form from being printed before what it records happened.
fn not_yet(rule: &'static str, vi: &'static str, en: &'static str) -> ApiError {
    ApiError::Rule { rule, detail: Text::fixed(vi, en) }
}

/// The form as a sheet, or the rule that says it does not apply to this dossier (yet).
pub fn sheet(kind: FormKind, paper: &Paper, caller: &Caller) -> Result<Sheet, ApiError> {
    let row = &paper.row;
    match kind {
        FormKind::Receipt => {
            let receipt = views::receipt(row.clone(), paper.names.clone(), caller)?;
            receipt::sheet(paper, &receipt)
        }
        FormKind::SupplementRequest if row.supplement_requested_at.is_none() => Err(not_yet(
            "supplement_form_after_request",
            "Phiếu yêu cầu bổ sung chỉ được in khi đã yêu cầu bổ sung hồ sơ",
            "the request to supplement is printed once a supplement was requested",
        )),
        FormKind::SupplementRequest => Ok(supplement::sheet(paper)),
        FormKind::Refusal if row.rejected_at.is_none() => Err(not_yet(
            "refusal_form_after_rejection",
            "Phiếu từ chối chỉ được in khi hồ sơ đã bị từ chối tiếp nhận",
            "the refusal is printed once the dossier was refused at reception",
        )),
        FormKind::Refusal => Ok(refusal::sheet(paper)),
        FormKind::Apology if row.apologized_at.is_none() => Err(not_yet(
            "apology_form_after_apology",
            "Phiếu xin lỗi chỉ được in khi đã xin lỗi và hẹn lại ngày trả kết quả",
            "the apology is printed once the desk apologized with a new appointment",
        )),
        FormKind::Apology => Ok(apology::sheet(paper)),
        FormKind::ControlSheet if row.accepted_at.is_none() => Err(not_yet(
            "control_sheet_after_acceptance",
            "Phiếu kiểm soát chỉ được lập khi hồ sơ đã được tiếp nhận",
            "the control sheet is kept once the dossier is accepted",
        )),
        FormKind::ControlSheet => Ok(control_sheet::sheet(paper)),
    }
}

/// The paper of a dossier the caller may read (else the 404 of a missing one).
pub fn load(conn: &mut DbConnection, caller: &Caller, id: &str, origin: String) -> Result<Paper, ApiError> {
    let row = load_visible(conn, caller, id)?;
    let names = service::receipt_names(conn, &row)?;
    let mut steps = Vec::new();
    for entry in history::read(conn, Trail::Dossier, &row.id)? {
        let actor = match (&entry.actor_id, entry.actor_kind.as_str()) {
            (Some(id), "user") => users::find(conn, id)?.map(|u| u.full_name),
            (_, "service") => Some("Hệ thống".to_owned()),
            _ => None,
        };
        let note =
            entry.note.filter(|_| caller.role != Role::Citizen || note_is_for_the_applicant(&entry.action));
        let to_status = entry.to_status;
        steps.push(StepLine { action: entry.action, to_status, at: entry.at.and_utc(), actor, note });
    }
    let mut partners = Vec::new();
    for hop in store::hops(conn, &row.id)? {
        partners.extend(agencies::find(conn, &hop.to_agency_id)?.map(|a| a.name));
    }
    Ok(Paper { personal: sees_personal_data(caller), row, names, steps, partners, origin })
}
