//! The report counters read for a period, and rebuilt for a database from before them. Keeping
//! them in step with every write is `crate::records::counters`'s; how a period is tiled into
//! their buckets is `super::rollup`'s.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::figures::Period;
use super::rollup::{self, Counted};
use crate::clock;
use crate::db::DbConnection;
use crate::db::schema::{dossiers, report_counts, surveys};
use crate::dossiers::row::DossierRow;
use crate::enums::Level;
use crate::error::ApiError;
use crate::records::counters::contribution::Counts;
use crate::records::counters::{Pending, gather_dossier, gather_survey, responsible_key, write_pending};

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

/// The event columns read back (the backlog columns are read on their own, over a longer range).
fn values_array(v: Values) -> [i64; 22] {
    [
        v.0, v.1, v.2, v.3, v.4, v.5, v.6, v.7, v.8, v.9, v.10, v.11, v.12, v.13, v.14, v.15, v.16, v.17,
        v.18, 0, 0, 0,
    ]
}

/// The counters of a period for some agencies: whole years and months from their grains, the
/// edges from the day grain; and the backlog at [`rollup::judged_on`], the backlog changes of
/// every bucket before it (a year's rows per earlier year, then months and days: what grows with
/// the history is one row per agency, procedure and year, not the dossiers).
#[tracing::instrument(skip_all, fields(agencies = agency_ids.len()))]
pub fn counted(conn: &mut DbConnection, agency_ids: &[String], period: &Period) -> Result<Counted, ApiError> {
    let mut out = Counted::default();
    for (grain, first, last) in rollup::ranges(period.from, period.to) {
        let rows: Vec<(String, String, Values)> = report_counts::table
            .filter(report_counts::grain.eq(grain.as_str()))
            .filter(report_counts::agency_id.eq_any(agency_ids))
            .filter(report_counts::bucket.ge(first))
            .filter(report_counts::bucket.le(last))
            .select((
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
        for (procedure_id, responsible, values) in rows {
            let counts = Counts::from_array(values_array(values));
            match responsible_key(&responsible) {
                None => *out.by_procedure.entry(procedure_id).or_default() += counts,
                Some(who) => *out.missing.entry(who).or_default() += counts,
            }
        }
    }
    let (Some(first), Some(last)) =
        (NaiveDate::from_ymd_opt(*clock::YEARS.start(), 1, 1), rollup::judged_on(period).pred_opt())
    else {
        return Ok(out);
    };
    for (grain, first, last) in rollup::ranges(first, last) {
        let rows: Vec<(String, i64, i64, i64)> = report_counts::table
            .filter(report_counts::grain.eq(grain.as_str()))
            .filter(report_counts::agency_id.eq_any(agency_ids))
            .filter(report_counts::bucket.ge(first))
            .filter(report_counts::bucket.le(last))
            .filter(report_counts::responsible.eq(""))
            .filter(
                report_counts::backlog
                    .ne(0)
                    .or(report_counts::backlog_overdue.ne(0))
                    .or(report_counts::backlog_apologized.ne(0)),
            )
            .select((
                report_counts::procedure_id,
                report_counts::backlog,
                report_counts::backlog_overdue,
                report_counts::backlog_apologized,
            ))
            .load(conn)?;
        for (procedure_id, backlog, backlog_overdue, backlog_apologized) in rows {
            *out.backlog.entry(procedure_id).or_default() +=
                Counts { backlog, backlog_overdue, backlog_apologized, ..Counts::default() };
        }
    }
    Ok(out)
}
