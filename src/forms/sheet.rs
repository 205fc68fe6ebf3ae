//! A printable sheet as plain data, and the pieces every form shares: the issuing body, the
//! national motto, the signature blocks.

/// One form, ready for either renderer.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    /// The HTML document's title and the DOCX's first words: the form and the dossier.
    pub title: String,
    /// The form's number in the circular ("Mẫu số 01").
    pub form_number: &'static str,
    /// The issuing body, upper case, then the desk.
    pub issuer: Vec<String>,
    /// Below the issuer: "Số: …/…" or the dossier's code.
    pub number: Option<String>,
    /// Below the motto: "Tỉnh Châu, ngày … tháng … năm …".
    pub place_date: Option<String>,
    /// The form's name, printed upper case.
    pub name: String,
    /// Under the name, e.g. the dossier's code.
    pub subtitle: Option<String>,
    pub parts: Vec<Part>,
    /// Side by side, left to right.
    pub signatures: Vec<Signature>,
    pub qr: Option<super::qr::Qr>,
    /// The register is a wide table: printed on a landscape page.
    pub landscape: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    /// A paragraph.
    Para(Vec<Span>),
    /// A paragraph in italics: a hint or what the desk writes by hand.
    Hint(String),
    Table(Table),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Span {
    Text(String),
    Strong(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub head: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// A signature block: who signs, how ("(Ký và ghi rõ họ tên)"), and the name when it is known.
#[derive(Debug, Clone, PartialEq)]
pub struct Signature {
    pub role: String,
    pub hint: String,
    pub name: Option<String>,
}

impl Signature {
    /// A signatory who signs and writes their name; `name` printed under the space when known.
    pub fn new(role: &str, name: Option<String>) -> Self {
        Signature { role: role.to_owned(), hint: "(Ký và ghi rõ họ tên)".to_owned(), name }
    }

    /// The head of the agency, who also stamps.
    pub fn head_of_agency() -> Self {
        Signature {
            role: "THỦ TRƯỞNG CƠ QUAN".to_owned(),
            hint: "(Ký, ghi rõ họ tên và đóng dấu)".to_owned(),
            name: None,
        }
    }
}

/// The national motto on the right of every heading.
pub const MOTTO: [&str; 2] = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"];

/// The issuing body on the left: the agency, upper case, and its one-stop desk.
pub fn issuer(agency_name: &str) -> Vec<String> {
    vec![agency_name.to_uppercase(), "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ".to_owned()]
}

/// A paragraph of plain text.
pub fn para(text: impl Into<String>) -> Part {
    Part::Para(vec![Span::Text(text.into())])
}

/// "Label: value" with the value in bold.
pub fn labelled(label: &str, value: impl Into<String>) -> Part {
    Part::Para(vec![Span::Text(format!("{label}: ")), Span::Strong(value.into())])
}

/// "Label: value", or "Label: ……" left for the desk when the value is not known (or not shown
/// to this reader).
pub fn labelled_or_blank(label: &str, value: Option<&str>) -> Part {
    match value {
        Some(v) => labelled(label, v),
        None => para(format!("{label}: ……………………………………")),
    }
}

/// "UBND xã Tỉnh Châu" → "Tỉnh Châu": the place a document is dated at.
pub fn place(agency_name: &str) -> &str {
    const PREFIXES: [&str; 8] = [
        "UBND xã ",
        "UBND phường ",
        "UBND thị trấn ",
        "UBND đặc khu ",
        "UBND tỉnh ",
        "UBND thành phố ",
        "UBND huyện ",
        "UBND ",
    ];
    PREFIXES.iter().find_map(|p| agency_name.strip_prefix(p)).unwrap_or(agency_name)
}
