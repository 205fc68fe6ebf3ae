//! Whether the account and the session behind a token are still as the token says. Access
//! tokens are signed claims; without this check a deactivated or demoted account, or a session
//! ended by logout, a password change or an administrator, would keep its rights until the token
//! expires. The state (the account's role, agency and active flag, and the sessions it has open)
//! is cached briefly (one read per account per 30 s), so the hot path costs no query; the process
//! that ends a session or changes an account clears its cache at once, other processes see the
//! change within 30 s.
//!
//! A cached state may always admit a token, but refuse it only if it was read after the token
//! was issued: a session or a role that is newer than the cache (the user signed in again, on
//! this process or another) is not in it yet, so the state is read again instead.
//!
//! The state also carries who the account is (`profile`: its name and agency), read with it: the
//! dossier events name a step's actor from it without a query per write.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use super::directory;
use super::profile::{self, Profile, Unit};
use super::role::Role;
use super::store;
use super::tokens::{Claims, LEEWAY_SECS, SubjectKind};
use crate::clock;
use crate::db::{AsyncPgConnection, DbConnection};
use crate::error::ApiError;

const LIFETIME: Duration = Duration::from_secs(30);
/// Forget expired entries past this many, so memory stays bounded.
const PRUNE_ABOVE: usize = 50_000;

/// What a token's claims must still match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountState {
    pub active: bool,
    pub role: Role,
    pub agency_id: Option<String>,
    /// Service accounts: bound agencies, sorted.
    pub agencies: Vec<String>,
    /// Service accounts: an admin's grant of personal data. Not in the token: the caller takes it
    /// from this state, so a grant or its withdrawal holds from the next request (at once on this
    /// process, which forgets the account when it changes; within the cache's 30 s elsewhere),
    /// for tokens already issued too.
    pub personal_data: bool,
    /// Who the account is, for the events' actor; not part of what a token must match.
    pub profile: Arc<Profile>,
}

impl AccountState {
    /// Whether the token still describes this account.
    pub fn admits(&self, claims: &Claims) -> bool {
        let mut bound = claims.agencies.clone();
        bound.sort();
        self.active
            && self.role == claims.role
            && self.agency_id == claims.agency_id
            && self.agencies == bound
    }
}

/// What a token is checked against, as read at an instant.
#[derive(Debug, Clone)]
pub struct Snapshot {
    /// `None`: the account no longer exists.
    pub state: Option<AccountState>,
    /// People's accounts: the sessions (sign-ins, by refresh-token family) still open.
    pub sessions: Vec<String>,
    /// When the read began.
    pub read_at: DateTime<Utc>,
}

impl Snapshot {
    /// Whether the token still describes the account, and a person's token an open session.
    /// Service accounts have no sessions: their tokens name none.
    pub fn admits(&self, claims: &Claims) -> bool {
        let session_open = match &claims.sid {
            Some(sid) => self.sessions.contains(sid),
            None => claims.kind == SubjectKind::Service,
        };
        session_open && self.state.as_ref().is_some_and(|s| s.admits(claims))
    }

    /// Whether this snapshot may answer for the token: it may admit any, but refuse only one
    /// issued before it was read, by a margin of the clock skew tolerated between servers.
    pub fn decides(&self, claims: &Claims) -> bool {
        self.admits(claims) || self.read_at.timestamp() > claims.iat.saturating_add(LEEWAY_SECS as i64)
    }
}

type Entry = (Instant, Snapshot);

#[derive(Default)]
pub struct AccountStates {
    entries: RwLock<HashMap<String, Entry>>,
    /// Counts the `forget`s. A read that began before one may be stale: it is not cached.
    forgets: AtomicU64,
}

impl AccountStates {
    pub fn cached(&self, subject: &str) -> Option<Snapshot> {
        let entries = self.entries.read().expect("account cache lock");
        entries.get(subject).filter(|(at, _)| at.elapsed() < LIFETIME).map(|(_, snapshot)| snapshot.clone())
    }

    /// Taken before reading a state, for [`Self::store`].
    pub fn generation(&self) -> u64 {
        self.forgets.load(Ordering::Acquire)
    }

    /// Cache a state read since `generation`, unless an account changed in the meantime (the
    /// read may have missed that change; the next request reads again).
    pub fn store(&self, subject: &str, snapshot: Snapshot, generation: u64) {
        let mut entries = self.entries.write().expect("account cache lock");
        if self.forgets.load(Ordering::Acquire) != generation {
            return;
        }
        if entries.len() > PRUNE_ABOVE {
            entries.retain(|_, (at, _)| at.elapsed() < LIFETIME);
        }
        entries.insert(subject.to_owned(), (Instant::now(), snapshot));
    }

    /// Called when an account changes or one of its sessions ends.
    pub fn forget(&self, subject: &str) {
        let mut entries = self.entries.write().expect("account cache lock");
        self.forgets.fetch_add(1, Ordering::AcqRel);
        entries.remove(subject);
    }
}

/// What a token of the subject is checked against: its account and, for a person, its sessions.
#[tracing::instrument(skip_all, fields(subject_id = ?id))]
pub fn snapshot(conn: &mut DbConnection, kind: SubjectKind, id: &str) -> Result<Snapshot, ApiError> {
    let read_at = clock::now();
    let state = load(conn, kind, id)?;
    let sessions = match (kind, &state) {
        (SubjectKind::User, Some(_)) => store::open_sessions(conn, id, clock::to_db(read_at))?,
        _ => Vec::new(),
    };
    Ok(Snapshot { state, sessions, read_at })
}

