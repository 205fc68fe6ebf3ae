//! Who held a joint-processing dossier when, the reception desk included: its time cut into
//! periods, each with the agency that held it, and each agency's working time in its own calendar
//! (so that "who was late" reads from one answer). Pure: no SQL, no clock.
//!
//! The dossier's time runs from its submission (the desk holds it from then, through the
//! answer and the acceptance) to its end (returned to the applicant, withdrawn or rejected) or
//! now. A transfer hands it to its receiving agency; the result coming back (every open hop
//! closed at once) hands it back to the desk. The periods follow one another without gap or
//! overlap, so their sum is the whole; an agency's figure is the sum of its periods.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::store::HopRow;
use crate::calendar::working_time::{Calendar, working_time_between};

/// One stretch of time an agency held the dossier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Holding {
    pub agency_id: String,
    /// Whether this is the reception desk (the dossier's own agency).
    pub desk: bool,
    pub from: DateTime<Utc>,
    /// null: the agency holds it still (counted to now).
    pub until: Option<DateTime<Utc>>,
    /// In the holding agency's working time.
    pub working_minutes: i64,
}

/// One agency's whole holding time, the sum of its periods.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct AgencyHolding {
    pub agency_id: String,
    pub desk: bool,
    pub working_minutes: i64,
}

/// The dossier's time as the periods each agency held it: from `start` to `end` (None: now).
pub fn periods<'c>(
    desk: &str,
    (start, end): (DateTime<Utc>, Option<DateTime<Utc>>),
    hops: &[HopRow],
    now: DateTime<Utc>,
    calendar_of: impl Fn(&str) -> &'c Calendar,
) -> Vec<Holding> {
    // The instants the holder changed, in order: a transfer to its agency, a return to the desk.
    let mut changes: Vec<(DateTime<Utc>, &str)> = Vec::new();
    for hop in hops {
        let sent = hop.sent_at.and_utc().max(start);
        if let Some((last, _)) = changes.last()
            && *last > sent
        {
            continue;
        }
        changes.push((sent, &hop.to_agency_id));
        if let Some(back) = hop.returned_at.map(|t| t.and_utc().max(sent)) {
            // A later hop sent before the return took it on from there: the return is its.
            let later = hops.iter().any(|h| h.seq > hop.seq && h.sent_at.and_utc() <= back);
            if !later {
                changes.push((back, desk));
            }
        }
    }
    let mut out: Vec<Holding> = Vec::new();
    let mut holder = (start, desk);
    for (at, agency) in changes {
        out.push(period(holder, Some(at), now, &calendar_of));
        holder = (at, agency);
    }
    out.push(period(holder, end.map(|e| e.max(holder.0)), now, &calendar_of));
    for held in &mut out {
        held.desk = held.agency_id == desk;
    }
    out
}

fn period<'c>(
    (from, agency): (DateTime<Utc>, &str),
    until: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    calendar_of: &impl Fn(&str) -> &'c Calendar,
) -> Holding {
    let to = until.unwrap_or(now).max(from);
    Holding {
        agency_id: agency.to_owned(),
        desk: false,
        from,
        until,
        working_minutes: working_time_between(from, to, calendar_of(agency)).num_minutes(),
    }
}

/// Each agency's total, in the order it first held the dossier (the desk first).
pub fn by_agency(periods: &[Holding]) -> Vec<AgencyHolding> {
    let mut out: Vec<AgencyHolding> = Vec::new();
    for held in periods {
        match out.iter_mut().find(|a| a.agency_id == held.agency_id) {
            Some(total) => total.working_minutes += held.working_minutes,
            None => out.push(AgencyHolding {
                agency_id: held.agency_id.clone(),
                desk: held.desk,
                working_minutes: held.working_minutes,
            }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, NaiveDateTime};

    use super::*;

    /// `day` January 2024 (the 8th a Monday) at `hour`:00 Vietnam time, as stored (UTC).
    fn at(day: u32, hour: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2024, 1, day).unwrap().and_hms_opt(hour - 7, 0, 0).unwrap()
    }

    fn hop(seq: i64, from: &str, to: &str, sent: NaiveDateTime, back: Option<NaiveDateTime>) -> HopRow {
        HopRow {
            dossier_id: "d".into(),
            seq,
            from_agency_id: from.into(),
            to_agency_id: to.into(),
            sent_at: sent,
            sent_by: "u".into(),
            note: None,
            returned_at: back,
        }
    }

    fn span(periods: &[Holding]) -> Vec<(&str, bool, i64)> {
        periods.iter().map(|p| (p.agency_id.as_str(), p.desk, p.working_minutes)).collect()
    }

    #[test]
    fn the_desk_holds_it_before_the_first_transfer_and_after_the_result() {
        let calendar = Calendar::default();
        // Desk 8:00–9:00, labour 9:00–11:00, deciding 11:00–14:00 (lunch 12–13 off), desk to 16:00.
        let hops = [
            hop(1, "desk", "labour", at(8, 9), Some(at(8, 14))),
            hop(2, "labour", "deciding", at(8, 11), Some(at(8, 14))),
        ];
        let start = at(8, 8).and_utc();
        let periods = periods("desk", (start, Some(at(8, 16).and_utc())), &hops, start, |_| &calendar);
        let minutes: Vec<_> = span(&periods);
        assert_eq!(minutes[0], ("desk", true, 60));
        assert_eq!(minutes[1], ("labour", false, 120));
        assert_eq!(minutes[2].0, "deciding");
        assert_eq!(minutes[3].0, "desk");
        assert_eq!(periods.len(), 4);
        for pair in periods.windows(2) {
            assert_eq!(pair[0].until, Some(pair[1].from), "no gap, no overlap");
        }
        let whole = working_time_between(start, at(8, 16).and_utc(), &calendar).num_minutes();
        let totals = by_agency(&periods);
        assert_eq!(totals.iter().map(|a| a.working_minutes).sum::<i64>(), whole, "one calendar: the whole");
        assert_eq!(totals[0].agency_id, "desk");
        assert_eq!(totals[0].working_minutes, periods[0].working_minutes + periods[3].working_minutes);
        assert_eq!(totals.len(), 3);
    }

    #[test]
    fn an_open_hop_is_held_until_now_and_a_lone_desk_holds_it_all() {
        let calendar = Calendar::default();
        let start = at(8, 8).and_utc();
        let now = at(8, 10).and_utc();
        let hops = [hop(1, "desk", "labour", at(8, 9), None)];
        let periods = periods("desk", (start, None), &hops, now, |_| &calendar);
        assert_eq!(span(&periods), [("desk", true, 60), ("labour", false, 60)]);
        assert_eq!(periods[1].until, None, "held still");
        let alone = super::periods("desk", (start, None), &[], now, |_| &calendar);
        assert_eq!(span(&alone), [("desk", true, 120)]);
    }

    #[test]
    fn each_agency_is_counted_in_its_own_calendar() {
        let office = Calendar::default();
        let day_off = Calendar::new(Default::default(), [at(8, 8).date()], []);
        let start = at(8, 8).and_utc();
        let hops = [hop(1, "desk", "closed", at(8, 9), Some(at(8, 10)))];
        let periods = periods("desk", (start, Some(at(8, 11).and_utc())), &hops, start, |agency| {
            if agency == "closed" { &day_off } else { &office }
        });
        assert_eq!(span(&periods), [("desk", true, 60), ("closed", false, 0), ("desk", true, 60)]);
        assert_eq!(by_agency(&periods)[0].working_minutes, 120);
    }
}
