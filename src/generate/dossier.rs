//! One generated dossier along a random but plausible path. The random draws come in a fixed
//! order, so that the same seed gives the same dossiers.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use rand::Rng;
use rand::rngs::StdRng;

use super::trail::{self, StepIds, StepRow};
use super::world::World;
use super::{at_local, uuid, working};
use crate::agencies::model::AgencyRow;
use crate::calendar::working_time::Calendar;
use crate::catalogue::model::{ProcedureRow, ProcessingTime};
use crate::clock;
use crate::dossiers::model::ANSWER_WITHIN_MINUTES;
use crate::dossiers::row::DossierRow;

/// Working time on the commune's calendar, as far as it has happened by `now`.
struct Timeline<'c> {
    cal: &'c Calendar,
    now: DateTime<Utc>,
}

impl Timeline<'_> {
    /// `minutes` of working time after `from`; `None` when that is after `now`.
    fn after(&self, from: DateTime<Utc>, minutes: i64) -> Option<DateTime<Utc>> {
        let t = working(self.cal, from, minutes);
        (t <= self.now).then_some(t)
    }
}

/// Where and when the dossier came in.
struct Intake<'w> {
    k: usize,
    commune: &'w AgencyRow,
    officers: &'w [String],
    procedure: &'w ProcedureRow,
    channel: &'static str,
    day: NaiveDate,
    submitted: DateTime<Utc>,
    receiver: String,
}

/// The steps the dossier took; `None` for one it did not take (or not yet).
#[derive(Default)]
struct Steps {
    status: &'static str,
    first_response: Option<DateTime<Utc>>,
    accepted: Option<DateTime<Utc>>,
    supplement: Option<DateTime<Utc>>,
    rejected: Option<DateTime<Utc>>,
    withdrawn: Option<DateTime<Utc>>,
    due: Option<DateTime<Utc>>,
    apologized: Option<DateTime<Utc>>,
    resolved: Option<DateTime<Utc>>,
    returned: Option<DateTime<Utc>>,
    outcome: Option<&'static str>,
}

/// One dossier along a random but plausible path, with the steps of its history. Anything that
/// would happen after `now` has not.
pub(super) fn generate(
    rng: &mut StdRng,
    world: &World,
    days: &[NaiveDate],
    now: DateTime<Utc>,
    sequences: &mut HashMap<(usize, NaiveDate), u32>,
    step_ids: &mut StepIds,
) -> anyhow::Result<(DossierRow, Vec<StepRow>)> {
    let timeline = Timeline { cal: &world.calendar.calendar, now };
    let intake = intake(rng, world, days, &timeline);
    let mut steps = Steps { status: "submitted", ..Steps::default() };
    if intake.channel == "online" {
        answer_online(rng, &timeline, intake.submitted, &mut steps);
    } else {
        steps.accepted = Some(intake.submitted);
    }
    let minutes = ProcessingTime::of(intake.procedure)?.working_minutes().max(60);
    steps.due = steps.accepted.map(|a| working(timeline.cal, a, minutes));
    process(rng, &timeline, minutes, &mut steps);
    let sequence = sequences.entry((intake.k, intake.day)).or_insert(0);
    *sequence += 1;
    let receiver = intake.receiver.clone();
    let mut row = row(rng, &timeline, intake, &steps, *sequence);
    let trail = trail::steps(&row, &receiver, || step_ids.next_id());
    // Every step the service records is a write, and every write a version.
    row.version = trail.len() as i64;
    Ok((row, trail))
}

fn intake<'w>(rng: &mut StdRng, world: &'w World, days: &[NaiveDate], timeline: &Timeline) -> Intake<'w> {
    let k = rng.random_range(0..world.communes.len());
    let officers = &world.officers[k];
    let procedure = &world.procedures[rng.random_range(0..world.procedures.len())];
    let channel = match (procedure.online_service.as_str(), rng.random_range(0..100)) {
        ("none", 0..90) => "direct",
        ("none", _) => "postal",
        (_, 0..85) => "online",
        _ => "direct",
    };
    let day = days[rng.random_range(0..days.len())];
    let submitted = working(timeline.cal, at_local(day, 7, 30), rng.random_range(0..470));
    let receiver = officers[rng.random_range(0..officers.len())].clone();
    Intake { k, commune: &world.communes[k], officers, procedure, channel, day, submitted, receiver }
}

