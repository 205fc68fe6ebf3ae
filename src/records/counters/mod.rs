//! The report counters' write side (`report_counts`), below the slices: every dossier and survey
//! write keeps them in step inside its own transaction, and a generated history or a rebuild
//! writes them in bulk. What a dossier or a survey contributes is `contribution`'s, pure; the
//! facts it is computed from are `facts`, built by the dossiers slice. Reading them for a period
//! is the report's. Nothing here imports a slice, so that the slices that write can call down.

pub mod contribution;
pub mod facts;
pub mod grain;

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use rustc_hash::FxHashMap;

use self::contribution::{Counts, answer_clocks, contribution, officer_contribution, survey_contribution};
use self::facts::{DossierFacts, ResponsibleKey, local_day};
use self::grain::Grain;
use crate::clock;
use crate::db::schema::report_counts;
use crate::db::{CountsDelta, DbConnection};
use crate::enums::Level;
use crate::error::ApiError;

/// How who answers for a missing digitization is stored in `report_counts.responsible`: empty for
/// the dossier and survey counts, `p:` a person's id, `a:` an agency's.
fn write_responsible(text: &mut String, who: Option<&ResponsibleKey>) {
    match who {
        None => {}
        Some(ResponsibleKey::Person(id)) => {
            text.push_str("p:");
            text.push_str(id);
        }
        Some(ResponsibleKey::Agency(id)) => {
            text.push_str("a:");
            text.push_str(id);
        }
    }
}

/// The `responsible` prefix of an officer's line (`o:<person id>`, procedure '', every grain):
/// what the officers report sums ([`contribution::officer_contribution`]).
pub const OFFICER: &str = "o:";

/// The `responsible` prefix of the answer clocks (`c:<submission day>`, by procedure, day grain
/// only, the bucket the midnight the clock ran at, the count in `answered_in_time`):
/// [`contribution::answer_clocks`].
pub const CLOCK: &str = "c:";

/// The `responsible` of the answer clocks of submissions on `day`. ISO dates sort as text, so
/// "submitted on or after a day" is a text comparison.
pub fn clock_text(day: NaiveDate) -> String {
    format!("{CLOCK}{day}")
}

/// Everything a dossier puts in the counters, by day and `responsible`: the dossier counts and
/// the missing digitization, the officers' lines, the answer clocks.
fn dossier_rows(d: &DossierFacts) -> BTreeMap<(NaiveDate, String), Counts> {
    let mut out: BTreeMap<(NaiveDate, String), Counts> = BTreeMap::new();
    each_dossier_row(d, |day, responsible, counts| {
        *out.entry((day, responsible.to_owned())).or_default() += counts;
    });
    out
}

/// [`dossier_rows`] one contribution at a time (a day and `responsible` may come more than once:
/// the caller sums), with the `responsible` text lent from one buffer: `generate` gathers millions
/// of dossiers, and a text allocated for each was a fifth of its time.
fn each_dossier_row(d: &DossierFacts, mut add: impl FnMut(NaiveDate, &str, Counts)) {
    let mut text = String::new();
    for ((day, who), counts) in contribution(d) {
        text.clear();
        write_responsible(&mut text, who.as_ref());
        add(day, &text, counts);
    }
    for ((day, person), counts) in officer_contribution(d) {
        text.clear();
        text.push_str(OFFICER);
        text.push_str(&person);
        add(day, &text, counts);
    }
    for (day, submitted) in answer_clocks(d) {
        add(day, &clock_text(submitted), Counts { answered_in_time: 1, ..Counts::default() });
    }
}

/// The grains a `responsible` is kept at: the answer clocks only by day (a report reads them at
/// one midnight), everything else by day, month and year.
fn grains_of(responsible: &str) -> &'static [Grain] {
    if responsible.starts_with(CLOCK) { &[Grain::Day] } else { &Grain::ALL }
}

/// Whether a row is kept under its procedure: not one for who answers for something (missing
/// digitization, an officer's line), which is counted per person, not per procedure.
fn kept_by_procedure(responsible: &str) -> bool {
    responsible.is_empty() || responsible.starts_with(CLOCK)
}

/// The procedure a row is kept under ([`kept_by_procedure`]; none otherwise).
fn procedure_of<'a>(responsible: &str, procedure_id: &'a str) -> &'a str {
    if kept_by_procedure(responsible) { procedure_id } else { "" }
}

/// The stored `responsible` read back: `None` for the dossier and survey counts.
pub fn responsible_key(text: &str) -> Option<ResponsibleKey> {
    if let Some(id) = text.strip_prefix("p:") {
        Some(ResponsibleKey::Person(id.to_owned()))
    } else {
        text.strip_prefix("a:").map(|id| ResponsibleKey::Agency(id.to_owned()))
    }
}

