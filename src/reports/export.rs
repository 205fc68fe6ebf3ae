//! The summary as files: CSV (one figure per line), XLSX laid out like form II.06a, and the report
//! document as printable HTML and as DOCX.

use std::collections::HashMap;

use askama::Template;
use docx_rs::{Footnote, Paragraph, Run, VertAlignType};
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, XlsxError};
use serde_json::Value;

use super::document::{Block, Inline};
use super::model::{AgencyLine, DigitizationParts, FieldLine, Summary};
use super::percent::Percent;
use crate::forms::docx as words;
use crate::http::csv::HeaderLang;
use crate::vietnamese::csv_cell;

/// Every figure as `figure,value` lines, named by its path in the JSON (`reception.new_online`);
/// list items are named by their indicator, field, responsible person or agency code
/// (`by_agency.X01.resolution.late`). A cell a spreadsheet
/// would run as a formula is neutralised ([`csv_cell`]). UTF-8 with a BOM; `lang` names the
/// columns (`crate::http::csv`).
pub fn csv(summary: &Summary, lang: Option<HeaderLang>) -> anyhow::Result<Vec<u8>> {
    let mut writer = crate::http::csv::writer();
    writer.write_record(crate::http::csv::header(&[("figure", "Chỉ số"), ("value", "Giá trị")], lang))?;
    for (name, value) in figure_lines(summary)? {
        // Names and values carry agency, officer and procedure names as users typed them.
        writer.write_record([csv_cell(&name).as_bytes(), csv_cell(&value).as_bytes()])?;
    }
    Ok(writer.into_inner()?)
}

fn flatten(value: &Value, prefix: String, out: &mut Vec<(String, String)>) {
    let join = |key: &str| if prefix.is_empty() { key.to_owned() } else { format!("{prefix}.{key}") };
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                flatten(v, join(key), out);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let key = item
                    .get("indicator")
                    .or_else(|| item.get("field"))
                    .or_else(|| item.pointer("/responsible/name"))
                    .or_else(|| item.pointer("/agency/code"))
                    .and_then(Value::as_str)
                    .map_or_else(|| i.to_string(), str::to_owned);
                flatten(item, join(&key), out);
            }
        }
        Value::Null => out.push((prefix, String::new())),
        Value::String(s) => out.push((prefix, s.clone())),
        other => out.push((prefix, other.to_string())),
    }
}

/// Every figure of the summary as (name, value), as [`csv`] writes them.
fn figure_lines(summary: &Summary) -> serde_json::Result<Vec<(String, String)>> {
    let mut lines = Vec::new();
    flatten(&serde_json::to_value(summary)?, String::new(), &mut lines);
    Ok(lines)
}

/// Form II.06a (TTHC resolution results by field) on the first sheet, the league table of the
/// agencies below (when there are any) on the next, every figure and the targets on the last.
pub fn xlsx(summary: &Summary) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    form_sheet(&mut workbook, summary)?;
    if !summary.by_agency.is_empty() {
        agencies_sheet(&mut workbook, summary)?;
    }
    figures_sheet(&mut workbook, summary)?;
    workbook.save_to_buffer()
}

/// The header rows of form II.06a, as (first row, first column, last row, last column, text): a
/// cell of its own when first and last are the same, else merged.
const FORM_HEAD: [(u32, u16, u32, u16, &str); 17] = [
    (3, 0, 5, 0, "STT"),
    (3, 1, 5, 1, "Lĩnh vực, công việc giải quyết"),
    (3, 2, 3, 5, "Số hồ sơ nhận giải quyết"),
    (4, 2, 5, 2, "Tổng số"),
    (4, 3, 4, 4, "Trong kỳ"),
    (5, 3, 5, 3, "Trực tuyến"),
    (5, 4, 5, 4, "Trực tiếp, dịch vụ bưu chính"),
    (4, 5, 5, 5, "Từ kỳ trước chuyển qua"),
    (3, 6, 3, 9, "Số hồ sơ đã giải quyết"),
    (4, 6, 5, 6, "Tổng số"),
    (4, 7, 5, 7, "Trước hạn"),
    (4, 8, 5, 8, "Đúng hạn"),
    (4, 9, 5, 9, "Quá hạn"),
    (3, 10, 3, 12, "Số hồ sơ đang giải quyết"),
    (4, 10, 5, 10, "Tổng số"),
    (4, 11, 5, 11, "Trong hạn"),
    (4, 12, 5, 12, "Quá hạn"),
];

