//! Feedback's life as a pure state machine: received → processing → resolved (answered), or
//! rejected; forwarded feedback starts again as received at the other agency; a result is
//! published only after an answer, once.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::dossiers::lifecycle::{Refusal, refuse};
use crate::enums::text_enum;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FeedbackStatus {
    Received,
    Processing,
    /// Answered.
    Resolved,
    /// Refused (outside the rules for handling, e.g. anonymous or repeated).
    Rejected,
}

text_enum!(FeedbackStatus { Received => "received", Processing => "processing", Resolved => "resolved", Rejected => "rejected" });

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedbackAction {
    Process,
    Respond,
    Reject,
    Forward,
    Publish,
}

impl FeedbackAction {
    pub const ALL: [FeedbackAction; 5] = [
        FeedbackAction::Process,
        FeedbackAction::Respond,
        FeedbackAction::Reject,
        FeedbackAction::Forward,
        FeedbackAction::Publish,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Process => "process",
            Self::Respond => "respond",
            Self::Reject => "reject",
            Self::Forward => "forward",
            Self::Publish => "publish",
        }
    }

    pub fn event_type(self) -> &'static str {
        match self {
            Self::Process => "feedback.processing",
            Self::Respond => "feedback.resolved",
            Self::Reject => "feedback.rejected",
            Self::Forward => "feedback.forwarded",
            Self::Publish => "feedback.published",
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Facts {
    pub responded: bool,
    pub published: bool,
}

pub fn next(status: FeedbackStatus, facts: Facts, action: FeedbackAction) -> Result<FeedbackStatus, Refusal> {
    use FeedbackAction as A;
    use FeedbackStatus as S;
    let open = matches!(status, S::Received | S::Processing);
    match action {
        A::Process if status == S::Received => Ok(S::Processing),
        A::Process => Err(refuse(
            "process_received_only",
            "Chỉ đưa vào xử lý được phản ánh, kiến nghị mới tiếp nhận",
            "only newly received feedback can be taken into processing",
        )),
        A::Respond if open => Ok(S::Resolved),
        A::Respond => Err(refuse(
            "respond_open_only",
            "Phản ánh, kiến nghị đã kết thúc nên không thể trả lời lại",
            "closed feedback cannot be answered again",
        )),
        A::Reject if open => Ok(S::Rejected),
        A::Reject => Err(refuse(
            "reject_open_only",
            "Không thể từ chối phản ánh, kiến nghị đã kết thúc",
            "closed feedback cannot be rejected",
        )),
        A::Forward if open => Ok(S::Received),
        A::Forward => Err(refuse(
            "forward_open_only",
            "Không thể chuyển phản ánh, kiến nghị đã kết thúc",
            "closed feedback cannot be forwarded",
        )),
        A::Publish if status == S::Resolved && facts.responded && facts.published => {
            Err(refuse("publish_once", "Kết quả đã được công khai", "the result is already published"))
        }
        A::Publish if status == S::Resolved && facts.responded => Ok(S::Resolved),
        A::Publish => Err(refuse(
            "publish_after_response",
            "Chỉ công khai kết quả sau khi đã trả lời phản ánh, kiến nghị",
            "a result is published only after the feedback is answered",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use FeedbackStatus as S;

    #[test]
    fn every_state_and_action() {
        let none = Facts::default();
        let answered = Facts { responded: true, published: false };
        let published = Facts { responded: true, published: true };
        #[rustfmt::skip]
        let table: &[(S, Facts, [Option<S>; 5])] = &[
            //                       process             respond             reject              forward             publish
            (S::Received, none,       [Some(S::Processing), Some(S::Resolved), Some(S::Rejected), Some(S::Received), None]),
            (S::Processing, none,     [None,                Some(S::Resolved), Some(S::Rejected), Some(S::Received), None]),
            (S::Resolved, answered,   [None,                None,              None,              None,              Some(S::Resolved)]),
            (S::Resolved, published,  [None,                None,              None,              None,              None]),
            (S::Rejected, none,       [None,                None,              None,              None,              None]),
        ];
        for (status, facts, expected) in table {
            for (action, want) in FeedbackAction::ALL.into_iter().zip(expected) {
                assert_eq!(next(*status, *facts, action).ok(), *want, "{status:?} {facts:?} --{action:?}-->");
            }
        }
    }

    #[test]
    fn publishing_needs_an_answer_first() {
        assert_eq!(
            next(S::Processing, Facts::default(), FeedbackAction::Publish).unwrap_err().rule,
            "publish_after_response"
        );
        let published = Facts { responded: true, published: true };
        assert_eq!(next(S::Resolved, published, FeedbackAction::Publish).unwrap_err().rule, "publish_once");
    }
}
