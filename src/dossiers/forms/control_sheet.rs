//! Form 05: the control sheet of the dossier's handling (phiếu kiểm soát quá trình giải quyết hồ
//! sơ): one line per step of its history with when and who, and a blank for the signature of
//! whoever handed it on and took it over.

use super::{Paper, StepLine};
use crate::dossiers::lifecycle::{Action, Status};
use crate::forms::sheet::{self, Part, Table};
use crate::forms::{Sheet, instant};
use crate::labels::Labelled;

/// What a history line did, in words.
fn step_name(action: &str, to_status: &str) -> String {
    match action {
        "intake" => "Nộp hồ sơ".to_owned(),
        "update" => "Cập nhật hồ sơ".to_owned(),
        "resolve" if to_status == Status::AwaitingApproval.as_str() => {
            "Đề xuất kết quả, trình lãnh đạo phê duyệt".to_owned()
        }
        other => Action::ALL
            .iter()
            .find(|a| a.as_str() == other)
            .map_or_else(|| other.to_owned(), |a| a.label().vi.into_owned()),
    }
}

fn line(i: usize, step: &StepLine) -> Vec<String> {
    vec![
        (i + 1).to_string(),
        step_name(&step.action, &step.to_status),
        instant(step.at),
        step.actor.clone().unwrap_or_default(),
        step.note.clone().unwrap_or_default(),
        String::new(),
    ]
}

pub fn sheet(paper: &Paper) -> Sheet {
    let mut parts = vec![
        sheet::labelled("Kèm theo hồ sơ của", paper.row.applicant_name.clone()),
        sheet::para(format!(
            "Thủ tục: {} (mã thủ tục {})",
            paper.names.procedure, paper.names.procedure_code
        )),
        sheet::para(format!("Cơ quan (bộ phận) giải quyết hồ sơ: {}", paper.names.agency)),
        sheet::para(match paper.partners.is_empty() {
            true => "Cơ quan phối hợp giải quyết hồ sơ: ……………………………………".to_owned(),
            false => format!("Cơ quan phối hợp giải quyết hồ sơ: {}", paper.partners.join("; ")),
        }),
    ];
    if let Some(due) = paper.row.due_at {
        parts.push(sheet::labelled("Hạn giải quyết", instant(due.and_utc())));
    }
    let head = ["STT", "Bước xử lý", "Thời gian giao, nhận hồ sơ", "Người thực hiện", "Ghi chú", "Ký nhận"];
    parts.push(Part::Table(Table {
        head: head.iter().map(|h| (*h).to_owned()).collect(),
        rows: paper.steps.iter().enumerate().map(|(i, s)| line(i, s)).collect(),
    }));
    paper.sheet("Mẫu số 05", "Phiếu kiểm soát quá trình giải quyết hồ sơ", parts)
}