/// The first sheet: form II.06a's title, its three header rows and numbered columns, a line per
/// field and the totals.
fn form_sheet(workbook: &mut Workbook, summary: &Summary) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    let title = Format::new().set_bold().set_font_size(13).set_align(FormatAlign::Center);
    let head = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap();
    let cell = Format::new().set_border(FormatBorder::Thin);
    let number = Format::new().set_border(FormatBorder::Thin).set_num_format("#,##0");
    let total = Format::new().set_bold().set_border(FormatBorder::Thin).set_num_format("#,##0");

    let sheet = workbook.add_worksheet().set_name("Biểu II.06a")?;
    sheet.set_landscape().set_paper_size(9).set_print_fit_to_pages(1, 0);
    sheet.merge_range(0, 0, 0, 12, "KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH", &title)?;
    let subtitle = format!(
        "{} — kỳ báo cáo từ {} đến {}",
        summary.agency.name,
        summary.period.from.format("%d/%m/%Y"),
        summary.period.to.format("%d/%m/%Y")
    );
    sheet.merge_range(1, 0, 1, 12, &subtitle, &Format::new().set_align(FormatAlign::Center))?;
    sheet.write_string_with_format(2, 12, "Đơn vị tính: hồ sơ", &bold)?;
    for (first_row, first_col, last_row, last_col, text) in FORM_HEAD {
        if (first_row, first_col) == (last_row, last_col) {
            sheet.write_string_with_format(first_row, first_col, text, &head)?;
        } else {
            sheet.merge_range(first_row, first_col, last_row, last_col, text, &head)?;
        }
    }
    for col in 0..13u16 {
        sheet.write_number_with_format(6, col, f64::from(col + 1), &head)?;
    }
    sheet.set_column_width(0, 5)?;
    sheet.set_column_width(1, 36)?;
    for col in 2..13u16 {
        sheet.set_column_width(col, 11)?;
    }
    let mut row = 7u32;
    for (i, line) in summary.by_field.iter().enumerate() {
        sheet.write_number_with_format(row, 0, (i + 1) as f64, &cell)?;
        sheet.write_string_with_format(row, 1, &line.field, &cell)?;
        for (col, value) in form_columns(line).into_iter().enumerate() {
            sheet.write_number_with_format(row, col as u16 + 2, value as f64, &number)?;
        }
        row += 1;
    }
    let totals = FieldLine {
        field: String::new(),
        reception: summary.reception.clone(),
        resolution: summary.resolution.clone(),
    };
    sheet.write_string_with_format(row, 0, "", &total)?;
    sheet.write_string_with_format(row, 1, "Tổng cộng", &total)?;
    for (col, value) in form_columns(&totals).into_iter().enumerate() {
        sheet.write_number_with_format(row, col as u16 + 2, value as f64, &total)?;
    }
    Ok(())
}

/// The league table's columns after the agency's name: (header, the figure of a line). Rates are
/// percentages with two decimals, empty when there was nothing to divide by.
const AGENCY_COLUMNS: [Column; 16] = [
    ("Tiếp nhận: tổng số", |l| Figure::Count(l.reception.total)),
    ("Tiếp nhận mới trong kỳ", |l| Figure::Count(l.reception.new)),
    ("Đã giải quyết", |l| Figure::Count(l.resolution.resolved)),
    ("Đúng hạn, trước hạn", |l| Figure::Count(l.resolution.on_time)),
    ("Quá hạn", |l| Figure::Count(l.resolution.late)),
    ("Tỷ lệ đúng hạn (%)", |l| Figure::Rate(l.resolution.on_time_rate)),
    ("Đang giải quyết quá hạn", |l| Figure::Count(l.resolution.in_progress_overdue)),
    ("Quá hạn chưa xin lỗi", |l| Figure::Count(l.resolution.late_without_apology)),
    ("Số hóa khi tiếp nhận", |l| Figure::Count(l.digitization.reception.digitized)),
    ("Tỷ lệ số hóa khi tiếp nhận (%)", |l| Figure::Rate(l.digitization.reception.rate)),
    ("Số hóa kết quả", |l| Figure::Count(l.digitization.result.digitized)),
    ("Tỷ lệ số hóa kết quả (%)", |l| Figure::Rate(l.digitization.result.rate)),
    ("Lượt đánh giá", |l| Figure::Count(l.satisfaction.responses)),
    ("Tỷ lệ không hài lòng (%)", |l| Figure::Rate(l.satisfaction.unsatisfied_rate)),
    ("PAKN tiếp nhận", |l| Figure::Count(l.feedback.received)),
    ("PAKN đã giải quyết", |l| Figure::Count(l.feedback.resolved)),
];

