//! The report's arithmetic, pure: from the facts of dossiers, surveys, feedback and publications
//! to the figures of report.md. Nothing here reads a database or a clock, so the rules can be
//! tested on their own and every faster way of computing a figure can be checked against them.
//!
//! Decisions where report.md is silent:
//! - "Judged at `as_of`": a timestamp at or after `as_of` is treated as not having happened. The
//!   due instant is the one on record (a clock restart after `as_of` is not undone).
//! - A dossier waiting for the citizen's supplement at `as_of` is within its deadline whatever its
//!   old due instant: the time a citizen takes to supplement does not count against the office
//!   (Decree 61/2018/NĐ-CP, art. 15–16, as amended by Decree 107/2021/NĐ-CP). report.md splits
//!   by `due_at` alone; the law decides.
//! - A withdrawal before the first answer ends the 8-hour acceptance clock like an answer.
//! - Payment has no timestamp of its own: "paid online in the period" means a dossier of the
//!   period paid online.
//! - A publication still inside its 5 working days and not yet posted is counted as
//!   `awaiting_posting` (and is not yet posted in time).

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};

use super::model::{
    Bucket, CatalogueFigures, Digitization, FeedbackFigures, FieldLine, Granularity, OfficerCounts,
    OnlineServiceFigures, Payment, Reception, Resolution, Satisfaction,
};
use super::percent::Percent;
use crate::enums::{Channel, Level, OnlineService as Offer};
use crate::feedback::model::FeedbackChannel;
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
/// the plain definition dossier by dossier ([`tally`]), and the counters (`super::rollup`).
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

/// One dossier by the plain definition of report.md: its tally, and what it adds to the missing
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

/// Reception and resolution (form II.06a's columns) from a tally.
pub fn reception_and_resolution_of(t: &Tally) -> (Reception, Resolution) {
    let mut rec = Reception {
        new_online: t.new_online,
        new_direct: t.new_direct,
        new_postal: t.new_postal,
        new: t.new_total(),
        carried_over: t.carried_over,
        ..Reception::default()
    };
    rec.total = rec.new + rec.carried_over;
    rec.online_rate = Percent::of(rec.new_online, rec.total);
    rec.direct_rate = Percent::of(rec.new_direct + rec.new_postal, rec.total);
    let mut res = Resolution {
        resolved: t.resolved,
        early: t.early,
        on_time: t.on_time,
        late: t.resolved - t.on_time,
        withdrawn: t.withdrawn,
        in_progress_within_deadline: t.within_deadline,
        in_progress_overdue: t.overdue,
        late_with_apology: t.late_with_apology,
        late_without_apology: t.late_without_apology,
        ..Resolution::default()
    };
    res.on_time_rate = Percent::of(res.on_time, res.resolved);
    res.late_rate = Percent::of(res.late, res.resolved);
    res.in_progress = rec.total - res.resolved - res.withdrawn;
    (rec, res)
}

/// The dossier figures of the summary.
pub struct DossierFigures {
    pub reception: Reception,
    pub resolution: Resolution,
    pub online_service: OnlineServiceFigures,
    pub payment: Payment,
    /// Without `missing_by_responsible`, whose names are the caller's to fill in.
    pub digitization: Digitization,
    pub by_field: Vec<FieldLine>,
}

/// Every dossier figure from tallies by procedure.
pub fn dossier_figures(
    by_procedure: &BTreeMap<String, Tally>,
    procedures: &HashMap<String, ProcedureInfo>,
) -> DossierFigures {
    let mut total = Tally::default();
    let mut fields: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut online = OnlineServiceFigures::default();
    let mut payment = Payment::default();
    for (id, t) in by_procedure {
        total += *t;
        let info = procedures.get(id);
        *fields.entry(info.map_or("", |i| i.field.as_str())).or_default() += *t;
        let level = match info.map(|i| i.offer) {
            Some(Offer::Full) => Some(&mut online.full),
            Some(Offer::Partial) => Some(&mut online.partial),
            _ => None,
        };
        if let Some(level) = level {
            level.dossiers += t.new_total();
            level.submitted_online += t.new_online;
        }
        payment.procedures_with_fees += i64::from(t.payable > 0);
        payment.procedures_paid_online += i64::from(t.paid_online > 0);
    }
    let offered = online.full.dossiers + online.partial.dossiers;
    online.online_submission_rate =
        Percent::of(online.full.submitted_online + online.partial.submitted_online, offered);
    online.acceptance.online_submitted = total.online_submitted;
    online.acceptance.answered_in_time = total.answered_in_time;
    online.acceptance.rate = Percent::of(total.answered_in_time, total.online_submitted);
    payment.payable = total.payable;
    payment.paid_online = total.paid_online;
    payment.dossier_rate = Percent::of(payment.paid_online, payment.payable);
    payment.procedure_rate = Percent::of(payment.procedures_paid_online, payment.procedures_with_fees);
    let (reception, resolution) = reception_and_resolution_of(&total);
    let mut digitization = Digitization::default();
    digitization.reception.eligible = reception.new;
    digitization.reception.digitized = total.reception_digitized;
    digitization.reception.rate = Percent::of(total.reception_digitized, reception.new);
    digitization.result.eligible = resolution.resolved;
    digitization.result.digitized = total.result_digitized;
    digitization.result.rate = Percent::of(total.result_digitized, resolution.resolved);
    let by_field = fields
        .into_iter()
        .filter_map(|(field, t)| {
            let (reception, resolution) = reception_and_resolution_of(&t);
            (reception.total > 0 || resolution.resolved > 0).then(|| FieldLine {
                field: field.to_owned(),
                reception,
                resolution,
            })
        })
        .collect();
    DossierFigures { reception, resolution, online_service: online, payment, digitization, by_field }
}

