//! The desk's paper: the printable forms of Circular 01/2018/TT-VPCP (forms 01–06) and the
//! layout they share with the report document, below the slices that fill them in.
//!
//! A form is built as a [`Sheet`] — the heading of an administrative document (the issuing body
//! on the left; "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM / Độc lập - Tự do - Hạnh phúc" on the right),
//! the form's name, its paragraphs and tables, and the signature blocks side by side — by a pure
//! function of the slice that owns the data (`dossiers::forms` for 01–05, `reports::register` for
//! 06). Two renderers lay a sheet out: [`html`] (an askama template, escaping on, A4 print CSS)
//! and [`docx`] (docx-rs, named paragraph styles). What the circular leaves for the desk to fill
//! in by hand (a book number, the day of signing) is printed as dotted blanks, never guessed.
//!
//! Dates are written one way throughout, as Decree 30/2020 writes them ([`date`]), instants with
//! the hour and minute first ([`instant`]), both in Vietnam time.
//!
//! askama over minijinja: the templates are compiled into the binary and checked at build time,
//! so nothing is read at run time and a template error is a compile error.

pub mod docx;
pub mod html;
pub mod qr;
pub mod sheet;

use chrono::{DateTime, Utc};

pub use self::sheet::{Part, Sheet, Signature, Span, Table};
use crate::clock::vietnam;
use crate::vietnamese::admin_date;

/// A document the desk prints, as HTML or DOCX.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum PrintFormat {
    /// Printable HTML (A4).
    #[default]
    Html,
    /// A Word document.
    Docx,
}

/// The media type of a DOCX file.
pub const DOCX_TYPE: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// The sheet in the format asked, with its media type.
pub fn print(sheet: &Sheet, format: PrintFormat) -> anyhow::Result<(Vec<u8>, &'static str)> {
    Ok(match format {
        PrintFormat::Html => (html::render(sheet)?.into_bytes(), "text/html; charset=utf-8"),
        PrintFormat::Docx => (docx::render(sheet)?, DOCX_TYPE),
    })
}

/// A code as part of a file name: letters, digits and dots kept, anything else a hyphen.
pub fn file_part(code: &str) -> String {
    code.replace(|c: char| !c.is_ascii_alphanumeric() && c != '.', "-")
}

/// A day as administrative documents write it: "08/01/2024", "25/6/2024".
pub fn date(at: DateTime<Utc>) -> String {
    admin_date(at.with_timezone(&vietnam()).date_naive())
}

/// "16 giờ 00 phút, ngày 08/01/2024", in Vietnam time.
pub fn instant(at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&vietnam());
    format!("{} giờ {} phút, ngày {}", local.format("%H"), local.format("%M"), date(at))
}

/// The blank a form keeps for a date the desk writes by hand.
pub const BLANK_DATE: &str = "ngày …… tháng …… năm ……";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_instants_in_vietnam_time_and_one_format() {
        let at = DateTime::parse_from_rfc3339("2024-01-08T09:00:00Z").unwrap().with_timezone(&Utc);
        assert_eq!(instant(at), "16 giờ 00 phút, ngày 08/01/2024");
        let late = DateTime::parse_from_rfc3339("2024-06-24T18:30:00Z").unwrap().with_timezone(&Utc);
        assert_eq!(date(late), "25/6/2024", "the next day in Vietnam");
    }
}