type Column = (&'static str, fn(&AgencyLine) -> Figure);

enum Figure {
    Count(i64),
    Rate(Option<Percent>),
}

/// The league table ("Theo đơn vị"): a line per agency below, in the summary's order, and the
/// summary's totals.
fn agencies_sheet(workbook: &mut Workbook, summary: &Summary) -> Result<(), XlsxError> {
    let head = Format::new().set_bold().set_border(FormatBorder::Thin).set_text_wrap();
    let cell = Format::new().set_border(FormatBorder::Thin);
    let number_format = Format::new().set_border(FormatBorder::Thin).set_num_format("#,##0");
    let rate = Format::new().set_border(FormatBorder::Thin).set_num_format("0.00");
    let total = Format::new().set_bold().set_border(FormatBorder::Thin).set_num_format("#,##0");
    let total_rate = Format::new().set_bold().set_border(FormatBorder::Thin).set_num_format("0.00");

    let sheet = workbook.add_worksheet().set_name("Theo đơn vị")?;
    sheet.set_landscape().set_paper_size(9).set_print_fit_to_pages(1, 0);
    let last = AGENCY_COLUMNS.len() as u16 + 1;
    let title = format!(
        "KẾT QUẢ THEO ĐƠN VỊ — {}, từ {} đến {}",
        summary.agency.name,
        summary.period.from.format("%d/%m/%Y"),
        summary.period.to.format("%d/%m/%Y")
    );
    sheet.merge_range(0, 0, 0, last, &title, &Format::new().set_bold().set_align(FormatAlign::Center))?;
    sheet.write_string_with_format(2, 0, "STT", &head)?;
    sheet.write_string_with_format(2, 1, "Đơn vị", &head)?;
    for (col, (header, _)) in AGENCY_COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(2, col as u16 + 2, *header, &head)?;
    }
    sheet.set_column_width(0, 5)?;
    sheet.set_column_width(1, 36)?;
    for col in 2..=last {
        sheet.set_column_width(col, 12)?;
    }
    // A line: its number (none for the totals), its name, its figures.
    let mut write = |row: u32, number: Option<usize>, name: &str, line: &AgencyLine, bold: bool| {
        let (text, count, rate) =
            if bold { (&total, &total, &total_rate) } else { (&cell, &number_format, &rate) };
        match number {
            Some(i) => sheet.write_number_with_format(row, 0, i as f64, text)?,
            None => sheet.write_string_with_format(row, 0, "", text)?,
        };
        sheet.write_string_with_format(row, 1, name, text)?;
        for (col, (_, figure)) in AGENCY_COLUMNS.iter().enumerate() {
            let col = col as u16 + 2;
            match figure(line) {
                Figure::Count(n) => sheet.write_number_with_format(row, col, n as f64, count)?,
                Figure::Rate(Some(p)) => sheet.write_number_with_format(row, col, p.as_f64(), rate)?,
                Figure::Rate(None) => sheet.write_blank(row, col, rate)?,
            };
        }
        Ok::<(), XlsxError>(())
    };
    let mut row = 3u32;
    for (i, line) in summary.by_agency.iter().enumerate() {
        let name = if line.own {
            format!("{} (trực tiếp tiếp nhận)", line.agency.name)
        } else {
            line.agency.name.clone()
        };
        write(row, Some(i + 1), &name, line, false)?;
        row += 1;
    }
    let totals = AgencyLine {
        agency: summary.agency.clone(),
        own: false,
        reception: summary.reception.clone(),
        resolution: summary.resolution.clone(),
        digitization: DigitizationParts {
            reception: summary.digitization.reception.clone(),
            result: summary.digitization.result.clone(),
        },
        satisfaction: summary.satisfaction.clone(),
        feedback: summary.feedback.clone(),
    };
    write(row, None, "Tổng cộng", &totals, true)?;
    Ok(())
}

/// The last sheet: every figure by name, numbers as numbers.
fn figures_sheet(workbook: &mut Workbook, summary: &Summary) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    let figures = workbook.add_worksheet().set_name("Số liệu")?;
    figures.write_string_with_format(0, 0, "Chỉ số", &bold)?;
    figures.write_string_with_format(0, 1, "Giá trị", &bold)?;
    figures.set_column_width(0, 60)?;
    figures.set_column_width(1, 40)?;
    let lines = figure_lines(summary).map_err(|e| XlsxError::ParameterError(e.to_string()))?;
    for (i, (name, value)) in lines.into_iter().enumerate() {
        let r = i as u32 + 1;
        figures.write_string(r, 0, &name)?;
        match value.parse::<f64>() {
            Ok(n) => figures.write_number(r, 1, n)?,
            Err(_) => figures.write_string(r, 1, &value)?,
        };
    }
    Ok(())
}

