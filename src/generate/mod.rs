//! `motcua generate`: a synthetic but realistic history for benchmarks and demos — a province with
//! K communes and their officers, the starter catalogue, and N dossiers with every kind of path
//! (answered late, returned for supplement, refused at reception, withdrawn, resolved early, on
//! time or late with or without an apology, still open), surveys and feedback.
//!
//! Unlike the demo, which replays a half-year through the live services, this writes rows in bulk:
//! the dossiers are built in memory with the same pure rules (working-time calendar, due dates) by
//! one thread while another writes the previous chunk — one binary COPY per 10,000 dossiers on
//! PostgreSQL, prepared INSERTs of 400 rows on SQLite (with a 1 GiB page cache while it runs) — all
//! in one transaction. Into a database holding at most as many dossiers as it writes (a fresh one),
//! it first drops the secondary indexes of `dossiers`, `dossier_history` and `surveys` and, on
//! PostgreSQL, their keys (primary, unique, foreign, and the foreign keys pointing at them), and
//! builds them again from their own definitions once the rows are in: one sorted build per index
//! and one join per foreign key instead of a dozen random B-tree inserts and five look-ups per row.
//! The transaction makes that safe (both databases roll DDL back) but holds those tables locked
//! against every reader until it ends. The report counters are gathered from the same facts the
//! service counts ([`report_counters::gather_dossier`]) and written at the end, so the reports
//! agree with a plain count of the dossiers (a test checks it on both backends).
//!
//! Each dossier comes with the history the service would have recorded along its path
//! (`dossier_history`, [`trail`]: one to seven steps, its `version` their number), so that its
//! trail and the national portal's progress read as for a dossier that went through the desk. It
//! writes no outbox events: a generated history is the past, which no subscriber is owed. The same
//! seed gives the same data.

mod dossier;
mod trail;
mod voices;
mod world;

use std::collections::HashMap;
use std::sync::mpsc::SyncSender;

use anyhow::bail;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use diesel::prelude::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use self::trail::{StepIds, StepRow};
use self::world::World;
use crate::calendar::working_time::{Calendar, add_working_time};
use crate::clock;
use crate::clock::vietnam;
use crate::db::schema::{dossier_history, dossier_sequences, dossiers, feedback, surveys};
use crate::db::{
    Db, DbConnection, add_constraints, bulk_insert, create_indexes, drop_constraints, drop_secondary_indexes,
    insert_batch, write_transaction,
};
use crate::dossiers::row::DossierRow;
use crate::error::ApiError;
use crate::feedback::model::FeedbackRow;
use crate::records::counters as report_counters;
use crate::surveys::model::SurveyRow;

/// Every generated account has this password.
pub const PASSWORD: &str = "motcua-generated";
/// Rows per INSERT on SQLite: 46 columns × 400 stays under its 32,766 bound parameters.
const BATCH: usize = 400;
/// Dossiers per COPY on PostgreSQL, and per hand-over between the two threads.
const CHUNK: usize = 10_000;
/// The tables filled in bulk, whose keys and secondary indexes are built after the rows.
const BULK_TABLES: &[&str] = &["dossiers", "dossier_history", "surveys"];

pub struct Options {
    pub dossiers: u64,
    pub communes: u32,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub seed: u64,
}

pub struct Generated {
    pub province_id: String,
    pub province_code: String,
    pub leader_username: String,
    pub dossiers: u64,
    pub surveys: u64,
    pub feedback: u64,
}

fn uuid(rng: &mut StdRng) -> String {
    uuid::Builder::from_random_bytes(rng.random()).into_uuid().to_string()
}

fn at_local(day: NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
    let time = NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or(NaiveTime::MIN);
    day.and_time(time).and_local_timezone(vietnam()).single().map_or_else(Utc::now, |t| t.with_timezone(&Utc))
}

fn working(calendar: &Calendar, from: DateTime<Utc>, minutes: i64) -> DateTime<Utc> {
    add_working_time(from, minutes, calendar).unwrap_or(from)
}

