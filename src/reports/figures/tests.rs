use std::collections::HashMap;

use chrono::Duration;
use proptest::prelude::*;

use super::series::{officers, timeseries};
use super::*;
use crate::reports::model::{Granularity, Reception, Resolution};

/// Reception and resolution of some dossiers by the plain definition.
fn reception_and_resolution<'a>(
    dossiers: impl IntoIterator<Item = &'a DossierFacts>,
    p: &Period,
) -> (Reception, Resolution) {
    let mut total = Tally::default();
    let mut missing = Missing::new();
    for d in dossiers {
        total += tally(d, p, &mut missing);
    }
    (reception::reception_of(&total), resolution::resolution_of(&total))
}

/// The procedures of some dossiers, as their facts carry them.
fn procedures_of(dossiers: &[DossierFacts]) -> HashMap<String, ProcedureInfo> {
    dossiers
        .iter()
        .map(|d| (d.procedure_id.clone(), ProcedureInfo { field: d.field.clone(), offer: d.offer }))
        .collect()
}

fn base() -> DateTime<Utc> {
    local_midnight(NaiveDate::from_ymd_opt(2024, 1, 1).unwrap()).unwrap()
}

fn facts(
    accepted_h: Option<i64>,
    due_h: i64,
    resolved_h: Option<i64>,
    withdrawn_h: Option<i64>,
) -> DossierFacts {
    let h = |x: i64| base() + Duration::hours(x);
    DossierFacts {
        field: "Hộ tịch".into(),
        answer_due_at: Some(h(accepted_h.unwrap_or(0) + 24)),
        first_response_at: accepted_h.map(h),
        accepted_at: accepted_h.map(h),
        due_at: accepted_h.map(|a| h(a + due_h)),
        resolved_at: resolved_h.map(h),
        withdrawn_at: withdrawn_h.map(h),
        reception_digitized: true,
        result_digitized: true,
        received_by: Some("u".into()),
        resolved_by: resolved_h.map(|_| "u".into()),
        last_event_at: [
            Some(h(accepted_h.unwrap_or(0) - 1)),
            accepted_h.map(h),
            resolved_h.map(h),
            withdrawn_h.map(h),
        ]
        .into_iter()
        .flatten()
        .max()
        .unwrap(),
        open: resolved_h.is_none() && withdrawn_h.is_none(),
        ..DossierFacts::submitted(Channel::Online, h(accepted_h.unwrap_or(0) - 1))
    }
}

pub(super) fn period(from_day: u64, to_day: u64, now_h: i64) -> Period {
    let day = |d: u64| NaiveDate::from_ymd_opt(2024, 1, 1).unwrap() + Days::new(d);
    Period::new(day(from_day), day(to_day), base() + Duration::hours(now_h)).unwrap()
}

#[test]
fn what_happens_after_as_of_is_ignored() {
    // Period: 1–10 January, judged on the 5th at noon. Accepted on the 2nd, due on the 4th,
    // resolved on the 6th: late, but at as_of it is simply in progress and overdue.
    let p = period(0, 9, 4 * 24 + 12);
    let d = facts(Some(24), 48, Some(5 * 24), None);
    let (rec, res) = reception_and_resolution([&d], &p);
    assert_eq!((rec.new, rec.total), (1, 1));
    assert_eq!((res.resolved, res.late, res.in_progress, res.in_progress_overdue), (0, 0, 1, 1));
    assert_eq!(res.late_without_apology, 1);
    // With an apology before as_of it is late with an apology.
    let mut apologized = d.clone();
    apologized.apologized_at = Some(base() + Duration::hours(60));
    let (_, res) = reception_and_resolution([&apologized], &p);
    assert_eq!((res.late_with_apology, res.late_without_apology), (1, 0));
    // Waiting for the citizen's supplement, it is not overdue.
    let mut waiting = d.clone();
    waiting.awaiting_supplement = true;
    waiting.supplement_requested_at = Some(base() + Duration::hours(30));
    let (_, res) = reception_and_resolution([&waiting], &p);
    assert_eq!((res.in_progress_within_deadline, res.in_progress_overdue), (1, 0));
}

#[test]
fn carried_over_means_open_at_the_start() {
    let p = period(10, 20, 1000 * 24);
    let open = facts(Some(24), 48, Some(12 * 24), None);
    let closed_before = facts(Some(24), 48, Some(3 * 24), None);
    let withdrawn_before = facts(Some(24), 48, None, Some(5 * 24));
    let never_accepted = facts(None, 0, None, None);
    let (rec, res) =
        reception_and_resolution([&open, &closed_before, &withdrawn_before, &never_accepted], &p);
    assert_eq!((rec.new, rec.carried_over, rec.total), (0, 1, 1));
    assert_eq!((res.resolved, res.late), (1, 1));
}

