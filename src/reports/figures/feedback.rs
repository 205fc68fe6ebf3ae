//! Feedback (phản ánh, kiến nghị) received in the period: by channel, and how it was handled.

use chrono::{DateTime, Utc};

use super::Period;
use crate::feedback::model::FeedbackChannel;
use crate::reports::model::FeedbackFigures;

#[derive(Debug, Clone)]
pub struct FeedbackFacts {
    pub agency_id: String,
    pub channel: FeedbackChannel,
    pub received_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    pub responded_at: Option<DateTime<Utc>>,
    pub rejected_at: Option<DateTime<Utc>>,
    pub published_at: Option<DateTime<Utc>>,
}

pub fn feedback(items: &[FeedbackFacts], p: &Period) -> FeedbackFigures {
    let mut out = FeedbackFigures::default();
    for f in items.iter().filter(|f| p.contains(Some(f.received_at))) {
        out.received += 1;
        let channel = &mut out.by_channel;
        *match f.channel {
            FeedbackChannel::NationalPortal => &mut channel.national_portal,
            FeedbackChannel::ProvincialPortal => &mut channel.provincial_portal,
            FeedbackChannel::Direct => &mut channel.direct,
            FeedbackChannel::Hotline => &mut channel.hotline,
            FeedbackChannel::Email => &mut channel.email,
            FeedbackChannel::Other => &mut channel.other,
        } += 1;
        if let Some(at) = p.seen(f.responded_at) {
            out.resolved += 1;
            out.resolved_on_time += i64::from(at <= f.due_at);
        } else if p.seen(f.rejected_at).is_some() {
            out.rejected += 1;
        }
        out.published += i64::from(p.seen(f.published_at).is_some());
    }
    out.in_progress = out.received - out.resolved - out.rejected;
    out
}
