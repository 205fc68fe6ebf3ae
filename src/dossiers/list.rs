//! Which dossiers a list request asks for: its filters, the caller's scope (a citizen's own, or
//! the agencies in the caller's scope) and what `q` searches.
//!
//! Staff and service accounts see in the list what they may read by id (`access::visible`): the
//! dossiers received by an agency in their scope, and those sent on to one of them (joint
//! processing), wherever received. The filters keep their meaning: `agency_id` is the reception
//! agency (the desk that received the dossier and counts it), not the one holding it now, so a
//! district's labour office finds what a commune sent it with no `agency_id` (or with the
//! commune's). How it stays fast (bench/README.md, "The plain list and joint processing"):
//! - a scope of many agencies (a province's leader): one query, the newest-first walk of
//!   `dossiers_submitted_idx` with `agency_id = ANY(scope) OR chain_agencies LIKE '% id %' OR …`
//!   tested on each row; the LIKEs run only for rows of other agencies, on a null for those never
//!   sent on, so the first page is still read from the walk's first rows;
//! - a scope of one agency (a commune's officer, a labour office): two pages merged, its own from
//!   the walk of (agency_id, submitted_at, id), and those sent to it from elsewhere through the
//!   hops' index on to_agency_id (its own incoming: none at most desks). An OR would lose the
//!   ordered walk of its own and read the whole table's newest rows for a small agency's page.
//!   A request that names the reception agency needs only one of the two pages ([`reaches`]).

use chrono::NaiveDateTime;

use super::lifecycle::Status;
use super::model::DossierQuery;
use super::row::DossierRow;
use super::store::{self, ListFilter, Reach};
use crate::agencies::store as agencies;
use crate::auth::caller::Caller;
use crate::auth::role::Role;
use crate::auth::scope::Scope;
use crate::catalogue::search;
use crate::clock;
use crate::db::Db;
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

/// A page of the dossiers the caller may see that match the query, newest first: on PostgreSQL
/// on the async path (a commune officer's filtered list is a hot read), on SQLite on the
/// blocking pool (`Db::read`). Both run the same queries.
#[tracing::instrument(skip_all, fields(caller = ?caller.id))]
pub async fn read(
    db: &Db,
    caller: &Caller,
    query: DossierQuery,
    after: Option<(NaiveDateTime, String)>,
    limit: i64,
) -> Result<Vec<DossierRow>, ApiError> {
    let mut filter = filter(query, clock::to_db(clock::now()));
    let scope = match caller.role {
        Role::Citizen => {
            filter.owner_id = Some(caller.id.clone());
            Scope::All
        }
        _ => caller.scope(),
    };
    let (blocking_filter, blocking_scope, blocking_after) = (filter.clone(), scope.clone(), after.clone());
    db.read(
        async |conn| {
            let ids = agencies::ids_in_scope_async(conn, &scope).await?;
            let mut rows = Vec::new();
            for reach in reaches(ids.as_deref(), filter.agency_id.as_deref()) {
                rows.extend(store::list_async(conn, &filter, reach, after.clone(), limit).await?);
            }
            Ok(newest_first(rows, limit))
        },
        move |conn| {
            let ids = agencies::ids_in_scope(conn, &blocking_scope)?;
            let mut rows = Vec::new();
            for reach in reaches(ids.as_deref(), blocking_filter.agency_id.as_deref()) {
                rows.extend(store::list(conn, &blocking_filter, reach, blocking_after.clone(), limit)?);
            }
            Ok(newest_first(rows, limit))
        },
    )
    .await
}

/// The pages a scope's list reads (`None`: every agency, or a citizen's own): none for an empty
/// scope, the agency's own and those sent to it for one agency, one query for many. A filter on
/// the reception agency (`agency_id`) leaves one agency's scope one page of the two: its own
/// when it names the agency (the commune officer's usual list, one statement instead of two),
/// those sent to it when it names another.
fn reaches<'a>(ids: Option<&'a [String]>, received_by: Option<&str>) -> Vec<Reach<'a>> {
    match ids {
        None => vec![Reach::All],
        Some([]) => Vec::new(),
        Some(one @ [id]) => match received_by {
            Some(agency) if agency == id => vec![Reach::Received(one)],
            Some(_) => vec![Reach::SentFrom(id)],
            None => vec![Reach::Received(one), Reach::SentFrom(id)],
        },
        Some(many) => vec![Reach::ReceivedOrSentTo(many)],
    }
}

/// Pages, each newest first by (submitted_at, id) and without a dossier in common, as one.
pub fn newest_first(mut rows: Vec<DossierRow>, limit: i64) -> Vec<DossierRow> {
    rows.sort_by(|x, y| (y.submitted_at, &y.id).cmp(&(x.submitted_at, &x.id)));
    rows.truncate(usize::try_from(limit).unwrap_or(0));
    rows
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

    #[test]
    fn one_agencys_list_reads_only_the_pages_its_filter_can_match() {
        let one = ["c".to_owned()];
        let pages = |received_by| format!("{:?}", reaches(Some(&one), received_by));
        assert_eq!(pages(None), r#"[Received(["c"]), SentFrom("c")]"#);
        assert_eq!(pages(Some("c")), r#"[Received(["c"])]"#, "its own only");
        assert_eq!(pages(Some("x")), r#"[SentFrom("c")]"#, "sent to it by x only");
        let many = ["c".to_owned(), "d".to_owned()];
        assert_eq!(format!("{:?}", reaches(Some(&many), Some("c"))), r#"[ReceivedOrSentTo(["c", "d"])]"#);
        assert!(reaches(Some(&[]), Some("c")).is_empty());
    }

    #[test]
    fn two_pages_merge_newest_first_to_the_limit() {
        let row = |id: &str, day: u32| {
            let mut row = crate::dossiers::fixtures::row(
                crate::enums::Channel::Direct,
                &crate::dossiers::fixtures::officer(),
            );
            row.id = id.into();
            row.submitted_at =
                chrono::NaiveDate::from_ymd_opt(2024, 1, day).unwrap().and_hms_opt(8, 0, 0).unwrap();
            row
        };
        let own = vec![row("a", 9), row("b", 7), row("c", 7)];
        let sent = vec![row("x", 8), row("y", 7)];
        let ids: Vec<String> =
            newest_first(own.into_iter().chain(sent).collect(), 4).into_iter().map(|r| r.id).collect();
        assert_eq!(ids, ["a", "x", "y", "c"], "by instant, then id, newest first");
    }
}
