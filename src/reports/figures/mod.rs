//! The report's arithmetic, pure: from the facts of dossiers, surveys, feedback and publications
//! to the figures of docs/report.md. Nothing here reads a database or a clock, so the rules can be
//! tested on their own and every faster way of computing a figure can be checked against them.
//!
//! Decisions where the spec is silent (docs/report.md gives them with each figure):
//! - "Judged at `as_of`": a timestamp at or after `as_of` is treated as not having happened. The
//!   due instant is the one on record (a clock restart after `as_of` is not undone).
//! - A dossier waiting for the citizen's supplement at `as_of` is within its deadline whatever its
//!   old due instant: the time a citizen takes to supplement does not count against the office
//!   (Decree 61/2018/NĐ-CP, art. 15–16, as amended by Decree 107/2021/NĐ-CP). The spec splits
//!   by `due_at` alone; the law decides.
//! - A withdrawal before the first answer ends the 8-hour acceptance clock like an answer.
//! - Payment has no timestamp of its own: "paid online in the period" means a dossier of the
//!   period paid online.
//! - A publication still inside its 5 working days and not yet posted is counted as
//!   `awaiting_posting` (and is not yet posted in time).

//!
//! One file per family of figures (reception, resolution, online service and payment,
//! digitization, satisfaction, feedback, catalogue, and the series by bucket and by officer); this
//! one holds what they share: the period, the judgement of one dossier against it and the additive
//! [`Tally`]. `summary` puts the dossier families together for the summary, `by_agency` splits
//! them into the league table of the agencies below, and `membership` says
//! which of its counts one dossier is in (the dossiers behind a figure), `necessary` what every
//! dossier of a figure has on its row (for the database to narrow the candidates). A new kind of figure is a
//! new file beside them.

pub mod by_agency;
pub mod catalogue;
pub mod digitization;
pub mod feedback;
pub mod membership;
pub mod necessary;
pub mod online;
pub mod reception;
pub mod resolution;
pub mod satisfaction;
pub mod series;
pub mod summary;

use std::collections::BTreeMap;

use chrono::{DateTime, Days, NaiveDate, Utc};

use crate::enums::{Channel, OnlineService as Offer};
use crate::records::counters::facts::{
    DossierFacts, ResponsibleKey, local_day, local_midnight, reception_responsible, result_responsible,
};

/// The period `[from 00:00, to+1 00:00)` in Vietnam time, and the instant it is judged at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub as_of: DateTime<Utc>,
}

impl Period {
    /// `None` when `from` is after `to` (or the dates are at the calendar's edge).
    pub fn new(from: NaiveDate, to: NaiveDate, now: DateTime<Utc>) -> Option<Period> {
        if from > to {
            return None;
        }
        let start = local_midnight(from)?;
        let end = local_midnight(to.checked_add_days(Days::new(1))?)?;
        Some(Period { from, to, start, end, as_of: end.min(now) })
    }

    /// Happened before `as_of`: what the report may see.
    fn seen(&self, at: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
        at.filter(|t| *t < self.as_of)
    }

    fn contains(&self, at: Option<DateTime<Utc>>) -> bool {
        self.seen(at).is_some_and(|t| t >= self.start && t < self.end)
    }
}

/// One dossier judged against a period.
#[derive(Debug, Clone, Copy, Default)]
struct Judged {
    new: bool,
    carried_over: bool,
    resolved: bool,
    early: bool,
    on_time: bool,
    withdrawn: bool,
    overdue: bool,
    apologized: bool,
}

impl Judged {
    fn in_total(self) -> bool {
        self.new || self.carried_over
    }
    fn in_progress(self) -> bool {
        self.in_total() && !self.resolved && !self.withdrawn
    }
    fn late(self) -> bool {
        (self.resolved && !self.on_time) || (self.in_progress() && self.overdue)
    }
}

fn judge(d: &DossierFacts, p: &Period) -> Judged {
    let Some(accepted) = p.seen(d.accepted_at) else { return Judged::default() };
    let resolved = p.seen(d.resolved_at);
    let withdrawn = p.seen(d.withdrawn_at);
    let closed_before_start = [resolved, withdrawn].into_iter().flatten().any(|t| t < p.start);
    let new = accepted >= p.start && accepted < p.end;
    let carried_over = accepted < p.start && !closed_before_start;
    let in_total = new || carried_over;
    let resolved_in = in_total && p.contains(resolved);
    let (on_time, early) = match (resolved, d.due_at) {
        (Some(r), Some(due)) if resolved_in => (r <= due, local_day(r) < local_day(due)),
        (_, None) if resolved_in => (true, false),
        _ => (false, false),
    };
    let awaiting = d.awaiting_supplement && p.seen(d.supplement_requested_at).is_some();
    Judged {
        new,
        carried_over,
        resolved: resolved_in,
        early,
        on_time,
        withdrawn: in_total && p.contains(withdrawn),
        overdue: !awaiting && d.due_at.is_some_and(|due| due < p.as_of),
        apologized: p.seen(d.apologized_at).is_some(),
    }
}

