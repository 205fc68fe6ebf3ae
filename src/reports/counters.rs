//! The report counters read for a period, and rebuilt for a database from before them. Keeping
//! them in step with every write is `crate::records::counters`'s; how a period is tiled into
//! their buckets is `super::rollup`'s.

use std::collections::{BTreeMap, HashMap};

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::figures::Period;
use super::rollup::officers::OfficerCounted;
use super::rollup::{self, Counted};
use crate::clock;
use crate::db::DbConnection;
use crate::db::schema::{dossiers, report_counts, surveys};
use crate::dossiers::row::DossierRow;
use crate::enums::Level;
use crate::error::ApiError;
use crate::records::counters::contribution::Counts;
use crate::records::counters::grain::Grain;
use crate::records::counters::{
    CLOCK, OFFICER, Pending, clock_text, gather_dossier, gather_survey, responsible_key, write_pending,
};

/// Fill the counters from the dossiers and surveys when there are none but there are dossiers:
/// a database from before the counters existed. True when it did.
#[tracing::instrument(skip_all)]
pub fn rebuild_if_empty(conn: &mut DbConnection) -> Result<bool, ApiError> {
    let counted = report_counts::table.select(report_counts::grain).first::<String>(conn).optional()?;
    let any_dossier = dossiers::table.select(dossiers::id).first::<String>(conn).optional()?;
    if counted.is_some() || any_dossier.is_none() {
        return Ok(false);
    }
    crate::db::write_transaction(conn, |conn| {
        let mut pending = Pending::new();
        let mut after = String::new();
        loop {
            // In pages, so that memory stays bounded whatever the history.
            let page: Vec<DossierRow> = dossiers::table
                .filter(dossiers::id.gt(&after))
                .order(dossiers::id)
                .limit(5_000)
                .select(DossierRow::as_select())
                .load(conn)?;
            let Some(last) = page.last() else { break };
            after = last.id.clone();
            for row in &page {
                gather_dossier(&mut pending, &row.facts());
            }
        }
        let answers: Vec<(String, String, String, NaiveDateTime)> = surveys::table
            .inner_join(dossiers::table)
            .select((dossiers::agency_id, dossiers::procedure_id, surveys::level, surveys::submitted_at))
            .load(conn)?;
        for (agency_id, procedure_id, level, at) in answers {
            gather_survey(&mut pending, (&agency_id, &procedure_id), Level::from_db(&level)?, at);
        }
        write_pending(conn, pending)
    })?;
    Ok(true)
}

type Values = (i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64);

/// The event columns read back (the backlog columns are read on their own, over a longer range;
/// the portal's, by [`portal_share`]).
fn values_array(v: Values) -> [i64; 24] {
    [
        v.0, v.1, v.2, v.3, v.4, v.5, v.6, v.7, v.8, v.9, v.10, v.11, v.12, v.13, v.14, v.15, v.16, v.17,
        v.18, 0, 0, 0, 0, 0,
    ]
}

/// Of the dossiers of some agencies submitted on the period's days: how many, and how many of them
/// the national portal holds as they are now (`Counts::submitted`, `Counts::portal_synced`). No
/// dossier is submitted after `as_of`, so the days' sum is the plain count's
/// (`integration::dvcqg::store::synced_share`).
#[tracing::instrument(skip_all, fields(agencies = agency_ids.len()))]
pub fn portal_share(
    conn: &mut DbConnection,
    agency_ids: &[String],
    period: &Period,
) -> Result<(i64, i64), ApiError> {
    let mut out = (0, 0);
    for tile in rollup::ranges(period.from, period.to) {
        let columns = ["submitted", "portal_synced", "0", "0", "0", "0"];
        for s in sums(conn, agency_ids, tile, ("grain", COUNTS), columns)? {
            out.0 += s.a;
            out.1 += s.b;
        }
    }
    Ok(out)
}

