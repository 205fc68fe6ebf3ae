//! `motcua generate`: a synthetic but realistic history for benchmarks and demos — a province
//! with K communes and their officers, the starter catalogue, and N dossiers with every kind of
//! path (answered late, returned for supplement, refused at reception, withdrawn, resolved early,
//! on time or late with or without an apology, still open), surveys and feedback.
//!
//! Unlike the demo, which replays a half-year through the live services, this writes rows in
//! bulk (hundreds per statement): the dossiers are built in memory with the same pure rules
//! (working-time calendar, due dates) and written in batches, one transaction per batch. It writes
//! no per-step history or outbox events: the reports and lists read only the dossiers. The same
//! seed gives the same data.

use std::collections::HashMap;

use anyhow::{Context, bail};
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use diesel::prelude::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::agencies::model::{AgencyLevel, AgencyRow};
use crate::agencies::store as agencies;
use crate::auth::scope::child_path;
use crate::calendar::cache::CalendarCache;
use crate::calendar::working_time::{Calendar, add_working_time, vietnam};
use crate::catalogue::model::{ProcedureRow, ProcessingTime};
use crate::catalogue::{import, service as catalogue, store as procedures};
use crate::clock;
use crate::db::schema::{dossier_sequences, dossiers, feedback, procedures as procedure_table, surveys};
use crate::db::{Db, DbConnection, insert_batch, write_transaction};
use crate::dossiers::model::{ANSWER_WITHIN_MINUTES, DossierRow};
use crate::enums::Level;
use crate::error::ApiError;
use crate::feedback::model::FeedbackRow;
use crate::records::counters as report_counters;
use crate::surveys::model::SurveyRow;
use crate::users::model::UserRow;
use crate::users::store as users;

/// Every generated account has this password.
pub const PASSWORD: &str = "motcua-generated";
/// Rows per INSERT: 42 columns × 400 stays under SQLite's 32,766 bound parameters.
const BATCH: usize = 400;
const OFFICERS_PER_COMMUNE: usize = 3;

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

/// The generated agencies and people.
struct World {
    province: AgencyRow,
    communes: Vec<AgencyRow>,
    /// Officers by commune index.
    officers: Vec<Vec<String>>,
    procedures: Vec<ProcedureRow>,
    calendar: std::sync::Arc<crate::calendar::cache::AgencyCalendar>,
}

fn uuid(rng: &mut StdRng) -> String {
    uuid::Builder::from_random_bytes(rng.random()).into_uuid().to_string()
}

fn at_local(day: NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
    let time = NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or(NaiveTime::MIN);
    day.and_time(time).and_local_timezone(vietnam()).single().map_or_else(Utc::now, |t| t.with_timezone(&Utc))
}

/// Generate; `progress` is told how many dossiers are written so far.
pub fn run(db: &Db, options: &Options, progress: &dyn Fn(u64)) -> anyhow::Result<Generated> {
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
    let mut rng = StdRng::seed_from_u64(options.seed);
    let password_hash = crate::auth::password::hash(PASSWORD)?;
    let mut conn = db.pool().get()?;
    let world = world(&mut conn, options, &mut rng, password_hash)?;
    let days: Vec<NaiveDate> = options
        .from
        .iter_days()
        .take_while(|d| *d <= to)
        .filter(|d| !world.calendar.calendar.intervals(*d).is_empty())
        .collect();
    if days.is_empty() {
        bail!("no working day between --from and --to");
    }
    let now = clock::now();
    let mut sequences: HashMap<(usize, NaiveDate), u32> = HashMap::new();
    let (mut written, mut survey_count, mut feedback_count) = (0u64, 0u64, 0u64);
    let mut counters = report_counters::Pending::new();
    // One transaction: the history is there whole, with its report counters, or not at all.
    write_transaction(&mut conn, |conn| {
        while written < options.dossiers {
            let n = (options.dossiers - written).min(BATCH as u64) as usize;
            let mut rows = Vec::with_capacity(n);
            let mut survey_rows = Vec::new();
            for _ in 0..n {
                let row = dossier(&mut rng, &world, &days, now, &mut sequences)?;
                report_counters::gather_dossier(&mut counters, &row.facts());
                if let Some((survey, level)) = survey(&mut rng, &row) {
                    report_counters::gather_survey(
                        &mut counters,
                        (&row.agency_id, &row.procedure_id),
                        level,
                        survey.submitted_at,
                    );
                    survey_rows.push(survey);
                }
                rows.push(row);
            }
            // About one complaint per 400 dossiers.
            let feedback_rows: Vec<FeedbackRow> = (0..n / 400
                + usize::from(rng.random_ratio(n as u32 % 400, 400)))
                .map(|_| complaint(&mut rng, &world, &days, now))
                .collect();
            insert_batch!(conn, dossiers::table, &rows)?;
            for chunk in survey_rows.chunks(BATCH) {
                insert_batch!(conn, surveys::table, chunk)?;
            }
            if !feedback_rows.is_empty() {
                insert_batch!(conn, feedback::table, &feedback_rows)?;
            }
            written += n as u64;
            survey_count += survey_rows.len() as u64;
            feedback_count += feedback_rows.len() as u64;
            progress(written);
        }
        report_counters::write_pending(conn, std::mem::take(&mut counters))?;
        // Live intake numbers on from where the generated codes end.
        let sequence_rows: Vec<_> = sequences
            .iter()
            .map(|((commune, day), last)| {
                (
                    dossier_sequences::prefix.eq(world.communes[*commune].code.clone()),
                    dossier_sequences::day.eq(day.format("%y%m%d").to_string()),
                    dossier_sequences::last.eq(i64::from(*last)),
                )
            })
            .collect();
        for chunk in sequence_rows.chunks(BATCH) {
            insert_batch!(conn, dossier_sequences::table, chunk)?;
        }
        Ok::<_, ApiError>(())
    })
    .map_err(|e| anyhow::anyhow!("writing the history failed: {e}"))?;
    // Fresh statistics, so that the planner knows the tables just grew (both databases).
    diesel::sql_query("ANALYZE").execute(&mut conn)?;
    Ok(Generated {
        province_id: world.province.id.clone(),
        province_code: world.province.code.clone(),
        leader_username: format!("lanhdao.{}", options.seed),
        dossiers: written,
        surveys: survey_count,
        feedback: feedback_count,
    })
}

