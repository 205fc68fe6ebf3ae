//! A notification as stored and as the API shows it, and the list's query.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::clock;
use crate::db::schema::notifications;
use crate::enums::text_enum;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = NotificationChannel)]
pub enum Channel {
    Email,
    Sms,
}

/// Where a notification is in its delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = NotificationState)]
pub enum State {
    /// Waiting for its first or next attempt.
    Pending,
    /// The mail server or the SMS gateway took it.
    Sent,
    /// Every attempt failed; an administrator may retry it.
    Dead,
    /// No channel of its kind is configured: nothing was sent.
    Skipped,
}

text_enum!(Channel { Email => "email", Sms => "sms" });
text_enum!(State { Pending => "pending", Sent => "sent", Dead => "dead", Skipped => "skipped" });

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = notifications)]
pub struct NotificationRow {
    pub id: String,
    pub kind: String,
    pub channel: String,
    pub destination: String,
    pub language: String,
    pub subject: String,
    pub body: String,
    pub user_id: Option<String>,
    pub dossier_id: Option<String>,
    pub feedback_id: Option<String>,
    pub state: String,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
    pub finished_at: Option<NaiveDateTime>,
}

/// A message to a citizen and how its delivery went.
#[derive(Debug, Serialize, ToSchema)]
pub struct Notification {
    pub id: String,
    /// `dossier_received`, `supplement_requested`, `dossier_refused`, `apology`, `result_ready`,
    /// `result_returned`, `feedback_answered`, `verification_code` or `account_exists`.
    #[schema(example = "dossier_received")]
    pub kind: String,
    pub channel: Channel,
    /// The phone number or the email address.
    pub destination: String,
    pub subject: String,
    /// The text sent; withheld (null) for verification codes, which only their owner may read.
    pub body: Option<String>,
    pub user_id: Option<String>,
    pub dossier_id: Option<String>,
    pub feedback_id: Option<String>,
    pub state: State,
    pub attempts: i32,
    /// The last failure, as the mail server or gateway answered.
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    /// When it was sent, given up or skipped.
    pub finished_at: Option<DateTime<Utc>>,
}

impl TryFrom<NotificationRow> for Notification {
    type Error = anyhow::Error;
    fn try_from(row: NotificationRow) -> anyhow::Result<Self> {
        let secret = row.kind == "verification_code";
        Ok(Notification {
            channel: Channel::from_db(&row.channel)?,
            state: State::from_db(&row.state)?,
            body: (!secret).then_some(row.body),
            id: row.id,
            kind: row.kind,
            destination: row.destination,
            subject: if secret { "(code)".into() } else { row.subject },
            user_id: row.user_id,
            dossier_id: row.dossier_id,
            feedback_id: row.feedback_id,
            attempts: row.attempts,
            last_error: row.last_error,
            created_at: clock::from_db(row.created_at),
            finished_at: row.finished_at.map(clock::from_db),
        })
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NotificationQuery {
    /// Only those in this state (`dead`: the ones to look at).
    pub status: Option<State>,
    /// Only those about this dossier.
    pub dossier_id: Option<String>,
    /// Page size, 1 to 500 (default 50).
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}