/// Missing digitization, most first; then by who.
pub fn missing_sorted(missing: Missing) -> Vec<(ResponsibleKey, i64, i64)> {
    let mut out: Vec<_> =
        missing.into_iter().filter(|(_, (a, b))| *a != 0 || *b != 0).map(|(k, (a, b))| (k, a, b)).collect();
    out.sort_by(|a, b| (b.1 + b.2).cmp(&(a.1 + a.2)).then_with(|| a.0.cmp(&b.0)));
    out
}

/// Surveys submitted in the period.
pub fn satisfaction(surveys: &[(Level, DateTime<Utc>)], p: &Period) -> Satisfaction {
    let (mut very, mut satisfied, mut unsatisfied) = (0, 0, 0);
    for (level, _) in surveys.iter().filter(|(_, at)| p.contains(Some(*at))) {
        match level {
            Level::VerySatisfied => very += 1,
            Level::Satisfied => satisfied += 1,
            Level::Unsatisfied => unsatisfied += 1,
        }
    }
    satisfaction_of(very, satisfied, unsatisfied)
}

/// The satisfaction figures from the answers by level.
pub fn satisfaction_of(very_satisfied: i64, satisfied: i64, unsatisfied: i64) -> Satisfaction {
    let mut out = Satisfaction {
        responses: very_satisfied + satisfied + unsatisfied,
        very_satisfied,
        satisfied,
        unsatisfied,
        ..Satisfaction::default()
    };
    out.very_satisfied_rate = Percent::of(out.very_satisfied, out.responses);
    out.satisfied_rate = Percent::of(out.satisfied, out.responses);
    out.unsatisfied_rate = Percent::of(out.unsatisfied, out.responses);
    out
}