#[test]
fn early_is_a_calendar_day_before_the_due_day() {
    let p = period(0, 30, 1000 * 24);
    // Due on day 3 at 10:00 (Vietnam): resolved day 2 at 23:00 is early, day 3 at 09:00 only on time.
    let due = |d: &mut DossierFacts| d.due_at = Some(base() + Duration::hours(3 * 24 + 10));
    let mut a = facts(Some(24), 0, Some(2 * 24 + 23), None);
    due(&mut a);
    let mut b = facts(Some(24), 0, Some(3 * 24 + 9), None);
    due(&mut b);
    let (_, res) = reception_and_resolution([&a, &b], &p);
    assert_eq!((res.resolved, res.on_time, res.early, res.late), (2, 2, 1, 0));
}

pub(super) fn arbitrary_dossier() -> impl Strategy<Value = DossierFacts> {
    (
        proptest::option::weighted(0.9, 0i64..60 * 24),
        1i64..20 * 24,
        proptest::option::of(0i64..30 * 24),
        0u8..3,
        any::<bool>(),
        proptest::option::of(0i64..20 * 24),
        any::<bool>(),
    )
        .prop_map(|(accepted, due, closing, closing_kind, channel, apology, awaiting)| {
            let resolved = (closing_kind == 0).then_some(()).and(closing).zip(accepted).map(|(c, a)| a + c);
            let withdrawn = (closing_kind == 1).then_some(()).and(closing).zip(accepted).map(|(c, a)| a + c);
            let mut d = facts(accepted, due, resolved, withdrawn);
            d.channel = if channel { Channel::Online } else { Channel::Direct };
            d.apologized_at = apology.zip(accepted).map(|(p, a)| base() + Duration::hours(a + p));
            d.awaiting_supplement =
                awaiting && resolved.is_none() && withdrawn.is_none() && accepted.is_some();
            d.supplement_requested_at = d.awaiting_supplement.then(|| d.accepted_at.unwrap());
            d.reception_digitized = channel;
            d.result_digitized = !channel;
            d
        })
}

proptest! {
    /// The form's balance rules hold for any history, period and moment of judging, and
    /// every count agrees with its plain definition.
    #[test]
    fn the_balance_rules_hold(
        dossiers in proptest::collection::vec(arbitrary_dossier(), 0..60),
        from in 0u64..60,
        len in 0u64..40,
        now in 0i64..120 * 24,
    ) {
        let p = period(from, from + len, now);
        let (rec, res) = reception_and_resolution(&dossiers, &p);
        prop_assert_eq!(rec.total, rec.new + rec.carried_over);
        prop_assert_eq!(rec.total, res.resolved + res.withdrawn + res.in_progress);
        prop_assert!(res.in_progress >= 0);
        prop_assert_eq!(res.in_progress, res.in_progress_within_deadline + res.in_progress_overdue);
        prop_assert!(res.early <= res.on_time && res.on_time <= res.resolved);
        prop_assert_eq!(res.late_with_apology + res.late_without_apology, res.late + res.in_progress_overdue);

        let seen = |t: Option<DateTime<Utc>>| t.filter(|t| *t < p.as_of);
        let new = dossiers.iter().filter(|d| seen(d.accepted_at).is_some_and(|a| a >= p.start && a < p.end)).count() as i64;
        prop_assert_eq!(rec.new, new);
        let resolved = dossiers.iter().filter(|d| seen(d.resolved_at).is_some_and(|r| r >= p.start && r < p.end)).count() as i64;
        prop_assert_eq!(res.resolved, resolved);

        let (tallies, missing) = plain(&dossiers, &p);
        let digitization = summary::dossier_figures(&tallies, &procedures_of(&dossiers)).digitization;
        prop_assert_eq!(digitization.reception.eligible, rec.new);
        prop_assert_eq!(digitization.result.eligible, res.resolved);
        let missing_reception: i64 = missing.values().map(|m| m.0).sum();
        let missing_result: i64 = missing.values().map(|m| m.1).sum();
        prop_assert_eq!(missing_reception, digitization.reception.eligible - digitization.reception.digitized);
        prop_assert_eq!(missing_result, digitization.result.eligible - digitization.result.digitized);

        for granularity in [Granularity::Day, Granularity::Week, Granularity::Month] {
            let buckets = timeseries(&dossiers, &p, granularity);
            prop_assert_eq!(buckets.iter().map(|b| b.received).sum::<i64>(), rec.new);
            prop_assert_eq!(buckets.iter().map(|b| b.resolved).sum::<i64>(), res.resolved);
            prop_assert_eq!(buckets.iter().map(|b| b.late).sum::<i64>(), res.late);
            prop_assert_eq!(buckets.iter().map(|b| b.withdrawn).sum::<i64>(), res.withdrawn);
            prop_assert_eq!(buckets.first().map(|b| b.start), Some(p.from));
        }
        let people = officers(&dossiers, &p);
        prop_assert_eq!(people.values().map(|c| c.received).sum::<i64>(), rec.new);
        prop_assert_eq!(people.values().map(|c| c.late).sum::<i64>(), res.late);
    }
}
