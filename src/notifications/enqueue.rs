//! Writing a notification: one row per channel the recipient can be reached on, inside the
//! caller's transaction, so that the message exists exactly when the change does.

use chrono::{DateTime, Utc};
use diesel::QueryResult;
use uuid::Uuid;

use super::model::{Channel, NotificationRow, State};
use super::store;
use super::texts::{Language, Message};
use crate::clock;
use crate::db::DbConnection;

/// Who is told, and where.
#[derive(Debug, Clone)]
pub struct Recipient {
    /// The citizen's account, when there is one: it may list its notifications.
    pub user_id: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub language: Language,
}

/// What the notification is about.
#[derive(Debug, Clone, Copy, Default)]
pub struct About<'a> {
    pub dossier_id: Option<&'a str>,
    pub feedback_id: Option<&'a str>,
}

/// Queue `message` for every contact of `recipient`: the email form to the address, the SMS form
/// to the phone.
pub fn enqueue(
    conn: &mut DbConnection,
    recipient: &Recipient,
    about: About,
    message: &Message,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    let at = clock::to_db(now);
    let forms = [
        (Channel::Email, recipient.email.as_deref(), message.email.as_str()),
        (Channel::Sms, recipient.phone.as_deref(), message.sms.as_str()),
    ];
    for (channel, destination, body) in forms {
        let Some(destination) = destination else { continue };
        let row = NotificationRow {
            id: Uuid::now_v7().to_string(),
            kind: message.kind.to_owned(),
            channel: channel.as_str().to_owned(),
            destination: destination.to_owned(),
            language: recipient.language.as_str().to_owned(),
            subject: message.subject.clone(),
            body: body.to_owned(),
            user_id: recipient.user_id.clone(),
            dossier_id: about.dossier_id.map(str::to_owned),
            feedback_id: about.feedback_id.map(str::to_owned),
            state: State::Pending.as_str().to_owned(),
            attempts: 0,
            next_attempt_at: at,
            last_error: None,
            created_at: at,
            finished_at: None,
        };
        store::insert(conn, &row)?;
    }
    Ok(())
}
