//! The counters' read side. Counters make a report's cost independent of the history: each
//! dossier's and survey's *contribution* (every event counted on its Vietnam-time day, and the
//! dossier's place in the backlog as changes on the days it moves) is kept per agency, procedure
//! and day, and again per month and year, in the same transaction as every write
//! (`crate::records::counters`).
//!
//! A report sums the years and months wholly inside its period and the days at its edges for the
//! events, and the backlog changes over every day before the midnight it judges at ([`judged_on`]:
//! `as_of` itself when the period has ended) for "in progress within / past the deadline". For a
//! period that has ended, the online submissions of its days whose answer clock still ran at its
//! end (not answered in time, due after it) are counted in time from the answer clocks kept per
//! midnight (`Counted::answer_running`): such a period reads no dossier at all. For the current
//! period the counters cannot judge some dossiers ([`judged_one_by_one`]): their counted
//! contribution is taken out and their judgement at `as_of` by the plain definition put in. They
//! are those with an event or a due instant between `as_of` and the next midnight, and the online
//! submissions whose answer is due at or after `as_of` and is late or missing (the 8-hour answer
//! clock judges "not yet answered" by `as_of`, which a count at midnights cannot know). The
//! property tests (`tests.rs`) check the whole combination against the plain definition; the
//! officers' lines are combined the same way in `officers`.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::figures::series::timeseries;
use super::figures::{Missing, Period, Tally, plain};
use super::model::{Bucket, Granularity};
use crate::enums::Channel;
use crate::records::counters::contribution::{Counts, contribution};
use crate::records::counters::facts::{DossierFacts, ResponsibleKey, local_day, local_midnight};
use crate::records::counters::grain::Grain;

/// How a period is read from the counters: the fewest buckets that tile it — whole years, then
/// whole months, then days — as (grain, first bucket, last bucket) ranges.
pub fn ranges(from: NaiveDate, to: NaiveDate) -> Vec<(Grain, NaiveDate, NaiveDate)> {
    let mut out = Vec::new();
    tile(from, to, Grain::Year, &mut out);
    out
}

fn tile(from: NaiveDate, to: NaiveDate, grain: Grain, out: &mut Vec<(Grain, NaiveDate, NaiveDate)>) {
    if from > to {
        return;
    }
    let finer = match grain {
        Grain::Year => Grain::Month,
        Grain::Month => Grain::Day,
        Grain::Day => {
            out.push((Grain::Day, from, to));
            return;
        }
    };
    // The first bucket starting on or after `from`, and the last one ending on or before `to`.
    let first =
        if grain.bucket(from) == from { Some(from) } else { grain.last_day(grain.bucket(from)).succ_opt() };
    let last = {
        let bucket = grain.bucket(to);
        if grain.last_day(bucket) == to { Some(bucket) } else { bucket.pred_opt().map(|d| grain.bucket(d)) }
    };
    match (first, last) {
        (Some(first), Some(last)) if first <= last => {
            if let Some(before) = first.pred_opt() {
                tile(from, before, finer, out);
            }
            out.push((grain, first, last));
            if let Some(after) = grain.last_day(last).succ_opt() {
                tile(after, to, finer, out);
            }
        }
        _ => tile(from, to, finer, out),
    }
}

/// The day at whose first instant the counters judge the backlog: the first midnight at or after
/// `as_of` (`as_of` itself for a period that has ended).
pub fn judged_on(p: &Period) -> NaiveDate {
    let day = local_day(p.as_of);
    if local_midnight(day) == Some(p.as_of) { day } else { day.succ_opt().unwrap_or(day) }
}

/// The dossiers whose judgement at `as_of` the counters may not give, to be judged one by one,
/// only for the current period (judged now, not at a midnight):
/// - an online submission of the period whose answer was due at or after `as_of` and came late or
///   not at all: the plain definition counts it in time while the clock runs, the counters only
///   once it is answered in time (a period that has ended reads the answer clocks instead);
/// - a dossier with an event at or after `as_of`, or still open with its due instant between
///   `as_of` and the next midnight (the counters judge at that midnight).
///
/// Everything else the counters give exactly: events before `as_of` on their days, and the
/// backlog at a midnight. The store loads these with three indexed queries
/// (`store::Select::AnswerPending`, `DueBeforeJudged`, `TouchedSince`).
pub fn judged_one_by_one(d: &DossierFacts, p: &Period) -> bool {
    if p.as_of == p.end {
        return false;
    }
    let answer_pending = d.channel == Channel::Online
        && d.submitted_at >= p.start
        && d.submitted_at < p.end
        && d.answer_due_at.is_some_and(|due| {
            due >= p.as_of && [d.first_response_at, d.withdrawn_at].into_iter().flatten().all(|at| at > due)
        });
    let moved_since = d.last_event_at >= p.as_of;
    let midnight = local_midnight(judged_on(p)).unwrap_or(p.as_of);
    let due_before_midnight =
        p.as_of < midnight && d.open && d.due_at.is_some_and(|due| due >= p.as_of && due < midnight);
    answer_pending || moved_since || due_before_midnight
}

/// The counters of a period, by procedure (dossier and survey counts) and by responsible (missing
/// digitization), and the backlog judged at [`judged_on`] by procedure, as read from the store.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counted {
    pub by_procedure: BTreeMap<String, Counts>,
    pub missing: BTreeMap<ResponsibleKey, Counts>,
    /// The backlog columns summed over every day before [`judged_on`].
    pub backlog: BTreeMap<String, Counts>,
    /// For a period that has ended, by procedure: its online submissions not answered in time
    /// whose answer clock still ran at its end, which the plain definition counts in time.
    pub answer_running: BTreeMap<String, i64>,
}

