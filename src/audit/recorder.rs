//! Reads are recorded off the request's path: a handler hands its event to a bounded queue and
//! answers at once; one task writes the queue in batches, every [`FLUSH_EVERY`] or
//! [`BATCH`] events, whichever comes first. Reading a dossier thus costs a queue push, not an
//! insert and a commit (the budget is 10 % on GET by id).
//!
//! The trade-off, chosen for reads only: a crash loses the batch being collected (at most a
//! second of reads), and a full queue (the database far behind) drops the event, says so in the
//! log and counts it (`lost`, on `/metrics`) rather than slow the desk down. Changes never come
//! this way: their events are written in the change's own transaction.
//!
//! The task lives as long as the server: [`RecorderHandle::stop`] (after the server has stopped)
//! writes what is queued and waits for the task to end, so that no task holds a connection past
//! the application. [`Recorder::flush`] lets a reader of the trail (and the tests) see every read
//! recorded before it.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::sync::{mpsc, oneshot, watch};
use tokio::task::JoinHandle;

use super::event::Event;
use super::store;
use crate::db::Db;

/// How long an event may wait in the queue before it is written.
pub const FLUSH_EVERY: Duration = Duration::from_secs(1);
/// Events written in one statement.
pub const BATCH: usize = 500;
/// Events the queue holds; beyond that they are dropped (and counted).
const CAPACITY: usize = 10_000;
/// How long a reader of the trail waits for the queue to be written before reading anyway.
const FLUSH_WAIT: Duration = Duration::from_secs(5);

enum Message {
    Event(Box<Event>),
    /// Write everything queued before this, then answer.
    Flush(oneshot::Sender<()>),
}

/// The handlers' side: cheap to clone.
#[derive(Clone)]
pub struct Recorder {
    queue: mpsc::Sender<Message>,
    lost: Arc<AtomicU64>,
}

impl Recorder {
    /// Queue a read's event; never waits. A full or closed queue drops it, with a log line.
    pub fn record(&self, event: Event) {
        if let Err(error) = self.queue.try_send(Message::Event(Box::new(event))) {
            let lost = self.lost.fetch_add(1, Ordering::Relaxed) + 1;
            let why = match error {
                mpsc::error::TrySendError::Full(_) => "the queue is full",
                mpsc::error::TrySendError::Closed(_) => "the recorder has stopped",
            };
            tracing::error!(why, lost, "an audit record of a read was dropped");
        }
    }

    /// Wait until every event queued before this call is written (or [`FLUSH_WAIT`] passed).
    pub async fn flush(&self) {
        let (done, written) = oneshot::channel();
        let wait = async {
            if self.queue.send(Message::Flush(done)).await.is_ok() {
                let _ = written.await;
            }
        };
        if tokio::time::timeout(FLUSH_WAIT, wait).await.is_err() {
            tracing::warn!("the audit queue was not written in time; reading the trail anyway");
        }
    }

    /// Read events dropped or lost to a failed write since start.
    pub fn lost(&self) -> u64 {
        self.lost.load(Ordering::Relaxed)
    }
}

/// The writer task, to stop with the server.
pub struct RecorderHandle {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl RecorderHandle {
    /// Write what is queued, then end the task and wait for it.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        if let Err(e) = self.task.await {
            tracing::error!(error = %e, "the audit recorder ended badly");
        }
    }
}

/// Start the writer on the current runtime.
pub fn spawn(db: Db) -> (Recorder, RecorderHandle) {
    spawn_holding(db, CAPACITY)
}

/// [`spawn`] with a queue of `capacity` events.
fn spawn_holding(db: Db, capacity: usize) -> (Recorder, RecorderHandle) {
    let (queue, incoming) = mpsc::channel(capacity);
    let (stop, stopping) = watch::channel(false);
    let lost = Arc::new(AtomicU64::new(0));
    let writer = Writer { db, incoming, stopping, lost: lost.clone(), batch: Vec::new() };
    let task = tokio::spawn(writer.run());
    (Recorder { queue, lost }, RecorderHandle { stop, task })
}

