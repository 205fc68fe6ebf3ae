//! The delivery worker inside `serve`: it turns the event feed into deliveries for each
//! subscription and posts them, one subscription at a time per worker, oldest event first.
//!
//! - Order: a subscription's deliveries go out in event order; a failing one holds the later ones
//!   back until it succeeds or dies (after `max_attempts`, with exponential backoff between).
//! - Several `serve` processes on one PostgreSQL: a subscription is worked under a lease taken by
//!   a compare-and-set on its row ([`store::claim`]), so only one process posts its deliveries.
//!   A process that dies mid-delivery leaves the lease to expire; the next holder repeats that one
//!   delivery (receivers deduplicate by `X-Motcua-Delivery`, the event id).
//! - Shutdown: the worker finishes the POST in flight (bounded by the timeout), records it, gives
//!   its leases back and stops.

use std::time::{Duration, Instant};

use chrono::Utc;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::patterns::wanted;
use super::store::{self, AttemptRow, DeliveryRow, WebhookRow};
use super::target::{PublicResolver, literal_address_allowed};
use crate::agencies::store::ids_in_scope;
use crate::auth::accounts;
use crate::auth::role::Role;
use crate::auth::scope::Scope;
use crate::auth::tokens::SubjectKind;
use crate::clock;
use crate::db::Db;
use crate::delivery::retry::{AfterFailure, RetryPolicy};
use crate::delivery::signature;
use crate::error::ApiError;
use crate::integration::events::{self, Event};
use crate::settings::Settings;

/// Events turned into deliveries per subscription per round.
const FAN_OUT_BATCH: i64 = 500;
/// Deliveries posted per subscription before the worker looks at the others.
const DELIVERIES_PER_CLAIM: usize = 100;
/// Subscriptions worked at once by one worker (each holds a database connection at times).
const CONCURRENT_SUBSCRIPTIONS: usize = 4;
/// How long a subscription whose owner can no longer read the feed is left alone.
const PARK: Duration = Duration::from_secs(60);

#[derive(Debug, Clone)]
pub struct WorkerConfig {
    /// How often to look for work when idle.
    pub poll: Duration,
    /// How long a receiver may take to answer.
    pub timeout: Duration,
    pub retry: RetryPolicy,
    /// Allow targets on loopback and private networks (MOTCUA_WEBHOOK_ALLOW_PRIVATE).
    pub allow_private: bool,
}

impl WorkerConfig {
    /// The worker's settings from the service's (bounded, so that a typo cannot spin or stall it).
    pub fn from_settings(settings: &Settings) -> Self {
        WorkerConfig {
            poll: Duration::from_millis(settings.webhook_poll_ms.max(10)),
            timeout: Duration::from_secs(settings.webhook_timeout_secs.max(1)),
            retry: RetryPolicy {
                base: Duration::from_millis(settings.webhook_retry_base_ms.max(1)),
                cap: Duration::from_secs(3600),
                max_attempts: i32::try_from(settings.webhook_max_attempts.clamp(1, 1000)).unwrap_or(1000),
            },
            allow_private: settings.webhook_allow_private,
        }
    }

    /// How long a claim lasts: longer than any POST, so a live worker never loses it mid-delivery.
    fn lease(&self) -> Duration {
        self.timeout * 2 + Duration::from_secs(30)
    }
}

