//! The counters' read side against the plain definition, on random histories.

use chrono::{DateTime, Days, Duration, Utc};
use proptest::prelude::*;

use super::*;
use crate::enums::Channel;
use crate::records::counters::contribution::{answer_clocks, officer_contribution};
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
                let awaiting_supplement = supplement == 1 && path == 3 && supplement_requested_at.is_some();
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

/// The period of `len + 1` days from day `from` of 2024, judged `now_offset` hours into it or
/// after the history's last event, whichever is later.
fn period(dossiers: &[DossierFacts], from: u64, len: u64, now_offset: i64) -> Period {
    let last_event = dossiers.iter().map(|d| d.last_event_at).max().unwrap_or_else(base);
    let now = last_event.max(base() + Duration::hours(now_offset));
    let day = |n: u64| d(2024, 1, 1) + Days::new(n);
    Period::new(day(from), day(from + len), now).unwrap()
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
        let p = period(&dossiers, from, len, now_offset);
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
        let p = period(&dossiers, from, len, now_offset);
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
        // And, for a period that has ended, the answer clocks running at its end midnight.
        if p.as_of == p.end {
            for dossier in &dossiers {
                for (day, submitted) in answer_clocks(dossier) {
                    if day == judged_on(&p) && submitted >= p.from {
                        *counted.answer_running.entry(dossier.procedure_id.clone()).or_default() += 1;
                    }
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

proptest! {
    /// The officers' lines from their counters plus the dossiers judged one by one are the plain
    /// ones, for any history, period and moment of judging.
    #[test]
    fn the_officers_from_the_counters_are_the_plain_ones(
        dossiers in proptest::collection::vec(arbitrary_dossier(), 0..50),
        from in 0u64..70,
        len in 0u64..60,
        now_offset in 0i64..40 * 24,
        assignees in proptest::collection::vec(0u8..4, 50),
    ) {
        let dossiers: Vec<DossierFacts> = dossiers
            .into_iter()
            .zip(assignees)
            .map(|(d, a)| DossierFacts { assignee_id: (a > 0).then(|| format!("u{a}")), ..d })
            .collect();
        let p = period(&dossiers, from, len, now_offset);
        let mut counted = officers::OfficerCounted::default();
        for dossier in &dossiers {
            for ((day, person), c) in officer_contribution(dossier) {
                if day < judged_on(&p) {
                    *counted.backlog.entry(person.clone()).or_default() += c;
                }
                if day >= p.from && day <= p.to {
                    *counted.events.entry(person).or_default() += c;
                }
            }
        }
        let recent: Vec<DossierFacts> =
            dossiers.iter().filter(|d| judged_one_by_one(d, &p)).cloned().collect();
        prop_assert_eq!(
            officers::officers(counted, &recent, &p),
            crate::reports::figures::series::officers(&dossiers, &p)
        );
    }
}

/// A submission of the period's last evening whose answer, due after midnight, never came: the
/// plain definition counts it in time at the period's end (the clock still ran), and so do the
/// counters, from the answer clock running at that midnight, with no dossier read.
#[test]
fn an_answer_clock_running_at_the_end_of_a_past_period_counts_in_time() {
    let submitted = local_midnight(d(2024, 2, 1)).unwrap() - Duration::hours(4);
    let dossier = DossierFacts {
        answer_due_at: Some(submitted + Duration::hours(8)),
        ..DossierFacts::submitted(Channel::Online, submitted)
    };
    assert_eq!(answer_clocks(&dossier), [(d(2024, 2, 1), d(2024, 1, 31))]);
    let p = Period::new(d(2024, 1, 1), d(2024, 1, 31), local_midnight(d(2024, 3, 1)).unwrap()).unwrap();
    assert!(!judged_one_by_one(&dossier, &p));
    let (expected, _) = plain(std::slice::from_ref(&dossier), &p);
    assert_eq!(expected["p"].answered_in_time, 1);
    let mut counted = Counted::default();
    for ((day, _), c) in contribution(&dossier) {
        *counted.by_procedure.entry("p".into()).or_default() +=
            if day <= p.to { c } else { Counts::default() };
    }
    counted.answer_running.insert("p".into(), 1);
    assert_eq!(combine(counted, &[], &p).0, expected);
}
