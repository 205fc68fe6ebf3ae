//! A sheet as printable HTML, from `templates/forms/sheet.html`: askama escapes every value it
//! prints; the one exception is the QR code's SVG, which this crate draws (`qr`) from no
//! user text.

use askama::Template;

use super::sheet::{MOTTO, Part, Sheet, Span};

#[derive(Template)]
#[template(path = "forms/sheet.html")]
struct SheetPage<'a> {
    sheet: &'a Sheet,
    motto: [&'static str; 2],
}

/// The sheet as a complete HTML page.
pub fn render(sheet: &Sheet) -> anyhow::Result<String> {
    Ok(SheetPage { sheet, motto: MOTTO }.render()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forms::sheet::{Signature, Table, para};

    #[test]
    fn every_value_is_escaped() {
        let evil = "<script>alert('x')</script> & co";
        let sheet = Sheet {
            title: evil.into(),
            form_number: "Mẫu số 01",
            issuer: vec![evil.into()],
            number: Some(evil.into()),
            place_date: None,
            name: "GIẤY".into(),
            subtitle: Some(evil.into()),
            parts: vec![
                para(evil),
                Part::Para(vec![Span::Strong(evil.into())]),
                Part::Hint(evil.into()),
                Part::Table(Table { head: vec![evil.into()], rows: vec![vec![evil.into()]] }),
            ],
            signatures: vec![Signature::new(evil, Some(evil.into()))],
            qr: None,
            landscape: false,
        };
        let html = render(&sheet).unwrap();
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&#60;script&#62;"), "{html}");
        assert!(html.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"));
    }
}