/// The desk's first answer to an online dossier: refused, withdrawn first, sent back for a
/// supplement, or accepted.
fn answer_online(rng: &mut StdRng, timeline: &Timeline, submitted: DateTime<Utc>, steps: &mut Steps) {
    let answer = timeline.after(submitted, rng.random_range(10..560));
    match rng.random_range(0..100) {
        0..3 => {
            steps.rejected = answer;
            steps.first_response = answer;
        }
        3..5 => steps.withdrawn = answer,
        5..10 => {
            steps.first_response = answer;
            steps.supplement = answer;
            steps.accepted = answer.and_then(|a| timeline.after(a, rng.random_range(480..4800)));
        }
        _ => {
            steps.first_response = answer;
            steps.accepted = answer;
        }
    }
    if steps.rejected.is_some() {
        steps.status = "rejected";
    } else if steps.withdrawn.is_some() {
        steps.status = "withdrawn";
    } else if steps.supplement.is_some() && steps.accepted.is_none() {
        steps.status = "supplement_requested";
    }
}

/// An accepted dossier: withdrawn, resolved late (half with an apology) or in time, and returned.
fn process(rng: &mut StdRng, timeline: &Timeline, minutes: i64, steps: &mut Steps) {
    let (Some(a), Some(d)) = (steps.accepted, steps.due) else {
        return;
    };
    steps.status = "processing";
    match rng.random_range(0..100) {
        0..2 => {
            steps.withdrawn = timeline.after(a, rng.random_range(30..minutes.max(31)));
            if steps.withdrawn.is_some() {
                steps.status = "withdrawn";
            }
        }
        2..12 => {
            // Late; half of these with an apology and a new appointment issued before the due day.
            if rng.random_bool(0.5) {
                steps.apologized = timeline.after(a, minutes * 2 / 3);
            }
            steps.resolved = timeline.after(d, rng.random_range(60..2400));
        }
        _ => steps.resolved = timeline.after(a, rng.random_range(15..=minutes)),
    }
    if let Some(r) = steps.resolved {
        steps.status = "resolved";
        steps.outcome = Some(if rng.random_range(0..100) < 97 { "approved" } else { "refused" });
        steps.returned = timeline.after(r, rng.random_range(30..2000));
        if steps.returned.is_some() {
            steps.status = "returned";
        }
    }
}

fn row(rng: &mut StdRng, timeline: &Timeline, intake: Intake, steps: &Steps, sequence: u32) -> DossierRow {
    let Intake { commune, officers, procedure, channel, day, submitted, receiver, .. } = intake;
    let paid = procedure.fee > 0 && steps.accepted.is_some();
    let payment_method = paid.then(|| if rng.random_range(0..100) < 70 { "online" } else { "cash" });
    let last = [
        Some(submitted),
        steps.first_response,
        steps.accepted,
        steps.resolved,
        steps.returned,
        steps.withdrawn,
        steps.rejected,
        steps.apologized,
    ]
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
        status: steps.status.into(),
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
        accepted_at: db(steps.accepted),
        first_response_at: db(steps.first_response),
        due_at: db(steps.due),
        appointment_at: db(steps.apologized.and(steps.due).map(|d| d + Duration::days(5)).or(steps.due)),
        supplement_requested_at: db(steps.supplement),
        apologized_at: db(steps.apologized),
        resolved_at: db(steps.resolved),
        outcome: steps.outcome.map(str::to_owned),
        result_digitized: steps.resolved.is_some() && rng.random_range(0..100) < 80,
        reception_digitized: steps.accepted.is_some() && rng.random_range(0..100) < 90,
        returned_at: db(steps.returned),
        withdrawn_at: db(steps.withdrawn),
        rejected_at: db(steps.rejected),
        received_by: steps.accepted.map(|_| receiver.clone()),
        resolved_by: steps.resolved.map(|_| officers[rng.random_range(0..officers.len())].clone()),
        assignee_id: steps.accepted.map(|_| receiver),
        last_step_at: clock::to_db(last),
        version: 1,
        created_at: clock::to_db(submitted),
        updated_at: clock::to_db(last),
        resolved_by_agency_id: None,
        answer_due_at: (channel == "online")
            .then(|| clock::to_db(working(timeline.cal, submitted, ANSWER_WITHIN_MINUTES))),
        last_event_at: None,
        applicant_notify: true,
        proposal: None,
        holder_agency_id: None,
        result_delivery: "desk".into(),
        appointment_before_supplement: None,
        appointment_after_supplement: None,
        portal_synced_version: None,
    };
    row.last_event_at = Some(row.last_event());
    row
}