#[derive(Debug, Clone)]
pub struct FeedbackFacts {
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

#[derive(Debug, Clone)]
pub struct PublicationFacts {
    pub signed_on: NaiveDate,
    pub posted_on: Option<NaiveDate>,
    /// The last day to post it: 5 working days after signing.
    pub deadline: Option<NaiveDate>,
}

pub fn catalogue(publications: &[PublicationFacts], p: &Period) -> CatalogueFigures {
    let as_of_day = local_day(p.as_of - chrono::Duration::microseconds(1));
    let mut out = CatalogueFigures::default();
    for publication in publications {
        if publication.signed_on < p.from || publication.signed_on > p.to || publication.signed_on > as_of_day
        {
            continue;
        }
        out.publications += 1;
        let posted = publication.posted_on.filter(|d| *d <= as_of_day);
        match (posted, publication.deadline) {
            (Some(on), Some(deadline)) if on <= deadline => out.posted_in_time += 1,
            (None, Some(deadline)) if deadline >= as_of_day => out.awaiting_posting += 1,
            _ => {}
        }
    }
    out.rate = Percent::of(out.posted_in_time, out.publications);
    out
}

/// The first day of the bucket `day` falls in, cut at the period's start.
fn bucket_start(day: NaiveDate, granularity: Granularity, from: NaiveDate) -> NaiveDate {
    let natural = match granularity {
        Granularity::Day => day,
        Granularity::Week => day - Days::new(u64::from(day.weekday().num_days_from_monday())),
        Granularity::Month => day.with_day(1).unwrap_or(day),
    };
    natural.max(from)
}

/// The buckets' first days over the period, in order.
pub fn bucket_starts(p: &Period, granularity: Granularity) -> Vec<NaiveDate> {
    let mut starts = Vec::new();
    let mut day = p.from;
    while day <= p.to {
        let start = bucket_start(day, granularity, p.from);
        if starts.last() != Some(&start) {
            starts.push(start);
        }
        day = match day.checked_add_days(Days::new(1)) {
            Some(next) => next,
            None => break,
        };
    }
    starts
}

pub fn timeseries(dossiers: &[DossierFacts], p: &Period, granularity: Granularity) -> Vec<Bucket> {
    let mut buckets: BTreeMap<NaiveDate, Bucket> = bucket_starts(p, granularity)
        .into_iter()
        .map(|start| (start, Bucket { start, ..Bucket::default() }))
        .collect();
    let key =
        |instant: Option<DateTime<Utc>>| instant.map(|t| bucket_start(local_day(t), granularity, p.from));
    for d in dossiers {
        let j = judge(d, p);
        if j.new
            && let Some(b) = key(d.accepted_at).and_then(|k| buckets.get_mut(&k))
        {
            b.received += 1;
            b.received_online += i64::from(d.channel == Channel::Online);
        }
        if j.resolved
            && let Some(b) = key(d.resolved_at).and_then(|k| buckets.get_mut(&k))
        {
            b.resolved += 1;
            if j.on_time {
                b.on_time += 1;
            } else {
                b.late += 1;
            }
        }
        if j.withdrawn
            && let Some(b) = key(d.withdrawn_at).and_then(|k| buckets.get_mut(&k))
        {
            b.withdrawn += 1;
        }
    }
    buckets.into_values().collect()
}

/// Per person (user or service-account id): what they received, resolved, let run late, and
/// left undigitized. Names are the caller's to fill in.
pub fn officers(dossiers: &[DossierFacts], p: &Period) -> BTreeMap<String, OfficerCounts> {
    let mut out: BTreeMap<String, OfficerCounts> = BTreeMap::new();
    for d in dossiers {
        let j = judge(d, p);
        if j.new
            && let Some(person) = &d.received_by
        {
            let line = out.entry(person.clone()).or_default();
            line.received += 1;
            line.reception_digitization_missing += i64::from(!d.reception_digitized);
        }
        if j.resolved
            && d.resolved_by_agency_id.is_none()
            && let Some(person) = &d.resolved_by
        {
            let line = out.entry(person.clone()).or_default();
            line.resolved += 1;
            line.result_digitization_missing += i64::from(!d.result_digitized);
            if !j.on_time {
                line.late += 1;
                line.apologies_missing += i64::from(!j.apologized);
            }
        }
        if j.in_progress()
            && j.overdue
            && !j.apologized
            && let Some(person) = &d.assignee_id
        {
            out.entry(person.clone()).or_default().apologies_missing += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use chrono::Duration;
    use proptest::prelude::*;

    use super::*;

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
        reception_and_resolution_of(&total)
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
            agency_id: "a".into(),
            procedure_id: "p".into(),
            field: "Hộ tịch".into(),
            offer: Offer::Partial,
            channel: Channel::Online,
            fee: 0,
            paid_online: false,
            submitted_at: h(accepted_h.unwrap_or(0) - 1),
            answer_due_at: Some(h(accepted_h.unwrap_or(0) + 24)),
            first_response_at: accepted_h.map(h),
            accepted_at: accepted_h.map(h),
            due_at: accepted_h.map(|a| h(a + due_h)),
            supplement_requested_at: None,
            awaiting_supplement: false,
            apologized_at: None,
            resolved_at: resolved_h.map(h),
            withdrawn_at: withdrawn_h.map(h),
            reception_digitized: true,
            result_digitized: true,
            received_by: Some("u".into()),
            resolved_by: resolved_h.map(|_| "u".into()),
            resolved_by_agency_id: None,
            assignee_id: None,
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
        }
    }

    fn period(from_day: u64, to_day: u64, now_h: i64) -> Period {
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

    fn arbitrary_dossier() -> impl Strategy<Value = DossierFacts> {
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
                let resolved =
                    (closing_kind == 0).then_some(()).and(closing).zip(accepted).map(|(c, a)| a + c);
                let withdrawn =
                    (closing_kind == 1).then_some(()).and(closing).zip(accepted).map(|(c, a)| a + c);
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
            let digitization = dossier_figures(&tallies, &procedures_of(&dossiers)).digitization;
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
}