/// The last day of the period that can have happened already.
fn period_end(options: &Options) -> anyhow::Result<NaiveDate> {
    if options.from > options.to {
        bail!("--from must not be after --to");
    }
    if options.communes == 0 || options.communes > 10_000 {
        bail!("--communes must be between 1 and 10000");
    }
    let today = crate::records::counters::facts::local_day(clock::now());
    let to = options.to.min(today);
    if options.from > to {
        bail!("the period lies in the future: nothing can have happened yet");
    }
    Ok(to)
}

/// Generate; `progress` is told how many dossiers are written so far.
///
/// Two threads: this one writes while another builds the next rows (building them costs about as
/// much as writing them), handing over chunks of [`CHUNK`] dossiers.
#[tracing::instrument(skip_all, fields(seed = options.seed, dossiers = options.dossiers))]
pub fn run(db: &Db, options: &Options, progress: &dyn Fn(u64)) -> anyhow::Result<Generated> {
    let to = period_end(options)?;
    let mut rng = StdRng::seed_from_u64(options.seed);
    let password_hash = crate::auth::password::hash(PASSWORD)?;
    let mut conn = db.pool().get()?;
    let world = world::create(&mut conn, options, &mut rng, password_hash)?;
    let days: Vec<NaiveDate> = options
        .from
        .iter_days()
        .take_while(|d| *d <= to)
        .filter(|d| !world.calendar.calendar.intervals(*d).is_empty())
        .collect();
    if days.is_empty() {
        bail!("no working day between --from and --to");
    }
    let step_ids = StepIds::new(&mut rng);
    let history = History {
        rng,
        step_ids,
        world: &world,
        days,
        now: clock::now(),
        sequences: HashMap::new(),
        counters: report_counters::Pending::new(),
        built: 0,
        surveys: 0,
        feedback: 0,
    };
    crate::db::bulk_cache(&mut conn, true)?;
    let history = std::thread::scope(|scope| {
        // Two chunks in flight at most: the builder runs ahead by one, memory stays bounded.
        let (chunks, received) = std::sync::mpsc::sync_channel::<Chunk>(1);
        let builder = scope.spawn(move || history.build_all(options.dossiers, &chunks));
        // One transaction: the history is there whole, with its report counters, or not at all.
        write_transaction(&mut conn, |conn| {
            // Into tables at most as large as what is written, the keys and secondary indexes are
            // built once at the end rather than kept up to date row by row.
            let existing = dossiers::table.count().get_result::<i64>(conn)?;
            let (indexes, keys) = if u64::try_from(existing).unwrap_or(u64::MAX) <= options.dossiers {
                (drop_secondary_indexes(conn, BULK_TABLES)?, drop_constraints(conn, BULK_TABLES)?)
            } else {
                Default::default()
            };
            let mut written = 0;
            for chunk in received {
                written += chunk.write(conn)?;
                progress(written);
            }
            let mut history = builder
                .join()
                .map_err(|_| ApiError::Internal(anyhow::anyhow!("the generating thread panicked")))?
                .map_err(ApiError::Internal)?;
            create_indexes(conn, &indexes)?;
            add_constraints(conn, &keys)?;
            history.finish(conn)?;
            Ok::<_, ApiError>(history)
        })
        .map_err(|e| anyhow::anyhow!("writing the history failed: {e}"))
    });
    crate::db::bulk_cache(&mut conn, false)?;
    let history = history?;
    // Fresh statistics, so that the planner knows the tables just grew (both databases).
    diesel::sql_query("ANALYZE").execute(&mut conn)?;
    Ok(Generated {
        province_id: world.province.id.clone(),
        province_code: world.province.code.clone(),
        leader_username: format!("lanhdao.{}", options.seed),
        dossiers: history.built,
        surveys: history.surveys,
        feedback: history.feedback,
    })
}

