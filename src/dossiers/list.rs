//! Which dossiers a list request asks for: its filters, the caller's scope (a citizen's own, or
//! the agencies in the caller's scope) and what `q` searches.

use chrono::NaiveDateTime;

use super::lifecycle::Status;
use super::model::DossierQuery;
use super::row::DossierRow;
use super::store::{self, ListFilter};
use crate::agencies::store as agencies;
use crate::auth::caller::Caller;
use crate::auth::role::Role;
use crate::catalogue::search;
use crate::clock;
use crate::db::DbConnection;
use crate::error::ApiError;

/// What `q` searches: a dossier code (it has a dash and no space), or words of the applicant's
/// name (accents ignored).
#[derive(Debug, PartialEq, Eq)]
pub enum Search {
    Code(String),
    NameWords(Vec<String>),
}

pub fn search(q: &str) -> Option<Search> {
    let q = q.trim();
    if q.is_empty() {
        None
    } else if q.contains('-') && !q.contains(' ') {
        Some(Search::Code(q.to_owned()))
    } else {
        Some(Search::NameWords(search::query_words(q)))
    }
}

/// The filter of a list request, before the caller's scope is applied.
pub fn filter(query: DossierQuery, now: NaiveDateTime) -> ListFilter {
    let mut filter = ListFilter {
        status: query.status.map(Status::as_str),
        agency_id: query.agency_id,
        procedure_id: query.procedure_id,
        channel: query.channel.map(|c| c.as_str()),
        accepted_from: query.accepted_from.map(clock::to_db),
        accepted_to: query.accepted_to.map(clock::to_db),
        overdue: query.overdue.map(|o| (o, now)),
        due_before: query.due_before.map(clock::to_db),
        assignee_id: query.assignee_id,
        ..Default::default()
    };
    match query.q.as_deref().and_then(search) {
        Some(Search::Code(code)) => filter.code = Some(code),
        Some(Search::NameWords(words)) => filter.name_words = words,
        None => {}
    }
    filter
}

/// A page of the dossiers the caller may see that match the query, newest first.
#[tracing::instrument(skip_all, fields(caller = ?caller.id))]
pub fn load(
    conn: &mut DbConnection,
    caller: &Caller,
    query: DossierQuery,
    after: Option<(NaiveDateTime, String)>,
    limit: i64,
) -> Result<Vec<DossierRow>, ApiError> {
    let mut filter = filter(query, clock::to_db(clock::now()));
    if caller.role == Role::Citizen {
        filter.owner_id = Some(caller.id.clone());
    } else {
        filter.agency_ids = agencies::ids_in_scope(conn, &caller.scope())?;
    }
    Ok(store::list(conn, &filter, after, limit)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn q_is_a_code_or_name_words() {
        assert_eq!(search("  "), None);
        assert_eq!(
            search(" 000.21.35.H55-240105-0001 "),
            Some(Search::Code("000.21.35.H55-240105-0001".into()))
        );
        assert!(matches!(search("Nguyễn Văn-An"), Some(Search::NameWords(words)) if !words.is_empty()));
        assert!(matches!(search("hoa"), Some(Search::NameWords(words)) if words == ["hoa"]));
    }
}