/// [`snapshot`] on PostgreSQL's async path (`db::Db::read`): the same reads.
#[tracing::instrument(skip_all, fields(subject_id = ?id))]
pub async fn snapshot_async(
    conn: &mut AsyncPgConnection,
    kind: SubjectKind,
    id: &str,
) -> Result<Snapshot, ApiError> {
    let read_at = clock::now();
    let state = match kind {
        SubjectKind::User => match directory::find_person_async(conn, id).await? {
            Some(user) => {
                let units = profile::units_async(conn, user.agency_id.as_slice()).await?;
                Some(person_state(user, units)?)
            }
            None => None,
        },
        SubjectKind::Service => match directory::find_service_async(conn, id).await? {
            Some(account) => {
                let agencies = directory::bound_agency_ids_async(conn, &account.id).await?;
                let units = profile::units_async(conn, &agencies).await?;
                Some(service_state(account, agencies, units))
            }
            None => None,
        },
    };
    let sessions = match (kind, &state) {
        (SubjectKind::User, Some(_)) => store::open_sessions_async(conn, id, clock::to_db(read_at)).await?,
        _ => Vec::new(),
    };
    Ok(Snapshot { state, sessions, read_at })
}

#[tracing::instrument(skip_all, fields(subject_id = ?id))]
pub fn load(conn: &mut DbConnection, kind: SubjectKind, id: &str) -> Result<Option<AccountState>, ApiError> {
    Ok(match kind {
        SubjectKind::User => match directory::find_person(conn, id)? {
            Some(user) => {
                let units = profile::units(conn, user.agency_id.as_slice())?;
                Some(person_state(user, units)?)
            }
            None => None,
        },
        SubjectKind::Service => match directory::find_service(conn, id)? {
            Some(account) => {
                let agencies = directory::bound_agency_ids(conn, &account.id)?;
                let units = profile::units(conn, &agencies)?;
                Some(service_state(account, agencies, units))
            }
            None => None,
        },
    })
}

fn person_state(user: directory::Person, units: Vec<Unit>) -> Result<AccountState, ApiError> {
    Ok(AccountState {
        active: user.active,
        role: user.role()?,
        agency_id: user.agency_id,
        agencies: Vec::new(),
        personal_data: false,
        profile: Arc::new(Profile { name: user.full_name, units }),
    })
}

fn service_state(account: directory::Service, mut agencies: Vec<String>, units: Vec<Unit>) -> AccountState {
    agencies.sort();
    AccountState {
        active: account.active,
        role: Role::Integration,
        agency_id: None,
        agencies,
        personal_data: account.personal_data,
        profile: Arc::new(Profile { name: account.name, units }),
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn claims(kind: SubjectKind, sid: Option<&str>, iat: i64) -> Claims {
        Claims {
            iss: "motcua".into(),
            aud: "motcua-api".into(),
            sub: "u1".into(),
            exp: iat + 900,
            nbf: iat,
            iat,
            jti: "j".into(),
            sid: sid.map(str::to_owned),
            kind,
            role: Role::Officer,
            agency_id: Some("a1".into()),
            agencies: Vec::new(),
        }
    }

    fn snapshot(sessions: &[&str], read_at: i64) -> Snapshot {
        Snapshot {
            state: Some(AccountState {
                active: true,
                role: Role::Officer,
                agency_id: Some("a1".into()),
                agencies: Vec::new(),
                personal_data: false,
                profile: Default::default(),
            }),
            sessions: sessions.iter().map(|s| s.to_string()).collect(),
            read_at: Utc.timestamp_opt(read_at, 0).unwrap(),
        }
    }

    const T: i64 = 1_800_000_000;

    #[test]
    fn a_persons_token_is_good_while_its_session_is_open() {
        let open = snapshot(&["s1", "s2"], T);
        assert!(open.admits(&claims(SubjectKind::User, Some("s1"), T)));
        assert!(!open.admits(&claims(SubjectKind::User, Some("ended"), T)));
        assert!(!open.admits(&claims(SubjectKind::User, None, T)), "a person's token names its session");
        let service = Snapshot { sessions: Vec::new(), ..open.clone() };
        assert!(service.admits(&claims(SubjectKind::Service, None, T)), "service tokens have none");
        let gone = Snapshot { state: None, ..open };
        assert!(!gone.admits(&claims(SubjectKind::User, Some("s1"), T)));
    }

    #[test]
    fn a_snapshot_refuses_only_tokens_issued_before_it_was_read() {
        let token = claims(SubjectKind::User, Some("new"), T);
        // Read before the sign-in that opened "new", or too close to it to tell across servers.
        assert!(!snapshot(&["old"], T - 5).decides(&token));
        assert!(!snapshot(&["old"], T + LEEWAY_SECS as i64).decides(&token));
        // Read well after: the session has ended since.
        assert!(snapshot(&["old"], T + LEEWAY_SECS as i64 + 1).decides(&token));
        // A snapshot that admits the token always decides.
        assert!(snapshot(&["new"], T - 5).decides(&token));
    }
}
