//! The province's published catalogue as a spreadsheet (CSV or XLSX) → procedures. Pure.
//!
//! The first row names the columns (any order): `code, name, field, level, online_service,
//! processing_value, processing_unit, fee` are required; `required_components,
//! optional_components` (separated by `|`), `decision_number, signed_on, posted_on` (dates as
//! YYYY-MM-DD or DD/MM/YYYY), `requires_approval` (`true`/`1` when the leader approves the
//! result; empty, `false` or `0` otherwise), `national_code` (the national catalogue's code of a
//! procedure whose `code` is local) and `field_code` (the national code of its field) are optional.
//! A row updating a procedure sets every column: an optional column left out clears it. Errors are reported as `rows[LINE].COLUMN`, LINE being
//! the spreadsheet's own line number (the header is line 1). Every row is checked before
//! anything is written; one bad row and nothing is imported. Text is read in NFC, and a cell with
//! a line break or another control character is refused, as in the JSON API.

use std::collections::HashMap;
use std::io::Cursor;

use calamine::{Data, DataType, Reader, Xlsx};
use chrono::NaiveDate;
use validator::Validate;

use super::model::{Component, NewProcedure, ProcedureLevel, ProcessingTime, Publication, TimeUnit};
use crate::enums::OnlineService;
use crate::error::{ApiError, FieldError};
use crate::i18n::Text;
use crate::text::Normalize;

const REQUIRED: [&str; 8] =
    ["code", "name", "field", "level", "online_service", "processing_value", "processing_unit", "fee"];
const OPTIONAL: [&str; 8] = [
    "required_components",
    "optional_components",
    "decision_number",
    "signed_on",
    "posted_on",
    "requires_approval",
    "national_code",
    "field_code",
];
/// A province publishes a few thousand procedures at most.
pub const MAX_ROWS: usize = 10_000;
/// Stop collecting errors after this many: the file needs fixing anyway.
const MAX_ERRORS: usize = 200;

pub struct ParsedRow {
    pub line: usize,
    pub procedure: NewProcedure,
}

/// Every row, or the errors of every bad row.
pub type Parsed = Result<Vec<ParsedRow>, Vec<FieldError>>;

fn header_error(message: Text) -> Vec<FieldError> {
    vec![FieldError::new("header", message)]
}

fn too_many_rows() -> Text {
    Text::new(format!("Mỗi lần nhập tối đa {MAX_ROWS} dòng"), format!("at most {MAX_ROWS} rows per import"))
}

/// "one of a b c" for a cell that must hold one of a text enum's values.
fn one_of(choices: &str) -> Text {
    Text::new(
        format!("Phải là một trong các giá trị: {}", choices.trim()),
        format!("one of {}", choices.trim()),
    )
}

fn unreadable_csv(e: &csv::Error) -> Text {
    Text::new("Không đọc được nội dung CSV", format!("not readable CSV: {e}"))
}

/// The column index of each name in the header, which must name every required column and no
/// unknown one.
fn columns(header: &[String]) -> Result<HashMap<String, usize>, Vec<FieldError>> {
    let columns: HashMap<String, usize> =
        header.iter().enumerate().map(|(i, name)| (name.trim().to_lowercase(), i)).collect();
    if let Some(unknown) =
        columns.keys().find(|c| !REQUIRED.contains(&c.as_str()) && !OPTIONAL.contains(&c.as_str()))
    {
        return Err(header_error(Text::new(
            format!("Cột không được hỗ trợ {unknown:?}"),
            format!("unknown column {unknown:?}"),
        )));
    }
    if let Some(missing) = REQUIRED.iter().find(|c| !columns.contains_key(**c)) {
        return Err(header_error(Text::new(
            format!("Thiếu cột {missing:?}"),
            format!("missing column {missing:?}"),
        )));
    }
    Ok(columns)
}

/// Rows as (line number, cells) with the header first.
fn parse_table(header: Vec<String>, rows: Vec<(usize, Vec<String>)>) -> Parsed {
    let columns = columns(&header)?;
    if rows.len() > MAX_ROWS {
        return Err(vec![FieldError::new("rows", too_many_rows())]);
    }
    let mut errors = Vec::new();
    let mut parsed = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (line, cells) in rows {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        // As a JSON body's text is when it is read (`crate::text`); the procedure's validation
        // then refuses control characters.
        let cells: Vec<String> = cells.into_iter().map(Normalize::normalized).collect();
        let mut row = Row { columns: &columns, line, cells: &cells, errors: Vec::new() };
        if let Some(procedure) = row.procedure(&mut seen)
            && row.errors.is_empty()
        {
            parsed.push(ParsedRow { line, procedure });
        }
        errors.extend(row.errors);
        if errors.len() >= MAX_ERRORS {
            break;
        }
    }
    if errors.is_empty() { Ok(parsed) } else { Err(errors) }
}

