//! Form 02: the request to supplement (phiếu yêu cầu bổ sung, hoàn thiện hồ sơ): what is missing,
//! as the officer wrote it when requesting the supplement, one line per line written.

use super::Paper;
use crate::dossiers::lifecycle::Action;
use crate::forms::sheet::{self, Part, Signature};
use crate::forms::{Sheet, instant};

pub fn sheet(paper: &Paper) -> Sheet {
    let mut parts = paper.applicant_lines("Hồ sơ của");
    if let Some(at) = paper.row.supplement_requested_at {
        parts.push(sheet::para(format!("Ngày yêu cầu bổ sung: {}", instant(at.and_utc()))));
    }
    parts.push(sheet::para("Yêu cầu hoàn thiện hồ sơ gồm những nội dung sau:"));
    parts.extend(numbered(paper.reason_of(Action::RequestSupplement)));
    parts.push(sheet::para(
        "Trong quá trình hoàn thiện hồ sơ nếu có vướng mắc, ông/bà liên hệ với Bộ phận tiếp nhận và trả kết quả \
         để được hướng dẫn./.",
    ));
    let mut sheet = paper.sheet("Mẫu số 02", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", parts);
    sheet.signatures = vec![Signature::new("NGƯỜI HƯỚNG DẪN", None)];
    sheet
}

/// The reason's lines numbered 1., 2., …; a blank line for the desk when none was recorded.
pub(super) fn numbered(reason: Option<&str>) -> Vec<Part> {
    let lines: Vec<&str> =
        reason.map(|r| r.lines().map(str::trim).filter(|l| !l.is_empty()).collect()).unwrap_or_default();
    if lines.is_empty() {
        return vec![sheet::para("1. ……………………………………")];
    }
    lines.iter().enumerate().map(|(i, l)| sheet::para(format!("{}. {l}", i + 1))).collect()
}
