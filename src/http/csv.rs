//! The CSV files the service writes (the report's figures, the audit trail), so that Excel on
//! Windows opens them with the accents right, and with Vietnamese column headers on request.
//!
//! Excel reads a CSV without a byte-order mark in the machine's ANSI code page (Windows-1258 or
//! 1252), which garbles every accented letter; with the UTF-8 BOM (EF BB BF) it reads UTF-8. Every
//! CSV starts with it; LibreOffice, Python's `utf-8-sig` and most CSV readers skip it.
//!
//! Column headers are machine names (`figure`, `occurred_at`) by default, what scripts depend
//! on; `lang=vi` gives the Vietnamese ones a desk reads. A query parameter rather than
//! `Accept-Language` (which the problem documents follow, `crate::i18n`): a request without the
//! header is answered in Vietnamese there, so following it would rename the columns under every
//! existing script that sends none. Cells keep their formula neutralisation
//! (`crate::vietnamese::csv_cell`) whatever the language.

use serde::Deserialize;
use utoipa::ToSchema;

/// The UTF-8 byte-order mark.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The language of a CSV file's column headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum HeaderLang {
    /// Machine names (`figure`, `value`): the default.
    #[default]
    En,
    /// Vietnamese (`Chỉ số`, `Giá trị`).
    Vi,
}

/// A CSV writer into memory whose file starts with the BOM.
pub fn writer() -> csv::Writer<Vec<u8>> {
    csv::Writer::from_writer(BOM.to_vec())
}

/// The header row: each column's machine name, or its Vietnamese name.
pub fn header<'a>(
    columns: &'a [(&'a str, &'a str)],
    lang: Option<HeaderLang>,
) -> impl Iterator<Item = &'a str> {
    columns.iter().map(move |(key, vi)| if lang == Some(HeaderLang::Vi) { *vi } else { *key })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_starts_with_the_bom_and_headers_follow_the_language() {
        let columns = [("figure", "Chỉ số"), ("value", "Giá trị")];
        for (lang, expected) in [(None, "figure,value\n"), (Some(HeaderLang::Vi), "Chỉ số,Giá trị\n")]
        {
            let mut w = writer();
            w.write_record(header(&columns, lang)).unwrap();
            let bytes = w.into_inner().unwrap();
            assert_eq!(&bytes[..3], BOM);
            assert_eq!(std::str::from_utf8(&bytes[3..]).unwrap(), expected);
        }
    }
}
