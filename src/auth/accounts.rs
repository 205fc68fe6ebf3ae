//! Whether the account behind a token is still as the token says. Access tokens are signed
//! claims; without this check a deactivated or demoted account would keep its rights until the
//! token expires. The state is cached briefly (one query per account per 30 s); changes made
//! through this process clear it at once, changes made through another process within 30 s.

use std::collections::HashMap;
use std::sync::RwLock;
use std::time::{Duration, Instant};

use super::directory;
use super::role::Role;
use super::tokens::{Claims, SubjectKind};
use crate::db::DbConnection;
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

/// `None` inside: the account no longer exists.
type Entry = (Instant, Option<AccountState>);

#[derive(Default)]
pub struct AccountStates {
    entries: RwLock<HashMap<String, Entry>>,
}

impl AccountStates {
    pub fn cached(&self, subject: &str) -> Option<Option<AccountState>> {
        let entries = self.entries.read().expect("account cache lock");
        entries.get(subject).filter(|(at, _)| at.elapsed() < LIFETIME).map(|(_, state)| state.clone())
    }

    pub fn store(&self, subject: &str, state: Option<AccountState>) {
        let mut entries = self.entries.write().expect("account cache lock");
        if entries.len() > PRUNE_ABOVE {
            entries.retain(|_, (at, _)| at.elapsed() < LIFETIME);
        }
        entries.insert(subject.to_owned(), (Instant::now(), state));
    }

    /// Called when an account changes.
    pub fn forget(&self, subject: &str) {
        self.entries.write().expect("account cache lock").remove(subject);
    }
}

#[tracing::instrument(skip_all, fields(subject_id = ?id))]
pub fn load(conn: &mut DbConnection, kind: SubjectKind, id: &str) -> Result<Option<AccountState>, ApiError> {
    Ok(match kind {
        SubjectKind::User => match directory::find_person(conn, id)? {
            Some(user) => Some(AccountState {
                active: user.active,
                role: user.role()?,
                agency_id: user.agency_id,
                agencies: Vec::new(),
            }),
            None => None,
        },
        SubjectKind::Service => match directory::find_service(conn, id)? {
            Some(account) => {
                let mut agencies = directory::bound_agency_ids(conn, &account.id)?;
                agencies.sort();
                Some(AccountState {
                    active: account.active,
                    role: Role::Integration,
                    agency_id: None,
                    agencies,
                })
            }
            None => None,
        },
    })
}
