//! The dossiers behind a figure as files: one dossier a line, with the names a reader needs
//! (agency, procedure, applicant) and the instants in Vietnam time (`YYYY-MM-DD HH:MM`).

use std::collections::HashMap;

use chrono::NaiveDateTime;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use crate::clock;
use crate::dossiers::row::DossierRow;
use crate::http::csv::HeaderLang;
use crate::vietnamese::csv_cell;

/// The columns: the machine name a CSV heads them with, and the Vietnamese one (`lang=vi`, and
/// the worksheet, which a desk reads).
pub const COLUMNS: [(&str, &str); 13] = [
    ("code", "Mã hồ sơ"),
    ("agency", "Cơ quan"),
    ("procedure_code", "Mã thủ tục"),
    ("procedure", "Thủ tục"),
    ("applicant", "Người nộp"),
    ("status", "Trạng thái"),
    ("channel", "Kênh nộp"),
    ("submitted_at", "Ngày nộp"),
    ("accepted_at", "Ngày tiếp nhận"),
    ("due_at", "Ngày hẹn trả"),
    ("resolved_at", "Ngày giải quyết"),
    ("withdrawn_at", "Ngày rút"),
    ("id", "ID"),
];

/// The names the lines print beside the dossiers' own data, by id.
#[derive(Default)]
pub struct Names {
    pub agencies: HashMap<String, String>,
    /// (code, name).
    pub procedures: HashMap<String, (String, String)>,
}

/// One dossier's cells, in [`COLUMNS`]' order.
fn cells(row: &DossierRow, names: &Names) -> [String; 13] {
    let at = |t: Option<NaiveDateTime>| {
        t.map(|t| clock::from_db(t).with_timezone(&clock::vietnam()).format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_default()
    };
    let (procedure_code, procedure) = names.procedures.get(&row.procedure_id).cloned().unwrap_or_default();
    [
        row.code.clone(),
        names.agencies.get(&row.agency_id).cloned().unwrap_or_else(|| row.agency_id.clone()),
        procedure_code,
        procedure,
        row.applicant_name.clone(),
        row.status.clone(),
        row.channel.clone(),
        at(Some(row.submitted_at)),
        at(row.accepted_at),
        at(row.due_at),
        at(row.resolved_at),
        at(row.withdrawn_at),
        row.id.clone(),
    ]
}

/// The list as CSV. Names are what users typed: a cell a spreadsheet would run as a formula is
/// neutralised ([`csv_cell`]).
pub fn csv(rows: &[DossierRow], names: &Names, lang: Option<HeaderLang>) -> anyhow::Result<Vec<u8>> {
    let mut writer = crate::http::csv::writer();
    writer.write_record(crate::http::csv::header(&COLUMNS, lang))?;
    for row in rows {
        writer.write_record(cells(row, names).iter().map(|cell| csv_cell(cell).into_owned()))?;
    }
    Ok(writer.into_inner()?)
}

/// The list as a worksheet under a title line (the figure, the agency and the period). Cells are
/// written as text, never as formulas.
pub fn xlsx(title: &str, rows: &[DossierRow], names: &Names) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet().set_name("Hồ sơ")?;
    let bold = Format::new().set_bold();
    sheet.write_string_with_format(0, 0, title, &bold)?;
    for (col, (_, head)) in COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(2, col as u16, *head, &bold)?;
    }
    for (i, row) in rows.iter().enumerate() {
        for (col, cell) in cells(row, names).iter().enumerate() {
            sheet.write_string(3 + i as u32, col as u16, cell)?;
        }
    }
    sheet.set_column_width(0, 28)?;
    sheet.set_column_width(3, 40)?;
    sheet.set_column_width(4, 28)?;
    workbook.save_to_buffer()
}
