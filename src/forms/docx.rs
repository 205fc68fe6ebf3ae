//! A sheet as DOCX, and the Word styles the forms and the report share. Text is laid out with
//! named paragraph styles (so a desk that edits the file finds "Tiêu đề", "Chữ ký" … in Word's
//! style list rather than hand-set runs), and a heading or a pair of signatures is a
//! borderless table, as such documents are typed.

use std::io::Cursor;

use docx_rs::{
    AlignmentType, BreakType, Docx, PageMargin, PageOrientationType, Paragraph, Pic, Run, RunFonts, Style,
    StyleType, Table, TableCell, TableRow, VertAlignType, WidthType,
};

use super::sheet::{MOTTO, Part, Sheet, Span};

/// The named paragraph styles: (id, name shown in Word, size in half-points, bold, italic,
/// alignment).
const STYLES: [(&str, &str, usize, bool, bool, AlignmentType); 9] = [
    ("Masthead", "Tiêu đề văn bản", 26, true, false, AlignmentType::Center),
    ("MastheadLine", "Số, ngày văn bản", 26, false, false, AlignmentType::Center),
    ("DocTitle", "Tên văn bản", 28, true, false, AlignmentType::Center),
    ("DocSubtitle", "Trích yếu", 28, true, false, AlignmentType::Center),
    ("SectionHeading", "Đề mục", 28, true, false, AlignmentType::Left),
    ("BodyText", "Nội dung", 28, false, false, AlignmentType::Both),
    ("Hint", "Ghi chú", 28, false, true, AlignmentType::Left),
    ("SignatureBlock", "Chữ ký", 28, true, false, AlignmentType::Center),
    ("Recipients", "Nơi nhận", 24, false, false, AlignmentType::Left),
];

/// The footnote marks' character style: superscript, as Word's own.
pub const FOOTNOTE_REFERENCE: &str = "FootnoteReference";

/// Times New Roman for every script.
pub fn font() -> RunFonts {
    RunFonts::new()
        .ascii("Times New Roman")
        .hi_ansi("Times New Roman")
        .cs("Times New Roman")
        .east_asia("Times New Roman")
}

/// An A4 document (portrait or landscape) with the shared styles, Times New Roman 14.
pub fn document(landscape: bool) -> Docx {
    let mut doc = Docx::new().default_fonts(font()).default_size(28);
    doc = if landscape {
        doc.page_size(16_838, 11_906)
            .page_orient(PageOrientationType::Landscape)
            .page_margin(PageMargin::new().top(1134).bottom(1134).left(1134).right(1134))
    } else {
        doc.page_size(11_906, 16_838)
            .page_margin(PageMargin::new().top(1134).bottom(1134).left(1701).right(850))
    };
    for (id, name, size, bold, italic, align) in STYLES {
        let mut style = Style::new(id, StyleType::Paragraph).name(name).size(size).align(align);
        if bold {
            style = style.bold();
        }
        if italic {
            style = style.italic();
        }
        doc = doc.add_style(style);
    }
    let mut mark = Style::new(FOOTNOTE_REFERENCE, StyleType::Character).name("footnote reference");
    mark.run_property = mark.run_property.vert_align(VertAlignType::SuperScript);
    doc.add_style(mark)
}

/// A paragraph of one run in a named style.
pub fn styled(style: &str, text: &str) -> Paragraph {
    Paragraph::new().style(style).add_run(Run::new().add_text(text))
}

/// Lines in one paragraph, broken where they break.
pub fn lines(style: &str, lines: &[String]) -> Paragraph {
    let mut p = Paragraph::new().style(style);
    for (i, line) in lines.iter().enumerate() {
        let mut run = Run::new().add_text(line);
        if i + 1 < lines.len() {
            run = run.add_break(BreakType::TextWrapping);
        }
        p = p.add_run(run);
    }
    p
}

/// Columns side by side with no borders, each a list of paragraphs; `width` is the text width
/// in twentieths of a point.
pub fn columns(cells: Vec<Vec<Paragraph>>, width: usize) -> Table {
    let each = width / cells.len().max(1);
    let grid = vec![each; cells.len()];
    let row = cells
        .into_iter()
        .map(|paragraphs| {
            paragraphs
                .into_iter()
                .fold(TableCell::new().width(each, WidthType::Dxa), TableCell::add_paragraph)
        })
        .collect();
    Table::without_borders(vec![TableRow::new(row)]).set_grid(grid).width(width, WidthType::Dxa)
}

