//! The period in buckets (a day, a week or a month) and by officer, judged dossier by dossier.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};

use super::{Period, judge};
use crate::enums::Channel;
use crate::records::counters::facts::{DossierFacts, local_day};
use crate::reports::model::{Bucket, Granularity, OfficerCounts};

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
