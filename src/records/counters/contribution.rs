//! Each dossier's and survey's contribution to the counters: every event counted on its
//! Vietnam-time day, who answers for a missing digitization, and the dossier's place in the
//! backlog as changes on the days it moves.
//!
//! The backlog columns (`backlog`, `backlog_overdue`, `backlog_apologized`) are not events but
//! changes: their sum over every day before `D` is the dossier's state judged at midnight starting
//! `D` (in progress; past its due instant and not waiting for the citizen; and that with an apology
//! issued), as `figures::judge` says. The state moves only at midnights after an event of the
//! dossier (accepted, resolved, withdrawn, supplement requested, apology) or its due instant, so
//! the change is counted on that event's day. Everything is a pure function of the dossier's
//! facts *now* (the due instant on record, waiting for a supplement now), like the plain
//! definition, so a write that moves the due instant or ends a wait moves the changes with it
//! (`super::record_dossier` writes `after − before`).

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::facts::{DossierFacts, ResponsibleKey, local_day, reception_responsible, result_responsible};
use crate::enums::{Channel, Level};

/// Event counts of one (agency, procedure, bucket[, responsible]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub new_online: i64,
    pub new_direct: i64,
    pub new_postal: i64,
    pub reception_digitized: i64,
    pub payable: i64,
    pub paid_online: i64,
    pub resolved: i64,
    pub early: i64,
    pub on_time: i64,
    /// Resolved late with an apology and new appointment issued before.
    pub late_apologized: i64,
    pub result_digitized: i64,
    /// Withdrawn after acceptance.
    pub withdrawn: i64,
    pub online_submitted: i64,
    pub answered_in_time: i64,
    pub very_satisfied: i64,
    pub satisfied: i64,
    pub unsatisfied: i64,
    pub reception_missing: i64,
    pub result_missing: i64,
    /// Change in the dossiers in progress at the day's end.
    pub backlog: i64,
    /// Change in those of them past their due instant (not waiting for a supplement).
    pub backlog_overdue: i64,
    /// Change in those past their due instant with an apology issued.
    pub backlog_apologized: i64,
    /// Submitted (any channel, whatever became of it), on the submission day.
    pub submitted: i64,
    /// Of those, the ones whose current version the national portal holds now.
    pub portal_synced: i64,
}

impl Counts {
    pub fn as_array(&self) -> [i64; 24] {
        [
            self.new_online,
            self.new_direct,
            self.new_postal,
            self.reception_digitized,
            self.payable,
            self.paid_online,
            self.resolved,
            self.early,
            self.on_time,
            self.late_apologized,
            self.result_digitized,
            self.withdrawn,
            self.online_submitted,
            self.answered_in_time,
            self.very_satisfied,
            self.satisfied,
            self.unsatisfied,
            self.reception_missing,
            self.result_missing,
            self.backlog,
            self.backlog_overdue,
            self.backlog_apologized,
            self.submitted,
            self.portal_synced,
        ]
    }

    pub fn from_array(a: [i64; 24]) -> Counts {
        Counts {
            new_online: a[0],
            new_direct: a[1],
            new_postal: a[2],
            reception_digitized: a[3],
            payable: a[4],
            paid_online: a[5],
            resolved: a[6],
            early: a[7],
            on_time: a[8],
            late_apologized: a[9],
            result_digitized: a[10],
            withdrawn: a[11],
            online_submitted: a[12],
            answered_in_time: a[13],
            very_satisfied: a[14],
            satisfied: a[15],
            unsatisfied: a[16],
            reception_missing: a[17],
            result_missing: a[18],
            backlog: a[19],
            backlog_overdue: a[20],
            backlog_apologized: a[21],
            submitted: a[22],
            portal_synced: a[23],
        }
    }

    fn zip(&self, other: &Counts, f: impl Fn(i64, i64) -> i64) -> Counts {
        let (a, b) = (self.as_array(), other.as_array());
        Counts::from_array(std::array::from_fn(|i| f(a[i], b[i])))
    }

    pub fn is_zero(&self) -> bool {
        self.as_array().iter().all(|v| *v == 0)
    }
}