/// The running worker; [`WorkerHandle::stop`] lets it finish what is in flight.
pub struct WorkerHandle {
    shutdown: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl WorkerHandle {
    pub async fn stop(self) {
        let _ = self.shutdown.send(true);
        if let Err(e) = self.task.await {
            tracing::error!(error = %e, "the webhook worker ended badly");
        }
    }
}

pub fn spawn(db: Db, config: WorkerConfig) -> anyhow::Result<WorkerHandle> {
    let client = reqwest::Client::builder()
        .timeout(config.timeout)
        .connect_timeout(config.timeout)
        .redirect(reqwest::redirect::Policy::none())
        // A proxy would resolve the target itself, past the address checks.
        .no_proxy()
        .dns_resolver(PublicResolver::shared(config.allow_private))
        .user_agent(concat!("motcua/", env!("CARGO_PKG_VERSION")))
        .build()?;
    let (shutdown, stopping) = watch::channel(false);
    let worker = Worker { db, client, config, id: uuid::Uuid::new_v4().to_string(), stopping };
    let task = tokio::spawn(worker.run());
    Ok(WorkerHandle { shutdown, task })
}

struct Worker {
    db: Db,
    client: reqwest::Client,
    config: WorkerConfig,
    /// This worker's name in leases.
    id: String,
    stopping: watch::Receiver<bool>,
}

/// How one POST went.
struct Outcome {
    status: Option<u16>,
    error: Option<String>,
    took: Duration,
}

impl Outcome {
    fn delivered(&self) -> bool {
        self.error.is_none()
    }
}

/// What the worker does after one delivery.
#[derive(Debug, PartialEq, Eq)]
enum Next {
    /// Delivered, or dead: the next one may go.
    Continue,
    /// Failed and waiting for its retry: the later ones wait behind it.
    Wait,
    /// The claim expired and another worker may hold the subscription: stop touching it.
    LeaseLost,
}

/// How a claimed subscription was left.
enum Left {
    Release,
    /// Its owner can no longer read the feed: keep it claimed for a while, so that it is not
    /// claimed and released on every poll.
    Park,
}

impl Worker {
    async fn run(mut self) {
        tracing::info!(worker = %self.id, "webhook delivery worker started");
        loop {
            if let Err(e) = self.round().await {
                tracing::warn!(error = %e, "webhook round failed; trying again later");
            }
            let mut stopping = self.stopping.clone();
            let handle_gone = tokio::select! {
                changed = stopping.changed() => changed.is_err(),
                _ = tokio::time::sleep(self.config.poll) => false,
            };
            if handle_gone || self.stopping() {
                break;
            }
        }
        tracing::info!(worker = %self.id, "webhook delivery worker stopped");
    }

    fn stopping(&self) -> bool {
        *self.stopping.borrow()
    }

    /// Work every subscription that has something to do, a few receivers at a time.
    async fn round(&mut self) -> Result<(), ApiError> {
        use futures_util::StreamExt;
        let now = clock::to_db(Utc::now());
        let ids = self.db.run(move |conn| Ok(store::with_work(conn, now)?)).await?;
        let mut jobs = futures_util::stream::iter(ids)
            .map(|id| self.work_on(id))
            .buffer_unordered(CONCURRENT_SUBSCRIPTIONS);
        while let Some(result) = jobs.next().await {
            if let Err(e) = result {
                tracing::warn!(error = %e, "webhook delivery failed");
            }
        }
        Ok(())
    }

    #[tracing::instrument(skip_all, fields(webhook_id = ?id))]
    async fn work_on(&self, id: String) -> Result<(), ApiError> {
        let (worker, lease) = (self.id.clone(), self.lease_end());
        let claimed = {
            let id = id.clone();
            self.db
                .write(move |conn| Ok(store::claim(conn, &id, &worker, clock::to_db(Utc::now()), lease)?))
                .await?
        };
        let Some(hook) = claimed else { return Ok(()) };
        let result = self.deliver_claimed(&hook).await;
        let (worker, park) = (self.id.clone(), matches!(result, Ok(Left::Park)));
        let until = clock::to_db(Utc::now() + PARK);
        self.db
            .write(move |conn| {
                if park {
                    store::renew(conn, &id, &worker, until)?;
                } else {
                    store::release(conn, &id, &worker)?;
                }
                Ok(())
            })
            .await?;
        result.map(|_| ())
    }

    fn lease_end(&self) -> chrono::NaiveDateTime {
        clock::to_db(Utc::now() + self.config.lease())
    }