/// The heading of an administrative document: issuer and number left, motto and date right.
pub fn masthead(issuer: &[String], number: Option<&str>, place_date: Option<&str>, width: usize) -> Table {
    let motto: Vec<String> = MOTTO.iter().map(|s| (*s).to_owned()).collect();
    let mut left = vec![lines("Masthead", issuer)];
    if let Some(number) = number {
        left.push(styled("MastheadLine", number));
    }
    let mut right = vec![lines("Masthead", &motto)];
    if let Some(place_date) = place_date {
        right.push(Paragraph::new().style("MastheadLine").add_run(Run::new().add_text(place_date).italic()));
    }
    columns(vec![left, right], width)
}

/// The text width of an A4 page with the margins of [`document`].
pub fn text_width(landscape: bool) -> usize {
    if landscape { 16_838 - 2 * 1134 } else { 11_906 - 1701 - 850 }
}

/// The sheet as DOCX bytes.
pub fn render(sheet: &Sheet) -> anyhow::Result<Vec<u8>> {
    let width = text_width(sheet.landscape);
    let mut doc = document(sheet.landscape)
        .add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Right)
                .add_run(Run::new().add_text(sheet.form_number).italic()),
        )
        .add_table(masthead(&sheet.issuer, sheet.number.as_deref(), sheet.place_date.as_deref(), width))
        .add_paragraph(styled("DocTitle", &sheet.name.to_uppercase()));
    if let Some(subtitle) = &sheet.subtitle {
        doc = doc.add_paragraph(styled("DocSubtitle", subtitle));
    }
    for part in &sheet.parts {
        doc = match part {
            Part::Para(spans) => {
                doc.add_paragraph(spans.iter().fold(Paragraph::new().style("BodyText"), |p, s| {
                    p.add_run(match s {
                        Span::Text(t) => Run::new().add_text(t),
                        Span::Strong(t) => Run::new().add_text(t).bold(),
                    })
                }))
            }
            Part::Hint(text) => doc.add_paragraph(styled("Hint", text)),
            Part::Table(table) => doc.add_table(grid(&table.head, &table.rows, width)),
        };
    }
    if !sheet.signatures.is_empty() {
        let cells = sheet
            .signatures
            .iter()
            .map(|s| {
                let mut cell = vec![
                    styled("SignatureBlock", &s.role),
                    Paragraph::new()
                        .style("SignatureBlock")
                        .add_run(Run::new().add_text(&s.hint).italic().disable_bold()),
                ];
                // Room to sign, then the name.
                cell.extend((0..3).map(|_| Paragraph::new().style("SignatureBlock")));
                cell.push(styled("SignatureBlock", s.name.as_deref().unwrap_or_default()));
                cell
            })
            .collect();
        doc = doc.add_table(columns(cells, width));
    }
    if let Some(qr) = &sheet.qr {
        // 30 mm square (EMU: 36 000 a millimetre).
        let pic = Pic::new_with_dimensions(qr.png.clone(), qr.side, qr.side).size(1_080_000, 1_080_000);
        doc = doc
            .add_paragraph(Paragraph::new().add_run(Run::new().add_image(pic)))
            .add_paragraph(styled("Hint", &format!("Tra cứu tình trạng hồ sơ: {}", qr.text)));
    }
    pack(doc)
}

/// A bordered table with a bold header row, columns of equal width.
pub fn grid(head: &[String], rows: &[Vec<String>], width: usize) -> Table {
    let each = width / head.len().max(1);
    let cell = |text: &str, bold: bool| {
        let run = Run::new().add_text(text).size(24);
        let run = if bold { run.bold() } else { run };
        TableCell::new().width(each, WidthType::Dxa).add_paragraph(Paragraph::new().add_run(run))
    };
    let mut table_rows = vec![TableRow::new(head.iter().map(|h| cell(h, true)).collect())];
    table_rows.extend(rows.iter().map(|r| TableRow::new(r.iter().map(|c| cell(c, false)).collect())));
    Table::new(table_rows).set_grid(vec![each; head.len()]).width(width, WidthType::Dxa)
}

/// The document's bytes.
pub fn pack(doc: Docx) -> anyhow::Result<Vec<u8>> {
    let mut buffer = Cursor::new(Vec::new());
    doc.build().pack(&mut buffer)?;
    Ok(buffer.into_inner())
}