/// Keep a dossier's counters in step with a write: add what the dossier now contributes, take out
/// what it contributed before (`None` at intake). Call inside the write's transaction.
pub fn record_dossier(
    conn: &mut DbConnection,
    before: Option<&DossierFacts>,
    after: &DossierFacts,
) -> Result<(), ApiError> {
    let mut changes = dossier_rows(after);
    if let Some(before) = before {
        for (key, counts) in dossier_rows(before) {
            *changes.entry(key).or_default() -= counts;
        }
    }
    let changes = changes.into_iter().map(|((day, responsible), counts)| (day, responsible, counts));
    add_counts(conn, &after.agency_id, &after.procedure_id, changes)
}

/// Count a survey of a dossier (agency, procedure) on the day it was submitted.
pub fn record_survey(
    conn: &mut DbConnection,
    (agency_id, procedure_id): (&str, &str),
    level: Level,
    at: NaiveDateTime,
) -> Result<(), ApiError> {
    let day = local_day(clock::from_db(at));
    add_counts(conn, agency_id, procedure_id, [(day, String::new(), survey_contribution(level))])
}

/// Counters gathered in memory (by `generate` and a rebuild), keyed by agency, procedure, day and
/// responsible. A generated history adds millions of contributions to a few hundred thousand keys,
/// so each text (an id, a `responsible`) is kept once and the keys are its number: no text is
/// copied or hashed again per contribution, only looked up.
///
/// The maps hash with Fx rather than the standard library's SipHash: their keys are ours, not an
/// attacker's, and hashing was a tenth of a generated history's time.
pub struct Pending {
    numbers: FxHashMap<String, u32>,
    texts: Vec<String>,
    counts: FxHashMap<(u32, u32, NaiveDate, u32), Counts>,
}

/// The number of the empty text: the procedure of a line kept per person, the dossier counts'
/// `responsible`.
const EMPTY: u32 = 0;

impl Pending {
    pub fn new() -> Self {
        let mut pending =
            Pending { numbers: FxHashMap::default(), texts: Vec::new(), counts: FxHashMap::default() };
        pending.number("");
        pending
    }

    fn number(&mut self, text: &str) -> u32 {
        if let Some(&n) = self.numbers.get(text) {
            return n;
        }
        let n = u32::try_from(self.texts.len()).expect("fewer than 2^32 distinct texts");
        self.texts.push(text.to_owned());
        self.numbers.insert(text.to_owned(), n);
        n
    }

    /// Add to the row the counts are kept in: its day's, under the procedure or none
    /// ([`kept_by_procedure`]); the month's and year's are summed from the days'.
    fn add(&mut self, (agency, procedure): (u32, u32), day: NaiveDate, responsible: &str, counts: Counts) {
        let procedure = if kept_by_procedure(responsible) { procedure } else { EMPTY };
        let responsible = self.number(responsible);
        *self.counts.entry((agency, procedure, day, responsible)).or_default() += counts;
    }
}

impl Default for Pending {
    fn default() -> Self {
        Self::new()
    }
}

/// Gather a dossier's contribution for [`write_pending`].
pub fn gather_dossier(pending: &mut Pending, facts: &DossierFacts) {
    let key = (pending.number(&facts.agency_id), pending.number(&facts.procedure_id));
    each_dossier_row(facts, |day, responsible, counts| pending.add(key, day, responsible, counts));
}

/// Gather a survey's contribution for [`write_pending`]: the survey of a dossier (agency, procedure).
pub fn gather_survey(
    pending: &mut Pending,
    (agency_id, procedure_id): (&str, &str),
    level: Level,
    at: NaiveDateTime,
) {
    let key = (pending.number(agency_id), pending.number(procedure_id));
    pending.add(key, local_day(clock::from_db(at)), "", survey_contribution(level));
}

#[derive(Insertable)]
#[diesel(table_name = report_counts, treat_none_as_default_value = false)]
struct CountsRow {
    grain: &'static str,
    agency_id: String,
    bucket: NaiveDate,
    procedure_id: String,
    responsible: String,
    new_online: i64,
    new_direct: i64,
    new_postal: i64,
    reception_digitized: i64,
    payable: i64,
    paid_online: i64,
    resolved: i64,
    early: i64,
    on_time: i64,
    late_apologized: i64,
    result_digitized: i64,
    withdrawn: i64,
    online_submitted: i64,
    answered_in_time: i64,
    very_satisfied: i64,
    satisfied: i64,
    unsatisfied: i64,
    reception_missing: i64,
    result_missing: i64,
    backlog: i64,
    backlog_overdue: i64,
    backlog_apologized: i64,
    submitted: i64,
    portal_synced: i64,
}

