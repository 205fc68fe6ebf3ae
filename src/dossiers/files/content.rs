//! What a file is, decided from its first bytes (never from its name or the type the client
//! declares, which anyone can set), and what it may be called.
//!
//! Accepted: what a desk scans or a result is issued as — PDF, JPEG, PNG, TIFF, DOCX, XLSX, ODT
//! and XML (electronically signed results and forms are XML documents carrying an XML
//! signature). Everything else is refused, executables and archives first among them.

/// How many leading bytes decide the type: enough for the ZIP-based office formats, whose
/// telling entry names come after the first local header.
pub const SNIFF_BYTES: usize = 8 * 1024;

/// The accepted types, by the MIME type `infer` names them.
const ACCEPTED: &[&str] = &[
    "application/pdf",
    "image/jpeg",
    "image/png",
    "image/tiff",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.oasis.opendocument.text",
    "text/xml",
];

/// The content type of a file that begins with `head`, or what was found instead (a MIME type,
/// or a description when nothing is recognised), for the 415 answer.
pub fn detect(head: &[u8]) -> Result<&'static str, String> {
    if let Some(kind) = infer::get(head) {
        let mime = kind.mime_type();
        return ACCEPTED.iter().find(|accepted| **accepted == mime).copied().ok_or_else(|| mime.to_owned());
    }
    if is_xml(head) {
        return Ok("text/xml");
    }
    Err("unrecognised content".to_owned())
}

/// An XML document: an optional byte-order mark and white space, then `<?xml` or an element.
/// (`infer` knows only the declaration form.)
fn is_xml(head: &[u8]) -> bool {
    let head = head.strip_prefix(b"\xEF\xBB\xBF".as_slice()).unwrap_or(head);
    let start = head.iter().position(|b| !b.is_ascii_whitespace()).map_or(&[][..], |i| &head[i..]);
    start.starts_with(b"<?xml")
        || (start.first() == Some(&b'<') && start.get(1).is_some_and(u8::is_ascii_alphabetic))
}

/// The name a file is kept and offered under: the last segment of what the client sent (no
/// directories), in NFC (macOS sends names decomposed), without control characters or the
/// characters Windows refuses in names, trimmed, at most 255 bytes; `fallback` when nothing is left.
pub fn clean_name(raw: &str, fallback: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let kept: String = crate::text::to_nfc(last)
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '<' | '>' | ':' | '"' | '|' | '?' | '*'))
        .collect();
    let trimmed = kept.trim().trim_start_matches('.').trim();
    let mut name = String::new();
    for c in trimmed.chars() {
        if name.len() + c.len_utf8() > 255 {
            break;
        }
        name.push(c);
    }
    if name.is_empty() { fallback.to_owned() } else { name }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bytes_decide_not_the_name() {
        assert_eq!(detect(b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj"), Ok("application/pdf"));
        assert_eq!(detect(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F', 0]), Ok("image/jpeg"));
        assert_eq!(detect(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Ok("image/png"));
        assert_eq!(detect(b"II*\0\x08\0\0\0\x0e\0\0\x01\x04\0\x01\0"), Ok("image/tiff"));
        assert_eq!(detect(b"<?xml version=\"1.0\"?><KetQua/>"), Ok("text/xml"));
        assert_eq!(detect(b"\xEF\xBB\xBF\n  <KetQua><Signature/></KetQua>"), Ok("text/xml"));
    }

    #[test]
    fn office_documents_as_real_writers_make_them_are_recognised_from_their_head() {
        let mut docx = std::io::Cursor::new(Vec::new());
        let text = docx_rs::Paragraph::new().add_run(docx_rs::Run::new().add_text("Kết quả"));
        docx_rs::Docx::new().add_paragraph(text).build().pack(&mut docx).unwrap();
        let docx = docx.into_inner();
        assert_eq!(
            detect(&docx[..docx.len().min(SNIFF_BYTES)]),
            Ok("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        );
        let mut workbook = rust_xlsxwriter::Workbook::new();
        workbook.add_worksheet().write_string(0, 0, "Số liệu").unwrap();
        let xlsx = workbook.save_to_buffer().unwrap();
        assert_eq!(
            detect(&xlsx[..xlsx.len().min(SNIFF_BYTES)]),
            Ok("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        );
    }

    #[test]
    fn executables_archives_and_the_unknown_are_named_in_the_refusal() {
        let exe = detect(b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xFF\xFF\0\0").unwrap_err();
        assert!(exe.contains("msdownload") || exe.contains("exe"), "{exe}");
        assert!(detect(b"\x7FELF\x02\x01\x01\0\0\0\0\0\0\0\0\0").is_err());
        assert!(detect(b"PK\x03\x04\x14\0\0\0\0\0").is_err(), "a bare zip is not a document");
        assert_eq!(detect(b"just some text").unwrap_err(), "unrecognised content");
        assert!(detect(b"< not xml").is_err());
    }

    #[test]
    fn names_lose_their_paths_and_control_characters_and_keep_their_accents() {
        assert_eq!(clean_name("C:\\Users\\an\\Tờ khai.pdf", "f"), "Tờ khai.pdf");
        assert_eq!(clean_name("To\u{31b}\u{300} khai.pdf", "f"), "Tờ khai.pdf");
        assert_eq!(clean_name("../../etc/passwd", "f"), "passwd");
        assert_eq!(clean_name("a\u{1b}[31mb\r\n.pdf", "f"), "a[31mb.pdf");
        assert_eq!(clean_name("  ..hidden  ", "f"), "hidden");
        assert_eq!(clean_name("dir/", "tệp"), "tệp");
        assert_eq!(clean_name("x|y?.pdf", "f"), "xy.pdf");
        let long = "ồ".repeat(200);
        assert!(clean_name(&long, "f").len() <= 255);
    }
}
