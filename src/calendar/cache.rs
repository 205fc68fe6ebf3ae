//! Calendars built once and kept in memory: computing a due date must be a loop over days, not
//! a query per day. Writes through this process clear the cache (a move in the agency tree
//! through its [`TreeVersion`]); a short lifetime bounds how
//! long another process serving the same database may use a calendar changed elsewhere.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use super::model::{DayKind, Week};
use super::store;
use super::working_time::{Calendar, WeeklySchedule};
use crate::agencies::store as agencies;
use crate::auth::scope::{TreeVersion, lineage};
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::i18n::nouns;

const LIFETIME: Duration = Duration::from_secs(60);

/// An agency's calendar with what it was built from.
pub struct AgencyCalendar {
    pub calendar: Calendar,
    /// The agency whose schedule applies (the agency itself or one above it), if not the default.
    pub schedule_from: Option<String>,
    pub schedule: WeeklySchedule,
}

/// A built calendar and when it was built.
type Entry = (Instant, Arc<AgencyCalendar>);

#[derive(Default)]
pub struct CalendarCache {
    /// By agency id; `None` is the national calendar.
    entries: RwLock<HashMap<Option<String>, Entry>>,
    /// Bumped by every invalidation: a calendar loaded before a change committed is not stored
    /// after the change cleared the cache.
    generation: AtomicU64,
    /// The agency tree the entries were built from: when an agency moves, they are dropped.
    tree: TreeVersion,
    tree_seen: AtomicU64,
}

impl CalendarCache {
    /// A cache that follows the app's agency tree.
    pub fn new(tree: TreeVersion) -> Self {
        Self { tree_seen: AtomicU64::new(tree.current()), tree, ..Self::default() }
    }

    /// The calendar of an agency (national days, those of the agency and of the agencies
    /// above it, and the nearest schedule), or the national calendar for `None`.
    pub fn get(
        &self,
        conn: &mut DbConnection,
        agency_id: Option<&str>,
    ) -> Result<Arc<AgencyCalendar>, ApiError> {
        // A load on every call (the hot path), a write only when the tree moved.
        let tree = self.tree.current();
        if self.tree_seen.load(Ordering::Acquire) != tree
            && self.tree_seen.swap(tree, Ordering::AcqRel) != tree
        {
            self.invalidate();
        }
        let key = agency_id.map(str::to_owned);
        if let Some((built, calendar)) = self.entries.read().expect("calendar cache lock").get(&key)
            && built.elapsed() < LIFETIME
        {
            return Ok(calendar.clone());
        }
        let generation = self.generation.load(Ordering::Acquire);
        let calendar = Arc::new(load(conn, agency_id)?);
        let mut entries = self.entries.write().expect("calendar cache lock");
        if self.generation.load(Ordering::Acquire) == generation {
            entries.insert(key, (Instant::now(), calendar.clone()));
        }
        Ok(calendar)
    }

    pub fn invalidate(&self) {
        let mut entries = self.entries.write().expect("calendar cache lock");
        self.generation.fetch_add(1, Ordering::AcqRel);
        entries.clear();
    }
}

#[tracing::instrument(skip_all, fields(agency_id = ?agency_id))]
fn load(conn: &mut DbConnection, agency_id: Option<&str>) -> Result<AgencyCalendar, ApiError> {
    let ancestry = match agency_id {
        Some(id) => {
            let path = agencies::find(conn, id)?.ok_or_else(|| ApiError::not_found(nouns::AGENCY))?.path;
            // Nearest first: the nearest schedule wins.
            lineage(&path).into_iter().rev().collect()
        }
        None => Vec::new(),
    };
    let mut days_off = Vec::new();
    let mut make_up = Vec::new();
    for row in store::days_for(conn, &ancestry, None)? {
        if DayKind::from_db(&row.kind)?.is_day_off() {
            days_off.push(row.day);
        } else {
            make_up.push(row.day);
        }
    }
    let stored: HashMap<String, String> = store::schedules_of(conn, &ancestry)?.into_iter().collect();
    let nearest = ancestry.iter().find_map(|id| stored.get(id).map(|week| (id.clone(), week)));
    let (schedule_from, schedule) = match nearest {
        Some((id, week)) => {
            let week: Week = serde_json::from_str(week).map_err(anyhow::Error::from)?;
            (Some(id), week.to_schedule()?)
        }
        None => (None, WeeklySchedule::default()),
    };
    Ok(AgencyCalendar {
        calendar: Calendar::new(schedule.clone(), days_off, make_up),
        schedule_from,
        schedule,
    })
}
