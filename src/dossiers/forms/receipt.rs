//! Form 01: the receipt and appointment slip (giấy tiếp nhận hồ sơ và hẹn trả kết quả), with a QR
//! code to the public lookup and the signatures of the applicant and the receiving officer.

use super::Paper;
use crate::dossiers::lookup::check_of;
use crate::dossiers::views::Receipt;
use crate::error::ApiError;
use crate::forms::qr::Qr;
use crate::forms::sheet::{self, Part, Signature, Table};
use crate::forms::{Sheet, instant};
use crate::vietnamese::thousands;

pub fn sheet(paper: &Paper, r: &Receipt) -> Result<Sheet, ApiError> {
    let rows = r
        .components
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let mark = if c.reused_from_store {
                " (khai thác từ kho dữ liệu)"
            } else if c.digitized {
                " (đã số hóa)"
            } else {
                ""
            };
            let files = match c.files.is_empty() {
                true => String::new(),
                false => format!(" — Tệp: {}", c.files.join("; ")),
            };
            vec![(i + 1).to_string(), format!("{}{mark}{files}", c.name)]
        })
        .collect();
    let mut parts =
        vec![sheet::para(format!("Bộ phận tiếp nhận và trả kết quả {} tiếp nhận hồ sơ của:", r.agency_name))];
    parts.extend(paper.applicant_lines("Ông/Bà"));
    parts.extend([
        sheet::para("1. Thành phần hồ sơ nộp gồm:"),
        Part::Table(Table { head: vec!["STT".into(), "Tên giấy tờ".into()], rows }),
        sheet::para("2. Số lượng hồ sơ: 01 (bộ)"),
        sheet::para(format!("3. Thời gian nhận hồ sơ: {}", instant(r.accepted_at))),
        sheet::labelled("4. Thời gian trả kết quả giải quyết hồ sơ", instant(r.appointment_at)),
        sheet::para(format!("5. Phí, lệ phí: {} đồng", thousands(r.fee))),
        sheet::para("6. Đăng ký nhận kết quả tại: ……………………………………"),
        sheet::para("Vào Sổ theo dõi hồ sơ, Quyển số: …… Số thứ tự: ……"),
    ]);
    let mut qr = None;
    if let Some(path) = &r.lookup_path {
        parts.push(Part::Hint(format!(
            "Tra cứu tình trạng hồ sơ: {path} với mã kiểm tra là 4 chữ số cuối của số điện thoại hoặc số \
             giấy tờ tùy thân của người nộp (?check=…)"
        )));
        // The code carries the check, so only for readers who may see the contacts it comes from.
        if let Some(check) = check_of(&paper.row).filter(|_| paper.personal) {
            qr = Some(Qr::new(&format!("{}{path}?check={check}", paper.origin))?);
        }
    }
    let mut sheet = paper.sheet("Mẫu số 01", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả", parts);
    sheet.signatures = vec![
        Signature::new("NGƯỜI NỘP HỒ SƠ", Some(r.applicant_name.clone())),
        Signature::new("NGƯỜI TIẾP NHẬN HỒ SƠ", r.received_by.clone()),
    ];
    sheet.qr = qr;
    Ok(sheet)
}
