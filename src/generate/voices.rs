//! What citizens say about the generated dossiers: surveys at the desk and complaints.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use rand::Rng;
use rand::rngs::StdRng;

use super::world::World;
use super::{at_local, uuid, working};
use crate::clock;
use crate::dossiers::row::DossierRow;
use crate::enums::Level;
use crate::feedback::model::FeedbackRow;
use crate::surveys::model::SurveyRow;

/// About a third of the returned dossiers are rated at the desk.
pub(super) fn survey(rng: &mut StdRng, row: &DossierRow) -> Option<(SurveyRow, Level)> {
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

pub(super) fn complaint(
    rng: &mut StdRng,
    world: &World,
    days: &[NaiveDate],
    now: DateTime<Utc>,
) -> FeedbackRow {
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
        external_ref: None,
    }
}