/// The event part of some counts as a tally: carried over by the balance rule as if none were in
/// progress at `as_of` ([`backlog_tally`] adds those).
fn closed_tally(c: &Counts) -> Tally {
    let new = c.new_online + c.new_direct + c.new_postal;
    Tally {
        new_online: c.new_online,
        new_direct: c.new_direct,
        new_postal: c.new_postal,
        carried_over: c.resolved + c.withdrawn - new,
        resolved: c.resolved,
        early: c.early,
        on_time: c.on_time,
        withdrawn: c.withdrawn,
        within_deadline: 0,
        overdue: 0,
        late_with_apology: c.late_apologized,
        late_without_apology: c.resolved - c.on_time - c.late_apologized,
        reception_digitized: c.reception_digitized,
        result_digitized: c.result_digitized,
        payable: c.payable,
        paid_online: c.paid_online,
        online_submitted: c.online_submitted,
        answered_in_time: c.answered_in_time,
    }
}

/// The dossiers in progress at the judging midnight, from the backlog counters: carried over when
/// not new (the balance rule again), within or past the deadline, late with or without an apology.
fn backlog_tally(c: &Counts) -> Tally {
    Tally {
        carried_over: c.backlog,
        within_deadline: c.backlog - c.backlog_overdue,
        overdue: c.backlog_overdue,
        late_with_apology: c.backlog_apologized,
        late_without_apology: c.backlog_overdue - c.backlog_apologized,
        ..Tally::default()
    }
}

/// The figures of a period from its counters and the dossiers judged one by one (`recent`: every
/// dossier of the agencies that [`judged_one_by_one`] names, each once; more is harmless).
pub fn combine(
    mut counted: Counted,
    recent: &[DossierFacts],
    p: &Period,
) -> (BTreeMap<String, Tally>, Missing, Counts) {
    let judged_on = judged_on(p);
    for d in recent {
        for ((day, who), c) in contribution(d) {
            if who.is_none() && day < judged_on {
                *counted.backlog.entry(d.procedure_id.clone()).or_default() -= c;
            }
            if day < p.from || day > p.to {
                continue;
            }
            match who {
                None => *counted.by_procedure.entry(d.procedure_id.clone()).or_default() -= c,
                Some(who) => *counted.missing.entry(who).or_default() -= c,
            }
        }
    }
    let (judged, judged_missing) = plain(recent, p);
    let mut surveys = Counts::default();
    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    for (procedure, c) in &counted.by_procedure {
        surveys.very_satisfied += c.very_satisfied;
        surveys.satisfied += c.satisfied;
        surveys.unsatisfied += c.unsatisfied;
        *tallies.entry(procedure.clone()).or_default() += closed_tally(c);
    }
    for (procedure, c) in &counted.backlog {
        *tallies.entry(procedure.clone()).or_default() += backlog_tally(c);
    }
    for (procedure, t) in judged {
        *tallies.entry(procedure).or_default() += t;
    }
    for (procedure, running) in &counted.answer_running {
        tallies.entry(procedure.clone()).or_default().answered_in_time += running;
    }
    tallies.retain(|_, t| *t != Tally::default());
    let mut missing: Missing =
        counted.missing.into_iter().map(|(k, c)| (k, (c.reception_missing, c.result_missing))).collect();
    for (k, (a, b)) in judged_missing {
        let entry = missing.entry(k).or_default();
        entry.0 += a;
        entry.1 += b;
    }
    (tallies, missing, surveys)
}

/// The days of each bucket of a time series: from its start to the day before the next one's,
/// the last to the period's end.
pub fn bucket_days(starts: &[NaiveDate], p: &Period) -> Vec<(NaiveDate, NaiveDate)> {
    starts
        .iter()
        .enumerate()
        .map(|(i, start)| (*start, starts.get(i + 1).and_then(|next| next.pred_opt()).unwrap_or(p.to)))
        .collect()
}

/// A time series from the counters' events per bucket (received, of which online, resolved, of
/// which on time, withdrawn: `counters::bucket_events`) and the dossiers with an event at or after
/// `as_of` (`recent`, each once; none for a period that has ended): their counted events taken
/// out, their plain judgement put in. A series holds only events, so nothing else differs.
pub fn series(
    counted: &[[i64; 5]],
    starts: &[NaiveDate],
    recent: &[DossierFacts],
    p: &Period,
    granularity: Granularity,
) -> Vec<Bucket> {
    let mut buckets: Vec<Bucket> = starts
        .iter()
        .zip(counted)
        .map(|(start, [received, online, resolved, on_time, withdrawn])| Bucket {
            start: *start,
            received: *received,
            received_online: *online,
            resolved: *resolved,
            on_time: *on_time,
            late: resolved - on_time,
            withdrawn: *withdrawn,
        })
        .collect();
    for d in recent {
        for ((day, who), c) in contribution(d) {
            if who.is_some() || day < p.from || day > p.to {
                continue;
            }
            let Some(b) =
                starts.partition_point(|s| *s <= day).checked_sub(1).and_then(|i| buckets.get_mut(i))
            else {
                continue;
            };
            b.received -= c.new_online + c.new_direct + c.new_postal;
            b.received_online -= c.new_online;
            b.resolved -= c.resolved;
            b.on_time -= c.on_time;
            b.late -= c.resolved - c.on_time;
            b.withdrawn -= c.withdrawn;
        }
    }
    for (b, judged) in buckets.iter_mut().zip(timeseries(recent, p, granularity)) {
        b.received += judged.received;
        b.received_online += judged.received_online;
        b.resolved += judged.resolved;
        b.on_time += judged.on_time;
        b.late += judged.late;
        b.withdrawn += judged.withdrawn;
    }
    buckets
}

pub mod officers;

#[cfg(test)]
pub(crate) mod tests;
