//! The counters' read side. Counters make a report's cost independent of the history: each
//! dossier's and survey's *contribution* (every event counted on its Vietnam-time day, and the
//! dossier's place in the backlog as changes on the days it moves) is kept per agency, procedure
//! and day, and again per month and year, in the same transaction as every write
//! (`crate::records::counters`).
//!
//! A report sums the years and months wholly inside its period and the days at its edges for the
//! events, and the backlog changes over every day before the midnight it judges at ([`judged_on`]:
//! `as_of` itself when the period has ended) for "in progress within / past the deadline". That
//! is the plain definition for every dossier except those the counters cannot judge
//! ([`judged_one_by_one`]): their counted contribution is taken out and their judgement at `as_of`
//! by the plain definition put in. For a period that has ended they are only the online
//! submissions of the period whose answer was due at or after its end and is late or still
//! missing (the 8-hour answer clock judges "not yet answered" by `as_of`, which a count of
//! answers cannot know); for the current period also the dossiers with an event or a due instant
//! between `as_of` and the next midnight. The property test below checks the whole combination
//! against the plain definition.

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

/// The dossiers whose judgement at `as_of` the counters may not give, to be judged one by one:
/// - an online submission of the period whose answer was due at or after `as_of` and came late or
///   not at all: the plain definition counts it in time while the clock runs, the counters only
///   once it is answered in time;
/// - for the current period (judged now): a dossier with an event at or after `as_of`, or still
///   open with its due instant between `as_of` and the next midnight (the counters judge at that
///   midnight).
///
/// Everything else the counters give exactly: events before `as_of` on their days, and the
/// backlog at a midnight. The store loads these with three indexed queries
/// (`store::Select::AnswerPending`, `DueBeforeJudged`, `TouchedSince`).
pub fn judged_one_by_one(d: &DossierFacts, p: &Period) -> bool {
    let answer_pending = d.channel == Channel::Online
        && d.submitted_at >= p.start
        && d.submitted_at < p.end
        && d.answer_due_at.is_some_and(|due| {
            due >= p.as_of && [d.first_response_at, d.withdrawn_at].into_iter().flatten().all(|at| at > due)
        });
    // Only a period that has not ended (judged now) has events at or after `as_of` on its days.
    let moved_since = p.as_of < p.end && d.last_event_at >= p.as_of;
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

#[cfg(test)]
pub(crate) mod tests {
    use chrono::{DateTime, Days, Duration, Utc};
    use proptest::prelude::*;

    use super::*;
    use crate::enums::Channel;
    use crate::records::counters::facts::local_midnight;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn periods_split_into_whole_years_months_and_edge_days() {
        use Grain::*;
        assert_eq!(
            ranges(d(2024, 1, 1), d(2024, 6, 25)),
            [(Month, d(2024, 1, 1), d(2024, 5, 1)), (Day, d(2024, 6, 1), d(2024, 6, 25))]
        );
        assert_eq!(ranges(d(2025, 1, 1), d(2025, 12, 31)), [(Year, d(2025, 1, 1), d(2025, 1, 1))]);
        assert_eq!(
            ranges(d(2023, 11, 20), d(2025, 2, 3)),
            [
                (Day, d(2023, 11, 20), d(2023, 11, 30)),
                (Month, d(2023, 12, 1), d(2023, 12, 1)),
                (Year, d(2024, 1, 1), d(2024, 1, 1)),
                (Month, d(2025, 1, 1), d(2025, 1, 1)),
                (Day, d(2025, 2, 1), d(2025, 2, 3)),
            ]
        );
        assert_eq!(ranges(d(2024, 2, 10), d(2024, 3, 5)), [(Day, d(2024, 2, 10), d(2024, 3, 5))]);
        assert_eq!(ranges(d(2024, 2, 1), d(2024, 2, 29)), [(Month, d(2024, 2, 1), d(2024, 2, 1))]);
    }

    proptest! {
        /// The ranges tile the period: every day in exactly one bucket, none outside.
        #[test]
        fn ranges_tile_the_period(from in 0u64..1500, len in 0u64..1200) {
            let start = d(2023, 1, 1);
            let (from, to) = (start + Days::new(from), start + Days::new(from + len));
            let mut days = Vec::new();
            for (grain, first, last) in ranges(from, to) {
                let mut bucket = first;
                while bucket <= last {
                    prop_assert_eq!(grain.bucket(bucket), bucket);
                    days.extend(bucket.iter_days().take_while(|x| *x <= grain.last_day(bucket)));
                    bucket = grain.last_day(bucket).succ_opt().unwrap();
                }
            }
            let expected: Vec<NaiveDate> = from.iter_days().take_while(|x| *x <= to).collect();
            prop_assert_eq!(days, expected);
        }
    }

    fn base() -> DateTime<Utc> {
        local_midnight(d(2024, 1, 1)).unwrap()
    }

    /// A dossier along a random path; every instant lies before `base() + 90 days`.
    pub(crate) fn arbitrary_dossier() -> impl Strategy<Value = DossierFacts> {
        (
            (0i64..60 * 24, 0u8..3, 0u8..6, 1i64..15 * 24, 0i64..20 * 24),
            (any::<bool>(), any::<bool>(), any::<bool>(), any::<bool>(), 0u8..4, 0u8..3, 0u8..3),
        )
            .prop_map(
                |(
                    (submitted, channel, path, due, took),
                    (digitized, result, fee, paid, person, apology, supplement),
                )| {
                    let h = |x: i64| base() + Duration::hours(x);
                    let online = channel == 0;
                    let submitted_at = h(submitted);
                    let answer = submitted + 1 + took % 20;
                    let (mut first_response, mut accepted, mut resolved, mut withdrawn) =
                        (None, None, None, None);
                    match path {
                        // Unanswered, or refused at reception, or withdrawn before an answer.
                        0 if online => {}
                        1 if online => first_response = Some(h(answer)),
                        2 if online => withdrawn = Some(h(answer)),
                        _ => {
                            let a = if online { answer } else { submitted };
                            accepted = Some(a);
                            if online {
                                first_response = Some(h(a));
                            }
                            match path {
                                3 => {}
                                4 => withdrawn = Some(h(a + took)),
                                _ => resolved = Some(h(a + took)),
                            }
                        }
                    }
                    let rejected = path == 1 && online;
                    let due_at = accepted.map(|a| h(a + due));
                    let apologized_at = match (apology, accepted) {
                        (0, Some(a)) => Some(h(a + took / 2)),
                        _ => None,
                    };
                    // A supplement requested after acceptance: still awaited (an open dossier), or
                    // received, the clock restarted with a later due instant.
                    let supplement_requested_at = match (supplement, accepted) {
                        (1 | 2, Some(a)) => Some(h(a + took / 3)),
                        _ => None,
                    };
                    let awaiting_supplement =
                        supplement == 1 && path == 3 && supplement_requested_at.is_some();
                    let due_at = match (supplement, due_at) {
                        (2, Some(due)) => Some(due + Duration::hours(took / 4)),
                        (_, due) => due,
                    };
                    let people = ["u1", "u2", "u3"];
                    let last = [
                        Some(submitted_at),
                        first_response,
                        accepted.map(h),
                        resolved,
                        withdrawn,
                        apologized_at,
                        supplement_requested_at,
                    ]
                    .into_iter()
                    .flatten()
                    .max()
                    .unwrap();
                    let channel = [Channel::Online, Channel::Direct, Channel::Postal][channel as usize];
                    DossierFacts {
                        procedure_id: format!("p{}", took % 3),
                        fee: if fee { 1000 } else { 0 },
                        paid_online: fee && paid,
                        answer_due_at: online.then(|| h(submitted + 8)),
                        first_response_at: first_response,
                        accepted_at: accepted.map(h),
                        due_at,
                        apologized_at,
                        supplement_requested_at,
                        awaiting_supplement,
                        resolved_at: resolved,
                        withdrawn_at: withdrawn,
                        reception_digitized: digitized,
                        result_digitized: result,
                        received_by: (person > 0).then(|| people[person as usize - 1].into()),
                        resolved_by: resolved.map(|_| people[(person as usize) % 3].into()),
                        resolved_by_agency_id: (person == 3 && resolved.is_some()).then(|| "unit".into()),
                        last_event_at: last,
                        open: !rejected && resolved.is_none() && withdrawn.is_none(),
                        ..DossierFacts::submitted(channel, submitted_at)
                    }
                },
            )
    }

    proptest! {
        /// The time series from the counters plus the dossiers with events at or after `as_of`
        /// is the plain one, for any history, period, granularity and moment of judging.
        #[test]
        fn the_series_from_the_counters_is_the_plain_one(
            dossiers in proptest::collection::vec(arbitrary_dossier(), 0..40),
            from in 0u64..70,
            len in 0u64..60,
            now_offset in 0i64..40 * 24,
            granularity in 0u8..3,
        ) {
            let last_event = dossiers.iter().map(|d| d.last_event_at).max().unwrap_or_else(base);
            let now = last_event.max(base() + Duration::hours(now_offset));
            let day = |n: u64| d(2024, 1, 1) + Days::new(n);
            let p = Period::new(day(from), day(from + len), now).unwrap();
            let granularity = [Granularity::Day, Granularity::Week, Granularity::Month][granularity as usize];
            let starts = crate::reports::figures::series::bucket_starts(&p, granularity);
            // What the store would sum: each bucket's days.
            let counted: Vec<[i64; 5]> = bucket_days(&starts, &p)
                .into_iter()
                .map(|(first, last)| {
                    let mut c = Counts::default();
                    for dossier in &dossiers {
                        for ((day, who), x) in contribution(dossier) {
                            if who.is_none() && day >= first && day <= last {
                                c += x;
                            }
                        }
                    }
                    [c.new_online + c.new_direct + c.new_postal, c.new_online, c.resolved, c.on_time, c.withdrawn]
                })
                .collect();
            let recent: Vec<DossierFacts> = dossiers
                .iter()
                .filter(|d| p.as_of < p.end && d.last_event_at >= p.as_of)
                .cloned()
                .collect();
            prop_assert_eq!(series(&counted, &starts, &recent, &p, granularity), timeseries(&dossiers, &p, granularity));
        }
    }

    proptest! {
        /// Counters plus the dossiers judged one by one give exactly the plain definition, for any
        /// history, period and moment of judging (`now` after every event of the history).
        #[test]
        fn counters_agree_with_the_plain_definition(
            dossiers in proptest::collection::vec(arbitrary_dossier(), 0..50),
            from in 0u64..70,
            len in 0u64..60,
            now_offset in 0i64..40 * 24,
        ) {
            let last_event = dossiers.iter().map(|d| d.last_event_at).max().unwrap_or_else(base);
            let now = last_event.max(base() + Duration::hours(now_offset));
            let day = |n: u64| d(2024, 1, 1) + Days::new(n);
            let p = Period::new(day(from), day(from + len), now).unwrap();
            // What the store would hold: every contribution, summed over the period's days, and
            // the backlog changes over every day before the judging midnight.
            let mut counted = Counted::default();
            for dossier in &dossiers {
                for ((day, who), c) in contribution(dossier) {
                    if who.is_none() && day < judged_on(&p) {
                        *counted.backlog.entry(dossier.procedure_id.clone()).or_default() += c;
                    }
                    if day < p.from || day > p.to {
                        continue;
                    }
                    match who {
                        None => *counted.by_procedure.entry(dossier.procedure_id.clone()).or_default() += c,
                        Some(who) => *counted.missing.entry(who).or_default() += c,
                    }
                }
            }
            let recent: Vec<DossierFacts> =
                dossiers.iter().filter(|d| judged_one_by_one(d, &p)).cloned().collect();
            let (tallies, missing, _) = combine(counted, &recent, &p);
            let (expected, expected_missing) = plain(&dossiers, &p);
            prop_assert_eq!(tallies, expected);
            let nonzero = |m: Missing| m.into_iter().filter(|(_, v)| *v != (0, 0)).collect::<Missing>();
            prop_assert_eq!(nonzero(missing), nonzero(expected_missing));
        }
    }
}
