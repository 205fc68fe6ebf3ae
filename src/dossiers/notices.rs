//! Which steps the applicant is told about, and to whom the message goes: written in the step's
//! own transaction (see `notifications`).
//!
//! Told: received (accepted, at the desk or online), a supplement asked for (what is missing),
//! refused (the reasons), an apology for lateness (the new appointment), the result ready, the
//! result handed over. Not told: assignment, updates, files, withdrawal (the applicant's own
//! act), the supplement (the applicant's own act), a result proposed to the leader or sent back
//! by them (internal: the result is ready when the leader approves it), a transfer between
//! agencies.

use chrono::{DateTime, Utc};

use super::lifecycle::{Action, Status};
use super::row::DossierRow;
use crate::agencies::store as agencies;
use crate::catalogue::store as procedures;
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::notifications::enqueue::{About, Recipient, enqueue};
use crate::notifications::texts::{self, DossierFacts, DossierNews, Language};
use crate::users::store as users;

/// What the applicant hears of a step that led to `to`, if anything: `note` is the step's reason
/// or note.
pub fn news_of(action: Action, to: Status, note: Option<&str>) -> Option<DossierNews> {
    let said = || note.unwrap_or_default().to_owned();
    match action {
        Action::Accept => Some(DossierNews::Received),
        Action::RequestSupplement => Some(DossierNews::SupplementRequested { missing: said() }),
        Action::Reject => Some(DossierNews::Refused { reasons: said() }),
        Action::Apologize => Some(DossierNews::Apology { reason: said() }),
        Action::Resolve | Action::Approve if to == Status::Resolved => Some(DossierNews::ResultReady),
        Action::Return => Some(DossierNews::Returned),
        Action::Resolve
        | Action::Approve
        | Action::SendBack
        | Action::Transfer
        | Action::Supplement
        | Action::Assign
        | Action::Withdraw => None,
    }
}

/// Queue the message about `news` for the dossier's applicant, if they can be reached and did
/// not say no.
pub fn tell(
    conn: &mut DbConnection,
    row: &DossierRow,
    news: &DossierNews,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    if !row.applicant_notify {
        return Ok(());
    }
    let owner = match &row.owner_id {
        Some(id) => users::find(conn, id)?,
        None => None,
    };
    if owner.as_ref().is_some_and(|o| !o.notify) {
        return Ok(());
    }
    let phone = row.applicant_phone.clone().or_else(|| owner.as_ref().and_then(|o| o.phone.clone()));
    let email = row.applicant_email.clone().or_else(|| owner.as_ref().and_then(|o| o.email.clone()));
    if phone.is_none() && email.is_none() {
        return Ok(());
    }
    let language = owner.as_ref().map_or(Language::Vi, |o| Language::from_db(&o.language));
    let agency = agencies::find(conn, &row.agency_id)?.ok_or_else(|| anyhow::anyhow!("agency vanished"))?;
    let procedure =
        procedures::find(conn, &row.procedure_id)?.ok_or_else(|| anyhow::anyhow!("procedure vanished"))?;
    let facts = DossierFacts {
        code: row.code.clone(),
        procedure: procedure.name,
        agency: agency.name,
        appointment_at: row.appointment_at.map(|t| t.and_utc()),
    };
    let message = texts::dossier(news, &facts, language);
    let recipient = Recipient { user_id: row.owner_id.clone(), phone, email, language };
    let about = About { dossier_id: Some(&row.id), feedback_id: None };
    Ok(enqueue(conn, &recipient, about, &message, now)?)
}