    async fn deliver_claimed(&self, hook: &WebhookRow) -> Result<Left, ApiError> {
        let Some(scope) = self.owner_scope(hook).await? else { return Ok(Left::Park) };
        if self.fan_out(hook, scope).await? == Next::LeaseLost {
            return Ok(Left::Release);
        }
        for _ in 0..DELIVERIES_PER_CLAIM {
            if self.stopping() {
                break;
            }
            let webhook_id = hook.id.clone();
            let Some(head) = self.db.run(move |conn| Ok(store::head(conn, &webhook_id)?)).await? else {
                break;
            };
            if head.next_attempt_at > clock::to_db(Utc::now()) {
                break;
            }
            if self.attempt(hook, head).await? != Next::Continue {
                break;
            }
        }
        Ok(Left::Release)
    }

    /// The owner's view of the feed; `None` when the owner can no longer read it (deactivated,
    /// deleted, or no longer an admin or a service account): the subscription then waits.
    async fn owner_scope(&self, hook: &WebhookRow) -> Result<Option<Scope>, ApiError> {
        let kind = if hook.owner_kind == "service" { SubjectKind::Service } else { SubjectKind::User };
        let owner = hook.owner_id.clone();
        let state = self.db.run(move |conn| accounts::load(conn, kind, &owner)).await?;
        Ok(state
            .filter(|s| s.active && matches!(s.role, Role::Admin | Role::Integration))
            .map(|s| Scope::for_role(s.role, s.agency_id.as_deref(), &s.agencies)))
    }

    /// Turn the events past the subscription's position into deliveries.
    async fn fan_out(&self, hook: &WebhookRow, scope: Scope) -> Result<Next, ApiError> {
        let (hook, worker) = (hook.clone(), self.id.clone());
        self.db
            .write(move |conn| {
                // Every event up to `latest` is final (see `events`); read no further than it, as
                // the next statement may see more.
                let Some(latest) = events::latest(conn)?.filter(|l| *l > hook.position()) else {
                    return Ok(Next::Continue);
                };
                let agencies = ids_in_scope(conn, &scope)?;
                let rows = events::events_after(conn, agencies.as_deref(), hook.position(), FAN_OUT_BATCH)?;
                let rows: Vec<_> = rows.into_iter().filter(|r| r.position() <= latest).collect();
                let position = if (rows.len() as i64) < FAN_OUT_BATCH {
                    latest
                } else {
                    rows.last().map_or(latest, |r| r.position())
                };
                let patterns = super::model::stored_patterns(&hook.event_types);
                let now = clock::to_db(Utc::now());
                let deliveries: Vec<DeliveryRow> = rows
                    .into_iter()
                    .filter(|r| wanted(&patterns, &r.event_type))
                    .map(|r| DeliveryRow {
                        id: uuid::Uuid::now_v7().to_string(),
                        webhook_id: hook.id.clone(),
                        event_id: r.id,
                        event_tx: r.tx,
                        event_type: r.event_type,
                        state: "pending".into(),
                        attempts: 0,
                        next_attempt_at: now,
                        created_at: now,
                        delivered_at: None,
                    })
                    .collect();
                let held = store::enqueue(conn, &hook.id, &worker, &deliveries, position)?;
                Ok(if held { Next::Continue } else { Next::LeaseLost })
            })
            .await
    }