/// Additive counts of dossiers (of one procedure, usually) from which reception, resolution,
/// online service, payment and digitization follow. Both ways of computing the report end here:
/// the plain definition dossier by dossier ([`tally`]), and the counters (the `rollup` module).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub new_online: i64,
    pub new_direct: i64,
    pub new_postal: i64,
    pub carried_over: i64,
    pub resolved: i64,
    pub early: i64,
    pub on_time: i64,
    pub withdrawn: i64,
    pub within_deadline: i64,
    pub overdue: i64,
    pub late_with_apology: i64,
    pub late_without_apology: i64,
    pub reception_digitized: i64,
    pub result_digitized: i64,
    pub payable: i64,
    pub paid_online: i64,
    pub online_submitted: i64,
    pub answered_in_time: i64,
}

impl Tally {
    pub fn new_total(&self) -> i64 {
        self.new_online + self.new_direct + self.new_postal
    }

    /// The dossiers the period had to handle: new, or carried over from before it.
    pub fn total(&self) -> i64 {
        self.new_total() + self.carried_over
    }
}

impl std::ops::AddAssign for Tally {
    fn add_assign(&mut self, o: Tally) {
        self.new_online += o.new_online;
        self.new_direct += o.new_direct;
        self.new_postal += o.new_postal;
        self.carried_over += o.carried_over;
        self.resolved += o.resolved;
        self.early += o.early;
        self.on_time += o.on_time;
        self.withdrawn += o.withdrawn;
        self.within_deadline += o.within_deadline;
        self.overdue += o.overdue;
        self.late_with_apology += o.late_with_apology;
        self.late_without_apology += o.late_without_apology;
        self.reception_digitized += o.reception_digitized;
        self.result_digitized += o.result_digitized;
        self.payable += o.payable;
        self.paid_online += o.paid_online;
        self.online_submitted += o.online_submitted;
        self.answered_in_time += o.answered_in_time;
    }
}

/// Missing digitization by who answers for it: (at reception, of results).
pub type Missing = BTreeMap<ResponsibleKey, (i64, i64)>;

/// An online submission answered (or withdrawn) in time, judged at `as_of`: `None` when it was not
/// submitted in the period.
fn answered_in_time(d: &DossierFacts, p: &Period) -> Option<bool> {
    if d.channel != Channel::Online || !p.contains(Some(d.submitted_at)) {
        return None;
    }
    let answered = [p.seen(d.first_response_at), p.seen(d.withdrawn_at)].into_iter().flatten().min();
    Some(match (answered, d.answer_due_at) {
        (_, None) => true,
        (Some(at), Some(due)) => at <= due,
        (None, Some(due)) => due >= p.as_of,
    })
}

/// One dossier by the plain definition of docs/report.md: its tally, and what it adds to the missing
/// digitization of those responsible.
pub fn tally(d: &DossierFacts, p: &Period, missing: &mut Missing) -> Tally {
    let j = judge(d, p);
    let mut t = Tally::default();
    if j.new {
        match d.channel {
            Channel::Online => t.new_online = 1,
            Channel::Direct => t.new_direct = 1,
            Channel::Postal => t.new_postal = 1,
        }
        if d.reception_digitized {
            t.reception_digitized = 1;
        } else {
            missing.entry(reception_responsible(d)).or_default().0 += 1;
        }
        if d.fee > 0 {
            t.payable = 1;
            t.paid_online = i64::from(d.paid_online);
        }
    }
    t.carried_over = i64::from(j.carried_over);
    t.resolved = i64::from(j.resolved);
    t.early = i64::from(j.early);
    t.on_time = i64::from(j.on_time);
    t.withdrawn = i64::from(j.withdrawn);
    if j.resolved {
        if d.result_digitized {
            t.result_digitized = 1;
        } else {
            missing.entry(result_responsible(d)).or_default().1 += 1;
        }
    }
    if j.in_progress() {
        if j.overdue {
            t.overdue = 1;
        } else {
            t.within_deadline = 1;
        }
    }
    if j.late() {
        if j.apologized {
            t.late_with_apology = 1;
        } else {
            t.late_without_apology = 1;
        }
    }
    if let Some(in_time) = answered_in_time(d, p) {
        t.online_submitted = 1;
        t.answered_in_time = i64::from(in_time);
    }
    t
}

/// What the report needs of a procedure.
#[derive(Debug, Clone)]
pub struct ProcedureInfo {
    pub field: String,
    pub offer: Offer,
}

/// The plain definition over some dossiers: tallies by procedure and the missing digitization.
pub fn plain(dossiers: &[DossierFacts], p: &Period) -> (BTreeMap<String, Tally>, Missing) {
    let mut by_procedure: BTreeMap<String, Tally> = BTreeMap::new();
    let mut missing = Missing::new();
    for d in dossiers {
        let t = tally(d, p, &mut missing);
        if t != Tally::default() {
            *by_procedure.entry(d.procedure_id.clone()).or_default() += t;
        }
    }
    (by_procedure, missing)
}

#[cfg(test)]
mod tests;