impl std::ops::AddAssign for Counts {
    fn add_assign(&mut self, o: Counts) {
        *self = self.zip(&o, |a, b| a + b);
    }
}

impl std::ops::SubAssign for Counts {
    fn sub_assign(&mut self, o: Counts) {
        *self = self.zip(&o, |a, b| a - b);
    }
}

/// Where a count goes: the day, and who answers for it (`None` for the dossier counts).
pub type Key = (NaiveDate, Option<ResponsibleKey>);

/// A dossier's events as counts on their days, whatever any period: what the counters hold for it.
pub fn contribution(d: &DossierFacts) -> BTreeMap<Key, Counts> {
    let mut out: BTreeMap<Key, Counts> = BTreeMap::new();
    let mut at = |day: NaiveDate, who: Option<ResponsibleKey>, f: &dyn Fn(&mut Counts)| {
        f(out.entry((day, who)).or_default());
    };
    if let Some(accepted) = d.accepted_at {
        let day = local_day(accepted);
        at(day, None, &|c| {
            match d.channel {
                Channel::Online => c.new_online += 1,
                Channel::Direct => c.new_direct += 1,
                Channel::Postal => c.new_postal += 1,
            }
            c.reception_digitized += i64::from(d.reception_digitized);
            if d.fee > 0 {
                c.payable += 1;
                c.paid_online += i64::from(d.paid_online);
            }
        });
        if !d.reception_digitized {
            at(day, Some(reception_responsible(d)), &|c| c.reception_missing += 1);
        }
        if let Some(resolved) = d.resolved_at {
            let day = local_day(resolved);
            let on_time = d.due_at.is_none_or(|due| resolved <= due);
            at(day, None, &|c| {
                c.resolved += 1;
                c.on_time += i64::from(on_time);
                c.early += i64::from(d.due_at.is_some_and(|due| local_day(resolved) < local_day(due)));
                c.late_apologized += i64::from(!on_time && d.apologized_at.is_some());
                c.result_digitized += i64::from(d.result_digitized);
            });
            if !d.result_digitized {
                at(day, Some(result_responsible(d)), &|c| c.result_missing += 1);
            }
        }
        if let Some(withdrawn) = d.withdrawn_at {
            at(local_day(withdrawn), None, &|c| c.withdrawn += 1);
        }
    }
    for (day, [open, overdue, apologized]) in backlog_changes(d) {
        at(day, None, &|c| {
            c.backlog += open;
            c.backlog_overdue += overdue;
            c.backlog_apologized += apologized;
        });
    }
    at(local_day(d.submitted_at), None, &|c| {
        c.submitted += 1;
        c.portal_synced += i64::from(d.portal_synced);
    });
    if d.channel == Channel::Online {
        // An unanswered submission is open, so judged one by one: only answers are counted.
        let answered = [d.first_response_at, d.withdrawn_at].into_iter().flatten().min();
        at(local_day(d.submitted_at), None, &|c| {
            c.online_submitted += 1;
            if let Some(answered) = answered {
                c.answered_in_time += i64::from(d.answer_due_at.is_none_or(|due| answered <= due));
            }
        });
    }
    out
}

/// What a dossier puts on the officers' lines (`OfficerCounts`), by day and person: received
/// (the `new_*` columns) and its reception left undigitized, on the acceptance day for who
/// received it; resolved, on time, late with an apology and its result left undigitized, on the
/// resolution day for who resolved it (not for a result another agency produced); and, for its
/// assignee now, the backlog changes past the deadline (with and without an apology), whose sum
/// before a midnight gives "assigned, overdue, no apology" at it.
pub fn officer_contribution(d: &DossierFacts) -> BTreeMap<(NaiveDate, String), Counts> {
    let mut out: BTreeMap<(NaiveDate, String), Counts> = BTreeMap::new();
    let Some(accepted) = d.accepted_at else { return out };
    if let Some(person) = &d.received_by {
        let c = out.entry((local_day(accepted), person.clone())).or_default();
        match d.channel {
            Channel::Online => c.new_online += 1,
            Channel::Direct => c.new_direct += 1,
            Channel::Postal => c.new_postal += 1,
        }
        c.reception_missing += i64::from(!d.reception_digitized);
    }
    if let (Some(resolved), Some(person), None) = (d.resolved_at, &d.resolved_by, &d.resolved_by_agency_id) {
        let on_time = d.due_at.is_none_or(|due| resolved <= due);
        let c = out.entry((local_day(resolved), person.clone())).or_default();
        c.resolved += 1;
        c.on_time += i64::from(on_time);
        c.late_apologized += i64::from(!on_time && d.apologized_at.is_some());
        c.result_missing += i64::from(!d.result_digitized);
    }
    if let Some(person) = &d.assignee_id {
        for (day, [_, overdue, apologized]) in backlog_changes(d) {
            let c = out.entry((day, person.clone())).or_default();
            c.backlog_overdue += overdue;
            c.backlog_apologized += apologized;
        }
    }
    out.retain(|_, c| !c.is_zero());
    out
}

