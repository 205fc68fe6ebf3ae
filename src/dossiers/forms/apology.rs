//! Form 04: the apology with the new appointment (phiếu xin lỗi và hẹn lại ngày trả kết quả),
//! signed by the head of the agency.

use super::Paper;
use super::supplement::numbered;
use crate::dossiers::lifecycle::Action;
use crate::forms::sheet::{self, Signature};
use crate::forms::{Sheet, date, instant};

pub fn sheet(paper: &Paper) -> Sheet {
    let row = &paper.row;
    let agency = &paper.names.agency;
    let received = row.accepted_at.unwrap_or(row.submitted_at).and_utc();
    let mut parts =
        vec![sheet::para(format!("Ngày {}, {agency} tiếp nhận giải quyết hồ sơ của:", date(received)))];
    parts.extend(paper.applicant_lines("Ông/Bà"));
    if let Some(due) = row.due_at {
        parts.push(sheet::para(format!("Thời gian hẹn trả kết quả: {}", instant(due.and_utc()))));
    }
    parts.push(sheet::para(format!(
        "Tuy nhiên đến nay, {agency} chưa trả kết quả giải quyết hồ sơ của Ông/Bà. Lý do:"
    )));
    parts.extend(numbered(paper.reason_of(Action::Apologize)));
    parts.push(sheet::para(format!(
        "Sự chậm trễ này đã gây phiền hà cho Ông/Bà. {agency} xin lỗi Ông/Bà và sự bất tiện này."
    )));
    match row.appointment_at {
        Some(at) => parts
            .push(sheet::labelled("Thời gian trả kết quả giải quyết hồ sơ lần sau", instant(at.and_utc()))),
        None => parts.push(sheet::para("Thời gian trả kết quả giải quyết hồ sơ lần sau: ……………………")),
    }
    parts.push(sheet::para(
        "Ông/Bà vui lòng đến Bộ phận tiếp nhận và trả kết quả để nhận kết quả. Xin trân trọng cảm ơn./.",
    ));
    let mut sheet = paper.sheet("Mẫu số 04", "Phiếu xin lỗi và hẹn lại ngày trả kết quả", parts);
    sheet.signatures = vec![Signature::head_of_agency()];
    sheet
}
