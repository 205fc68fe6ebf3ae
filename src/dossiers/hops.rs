//! Joint processing (liên thông): the chain of agencies a dossier went through, each hop with
//! when it was sent on, when the result came back, and the working time the receiving agency
//! held it (in that agency's calendar), so that the agency that was late can be named. The legal
//! deadline stays the procedure's, counted at the reception agency (`due_at`). The periods each
//! agency held it, the desk's own included, are `holding`'s.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::access::load_visible;
use super::holding::{self, AgencyHolding, Holding};
use super::store::{self, HopRow};
use crate::auth::caller::Caller;
use crate::calendar::cache::CalendarCache;
use crate::calendar::working_time::{Calendar, working_time_between};
use crate::db::DbConnection;
use crate::error::ApiError;

#[derive(Debug, Serialize, ToSchema)]
pub struct Hop {
    /// 1 for the first transfer, and so on.
    pub seq: i64,
    pub from_agency_id: String,
    pub to_agency_id: String,
    pub sent_at: DateTime<Utc>,
    /// The user or service account that sent it on.
    pub sent_by: String,
    pub note: Option<String>,
    /// When the result came back to the desk; null while the receiving agency holds it.
    pub returned_at: Option<DateTime<Utc>>,
    /// The working time the receiving agency held the dossier, in minutes: until the next
    /// transfer, or the result, or now.
    pub held_working_minutes: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Hops {
    pub items: Vec<Hop>,
    /// Who held the dossier when, the reception desk included (before the first transfer and
    /// after the result came back): from its submission to its end or now, without gap or
    /// overlap, each period in its holder's working time.
    pub periods: Vec<Holding>,
    /// Each agency's holding time, the sum of its periods, the desk first: who was late.
    pub by_agency: Vec<AgencyHolding>,
}

/// The hops with the time each receiving agency held the dossier, at `now`: a hop ends at the
/// next hop's transfer, or when the result came back, or now. `calendars[i]` is the working time
/// of hop `i`'s receiving agency.
pub fn held(rows: Vec<HopRow>, calendars: &[&Calendar], now: DateTime<Utc>) -> Vec<Hop> {
    let ends: Vec<Option<DateTime<Utc>>> =
        rows.iter().skip(1).map(|next| Some(next.sent_at.and_utc())).chain([None]).collect();
    rows.into_iter()
        .zip(ends)
        .zip(calendars)
        .map(|((row, next), calendar)| {
            let sent_at = row.sent_at.and_utc();
            let returned_at = row.returned_at.map(|t| t.and_utc());
            let end = next.or(returned_at).unwrap_or(now);
            Hop {
                held_working_minutes: working_time_between(sent_at, end, calendar).num_minutes(),
                seq: row.seq,
                from_agency_id: row.from_agency_id,
                to_agency_id: row.to_agency_id,
                sent_at,
                sent_by: row.sent_by,
                note: row.note,
                returned_at,
            }
        })
        .collect()
}

/// The chain of a dossier the caller may see.
pub fn load(
    conn: &mut DbConnection,
    calendars: &CalendarCache,
    caller: &Caller,
    id: &str,
    now: DateTime<Utc>,
) -> Result<Hops, ApiError> {
    let row = load_visible(conn, caller, id)?;
    let rows = store::hops(conn, &row.id)?;
    let mut held_by = Vec::with_capacity(rows.len());
    for hop in &rows {
        held_by.push(calendars.get(conn, Some(&hop.to_agency_id))?);
    }
    let desk = calendars.get(conn, Some(&row.agency_id))?;
    let calendar_of = |agency: &str| match rows.iter().position(|h| h.to_agency_id == agency) {
        Some(i) => &held_by[i].calendar,
        None => &desk.calendar,
    };
    let end = row.returned_at.or(row.withdrawn_at).or(row.rejected_at).map(|t| t.and_utc());
    let periods =
        holding::periods(&row.agency_id, (row.submitted_at.and_utc(), end), &rows, now, calendar_of);
    let by_agency = holding::by_agency(&periods);
    let calendars: Vec<&Calendar> = held_by.iter().map(|c| &c.calendar).collect();
    Ok(Hops { items: held(rows, &calendars, now), periods, by_agency })
}