impl CountsRow {
    fn new(
        grain: &'static str,
        (agency_id, procedure_id, bucket, responsible): (String, String, NaiveDate, String),
        c: Counts,
    ) -> Self {
        CountsRow {
            grain,
            agency_id,
            bucket,
            procedure_id,
            responsible,
            new_online: c.new_online,
            new_direct: c.new_direct,
            new_postal: c.new_postal,
            reception_digitized: c.reception_digitized,
            payable: c.payable,
            paid_online: c.paid_online,
            resolved: c.resolved,
            early: c.early,
            on_time: c.on_time,
            late_apologized: c.late_apologized,
            result_digitized: c.result_digitized,
            withdrawn: c.withdrawn,
            online_submitted: c.online_submitted,
            answered_in_time: c.answered_in_time,
            very_satisfied: c.very_satisfied,
            satisfied: c.satisfied,
            unsatisfied: c.unsatisfied,
            reception_missing: c.reception_missing,
            result_missing: c.result_missing,
            backlog: c.backlog,
            backlog_overdue: c.backlog_overdue,
            backlog_apologized: c.backlog_apologized,
            submitted: c.submitted,
            portal_synced: c.portal_synced,
        }
    }
}

/// Write gathered counters of agencies that have none yet (a generated history, a rebuild): plain inserts
/// in bulk ([`crate::db::bulk_insert`]).
pub fn write_pending(conn: &mut DbConnection, pending: Pending) -> Result<(), ApiError> {
    let Pending { texts, counts, .. } = pending;
    // The gathered rows are the days'; the longer grains (those after the day, finest first) sum
    // them.
    let mut longer: FxHashMap<(Grain, u32, u32, NaiveDate, u32), Counts> = FxHashMap::default();
    for (&(agency, procedure, day, responsible), &counts) in &counts {
        for &grain in &grains_of(&texts[responsible as usize])[1..] {
            *longer.entry((grain, agency, procedure, grain.bucket(day), responsible)).or_default() += counts;
        }
    }
    let text = |n: u32| texts[n as usize].clone();
    let days = counts.into_iter().map(|((agency, procedure, day, responsible), counts)| {
        CountsRow::new(Grain::Day.as_str(), (text(agency), text(procedure), day, text(responsible)), counts)
    });
    let mut rows: Vec<CountsRow> = longer
        .into_iter()
        .map(|((grain, agency, procedure, bucket, responsible), counts)| {
            CountsRow::new(grain.as_str(), (text(agency), text(procedure), bucket, text(responsible)), counts)
        })
        .chain(days)
        .collect();
    // In the primary key's order: every row goes at the end of its B-tree.
    rows.sort_unstable_by(|a, b| {
        (a.grain, &a.agency_id, a.bucket, &a.procedure_id, &a.responsible).cmp(&(
            b.grain,
            &b.agency_id,
            b.bucket,
            &b.procedure_id,
            &b.responsible,
        ))
    });
    // One COPY on PostgreSQL; on SQLite 29 columns × 1,000 rows stays under its 32,766 bound
    // parameters.
    crate::db::bulk_insert!(conn, report_counts::table, &rows, 1_000)?;
    Ok(())
}

/// Add to the day's, the month's and the year's counters (an upsert that adds, so concurrent writes
/// add up). Rows are taken in one global order (grain, bucket, responsible), so that two
/// transactions never wait for each other in a cycle on PostgreSQL.
fn add_counts(
    conn: &mut DbConnection,
    agency_id: &str,
    procedure_id: &str,
    changes: impl IntoIterator<Item = (NaiveDate, String, Counts)>,
) -> Result<(), ApiError> {
    let mut rows: BTreeMap<(Grain, NaiveDate, String), Counts> = BTreeMap::new();
    for (day, responsible, counts) in changes {
        for &grain in grains_of(&responsible) {
            *rows.entry((grain, grain.bucket(day), responsible.clone())).or_default() += counts;
        }
    }
    let deltas: Vec<CountsDelta> = rows
        .iter()
        .filter(|(_, c)| !c.is_zero())
        .map(|((grain, bucket, responsible), counts)| CountsDelta {
            grain: grain.as_str(),
            bucket: *bucket,
            procedure_id: procedure_of(responsible, procedure_id),
            responsible,
            values: counts.as_array(),
        })
        .collect();
    if deltas.is_empty() {
        return Ok(());
    }
    Ok(crate::db::add_report_counts(conn, agency_id, &deltas)?)
}
