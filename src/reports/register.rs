//! Form 06 of Circular 01/2018/TT-VPCP: the desk's register of dossiers (sổ theo dõi hồ sơ) for a
//! period — every dossier submitted in it to the agency or one below, in the order it came, with
//! its reception, appointment, result and return, and a column for the applicant's signature
//! on collecting the result.
//!
//! The register names applicants and their contacts, so it is read by those who read the
//! agency's reports (leaders and admins within their scope) and each export is recorded in the
//! audit trail. A period with more than [`MAX_LINES`] dossiers is refused (422 on `to`): a
//! register that long is printed month by month.

use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::IntoParams;

use super::service::{Subject, subject};
use super::store;
use crate::auth::caller::Caller;
use crate::db::DbConnection;
use crate::dossiers::lifecycle::Status;
use crate::dossiers::row::DossierRow;
use crate::error::ApiError;
use crate::forms::sheet::{self, Part, Signature, Table};
use crate::forms::{PrintFormat, Sheet, date};
use crate::i18n::Text;
use crate::labels::Labelled;
use crate::vietnamese::admin_date;

/// The most dossiers one register lists.
pub const MAX_LINES: usize = 5_000;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RegisterQuery {
    /// The agency; the register lists its dossiers and those of every agency below it.
    pub agency_id: String,
    /// First day, inclusive (Vietnam time): dossiers submitted from this day.
    #[param(value_type = String, format = Date, example = "2024-01-01")]
    pub from: NaiveDate,
    /// Last day, inclusive.
    #[param(value_type = String, format = Date, example = "2024-01-31")]
    pub to: NaiveDate,
    /// `html` (printable, A4 landscape; the default) or `docx`.
    #[param(inline)]
    pub format: Option<PrintFormat>,
}

/// One dossier as the register prints it.
pub struct Line {
    pub row: DossierRow,
    pub procedure: String,
    pub agency: String,
}

pub struct Register {
    pub agency_id: String,
    pub agency_code: String,
    pub agency_name: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub lines: Vec<Line>,
}

/// The register of the agency and those below it for the period, within the caller's scope
/// (else the 404 of an unknown agency).
pub fn load(
    conn: &mut DbConnection,
    caller: &Caller,
    agency_id: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Register, ApiError> {
    let Subject { agency, covered, period } = subject(conn, caller, agency_id, from, to)?;
    let rows = store::register_rows(conn, &covered, &period, MAX_LINES as i64 + 1)?;
    if rows.len() > MAX_LINES {
        return Err(ApiError::invalid_field(
            "to",
            Text::new(
                format!("Kỳ có hơn {MAX_LINES} hồ sơ; hãy in sổ theo từng kỳ ngắn hơn"),
                format!(
                    "the period has more than {MAX_LINES} dossiers; print the register for shorter periods"
                ),
            ),
        ));
    }
    let procedure_ids: Vec<String> = rows.iter().map(|r| r.procedure_id.clone()).collect();
    let agency_ids: Vec<String> = rows.iter().map(|r| r.agency_id.clone()).collect();
    let (procedures, agencies) = store::register_names(conn, &procedure_ids, &agency_ids)?;
    let lines = rows
        .into_iter()
        .map(|row| Line {
            procedure: procedures.get(&row.procedure_id).cloned().unwrap_or_default(),
            agency: agencies.get(&row.agency_id).cloned().unwrap_or_default(),
            row,
        })
        .collect();
    Ok(Register {
        agency_id: agency.id,
        agency_code: agency.code,
        agency_name: agency.name,
        from: period.from,
        to: period.to,
        lines,
    })
}

const HEAD: [&str; 12] = [
    "STT",
    "Mã hồ sơ",
    "Tên thủ tục hành chính",
    "Tên cá nhân, tổ chức",
    "Địa chỉ, số điện thoại",
    "Cơ quan chủ trì giải quyết",
    "Ngày nhận hồ sơ",
    "Ngày hẹn trả kết quả",
    "Ngày có kết quả / yêu cầu bổ sung",
    "Ngày trả kết quả",
    "Người nhận kết quả ký",
    "Ghi chú",
];

fn line(i: usize, line: &Line) -> Vec<String> {
    let row = &line.row;
    let day = |at: Option<chrono::NaiveDateTime>| at.map(|t| date(t.and_utc())).unwrap_or_default();
    let contact = [row.applicant_address.as_deref(), row.applicant_phone.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("; ");
    let result = match (row.resolved_at, row.supplement_requested_at) {
        (Some(at), _) => date(at.and_utc()),
        (None, Some(at)) => format!("Yêu cầu bổ sung: {}", date(at.and_utc())),
        (None, None) => String::new(),
    };
    let status = Status::from_db(&row.status).map(|s| s.label().vi.into_owned()).unwrap_or_default();
    vec![
        (i + 1).to_string(),
        row.code.clone(),
        line.procedure.clone(),
        row.applicant_name.clone(),
        contact,
        line.agency.clone(),
        day(row.accepted_at.or(Some(row.submitted_at))),
        day(row.appointment_at),
        result,
        day(row.returned_at),
        String::new(),
        status,
    ]
}

/// The register as a landscape sheet.
pub fn sheet(register: &Register) -> Sheet {
    let parts = vec![
        sheet::para(format!("Từ ngày {} đến ngày {}", admin_date(register.from), admin_date(register.to))),
        Part::Table(Table {
            head: HEAD.iter().map(|h| (*h).to_owned()).collect(),
            rows: register.lines.iter().enumerate().map(|(i, l)| line(i, l)).collect(),
        }),
        sheet::para(format!("Tổng số: {} hồ sơ.", register.lines.len())),
    ];
    Sheet {
        title: format!("Sổ theo dõi hồ sơ — {}", register.agency_name),
        form_number: "Mẫu số 06",
        issuer: sheet::issuer(&register.agency_name),
        number: None,
        place_date: Some(format!("{}, {}", sheet::place(&register.agency_name), crate::forms::BLANK_DATE)),
        name: "Sổ theo dõi hồ sơ".to_owned(),
        subtitle: None,
        parts,
        signatures: vec![Signature::new("NGƯỜI LẬP SỔ", None), Signature::new("TRƯỞNG BỘ PHẬN", None)],
        qr: None,
        landscape: true,
    }
}

/// The file name of the register's DOCX.
pub fn file_name(register: &Register, format: PrintFormat) -> Option<String> {
    (format == PrintFormat::Docx).then(|| {
        format!(
            "so-theo-doi-{}-{}-{}.docx",
            crate::forms::file_part(&register.agency_code),
            register.from,
            register.to
        )
    })
}
