//! The audit trail (issue 21; Decree 13/2023/NĐ-CP on personal data asks who processed whose
//! data): an append-only log of security events and of access to personal data, read by
//! administrators at `GET /api/v1/audit`.
//!
//! Decisions:
//!
//! - **Where it sits.** In the foundation beside `auth`, not among the shared records: sign-ins
//!   are recorded by `auth`, which the shared records sit above. The slices record through it
//!   like they write their history.
//! - **What is recorded** ([`Action`]): sign-ins, refused sign-ins (an unknown account, a wrong
//!   password or secret, an inactive account), a spent refresh token presented again, logouts;
//!   accounts created, their role, agency, password or active flag changed, sessions ended by an
//!   administrator; service accounts' secrets issued, bindings changed, and the grant of personal
//!   data given or withdrawn (each its own action, so the trail names it); webhooks created,
//!   changed, deleted; a dossier read by id, a dossier's file downloaded (from its first byte, as
//!   the history counts it), by bearer token or signed link; files exported with personal data (a
//!   report's documents name officers; the trail itself). Not recorded: a sign-in refused by the
//!   throttle (no password was checked, and an attacker could make rows as fast as requests; the
//!   log has them), lists (a page is not a reading of one person's record), and accounts made
//!   by `motcua user create` (an operator at the server, with the database in reach anyway).
//! - **Who, from where, about what.** The actor's kind (`user`, `service`, `anonymous`), id, name
//!   (username or client id, as it was then) and role; the client address as `http::client`
//!   decides it (trusted proxies); the subject's type and id; the agency whose administrators may
//!   read the row; a small `details` object of ids, roles, formats and reasons.
//! - **Never in a row:** passwords, tokens, secrets, webhook URLs (they may carry a key in
//!   the query: only the host is kept), document names or contents. Each call site builds its
//!   details from named fields, never from a request body.
//! - **Changes are written in their own transaction** ([`record`]): a role change and its row
//!   commit together or not at all. A refused sign-in has no transaction and is written at once.
//! - **Reads go through a queue** ([`recorder`]), written in batches by one task, so that GET by
//!   id pays no insert; a crash may lose up to a second of read records, never a change's. File
//!   downloads already write the dossier's history in a transaction: their row joins it.
//! - **Append-only:** no update or delete path in the code; triggers refuse both (and TRUNCATE on
//!   PostgreSQL). Retention, when the law sets one, is a deliberate migration, not a call.
//! - **Who reads it:** administrators. A system administrator sees every row; an agency's
//!   administrator the rows of their agency and those below (rows with no agency, such as a
//!   refused sign-in to an unknown name, only the system administrator).

mod event;
pub mod recorder;
pub mod routes;
pub mod store;

use std::net::IpAddr;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use diesel::QueryResult;

pub use self::event::{Action, Actor, ActorKind, Event, SubjectType};
pub use self::recorder::Recorder;
use crate::auth::caller::Caller;
use crate::db::DbConnection;
use crate::error::ApiError;

/// Record a change's event inside the change's transaction.
pub fn record(conn: &mut DbConnection, event: Event) -> QueryResult<()> {
    store::append(conn, std::slice::from_ref(&event))
}

/// What a handler needs to record: the client's address, and the queue for reads.
pub struct Witness {
    pub address: Option<IpAddr>,
    recorder: web::Data<Recorder>,
}

impl Witness {
    /// An event by the caller, now, from this request's address.
    pub fn by(&self, caller: &Caller, action: Action) -> Event {
        Event::new(action, Actor::of(caller), self.address)
    }

    /// An event by nobody signed in; `name` is who they claimed to be.
    pub fn anonymous(&self, action: Action, name: Option<String>) -> Event {
        Event::new(action, Actor::anonymous(name), self.address)
    }

    /// Queue a read's event (see [`recorder`]); the handler does not wait for it.
    pub fn saw(&self, event: Event) {
        self.recorder.record(event);
    }

    pub fn recorder(&self) -> &Recorder {
        &self.recorder
    }
}

impl FromRequest for Witness {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let recorder = req.app_data::<web::Data<Recorder>>().cloned().ok_or_else(|| {
            ApiError::Internal(anyhow::anyhow!("the audit recorder is missing from app data"))
        });
        std::future::ready(recorder.map(|recorder| Self { address: crate::http::client::of(req), recorder }))
    }
}