/// Rows built and not yet written.
#[derive(Default)]
struct Chunk {
    dossiers: Vec<DossierRow>,
    steps: Vec<StepRow>,
    surveys: Vec<SurveyRow>,
    feedback: Vec<FeedbackRow>,
}

impl Chunk {
    /// Writes the rows; answers how many dossiers.
    fn write(self, conn: &mut DbConnection) -> Result<u64, ApiError> {
        bulk_insert!(conn, dossiers::table, &self.dossiers, BATCH)?;
        bulk_insert!(conn, dossier_history::table, &self.steps, BATCH)?;
        bulk_insert!(conn, surveys::table, &self.surveys, BATCH)?;
        if !self.feedback.is_empty() {
            insert_batch!(conn, feedback::table, &self.feedback)?;
        }
        Ok(self.dossiers.len() as u64)
    }
}

/// The history as it is built, chunk by chunk, with what it has counted so far.
struct History<'w> {
    rng: StdRng,
    world: &'w World,
    days: Vec<NaiveDate>,
    now: DateTime<Utc>,
    /// The last code number given, per commune and day.
    sequences: HashMap<(usize, NaiveDate), u32>,
    step_ids: StepIds,
    counters: report_counters::Pending,
    built: u64,
    surveys: u64,
    feedback: u64,
}

impl History<'_> {
    /// Builds `total` dossiers and hands them over chunk by chunk; stops early when the writer has
    /// stopped listening (it failed: its error is the one reported).
    fn build_all(mut self, total: u64, chunks: &SyncSender<Chunk>) -> anyhow::Result<Self> {
        while self.built < total {
            let mut chunk = Chunk::default();
            while chunk.dossiers.len() < CHUNK && self.built < total {
                let n = (total - self.built).min(BATCH as u64) as usize;
                self.build(n, &mut chunk)?;
            }
            if chunks.send(chunk).is_err() {
                break;
            }
        }
        Ok(self)
    }

    /// `n` dossiers with their surveys, and about one complaint per 400 dossiers. (The draws are
    /// made per 400 dossiers as when each batch was its own INSERT, so a seed gives the same data.)
    fn build(&mut self, n: usize, chunk: &mut Chunk) -> anyhow::Result<()> {
        for _ in 0..n {
            let (row, steps) = dossier::generate(
                &mut self.rng,
                self.world,
                &self.days,
                self.now,
                &mut self.sequences,
                &mut self.step_ids,
            )?;
            chunk.steps.extend(steps);
            report_counters::gather_dossier(&mut self.counters, &row.facts());
            if let Some((survey, level)) = voices::survey(&mut self.rng, &row) {
                report_counters::gather_survey(
                    &mut self.counters,
                    (&row.agency_id, &row.procedure_id),
                    level,
                    survey.submitted_at,
                );
                chunk.surveys.push(survey);
                self.surveys += 1;
            }
            chunk.dossiers.push(row);
        }
        for _ in 0..n / 400 + usize::from(self.rng.random_ratio(n as u32 % 400, 400)) {
            chunk.feedback.push(voices::complaint(&mut self.rng, self.world, &self.days, self.now));
            self.feedback += 1;
        }
        self.built += n as u64;
        Ok(())
    }

    /// The report counters, and the code sequences so that live intake numbers on from where the
    /// generated codes end.
    fn finish(&mut self, conn: &mut DbConnection) -> Result<(), ApiError> {
        report_counters::write_pending(conn, std::mem::take(&mut self.counters))?;
        let sequence_rows: Vec<_> = self
            .sequences
            .iter()
            .map(|((commune, day), last)| {
                (
                    dossier_sequences::prefix.eq(self.world.communes[*commune].code.clone()),
                    dossier_sequences::day.eq(day.format("%y%m%d").to_string()),
                    dossier_sequences::last.eq(i64::from(*last)),
                )
            })
            .collect();
        for chunk in sequence_rows.chunks(BATCH) {
            insert_batch!(conn, dossier_sequences::table, chunk)?;
        }
        Ok(())
    }
}