fn world(
    conn: &mut DbConnection,
    options: &Options,
    rng: &mut StdRng,
    password_hash: String,
) -> anyhow::Result<World> {
    let code = format!("SYN.{}", options.seed);
    if agencies::find_by_code(conn, &code)?.is_some() {
        bail!(
            "this database already holds the history generated with seed {}; use another seed or database",
            options.seed
        );
    }
    let starter = import::parse_csv(catalogue::STARTER_CSV)
        .map_err(|e| anyhow::anyhow!("the starter catalogue: {e:?}"))?;
    let now = clock::to_db(clock::now());
    let world = write_transaction(conn, |conn| {
        if procedure_table::table.count().get_result::<i64>(conn)? == 0 {
            catalogue::write_rows(conn, starter, None)?;
        }
        let province_id = uuid(rng);
        let province = AgencyRow {
            path: child_path(None, &province_id),
            id: province_id,
            code: code.clone(),
            name: format!("UBND tỉnh Tổng Hợp {}", options.seed),
            level: AgencyLevel::Province.as_str().into(),
            parent_id: None,
            created_at: now,
            updated_at: now,
        };
        agencies::insert(conn, &province)?;
        let user = |id: String, username: String, full_name: String, role: &str, agency: &str| UserRow {
            id,
            username,
            password_hash: password_hash.clone(),
            full_name,
            role: role.into(),
            agency_id: Some(agency.to_owned()),
            active: true,
            created_at: now,
            updated_at: now,
        };
        users::insert(
            conn,
            &user(
                uuid(rng),
                format!("lanhdao.{}", options.seed),
                "Lãnh đạo tỉnh".into(),
                "leader",
                &province.id,
            ),
        )?;
        let mut communes = Vec::new();
        let mut officers = Vec::new();
        for k in 0..options.communes as usize {
            let id = uuid(rng);
            let commune = AgencyRow {
                path: child_path(Some(&province.path), &id),
                id,
                code: format!("{code}.{k:04}"),
                name: format!("UBND xã Số {}", k + 1),
                level: AgencyLevel::Commune.as_str().into(),
                parent_id: Some(province.id.clone()),
                created_at: now,
                updated_at: now,
            };
            agencies::insert(conn, &commune)?;
            let mut people = Vec::new();
            for j in 0..OFFICERS_PER_COMMUNE {
                let row = user(
                    uuid(rng),
                    format!("canbo.{}.{k}.{j}", options.seed),
                    format!("Cán bộ {j} xã {}", k + 1),
                    "officer",
                    &commune.id,
                );
                users::insert(conn, &row)?;
                people.push(row.id);
            }
            communes.push(commune);
            officers.push(people);
        }
        let procedures = procedures::all_active(conn)?;
        Ok::<_, ApiError>((province, communes, officers, procedures))
    })
    .map_err(|e| anyhow::anyhow!("creating the agencies failed: {e}"))?;
    let (province, communes, officers, procedures) = world;
    if procedures.is_empty() {
        bail!("the catalogue has no active procedure");
    }
    // Generated communes follow the national calendar; building it for one of them is enough.
    let calendar = CalendarCache::default()
        .get(conn, Some(&communes[0].id))
        .map_err(|e| anyhow::anyhow!("{e}"))
        .context("building the calendar")?;
    Ok(World { province, communes, officers, procedures, calendar })
}

