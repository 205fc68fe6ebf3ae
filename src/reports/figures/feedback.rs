//! Feedback (phản ánh, kiến nghị) received in the period: by channel, and how it was handled by
//! `as_of`.
//!
//! [`judge`] is the definition, one item at a time; the service sums the same tallies in SQL, one
//! row per agency and channel (`reports::store::feedback_tallies`), so that the summary does not
//! read feedback one by one. Tests hold the two to each other (`Method::Plain` against
//! `Method::Counters`).

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

/// How many items of one agency and channel were received in the period, and of those how many
/// were answered (in time), refused without an answer, and published by `as_of`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedbackTally {
    pub agency_id: String,
    pub channel: FeedbackChannel,
    pub received: i64,
    pub resolved: i64,
    pub resolved_on_time: i64,
    pub rejected: i64,
    pub published: i64,
}

/// One item against the period: `None` when it was not received in it.
pub fn judge(f: &FeedbackFacts, p: &Period) -> Option<FeedbackTally> {
    if !p.contains(Some(f.received_at)) {
        return None;
    }
    let answered = p.seen(f.responded_at);
    Some(FeedbackTally {
        agency_id: f.agency_id.clone(),
        channel: f.channel,
        received: 1,
        resolved: i64::from(answered.is_some()),
        resolved_on_time: i64::from(answered.is_some_and(|at| at <= f.due_at)),
        // An answer outranks a refusal recorded beside it.
        rejected: i64::from(answered.is_none() && p.seen(f.rejected_at).is_some()),
        published: i64::from(p.seen(f.published_at).is_some()),
    })
}

pub fn feedback(tallies: &[FeedbackTally]) -> FeedbackFigures {
    let mut out = FeedbackFigures::default();
    for t in tallies {
        out.received += t.received;
        let channel = &mut out.by_channel;
        *match t.channel {
            FeedbackChannel::NationalPortal => &mut channel.national_portal,
            FeedbackChannel::ProvincialPortal => &mut channel.provincial_portal,
            FeedbackChannel::Direct => &mut channel.direct,
            FeedbackChannel::Hotline => &mut channel.hotline,
            FeedbackChannel::Email => &mut channel.email,
            FeedbackChannel::Other => &mut channel.other,
        } += t.received;
        out.resolved += t.resolved;
        out.resolved_on_time += t.resolved_on_time;
        out.rejected += t.rejected;
        out.published += t.published;
    }
    out.in_progress = out.received - out.resolved - out.rejected;
    out
}