    /// POST one delivery and record it, holding the claim before and after.
    #[tracing::instrument(skip_all, fields(webhook_id = ?hook.id, event_id = delivery.event_id))]
    async fn attempt(&self, hook: &WebhookRow, mut delivery: DeliveryRow) -> Result<Next, ApiError> {
        let (event_id, webhook_id, worker, lease) =
            (delivery.event_id, hook.id.clone(), self.id.clone(), self.lease_end());
        let row = self
            .db
            .write(move |conn| {
                if !store::renew(conn, &webhook_id, &worker, lease)? {
                    return Ok(None);
                }
                // Deliveries reference their event, which the outbox never deletes.
                Ok(Some(
                    events::find(conn, event_id)?
                        .ok_or_else(|| anyhow::anyhow!("event {event_id} is gone"))?,
                ))
            })
            .await?;
        let Some(row) = row else { return Ok(Next::LeaseLost) };
        let event = Event::from_row(row)?;
        let body = serde_json::to_vec(&event).map_err(anyhow::Error::from)?;
        let attempted_at = Utc::now();
        let outcome = self.post(hook, &event, body).await;

        delivery.attempts += 1;
        let delivered = outcome.delivered();
        if delivered {
            delivery.state = "delivered".into();
            delivery.delivered_at = Some(clock::to_db(Utc::now()));
        } else {
            match self.config.retry.after_failure(delivery.attempts) {
                AfterFailure::Dead => delivery.state = "dead".into(),
                AfterFailure::RetryIn(wait) => delivery.next_attempt_at = clock::to_db(Utc::now() + wait),
            }
        }
        let attempt = AttemptRow {
            delivery_id: delivery.id.clone(),
            number: delivery.attempts,
            attempted_at: clock::to_db(attempted_at),
            status_code: outcome.status.map(i32::from),
            error: outcome.error.clone(),
            duration_ms: i64::try_from(outcome.took.as_millis()).unwrap_or(i64::MAX),
        };
        tracing::info!(
            webhook = %hook.id, event = delivery.event_id, attempt = delivery.attempts,
            status = ?outcome.status, error = ?outcome.error, state = %delivery.state, "webhook delivery"
        );
        let (webhook_id, worker, lease) = (hook.id.clone(), self.id.clone(), self.lease_end());
        let dead = delivery.state == "dead";
        let held = self
            .db
            .write(move |conn| {
                // Record only while holding the claim: otherwise another worker owns this now.
                let held = store::renew(conn, &webhook_id, &worker, lease)?;
                if held {
                    store::record(conn, &delivery, &attempt)?;
                }
                Ok(held)
            })
            .await?;
        Ok(match (held, delivered || dead) {
            (false, _) => Next::LeaseLost,
            // A dead delivery no longer holds the queue back.
            (true, true) => Next::Continue,
            (true, false) => Next::Wait,
        })
    }

    async fn post(&self, hook: &WebhookRow, event: &Event, body: Vec<u8>) -> Outcome {
        let started = Instant::now();
        // An address in the URL itself never meets the resolver: check it here, in case private
        // targets were allowed when the subscription was made and are not any more.
        if let Err(refused) = literal_address_allowed(&hook.url, self.config.allow_private) {
            return Outcome { status: None, error: Some(refused.en.into_owned()), took: started.elapsed() };
        }
        let signature = signature::sign(&hook.secret, &body);
        let result = self
            .client
            .post(&hook.url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header("X-Motcua-Event", &event.event_type)
            .header("X-Motcua-Delivery", &event.id)
            .header(signature::HEADER, signature)
            .body(body)
            .send()
            .await;
        let took = started.elapsed();
        match result {
            Ok(response) if response.status().is_success() => {
                Outcome { status: Some(response.status().as_u16()), error: None, took }
            }
            Ok(response) => {
                let status = response.status();
                Outcome {
                    status: Some(status.as_u16()),
                    error: Some(format!("the receiver answered {status}")),
                    took,
                }
            }
            Err(e) => {
                let error = if e.is_timeout() {
                    format!("no answer within {} s", self.config.timeout.as_secs_f32())
                } else {
                    // The whole chain: "error sending request" alone says nothing.
                    let mut message = e.to_string();
                    let mut source = std::error::Error::source(&e);
                    while let Some(s) = source {
                        message.push_str(": ");
                        message.push_str(&s.to_string());
                        source = s.source();
                    }
                    message
                };
                Outcome { status: None, error: Some(error), took }
            }
        }
    }
}