/// One row being read, with the errors found in it so far.
struct Row<'a> {
    columns: &'a HashMap<String, usize>,
    line: usize,
    cells: &'a [String],
    errors: Vec<FieldError>,
}

impl<'a> Row<'a> {
    fn cell(&self, name: &str) -> &'a str {
        self.columns.get(name).and_then(|&i| self.cells.get(i)).map(|c| c.trim()).unwrap_or("")
    }

    /// A cell that may be left empty: `None` then.
    fn optional(&self, name: &str) -> Option<String> {
        Some(self.cell(name).to_owned()).filter(|c| !c.is_empty())
    }

    fn fail(&mut self, column: &str, message: Text) {
        self.errors.push(FieldError::new(format!("rows[{}].{column}", self.line), message));
    }

    /// The procedure, when the cells that have no default parse; the other errors are in `errors`.
    fn procedure(&mut self, seen: &mut HashMap<String, usize>) -> Option<NewProcedure> {
        let level = self.choice("level", ProcedureLevel::parse, ProcedureLevel::CHOICES);
        let online = self.choice("online_service", OnlineService::parse, OnlineService::CHOICES);
        let unit = self.choice("processing_unit", TimeUnit::parse, TimeUnit::CHOICES);
        let value = self.integer("processing_value");
        let fee = self.integer("fee");
        let signed_on = self.date("signed_on");
        let posted_on = self.date("posted_on");
        let requires_approval = self.flag("requires_approval");
        let code = self.cell("code").to_owned();
        if let Some(first) = seen.get(&code) {
            self.fail(
                "code",
                Text::new(format!("Trùng mã với dòng {first}"), format!("the same code as line {first}")),
            );
        }
        seen.entry(code.clone()).or_insert(self.line);
        let mut components = self.components("required_components", true);
        components.extend(self.components("optional_components", false));
        let decision_number = Some(self.cell("decision_number").to_owned()).filter(|s| !s.is_empty());
        let publication = (decision_number.is_some() || signed_on.is_some() || posted_on.is_some())
            .then_some(Publication { decision_number, signed_on, posted_on });
        let (Some(level), Some(online_service), Some(unit), Some(value), Some(fee)) =
            (level, online, unit, value, fee)
        else {
            return None;
        };
        let procedure = NewProcedure {
            code,
            name: self.cell("name").to_owned(),
            field: self.cell("field").to_owned(),
            level,
            online_service,
            processing_time: ProcessingTime { value, unit },
            fee,
            components,
            publication,
            agency_id: None,
            requires_approval,
            national_code: self.optional("national_code"),
            field_code: self.optional("field_code"),
        };
        self.validate(&procedure);
        Some(procedure)
    }

    /// A cell that must hold one of a text enum's values.
    fn choice<T>(&mut self, column: &str, parse: fn(&str) -> Option<T>, choices: &str) -> Option<T> {
        let value = parse(self.cell(column));
        if value.is_none() {
            self.fail(column, one_of(choices));
        }
        value
    }

    fn integer(&mut self, column: &str) -> Option<i64> {
        match self.cell(column).parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                self.fail(column, Text::fixed("Phải là một số nguyên", "must be a whole number"));
                None
            }
        }
    }

    /// An optional yes/no, no when empty.
    fn flag(&mut self, column: &str) -> bool {
        match self.cell(column).to_lowercase().as_str() {
            "" | "false" | "0" => false,
            "true" | "1" => true,
            _ => {
                self.fail(column, one_of("true false"));
                false
            }
        }
    }

    /// An optional date.
    fn date(&mut self, column: &str) -> Option<NaiveDate> {
        let text = self.cell(column);
        if text.is_empty() {
            return None;
        }
        let parsed = NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .or_else(|_| NaiveDate::parse_from_str(text, "%d/%m/%Y"));
        if parsed.is_err() {
            self.fail(
                column,
                Text::fixed(
                    "Ngày phải có dạng YYYY-MM-DD hoặc DD/MM/YYYY",
                    "a date as YYYY-MM-DD or DD/MM/YYYY",
                ),
            );
        }
        parsed.ok()
    }

    /// The components named in a cell, separated by `|`.
    fn components(&self, column: &str, required: bool) -> Vec<Component> {
        self.cell(column)
            .split('|')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|name| Component { name: name.to_owned(), required })
            .collect()
    }

    /// The procedure's own validation, its errors named by the spreadsheet's columns.
    fn validate(&mut self, procedure: &NewProcedure) {
        if let Err(invalid) = procedure.validate()
            && let ApiError::Validation(fields) = ApiError::from(invalid)
        {
            for f in fields {
                let column = match f.field.as_str() {
                    "processing_time.value" => "processing_value".to_owned(),
                    other if other.starts_with("components") => "components".to_owned(),
                    other if other.starts_with("publication.") => other["publication.".len()..].to_owned(),
                    other => other.to_owned(),
                };
                self.fail(&column, f.message);
            }
        }
    }
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A file of either format, told apart by its bytes (never by its name or declared type): an
/// XLSX is a ZIP archive, a CSV is UTF-8 text. Anything else (a DOCX is a ZIP too, an old `.xls`,
/// a PDF, a CSV saved in a legacy encoding) is refused as the `file` it is, before either reader
/// would report a misleading error of its own.
pub fn parse(bytes: &[u8]) -> Parsed {
    let not_a_spreadsheet = |found: Text| {
        vec![FieldError::new(
            "file",
            Text::new(
                format!("Không phải tệp CSV hoặc XLSX: {}", found.vi),
                format!("not a CSV or XLSX file: {}", found.en),
            ),
        )]
    };
    match infer::get(bytes).map(|kind| kind.mime_type()) {
        // A ZIP archive `infer` cannot name further may still be a workbook: calamine decides.
        Some(XLSX | "application/zip") => parse_xlsx(bytes),
        Some(other) => Err(not_a_spreadsheet(Text::new(
            format!("nội dung là {other}"),
            format!("its content is {other}"),
        ))),
        None => {
            let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            if std::str::from_utf8(text).is_err() {
                return Err(not_a_spreadsheet(Text::fixed(
                    "không phải văn bản UTF-8 (hãy lưu CSV dạng \"CSV UTF-8\")",
                    "not UTF-8 text (save a CSV as \"CSV UTF-8\")",
                )));
            }
            parse_csv(bytes)
        }
    }
}

