//! The two ways a notification leaves: email over SMTP, and SMS through an HTTP gateway adapter.
//!
//! The SMS gateway is reached the way Vietnamese brand-name SMS and Zalo ZNS providers are in
//! practice: through a small adapter of the operator's, which receives
//! `POST MOTCUA_SMS_URL {"id", "to", "text"}` signed with `X-Motcua-Signature: sha256=HEX`
//! (HMAC-SHA256 of the body with `MOTCUA_SMS_SECRET`, as webhooks are signed) and answers 2xx
//! once the provider took the message. `X-Motcua-Notification` repeats the id, so an adapter
//! that sees a retry of a message it already passed on can drop it.

use std::time::Duration;

use lettre::message::{Mailbox, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use super::model::{Channel, NotificationRow};
use crate::delivery::signature;
use crate::settings::Settings;

pub struct Email {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

pub struct Sms {
    client: reqwest::Client,
    url: String,
    secret: String,
    ascii: bool,
}

/// The channels configured for this process; an absent one sends nothing.
pub struct Channels {
    pub email: Option<Email>,
    pub sms: Option<Sms>,
}

/// Why an attempt failed, as the server or the gateway said it (no address, no text).
pub type Failure = String;

/// A mail server or gateway that does not answer within this is tried again later.
const TIMEOUT: Duration = Duration::from_secs(15);

impl Channels {
    pub fn from_settings(settings: &Settings) -> anyhow::Result<Self> {
        let email = match settings.smtp_url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
            Some(url) => {
                let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| anyhow::anyhow!("MOTCUA_SMTP_URL: {e}"))?
                    .timeout(Some(TIMEOUT))
                    .build();
                let from = settings
                    .mail_from
                    .parse::<Mailbox>()
                    .map_err(|e| anyhow::anyhow!("MOTCUA_MAIL_FROM {:?}: {e}", settings.mail_from))?;
                Some(Email { transport, from })
            }
            None => None,
        };
        let sms = match settings.sms_url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
            Some(url) => {
                url::Url::parse(url).map_err(|e| anyhow::anyhow!("MOTCUA_SMS_URL: {e}"))?;
                let secret = settings.sms_secret.clone().filter(|s| s.len() >= 16).ok_or_else(|| {
                    anyhow::anyhow!(
                        "MOTCUA_SMS_SECRET of at least 16 characters is needed with MOTCUA_SMS_URL"
                    )
                })?;
                let client = reqwest::Client::builder()
                    .timeout(TIMEOUT)
                    .redirect(reqwest::redirect::Policy::none())
                    .user_agent(concat!("motcua/", env!("CARGO_PKG_VERSION")))
                    .build()?;
                Some(Sms { client, url: url.to_owned(), secret, ascii: settings.sms_ascii })
            }
            None => None,
        };
        Ok(Channels { email, sms })
    }

    /// What the start-up log says about the channels.
    pub fn describe(&self) -> String {
        let on = |yes: bool| if yes { "on" } else { "off (not configured: nothing is sent)" };
        format!("email {}, SMS {}", on(self.email.is_some()), on(self.sms.is_some()))
    }

    /// Whether a notification of `channel` can be sent at all.
    pub fn has(&self, channel: Channel) -> bool {
        match channel {
            Channel::Email => self.email.is_some(),
            Channel::Sms => self.sms.is_some(),
        }
    }

    /// One attempt.
    pub async fn send(&self, channel: Channel, row: &NotificationRow) -> Result<(), Failure> {
        match (channel, &self.email, &self.sms) {
            (Channel::Email, Some(email), _) => email.send(row).await,
            (Channel::Sms, _, Some(sms)) => sms.send(row).await,
            _ => Err("channel not configured".into()),
        }
    }
}

impl Email {
    async fn send(&self, row: &NotificationRow) -> Result<(), Failure> {
        let to = row.destination.parse::<Mailbox>().map_err(|e| format!("address: {e}"))?;
        let message = lettre::Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(&row.subject)
            .header(ContentType::TEXT_PLAIN)
            .body(row.body.clone())
            .map_err(|e| format!("message: {e}"))?;
        self.transport.send(message).await.map(|_| ()).map_err(|e| format!("smtp: {e}"))
    }
}

impl Sms {
    async fn send(&self, row: &NotificationRow) -> Result<(), Failure> {
        let text = if self.ascii { deunicode::deunicode(&row.body) } else { row.body.clone() };
        let body = serde_json::json!({"id": row.id, "to": row.destination, "text": text}).to_string();
        let response = self
            .client
            .post(&self.url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header(signature::HEADER, signature::sign(&self.secret, body.as_bytes()))
            .header("X-Motcua-Notification", &row.id)
            .body(body)
            .send()
            .await
            // Without the URL: reqwest's message names it, and it may hold the adapter's key.
            .map_err(|e| format!("gateway: {}", e.without_url()))?;
        match response.status() {
            status if status.is_success() => Ok(()),
            status => Err(format!("gateway answered {status}")),
        }
    }
}
