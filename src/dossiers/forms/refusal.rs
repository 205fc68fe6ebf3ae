//! Form 03: the refusal at reception (phiếu từ chối tiếp nhận giải quyết hồ sơ), with the reasons
//! recorded when the dossier was refused.

use super::Paper;
use super::supplement::numbered;
use crate::dossiers::lifecycle::Action;
use crate::forms::sheet::{self, Signature};
use crate::forms::{Sheet, instant};

pub fn sheet(paper: &Paper) -> Sheet {
    let mut parts = vec![sheet::para(format!(
        "Bộ phận tiếp nhận và trả kết quả {} tiếp nhận hồ sơ của:",
        paper.names.agency
    ))];
    parts.extend(paper.applicant_lines("Ông/Bà"));
    if let Some(at) = paper.row.rejected_at {
        parts.push(sheet::para(format!("Ngày từ chối: {}", instant(at.and_utc()))));
    }
    parts.push(sheet::para(
        "Qua nghiên cứu, đối chiếu với các quy định hiện hành, Bộ phận tiếp nhận và trả kết quả từ chối tiếp nhận, \
         giải quyết hồ sơ này với lý do cụ thể như sau:",
    ));
    parts.extend(numbered(paper.reason_of(Action::Reject)));
    parts.push(sheet::para("Xin thông báo cho Ông/Bà được biết và thực hiện./."));
    let mut sheet = paper.sheet("Mẫu số 03", "Phiếu từ chối tiếp nhận giải quyết hồ sơ", parts);
    sheet.signatures = vec![Signature::new("NGƯỜI TIẾP NHẬN HỒ SƠ", paper.names.received_by.clone())];
    sheet
}