fn working(calendar: &Calendar, from: DateTime<Utc>, minutes: i64) -> DateTime<Utc> {
    add_working_time(from, minutes, calendar).unwrap_or(from)
}

/// One dossier along a random but plausible path. Anything that would happen after `now` has not.
fn dossier(
    rng: &mut StdRng,
    world: &World,
    days: &[NaiveDate],
    now: DateTime<Utc>,
    sequences: &mut HashMap<(usize, NaiveDate), u32>,
) -> anyhow::Result<DossierRow> {
    let cal = &world.calendar.calendar;
    let k = rng.random_range(0..world.communes.len());
    let commune = &world.communes[k];
    let officers = &world.officers[k];
    let procedure = &world.procedures[rng.random_range(0..world.procedures.len())];
    let channel = match (procedure.online_service.as_str(), rng.random_range(0..100)) {
        ("none", 0..90) => "direct",
        ("none", _) => "postal",
        (_, 0..85) => "online",
        _ => "direct",
    };
    let day = days[rng.random_range(0..days.len())];
    let submitted = working(cal, at_local(day, 7, 30), rng.random_range(0..470));
    let seen = |t: DateTime<Utc>| (t <= now).then_some(t);
    let receiver = officers[rng.random_range(0..officers.len())].clone();
    let mut status = "submitted";
    let (mut first_response, mut accepted, mut supplement, mut rejected, mut withdrawn) =
        (None, None, None, None, None);
    if channel == "online" {
        let answer = seen(working(cal, submitted, rng.random_range(10..560)));
        match rng.random_range(0..100) {
            0..3 => {
                rejected = answer;
                first_response = answer;
            }
            3..5 => withdrawn = answer,
            5..10 => {
                first_response = answer;
                supplement = answer;
                accepted = answer.and_then(|a| seen(working(cal, a, rng.random_range(480..4800))));
            }
            _ => {
                first_response = answer;
                accepted = answer;
            }
        }
        if rejected.is_some() {
            status = "rejected";
        } else if withdrawn.is_some() {
            status = "withdrawn";
        } else if supplement.is_some() && accepted.is_none() {
            status = "supplement_requested";
        }
    } else {
        accepted = Some(submitted);
    }
    let minutes = ProcessingTime::of(procedure)?.working_minutes().max(60);
    let due = accepted.map(|a| working(cal, a, minutes));
    let (mut resolved, mut apologized, mut returned, mut outcome) = (None, None, None, None);
    if let (Some(a), Some(d)) = (accepted, due) {
        status = "processing";
        match rng.random_range(0..100) {
            0..2 => {
                withdrawn = seen(working(cal, a, rng.random_range(30..minutes.max(31))));
                if withdrawn.is_some() {
                    status = "withdrawn";
                }
            }
            2..12 => {
                // Late; half of these with an apology and a new appointment issued before the due day.
                if rng.random_bool(0.5) {
                    apologized = seen(working(cal, a, minutes * 2 / 3));
                }
                resolved = seen(working(cal, d, rng.random_range(60..2400)));
            }
            _ => resolved = seen(working(cal, a, rng.random_range(15..=minutes))),
        }
        if let Some(r) = resolved {
            status = "resolved";
            outcome = Some(if rng.random_range(0..100) < 97 { "approved" } else { "refused" });
            returned = seen(working(cal, r, rng.random_range(30..2000)));
            if returned.is_some() {
                status = "returned";
            }
        }
    }
    let paid = procedure.fee > 0 && accepted.is_some();
    let payment_method = paid.then(|| if rng.random_range(0..100) < 70 { "online" } else { "cash" });
    let sequence = sequences.entry((k, day)).or_insert(0);
    *sequence += 1;
    let last =
        [Some(submitted), first_response, accepted, resolved, returned, withdrawn, rejected, apologized]
            .into_iter()
            .flatten()
            .max()
            .unwrap_or(submitted);
    let db = |t: Option<DateTime<Utc>>| t.map(clock::to_db);
    let name = format!("Công dân {}", rng.random_range(1..1_000_000));
    let mut row = DossierRow {
        id: uuid(rng),
        code: format!("{}-{}-{:04}", commune.code, day.format("%y%m%d"), sequence),
        agency_id: commune.id.clone(),
        procedure_id: procedure.id.clone(),
        channel: channel.into(),
        status: status.into(),
        applicant_kind: "citizen".into(),
        applicant_name_folded: crate::catalogue::search::fold(&name),
        applicant_name: name,
        applicant_id_number: None,
        applicant_phone: None,
        applicant_email: None,
        applicant_address: None,
        owner_id: None,
        components: r#"[{"name":"Tờ khai","digitized":true,"reused_from_store":false}]"#.into(),
        fee: procedure.fee,
        payment_method: payment_method.map(str::to_owned),
        payment_amount: payment_method.map(|_| procedure.fee),
        external_ref: None,
        submitted_at: clock::to_db(submitted),
        accepted_at: db(accepted),
        first_response_at: db(first_response),
        due_at: db(due),
        appointment_at: db(apologized.and(due).map(|d| d + Duration::days(5)).or(due)),
        supplement_requested_at: db(supplement),
        apologized_at: db(apologized),
        resolved_at: db(resolved),
        outcome: outcome.map(str::to_owned),
        result_digitized: resolved.is_some() && rng.random_range(0..100) < 80,
        reception_digitized: accepted.is_some() && rng.random_range(0..100) < 90,
        returned_at: db(returned),
        withdrawn_at: db(withdrawn),
        rejected_at: db(rejected),
        received_by: accepted.map(|_| receiver.clone()),
        resolved_by: resolved.map(|_| officers[rng.random_range(0..officers.len())].clone()),
        assignee_id: accepted.map(|_| receiver),
        last_step_at: clock::to_db(last),
        version: 1,
        created_at: clock::to_db(submitted),
        updated_at: clock::to_db(last),
        resolved_by_agency_id: None,
        answer_due_at: (channel == "online")
            .then(|| clock::to_db(working(cal, submitted, ANSWER_WITHIN_MINUTES))),
        last_event_at: None,
    };
    row.last_event_at = Some(row.last_event());
    Ok(row)
}

