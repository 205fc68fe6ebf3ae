//! The notification worker inside `serve`: it sends what is due, retries with backoff (the
//! webhooks' policy), gives up after the last attempt (`dead`, for an administrator to look at),
//! and prunes what finished long ago. A slow or dead mail server only delays messages: dossier
//! writes never wait for it, since they only insert a row.
//!
//! Several `serve` processes may run it: a message is claimed by a compare-and-set before it is
//! sent ([`store::claim`]), so only one process sends it. A process that dies mid-send leaves
//! the claim to expire and the message is sent again (at least once, never lost).
//!
//! Logs name the notification's id, kind and channel, never its address, text or code.

use std::time::Duration;

use chrono::Utc;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::channels::Channels;
use super::model::{Channel, NotificationRow, State};
use super::store::{self, Attempted};
use crate::clock;
use crate::db::Db;
use crate::delivery::retry::{AfterFailure, RetryPolicy};
use crate::error::ApiError;
use crate::settings::Settings;

/// Messages read per round.
const BATCH: i64 = 50;
/// How long a claim holds: longer than any attempt (the channels time out at 15 s).
const CLAIM: Duration = Duration::from_secs(120);
/// How often finished messages are pruned.
const PRUNE_EVERY: Duration = Duration::from_secs(3600);

#[derive(Debug, Clone)]
pub struct WorkerConfig {
    pub poll: Duration,
    pub retry: RetryPolicy,
    /// Finished messages are deleted this long after they finished.
    pub keep: chrono::Duration,
}

impl WorkerConfig {
    pub fn from_settings(settings: &Settings) -> Self {
        WorkerConfig {
            poll: Duration::from_millis(settings.notify_poll_ms.max(10)),
            retry: RetryPolicy {
                base: Duration::from_millis(settings.notify_retry_base_ms.max(1)),
                cap: Duration::from_secs(3600),
                max_attempts: i32::try_from(settings.notify_max_attempts.clamp(1, 100)).unwrap_or(100),
            },
            keep: chrono::Duration::days(i64::from(settings.notify_keep_days.max(1))),
        }
    }
}

/// The running worker; [`WorkerHandle::stop`] lets it finish the message in flight.
pub struct WorkerHandle {
    shutdown: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl WorkerHandle {
    pub async fn stop(self) {
        let _ = self.shutdown.send(true);
        if let Err(e) = self.task.await {
            tracing::error!(error = %e, "the notification worker ended badly");
        }
    }
}

pub fn spawn(db: Db, channels: Channels, config: WorkerConfig) -> WorkerHandle {
    let (shutdown, stopping) = watch::channel(false);
    let task = tokio::spawn(run(db, channels, config, stopping));
    WorkerHandle { shutdown, task }
}

async fn run(db: Db, channels: Channels, config: WorkerConfig, mut stopping: watch::Receiver<bool>) {
    let mut last_prune: Option<std::time::Instant> = None;
    while !*stopping.borrow() {
        if last_prune.is_none_or(|at| at.elapsed() >= PRUNE_EVERY) {
            last_prune = Some(std::time::Instant::now());
            let cutoff = clock::to_db(clock::now() - config.keep);
            match db.run(move |conn| Ok(store::prune(conn, cutoff)?)).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(deleted = n, "old notifications pruned"),
                Err(e) => tracing::warn!(error = %e, "pruning notifications failed"),
            }
        }
        let worked = match round(&db, &channels, &config, &stopping).await {
            Ok(n) => n,
            Err(e) => {
                tracing::warn!(error = %e, "notification round failed");
                0
            }
        };
        // A full batch means more may be due: go on at once.
        if worked < BATCH as usize {
            tokio::select! {
                _ = tokio::time::sleep(config.poll) => {}
                _ = stopping.changed() => {}
            }
        }
    }
}

/// One pass over the due messages; how many were read.
async fn round(
    db: &Db,
    channels: &Channels,
    config: &WorkerConfig,
    stopping: &watch::Receiver<bool>,
) -> Result<usize, ApiError> {
    let now = clock::to_db(clock::now());
    let due = db.run(move |conn| Ok(store::due(conn, now, BATCH)?)).await?;
    let read = due.len();
    for row in due {
        if *stopping.borrow() {
            break;
        }
        let until = clock::to_db(clock::now() + chrono::Duration::from_std(CLAIM).unwrap_or_default());
        let claimed = {
            let row = row.clone();
            db.run(move |conn| Ok(store::claim(conn, &row, until)?)).await?
        };
        if claimed {
            deliver(db, channels, config, row).await?;
        }
    }
    Ok(read)
}

async fn deliver(
    db: &Db,
    channels: &Channels,
    config: &WorkerConfig,
    row: NotificationRow,
) -> Result<(), ApiError> {
    let channel = Channel::from_db(&row.channel)?;
    let attempts = row.attempts + 1;
    let now = Utc::now();
    let outcome = if channels.has(channel) { Some(channels.send(channel, &row).await) } else { None };
    let at = clock::to_db(now);
    let (state, next, error) = match &outcome {
        None => (State::Skipped, at, None),
        Some(Ok(())) => (State::Sent, at, None),
        Some(Err(failure)) => match config.retry.after_failure(attempts) {
            AfterFailure::RetryIn(wait) => {
                let next = now + chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::hours(1));
                (State::Pending, clock::to_db(next), Some(failure.clone()))
            }
            AfterFailure::Dead => (State::Dead, at, Some(failure.clone())),
        },
    };
    // Not the failure's text: a mail server's answer may quote the address.
    tracing::info!(
        notification_id = %row.id, kind = %row.kind, channel = %row.channel, attempts,
        state = state.as_str(), failed = error.is_some(), "notification attempt"
    );
    let id = row.id.clone();
    let finished = (state != State::Pending).then_some(at);
    let attempts = if outcome.is_some() { attempts } else { row.attempts };
    db.run(move |conn| {
        let attempt = Attempted {
            state,
            attempts,
            next_attempt_at: next,
            error: error.as_deref(),
            finished_at: finished,
        };
        Ok(store::record_attempt(conn, &id, attempt)?)
    })
    .await
}