pub fn parse_csv(bytes: &[u8]) -> Parsed {
    // A spreadsheet program's "CSV UTF-8" starts with a byte-order mark.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(bytes);
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(record)) => record.iter().map(str::to_owned).collect(),
        Some(Err(e)) => return Err(header_error(unreadable_csv(&e))),
        None => return Err(header_error(Text::fixed("Tệp rỗng", "the file is empty"))),
    };
    // The reader skips blank lines and does not count them: derive the line from the byte offset.
    let line_at = |position: Option<&csv::Position>| {
        let mut offset = position.map(|p| p.byte() as usize).unwrap_or(0).min(bytes.len());
        // A record's position may be where the skipped blank lines before it begin.
        while offset < bytes.len() && matches!(bytes[offset], b'\r' | b'\n') {
            offset += 1;
        }
        bytes[..offset].iter().filter(|&&b| b == b'\n').count() + 1
    };
    let mut rows = Vec::new();
    for record in records {
        match record {
            Ok(record) => rows.push((line_at(record.position()), record.iter().map(str::to_owned).collect())),
            Err(e) => {
                let line = line_at(e.position());
                return Err(vec![FieldError::new(format!("rows[{line}]"), unreadable_csv(&e))]);
            }
        }
        if rows.len() > MAX_ROWS {
            break;
        }
    }
    parse_table(header, rows)
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::DateTime(_) | Data::DateTimeIso(_) => {
            cell.as_date().map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_else(|| cell.to_string())
        }
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        other => other.to_string(),
    }
}

/// Columns read from a sheet; cells further right are ignored (the format has 13).
const MAX_COLUMNS: u32 = 64;