struct Writer {
    db: Db,
    incoming: mpsc::Receiver<Message>,
    stopping: watch::Receiver<bool>,
    lost: Arc<AtomicU64>,
    batch: Vec<Event>,
}

impl Writer {
    async fn run(mut self) {
        let mut every = tokio::time::interval(FLUSH_EVERY);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                // Stopping goes first, so that a busy queue cannot keep the task alive.
                biased;
                changed = self.stopping.changed() => {
                    if changed.is_err() || *self.stopping.borrow() {
                        break;
                    }
                }
                message = self.incoming.recv() => match message {
                    Some(message) => self.take(message).await,
                    None => break,
                },
                _ = every.tick() => self.write().await,
            }
        }
        // What was queued before the stop; nothing new can be sent once the server is down.
        while let Ok(message) = self.incoming.try_recv() {
            self.take(message).await;
        }
        self.write().await;
    }

    async fn take(&mut self, message: Message) {
        match message {
            Message::Event(event) => {
                self.batch.push(*event);
                if self.batch.len() >= BATCH {
                    self.write().await;
                }
            }
            Message::Flush(done) => {
                self.write().await;
                let _ = done.send(());
            }
        }
    }

    async fn write(&mut self) {
        if self.batch.is_empty() {
            return;
        }
        let events = std::mem::take(&mut self.batch);
        let count = events.len();
        let written = self.db.run(move |conn| Ok(store::append(conn, &events)?)).await;
        if let Err(error) = written {
            let lost = self.lost.fetch_add(count as u64, Ordering::Relaxed) + count as u64;
            tracing::error!(%error, count, lost, "audit records of reads could not be written");
        }
    }
}

#[cfg(test)]
mod tests {
    use diesel::prelude::*;

    use super::*;
    use crate::audit::{Action, Actor, Event};
    use crate::db::schema::audit_events;
    use crate::db::{self, DatabaseUrl, PoolOptions};

    /// A migrated SQLite database of its own, and a way to count its audit rows.
    fn database(dir: &tempfile::TempDir) -> Db {
        let url: DatabaseUrl = format!("sqlite://{}", dir.path().join("audit.db").display()).parse().unwrap();
        let pool = db::build_pool(&url, &PoolOptions::default()).unwrap();
        db::run_migrations(&mut pool.get().unwrap()).unwrap();
        Db::new(pool, &url)
    }

    fn rows(db: &Db) -> i64 {
        audit_events::table.count().get_result(&mut db.pool().get().unwrap()).unwrap()
    }

    fn read() -> Event {
        Event::new(Action::DossierRead, Actor::anonymous(None), None)
    }

    #[tokio::test]
    async fn queued_reads_are_written_on_flush_and_when_stopped() {
        let dir = tempfile::tempdir().unwrap();
        let db = database(&dir);
        let (recorder, handle) = spawn(db.clone());
        recorder.record(read());
        recorder.record(read());
        recorder.flush().await;
        assert_eq!(rows(&db), 2, "a flush writes what was queued before it");
        recorder.record(read());
        handle.stop().await;
        assert_eq!(rows(&db), 3, "stopping writes the queue first");
        recorder.record(read());
        assert_eq!(recorder.lost(), 1, "after the stop an event has nowhere to go: counted");
    }

    /// On this single-threaded runtime the writer cannot run between the two pushes: the second
    /// meets a full queue of one.
    #[tokio::test]
    async fn a_full_queue_drops_the_read_and_counts_it() {
        let dir = tempfile::tempdir().unwrap();
        let db = database(&dir);
        let (recorder, handle) = spawn_holding(db.clone(), 1);
        recorder.record(read());
        recorder.record(read());
        assert_eq!(recorder.lost(), 1);
        handle.stop().await;
        assert_eq!(rows(&db), 1);
    }
}