/// The counters of a period for some agencies: whole years and months from their grains, the
/// edges from the day grain; and the backlog at [`rollup::judged_on`], the backlog changes of
/// every bucket before it (a year's rows per earlier year, then months and days: what grows with
/// the history is one row per agency, procedure and year, not the dossiers).
#[tracing::instrument(skip_all, fields(agencies = agency_ids.len()))]
pub fn counted<K: Ord>(
    conn: &mut DbConnection,
    agency_ids: &[String],
    period: &Period,
    group: impl Fn(&str) -> K,
) -> Result<BTreeMap<K, Counted>, ApiError> {
    let mut out: BTreeMap<K, Counted> = BTreeMap::new();
    for (grain, first, last) in rollup::ranges(period.from, period.to) {
        let rows: Vec<(String, String, String, Values)> = report_counts::table
            .filter(report_counts::grain.eq(grain.as_str()))
            .filter(report_counts::agency_id.eq_any(agency_ids))
            .filter(report_counts::bucket.ge(first))
            .filter(report_counts::bucket.le(last))
            .filter(report_counts::responsible.not_like(format!("{OFFICER}%")))
            .filter(report_counts::responsible.not_like(format!("{CLOCK}%")))
            .select((
                report_counts::agency_id,
                report_counts::procedure_id,
                report_counts::responsible,
                (
                    report_counts::new_online,
                    report_counts::new_direct,
                    report_counts::new_postal,
                    report_counts::reception_digitized,
                    report_counts::payable,
                    report_counts::paid_online,
                    report_counts::resolved,
                    report_counts::early,
                    report_counts::on_time,
                    report_counts::late_apologized,
                    report_counts::result_digitized,
                    report_counts::withdrawn,
                    report_counts::online_submitted,
                    report_counts::answered_in_time,
                    report_counts::very_satisfied,
                    report_counts::satisfied,
                    report_counts::unsatisfied,
                    report_counts::reception_missing,
                    report_counts::result_missing,
                ),
            ))
            .load(conn)?;
        for (agency_id, procedure_id, responsible, values) in rows {
            let counts = Counts::from_array(values_array(values));
            let out = out.entry(group(&agency_id)).or_default();
            match responsible_key(&responsible) {
                None => *out.by_procedure.entry(procedure_id).or_default() += counts,
                Some(who) => *out.missing.entry(who).or_default() += counts,
            }
        }
    }
    let Some(tiles) = before_judged(period) else { return Ok(out) };
    let columns = ["backlog", "backlog_overdue", "backlog_apologized", "0", "0", "0"];
    // By agency and procedure, so that each line of the league table gets its own backlog.
    for tile in tiles {
        for s in sums(conn, agency_ids, tile, (BY_PROCEDURE, COUNTS), columns)? {
            let (agency_id, procedure_id) = split_key(&s.key)?;
            *out.entry(group(agency_id)).or_default().backlog.entry(procedure_id.to_owned()).or_default() +=
                Counts { backlog: s.a, backlog_overdue: s.b, backlog_apologized: s.c, ..Counts::default() };
        }
    }
    // A period that has ended: the answer clocks of its submissions still running at its end.
    if period.as_of == period.end {
        let judged_on = rollup::judged_on(period);
        let who = format!("responsible >= '{}' AND responsible LIKE '{CLOCK}%'", clock_text(period.from));
        let columns = ["answered_in_time", "0", "0", "0", "0", "0"];
        for s in sums(conn, agency_ids, (Grain::Day, judged_on, judged_on), (BY_PROCEDURE, &who), columns)? {
            let (agency_id, procedure_id) = split_key(&s.key)?;
            *out.entry(group(agency_id))
                .or_default()
                .answer_running
                .entry(procedure_id.to_owned())
                .or_default() += s.a;
        }
    }
    Ok(out)
}

/// The tiles of every day before [`rollup::judged_on`], from the first year a date may have: what
/// the backlog changes are summed over (a year's rows per earlier year, then months and days).
fn before_judged(period: &Period) -> Option<Vec<(Grain, NaiveDate, NaiveDate)>> {
    let first = NaiveDate::from_ymd_opt(*clock::YEARS.start(), 1, 1)?;
    Some(rollup::ranges(first, rollup::judged_on(period).pred_opt()?))
}

/// Grouped by agency and procedure.
const BY_PROCEDURE: &str = "agency_id || '|' || procedure_id";
/// The dossier counts' rows.
const COUNTS: &str = "responsible = ''";

fn split_key(key: &str) -> Result<(&str, &str), ApiError> {
    key.split_once('|').ok_or_else(|| ApiError::Internal(anyhow::anyhow!("a counter key without its agency")))
}

/// The officers' lines of some agencies for a period ([`OfficerCounted`]): the events of the
/// period's tiles and the backlog changes of every day before the judging midnight, by person.
#[tracing::instrument(skip_all, fields(agencies = agency_ids.len()))]
pub fn officer_counts(
    conn: &mut DbConnection,
    agency_ids: &[String],
    period: &Period,
) -> Result<OfficerCounted, ApiError> {
    let mut out = OfficerCounted::default();
    let who = format!("responsible LIKE '{OFFICER}%'");
    let person = |key: &str| key.strip_prefix(OFFICER).unwrap_or(key).to_owned();
    let columns = [
        "new_online + new_direct + new_postal",
        "reception_missing",
        "resolved",
        "on_time",
        "late_apologized",
        "result_missing",
    ];
    for tile in rollup::ranges(period.from, period.to) {
        for s in sums(conn, agency_ids, tile, ("responsible", &who), columns)? {
            *out.events.entry(person(&s.key)).or_default() += Counts {
                new_direct: s.a,
                reception_missing: s.b,
                resolved: s.c,
                on_time: s.d,
                late_apologized: s.e,
                result_missing: s.f,
                ..Counts::default()
            };
        }
    }
    let Some(tiles) = before_judged(period) else { return Ok(out) };
    for tile in tiles {
        for s in sums(
            conn,
            agency_ids,
            tile,
            ("responsible", &who),
            ["backlog_overdue", "backlog_apologized", "0", "0", "0", "0"],
        )? {
            *out.backlog.entry(person(&s.key)).or_default() +=
                Counts { backlog_overdue: s.a, backlog_apologized: s.b, ..Counts::default() };
        }
    }
    Ok(out)
}