/// About a third of the returned dossiers are rated at the desk.
fn survey(rng: &mut StdRng, row: &DossierRow) -> Option<(SurveyRow, Level)> {
    let returned = row.returned_at?;
    if rng.random_range(0..100) >= 35 {
        return None;
    }
    let level = match rng.random_range(0..100) {
        0..70 => Level::VerySatisfied,
        70..98 => Level::Satisfied,
        _ => Level::Unsatisfied,
    };
    let row = SurveyRow {
        id: uuid(rng),
        dossier_id: row.id.clone(),
        agency_id: row.agency_id.clone(),
        level: level.as_str().into(),
        comment: None,
        source: "kiosk".into(),
        recorded_by: row.resolved_by.clone().unwrap_or_default(),
        submitted_at: returned + Duration::minutes(5),
        created_at: returned + Duration::minutes(5),
    };
    Some((row, level))
}

fn complaint(rng: &mut StdRng, world: &World, days: &[NaiveDate], now: DateTime<Utc>) -> FeedbackRow {
    let cal = &world.calendar.calendar;
    let commune = &world.communes[rng.random_range(0..world.communes.len())];
    let channels = ["national_portal", "provincial_portal", "direct", "hotline", "email", "other"];
    let received =
        working(cal, at_local(days[rng.random_range(0..days.len())], 7, 30), rng.random_range(0..470));
    let due = working(cal, received, 15 * crate::calendar::working_time::MINUTES_PER_WORKING_DAY);
    let responded = (rng.random_range(0..100) < 85)
        .then(|| working(cal, received, rng.random_range(60..20 * 480)))
        .filter(|t| *t <= now);
    let published =
        responded.filter(|_| rng.random_bool(0.6)).map(|r| r + Duration::days(1)).filter(|t| *t <= now);
    let last = published.or(responded).unwrap_or(received);
    FeedbackRow {
        id: uuid(rng),
        agency_id: commune.id.clone(),
        channel: channels[rng.random_range(0..channels.len())].into(),
        subject: "Phản ánh về thời gian giải quyết".into(),
        content: "Nội dung phản ánh tổng hợp.".into(),
        submitter_name: "Người phản ánh".into(),
        submitter_phone: None,
        submitter_email: None,
        submitter_address: None,
        owner_id: None,
        dossier_id: None,
        procedure_id: None,
        status: if responded.is_some() { "resolved" } else { "received" }.into(),
        received_at: clock::to_db(received),
        due_at: clock::to_db(due),
        response: responded.map(|_| "Đã trả lời.".into()),
        responded_at: responded.map(clock::to_db),
        rejected_at: None,
        published_at: published.map(clock::to_db),
        forwarded_from: None,
        last_step_at: clock::to_db(last),
        version: 1,
        created_at: clock::to_db(received),
        updated_at: clock::to_db(last),
    }
}