/// Columns 3–13 of form II.06a. "Đúng hạn" there excludes the early ones.
fn form_columns(line: &FieldLine) -> [i64; 11] {
    let (rec, res) = (&line.reception, &line.resolution);
    [
        rec.total,
        rec.new_online,
        rec.new_direct + rec.new_postal,
        rec.carried_over,
        res.resolved,
        res.early,
        res.on_time - res.early,
        res.late,
        res.in_progress,
        res.in_progress_within_deadline,
        res.in_progress_overdue,
    ]
}

/// The printable document, from `templates/reports/document.html` (askama escapes every value).
#[derive(Template)]
#[template(path = "reports/document.html")]
struct DocumentPage<'a> {
    title: &'a str,
    blocks: &'a [Block],
    /// The footnotes, listed at the end.
    notes: Vec<(usize, &'a str)>,
}

/// The printable document: A4, Times New Roman 14, as administrative documents are typed.
pub fn html(blocks: &[Block], title: &str) -> anyhow::Result<String> {
    let notes = blocks
        .iter()
        .filter_map(|b| match b {
            Block::Footnote { number, text } => Some((*number, text.as_str())),
            _ => None,
        })
        .collect();
    Ok(DocumentPage { title, blocks, notes }.render()?)
}

/// The document as DOCX (sizes in half-points: 28 is 14 pt), in the named styles of
/// `crate::forms::docx`, as the HTML lays it out: the heading and the closing ("Nơi nhận" and the
/// signature beside it) are borderless two-column tables; footnotes are real Word footnotes,
/// their marks superscript.
pub fn docx(blocks: &[Block]) -> anyhow::Result<Vec<u8>> {
    let notes: HashMap<usize, &str> = blocks
        .iter()
        .filter_map(|b| match b {
            Block::Footnote { number, text } => Some((*number, text.as_str())),
            _ => None,
        })
        .collect();
    let width = words::text_width(false);
    let mut doc = words::document(false);
    for block in blocks {
        doc = match block {
            // The right column is always the national motto, as `forms` prints it.
            Block::Masthead { left, right: _, number, place_date } => {
                doc.add_table(words::masthead(left, Some(number), Some(place_date), width))
            }
            Block::Title(t) => doc.add_paragraph(words::styled("DocTitle", t)),
            Block::Subtitle(t) => doc.add_paragraph(words::styled("DocSubtitle", t)),
            Block::Heading(t) => doc.add_paragraph(words::styled("SectionHeading", t)),
            Block::Paragraph(parts) => {
                let mut p = Paragraph::new().style("BodyText");
                for part in parts {
                    p = match part {
                        Inline::Text(t) => p.add_run(Run::new().add_text(t)),
                        Inline::Bold(t) => p.add_run(Run::new().add_text(t).bold()),
                        Inline::Note(n) => {
                            let text = notes.get(n).copied().unwrap_or_default();
                            let mut footnote = Footnote::new();
                            let footnote = footnote
                                .add_content(Paragraph::new().add_run(Run::new().add_text(text).size(24)));
                            let mut mark = Run::new().add_footnote_reference(footnote);
                            // Superscript on the run too, for readers that ignore the style.
                            mark.run_property = mark.run_property.vert_align(VertAlignType::SuperScript);
                            p.add_run(mark)
                        }
                    };
                }
                doc.add_paragraph(p)
            }
            Block::Placeholder(t) => doc.add_paragraph(words::styled("Hint", t)),
            Block::Table { head, rows } => doc.add_table(words::grid(head, rows, width)),
            Block::Closing { recipients, signature } => {
                let mut list = Paragraph::new().style("Recipients");
                for (i, line) in recipients.iter().enumerate() {
                    let mut run = Run::new().add_text(line);
                    if i == 0 {
                        run = run.bold().italic();
                    }
                    if i + 1 < recipients.len() {
                        run = run.add_break(docx_rs::BreakType::TextWrapping);
                    }
                    list = list.add_run(run);
                }
                doc.add_table(words::columns(
                    vec![vec![list], vec![words::lines("SignatureBlock", signature)]],
                    width,
                ))
            }
            Block::Footnote { .. } => doc,
        };
    }
    words::pack(doc)
}