/// Six sums of counter columns for one key (a bucket or a procedure), added up by the database.
#[derive(diesel::QueryableByName)]
struct Sums {
    #[diesel(sql_type = diesel::sql_types::Text)]
    key: String,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    a: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    b: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    c: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    d: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    e: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    f: i64,
}

/// The counts of some agencies in the buckets of one grain from `first` to `last`, of the rows
/// `who` selects (a condition on `responsible`), grouped by `key` with six summed `columns` (SQL
/// expressions, all seven, never from a client):
/// the database adds the rows up, so that only one row per key crosses over. Backend-specific
/// only for the placeholder syntax.
fn sums(
    conn: &mut DbConnection,
    agency_ids: &[String],
    (grain, first, last): (Grain, NaiveDate, NaiveDate),
    (key, who): (&str, &str),
    columns: [&str; 6],
) -> Result<Vec<Sums>, ApiError> {
    use diesel::sql_types::{Array, Date, Text};
    let sums: Vec<String> = columns
        .iter()
        .zip(["a", "b", "c", "d", "e", "f"])
        .map(|(c, n)| format!("CAST(SUM({c}) AS BIGINT) AS {n}"))
        .collect();
    let statement = |agencies: &str, mark: &dyn Fn(usize) -> String| {
        format!(
            "SELECT CAST({key} AS TEXT) AS key, {} FROM report_counts WHERE grain = {} AND bucket >= {} \
             AND bucket <= {} AND {who} AND agency_id {agencies} GROUP BY {key}",
            sums.join(", "),
            mark(1),
            mark(2),
            mark(3),
        )
    };
    let rows = match conn {
        DbConnection::Postgres(c) => diesel::sql_query(statement("= ANY($4)", &|i| format!("${i}")))
            .bind::<Text, _>(grain.as_str())
            .bind::<Date, _>(first)
            .bind::<Date, _>(last)
            .bind::<Array<Text>, _>(agency_ids)
            .load(c)?,
        DbConnection::Sqlite(c) => {
            let marks = vec!["?"; agency_ids.len()].join(", ");
            let mut query = diesel::sql_query(statement(&format!("IN ({marks})"), &|_| "?".to_owned()))
                .into_boxed()
                .bind::<Text, _>(grain.as_str())
                .bind::<Date, _>(first)
                .bind::<Date, _>(last);
            for id in agency_ids {
                query = query.bind::<Text, _>(id);
            }
            query.load(c)?
        }
    };
    Ok(rows)
}

/// The event counts of a time series' buckets (each a range of days, in order, within the
/// period): received, of which online; resolved, of which on time; withdrawn. Each bucket is
/// tiled like a period, and each grain read once for all the buckets.
#[tracing::instrument(skip_all, fields(agencies = agency_ids.len(), buckets = buckets.len()))]
pub fn bucket_events(
    conn: &mut DbConnection,
    agency_ids: &[String],
    buckets: &[(NaiveDate, NaiveDate)],
) -> Result<Vec<[i64; 5]>, ApiError> {
    let tiles: Vec<Vec<(Grain, NaiveDate, NaiveDate)>> =
        buckets.iter().map(|(first, last)| rollup::ranges(*first, *last)).collect();
    let mut by_bucket: HashMap<(Grain, NaiveDate), [i64; 5]> = HashMap::new();
    for grain in Grain::ALL {
        let of_grain = tiles.iter().flatten().filter(|(g, _, _)| *g == grain);
        let (Some(first), Some(last)) = (of_grain.clone().map(|t| t.1).min(), of_grain.map(|t| t.2).max())
        else {
            continue;
        };
        let columns =
            ["new_online + new_direct + new_postal", "new_online", "resolved", "on_time", "withdrawn", "0"];
        for s in sums(conn, agency_ids, (grain, first, last), ("bucket", COUNTS), columns)? {
            let bucket =
                NaiveDate::parse_from_str(&s.key, "%Y-%m-%d").map_err(|e| ApiError::Internal(e.into()))?;
            by_bucket.insert((grain, bucket), [s.a, s.b, s.c, s.d, s.e]);
        }
    }
    Ok(tiles
        .iter()
        .map(|tiles| {
            let mut out = [0; 5];
            for &(grain, first, last) in tiles {
                let mut bucket = first;
                while bucket <= last {
                    for (o, v) in out.iter_mut().zip(by_bucket.get(&(grain, bucket)).unwrap_or(&[0; 5])) {
                        *o += v;
                    }
                    match grain.last_day(bucket).succ_opt() {
                        Some(next) => bucket = next,
                        None => break,
                    }
                }
            }
            out
        })
        .collect())
}
