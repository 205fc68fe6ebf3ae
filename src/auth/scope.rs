//! Which agencies' records a caller may see: pure logic over agency paths.
//!
//! An agency's `path` lists its ancestors and itself (`/province/commune/`), so "agency X is at or
//! below A" is "X's path contains `/A/`", one check with no tree walk.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use super::role::Role;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::agencies;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// A system administrator: every agency.
    All,
    /// An agency and everything below it (admins and leaders).
    Subtree(String),
    /// Exactly these agencies (officers: their own; service accounts: those bound).
    Agencies(Vec<String>),
    /// No agency's records (citizens see only what they own).
    Nothing,
}

impl Scope {
    pub fn for_role(role: Role, agency_id: Option<&str>, bound_agencies: &[String]) -> Self {
        match (role, agency_id) {
            (Role::Admin, None) => Scope::All,
            (Role::Admin | Role::Leader, Some(a)) => Scope::Subtree(a.to_owned()),
            (Role::Officer, Some(a)) => Scope::Agencies(vec![a.to_owned()]),
            (Role::Integration, _) if !bound_agencies.is_empty() => Scope::Agencies(bound_agencies.to_vec()),
            (Role::Integration, Some(a)) => Scope::Agencies(vec![a.to_owned()]),
            _ => Scope::Nothing,
        }
    }

    /// Whether an agency, given its id and path, is in scope.
    pub fn contains(&self, agency_id: &str, agency_path: &str) -> bool {
        match self {
            Scope::All => true,
            Scope::Subtree(root) => agency_path.contains(&format!("/{root}/")),
            Scope::Agencies(ids) => ids.iter().any(|id| id == agency_id),
            Scope::Nothing => false,
        }
    }
}

/// The agencies on a path, root first: the agency's ancestors, then itself.
/// The agency tree's version, shared by the app: bumped when an agency moves, so that what is
/// cached from the tree (a calendar inherits days off and office hours along it) is rebuilt.
/// It lives here, below the slices, so that the agencies slice that moves an agency need not
/// know who caches what.
#[derive(Debug, Default, Clone)]
pub struct TreeVersion(Arc<AtomicU64>);

impl TreeVersion {
    pub fn current(&self) -> u64 {
        self.0.load(Ordering::Acquire)
    }

    /// The tree changed.
    pub fn bump(&self) {
        self.0.fetch_add(1, Ordering::AcqRel);
    }
}

pub fn lineage(path: &str) -> Vec<String> {
    path.split('/').filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

/// The path of a new agency under a parent (or at the root).
pub fn child_path(parent_path: Option<&str>, id: &str) -> String {
    format!("{}{id}/", parent_path.unwrap_or("/"))
}

/// Whether moving `agency_path` under `new_parent_path` would make a cycle: the new parent is the
/// agency itself or one of its descendants.
pub fn would_cycle(agency_path: &str, new_parent_path: &str) -> bool {
    new_parent_path.starts_with(agency_path)
}

/// The ids of the agencies in a scope, for `agency_id.eq_any(…)`; `None` means every agency.
///
/// Resolved to a list rather than used as a subquery: diesel's multi-backend connection cannot
/// embed a boxed subquery, and a scope is at most a province's few hundred agencies.
pub fn agency_ids(conn: &mut DbConnection, scope: &Scope) -> QueryResult<Option<Vec<String>>> {
    match named(scope) {
        Ok(ids) => Ok(ids),
        Err(root) => subtree(root).load(conn).map(Some),
    }
}

/// [`agency_ids`] on PostgreSQL's async path (`db::Db::read`).
pub async fn agency_ids_async(
    conn: &mut crate::db::AsyncPgConnection,
    scope: &Scope,
) -> QueryResult<Option<Vec<String>>> {
    match named(scope) {
        Ok(ids) => Ok(ids),
        Err(root) => diesel_async::RunQueryDsl::load(subtree(root), conn).await.map(Some),
    }
}

/// The ids of the agencies under `root` (itself included).
#[diesel::dsl::auto_type(no_type_alias)]
fn subtree(root: &str) -> _ {
    // Ids are UUIDs: no LIKE wildcards inside.
    let pattern: String = format!("%/{root}/%");
    agencies::table.filter(agencies::path.like(pattern)).select(agencies::id)
}

/// The ids a scope names (`None`: every agency), or the root of the subtree to look up.
fn named(scope: &Scope) -> Result<Option<Vec<String>>, &str> {
    match scope {
        Scope::All => Ok(None),
        Scope::Subtree(root) => Err(root),
        Scope::Agencies(ids) => Ok(Some(ids.clone())),
        Scope::Nothing => Ok(Some(Vec::new())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_map_to_scopes() {
        assert_eq!(Scope::for_role(Role::Admin, None, &[]), Scope::All);
        assert_eq!(Scope::for_role(Role::Admin, Some("p"), &[]), Scope::Subtree("p".into()));
        assert_eq!(Scope::for_role(Role::Leader, Some("c"), &[]), Scope::Subtree("c".into()));
        assert_eq!(Scope::for_role(Role::Officer, Some("c"), &[]), Scope::Agencies(vec!["c".into()]));
        assert_eq!(
            Scope::for_role(Role::Integration, None, &["a".into(), "b".into()]),
            Scope::Agencies(vec!["a".into(), "b".into()])
        );
        assert_eq!(Scope::for_role(Role::Citizen, Some("c"), &[]), Scope::Nothing);
        assert_eq!(Scope::for_role(Role::Leader, None, &[]), Scope::Nothing);
    }

    #[test]
    fn subtree_contains_descendants_only() {
        let province = child_path(None, "p");
        let commune = child_path(Some(&province), "c");
        let other = child_path(None, "q");
        let scope = Scope::Subtree("p".into());
        assert!(scope.contains("p", &province));
        assert!(scope.contains("c", &commune));
        assert!(!scope.contains("q", &other));
        let commune_scope = Scope::Subtree("c".into());
        assert!(!commune_scope.contains("p", &province), "a commune does not see its province");
    }

    #[test]
    fn lineage_is_root_first() {
        assert_eq!(lineage("/p/d/c/"), ["p", "d", "c"]);
    }

    #[test]
    fn cycles_are_detected() {
        let p = child_path(None, "p");
        let c = child_path(Some(&p), "c");
        let v = child_path(Some(&c), "v");
        assert!(would_cycle(&p, &c), "a province under its own commune");
        assert!(would_cycle(&c, &c), "an agency under itself");
        assert!(would_cycle(&p, &v));
        assert!(!would_cycle(&c, &p));
        let q = child_path(None, "q");
        assert!(!would_cycle(&c, &q));
    }
}