/// An online submission's answer clock seen from the counters: when it was not answered (nor
/// withdrawn) by its due instant, one count for each midnight it was still running at (after the
/// submission's day, up to the due instant's day), keyed by (that midnight's day, the submission's
/// day). A period that has ended judges such a submission "answered in time" when its clock still
/// ran at the period's end (the clock runs); the counters' `answered_in_time` cannot know that, so
/// the report adds the clocks running at its end midnight for the submissions of its days.
pub fn answer_clocks(d: &DossierFacts) -> Vec<(NaiveDate, NaiveDate)> {
    let Some(due) = d.answer_due_at else { return Vec::new() };
    let answered_in_time = [d.first_response_at, d.withdrawn_at].into_iter().flatten().any(|at| at <= due);
    if d.channel != Channel::Online || answered_in_time {
        return Vec::new();
    }
    let submitted = local_day(d.submitted_at);
    submitted
        .iter_days()
        .skip(1)
        .take_while(|day| *day <= local_day(due))
        .map(|day| (day, submitted))
        .collect()
}

/// The dossier judged at the midnight starting `judged_on`: (in progress, past its due instant,
/// that with an apology), each 0 or 1. The plain definition's `judge` with `as_of` that midnight:
/// an instant is before it when its day is before `judged_on`.
pub fn backlog_state(d: &DossierFacts, judged_on: NaiveDate) -> [i64; 3] {
    let before = |at: Option<chrono::DateTime<chrono::Utc>>| at.is_some_and(|t| local_day(t) < judged_on);
    if !before(d.accepted_at) || before(d.resolved_at) || before(d.withdrawn_at) {
        return [0, 0, 0];
    }
    let awaiting = d.awaiting_supplement && before(d.supplement_requested_at);
    let overdue = !awaiting && before(d.due_at);
    [1, i64::from(overdue), i64::from(overdue && before(d.apologized_at))]
}

/// [`backlog_state`] as changes: on the day of each instant it depends on, how the state after
/// that day differs from the state before it. Their sum over the days before `D` is the state
/// judged at `D`.
fn backlog_changes(d: &DossierFacts) -> Vec<(NaiveDate, [i64; 3])> {
    if d.accepted_at.is_none() {
        return Vec::new();
    }
    let mut days: Vec<NaiveDate> =
        [d.accepted_at, d.resolved_at, d.withdrawn_at, d.supplement_requested_at, d.due_at, d.apologized_at]
            .into_iter()
            .flatten()
            .map(local_day)
            .collect();
    days.sort_unstable();
    days.dedup();
    let mut state = [0; 3];
    let mut out = Vec::new();
    for day in days {
        let Some(next) = day.succ_opt() else { continue };
        let after = backlog_state(d, next);
        if after != state {
            out.push((day, std::array::from_fn(|i| after[i] - state[i])));
            state = after;
        }
    }
    out
}

/// A survey's contribution.
pub fn survey_contribution(level: Level) -> Counts {
    let mut c = Counts::default();
    match level {
        Level::VerySatisfied => c.very_satisfied = 1,
        Level::Satisfied => c.satisfied = 1,
        Level::Unsatisfied => c.unsatisfied = 1,
    }
    c
}