/// Read the first sheet cell by cell. Not through a `Range`: calamine sizes a range from the
/// first to the last used cell, so a tiny file with cells in A1 and XFD1048576 would allocate
/// half a terabyte. Here memory is bounded by the rows and columns actually accepted.
pub fn parse_xlsx(bytes: &[u8]) -> Parsed {
    use std::collections::BTreeMap;
    let unreadable = |e: calamine::XlsxError| {
        header_error(Text::new("Không đọc được tệp XLSX", format!("not a readable XLSX file: {e}")))
    };
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(unreadable)?;
    let sheet = workbook.sheet_names().first().cloned().ok_or_else(|| {
        header_error(Text::fixed("Tệp không có trang tính nào", "the workbook has no sheet"))
    })?;
    let mut cells = workbook.worksheet_cells_reader(&sheet).map_err(unreadable)?;
    let mut grid: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    while let Some(cell) = cells.next_cell().map_err(unreadable)? {
        let (row, column) = cell.get_position();
        if column >= MAX_COLUMNS {
            continue;
        }
        if row as usize > MAX_ROWS + 1 {
            return Err(vec![FieldError::new("rows", too_many_rows())]);
        }
        let value: Data = cell.get_value().clone().into();
        let line = grid.entry(row).or_default();
        if line.len() <= column as usize {
            line.resize(column as usize + 1, String::new());
        }
        line[column as usize] = cell_text(&value);
    }
    let (&header_row, _) = grid
        .iter()
        .next()
        .ok_or_else(|| header_error(Text::fixed("Trang tính trống", "the sheet is empty")))?;
    let header = grid.remove(&header_row).unwrap_or_default();
    let rows = grid.into_iter().map(|(row, cells)| (row as usize + 1, cells)).collect();
    parse_table(header, rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "code,name,field,level,online_service,processing_value,processing_unit,fee,required_components,optional_components,decision_number,signed_on,posted_on";

    #[test]
    fn a_good_file_parses_every_row() {
        let csv = format!(
            "\u{feff}{HEADER}\n1.001193,Thủ tục đăng ký khai sinh,Hộ tịch,commune,full,8,working_hours,0,Tờ khai | Giấy chứng sinh,Văn bản ủy quyền,1234/QĐ-UBND,03/01/2024,2024-01-08\n\n2.000815,Chứng thực bản sao,Chứng thực,commune,partial,1,working_days,2000,,,,,\n"
        );
        let rows = parse_csv(csv.as_bytes()).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(rows.len(), 2);
        let first = &rows[0].procedure;
        assert_eq!(first.components.len(), 3);
        assert!(first.components[0].required && !first.components[2].required);
        let publication = first.publication.as_ref().unwrap();
        assert_eq!(publication.signed_on, NaiveDate::from_ymd_opt(2024, 1, 3));
        assert_eq!(rows[1].line, 4, "lines count the blank one");
        assert!(rows[1].procedure.publication.is_none());
    }

    #[test]
    fn the_national_codes_are_read_and_checked() {
        let csv = "code,name,field,level,online_service,processing_value,processing_unit,fee,national_code,field_code\n\
                   CX.01,Khai sinh,Hộ tịch,commune,full,8,working_hours,0,1.001193,G09-TP04\n\
                   CX.02,Chứng thực,Chứng thực,commune,full,1,working_days,0,,\n";
        let rows = parse_csv(csv.as_bytes()).unwrap_or_else(|e| panic!("{e:?}"));
        let codes = |row: &ParsedRow| (row.procedure.national_code.clone(), row.procedure.field_code.clone());
        assert_eq!(codes(&rows[0]), (Some("1.001193".into()), Some("G09-TP04".into())));
        assert_eq!(codes(&rows[1]), (None, None), "empty cells: no code");
        let bad = csv.replace("G09-TP04", "G09 TP04");
        let errors = parse_csv(bad.as_bytes()).err().unwrap();
        assert_eq!(errors.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["rows[2].field_code"]);
    }

    #[test]
    fn every_bad_row_is_named_by_line_and_column() {
        let csv = format!(
            "{HEADER}\n1.001193,Khai sinh,Hộ tịch,hamlet,full,8,working_hours,-5,,,,,\n1.001193,Khai sinh,Hộ tịch,commune,full,x,weeks,0,,,,31/02/2024,\n3.1,,Hộ tịch,commune,none,1,working_days,0,,,,,\n"
        );
        let errors = parse_csv(csv.as_bytes()).err().unwrap();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "rows[2].level",
                "rows[3].processing_unit",
                "rows[3].processing_value",
                "rows[3].signed_on",
                "rows[3].code",
                "rows[4].name"
            ]
        );
        let negative_fee =
            format!("{HEADER}\n1.001193,Khai sinh,Hộ tịch,commune,full,8,working_hours,-5,,,,,\n");
        let errors = parse_csv(negative_fee.as_bytes()).err().unwrap();
        assert_eq!(errors[0].field, "rows[2].fee");
    }

    #[test]
    fn text_is_read_in_nfc_and_line_breaks_are_refused() {
        let decomposed = format!(
            "{HEADER}\n1.001193,Thu\u{309} tu\u{323}c,Ho\u{323}\u{302} ti\u{323}ch,commune,full,8,working_hours,0,To\u{31b}\u{300} khai,,,,\n"
        );
        let rows = parse_csv(decomposed.as_bytes()).unwrap_or_else(|e| panic!("{e:?}"));
        let procedure = &rows[0].procedure;
        assert_eq!((procedure.name.as_str(), procedure.field.as_str()), ("Thủ tục", "Hộ tịch"));
        assert_eq!(procedure.components[0].name, "Tờ khai");
        let broken = format!(
            "{HEADER}\n1.001193,\"Khai\nsinh\",Hộ tịch,commune,full,8,working_hours,0,,,\"1234/\u{1b}QĐ\",,\n"
        );
        let errors = parse_csv(broken.as_bytes()).err().unwrap();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["rows[2].name", "rows[2].decision_number"]);
    }

    #[test]
    fn headers_are_checked() {
        assert_eq!(parse_csv(b"code,name\n").err().unwrap()[0].field, "header");
        let extra = format!("{HEADER},colour\n");
        let unknown = &parse_csv(extra.as_bytes()).err().unwrap()[0].message;
        assert!(unknown.vi.contains("colour") && unknown.en.contains("colour"));
        assert!(parse_csv(b"").is_err());
    }

    #[test]
    fn a_sparse_sheet_is_not_allocated_whole() {
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet();
        sheet.write_string(0, 0, "code").unwrap();
        // The last cell of the sheet: past the columns read, so it is skipped.
        sheet.write_string(1_048_575, 16_383, "x").unwrap();
        let bytes = workbook.save_to_buffer().unwrap();
        let errors = parse_xlsx(&bytes).err().unwrap();
        assert_eq!(errors[0].message.en, "missing column \"name\"", "{errors:?}");
        assert_eq!(errors[0].message.vi, "Thiếu cột \"name\"", "{errors:?}");
        // The last row: past the rows accepted, so the import stops there.
        sheet_with_far_row(&mut workbook);
        let errors = parse_xlsx(&workbook.save_to_buffer().unwrap()).err().unwrap();
        assert_eq!(errors[0].field, "rows", "{errors:?}");
    }

    fn sheet_with_far_row(workbook: &mut rust_xlsxwriter::Workbook) {
        let sheet = workbook.worksheet_from_index(0).unwrap();
        sheet.write_string(1_048_575, 0, "x").unwrap();
    }

    #[test]
    fn the_bytes_decide_the_format() {
        let csv = format!("{HEADER}\n1.001193,Khai sinh,Hộ tịch,commune,full,8,working_hours,0,,,,,\n");
        assert_eq!(parse(csv.as_bytes()).map(|rows| rows.len()).ok(), Some(1));
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet();
        for (col, name) in HEADER.split(',').enumerate() {
            sheet.write_string(0, col as u16, name).unwrap();
        }
        let xlsx = workbook.save_to_buffer().unwrap();
        assert_eq!(parse(&xlsx).map(|rows| rows.len()).ok(), Some(0), "an XLSX, read as one");

        let mut docx = Vec::new();
        docx_rs::Docx::new().build().pack(Cursor::new(&mut docx)).unwrap();
        let refused = parse(&docx).err().unwrap();
        assert_eq!(refused[0].field, "file");
        assert!(refused[0].message.en.starts_with("not a CSV or XLSX file"), "{:?}", refused[0].message);
        assert!(refused[0].message.en.contains("wordprocessingml"), "{:?}", refused[0].message);
        let latin1 = b"code,name\n1,Th\xfa t\xfac\n";
        assert!(parse(latin1).err().unwrap()[0].message.en.contains("not UTF-8 text"));
        assert_eq!(parse(b"%PDF-1.7\n").err().unwrap()[0].field, "file");
    }

    #[test]
    fn garbage_is_not_an_xlsx_file() {
        assert_eq!(parse_xlsx(b"not a zip").err().unwrap()[0].field, "header");
    }
}
