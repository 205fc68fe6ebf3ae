//! A generated dossier's history: the steps the service would have recorded along its path, one
//! row each, numbered from 1, so that its trail (`GET /dossiers/{id}/history`, the national
//! portal's progress) reads as if the dossier had gone through the desk. The officers act as
//! the service would record them; what the applicant did online (submit, supplement, withdraw) is
//! recorded as the national portal's, with no account (generated applicants have none).

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::clock;
use crate::db::schema::dossier_history;
use crate::dossiers::row::DossierRow;

/// One step as the bulk writer inserts it; `recorded_at` is `at`, as for a live step.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = dossier_history, treat_none_as_default_value = false)]
pub(super) struct StepRow {
    pub id: String,
    pub dossier_id: String,
    pub seq: i64,
    pub action: &'static str,
    pub from_status: Option<&'static str>,
    pub to_status: &'static str,
    pub actor_id: Option<String>,
    pub actor_kind: &'static str,
    pub at: NaiveDateTime,
    pub note: Option<String>,
    pub recorded_at: NaiveDateTime,
}

/// The steps' ids, in the order the steps are made: a prefix drawn once per run, then a counter
/// (still in the shape of a UUID v4). The rows reach the database in that order, so the primary
/// key is built from rows already sorted: with random ids its sort was the largest single cost of
/// a generated history (4.6 s of 51 at 1,000,000 dossiers).
pub(super) struct StepIds {
    prefix: [u8; 8],
    next: u64,
}

impl StepIds {
    pub fn new(rng: &mut impl rand::Rng) -> Self {
        StepIds { prefix: rng.random(), next: 0 }
    }

    pub fn next_id(&mut self) -> String {
        let mut bytes = [0u8; 16];
        bytes[..8].copy_from_slice(&self.prefix);
        bytes[8..].copy_from_slice(&self.next.to_be_bytes());
        self.next += 1;
        // The variant bits land on the counter's top byte, which no run reaches.
        uuid::Builder::from_random_bytes(bytes).into_uuid().to_string()
    }
}

/// Who took a step: an officer (by id), or the applicant through the national portal.
#[derive(Clone, Copy)]
enum By<'a> {
    Officer(&'a str),
    Portal,
}

/// A step before it is numbered: action, from and to status, when, by whom.
type Taken<'a> = (&'static str, Option<&'static str>, &'static str, DateTime<Utc>, By<'a>);

/// The steps of `row`, in order, from its timestamps: `receiver` is the officer at the desk (who
/// also answers online submissions), whether or not the dossier got as far as being received.
/// Each step's id comes from `id`, called once per step.
pub(super) fn steps(row: &DossierRow, receiver: &str, mut id: impl FnMut() -> String) -> Vec<StepRow> {
    let at = |t: Option<NaiveDateTime>| t.map(clock::from_db);
    let online = row.channel == "online";
    let mut taken: Vec<Taken> = Vec::new();
    let submitted = clock::from_db(row.submitted_at);
    if online {
        taken.push(("intake", None, "submitted", submitted, By::Portal));
        let accepted = at(row.accepted_at);
        if let Some(asked) = at(row.supplement_requested_at) {
            taken.push((
                "request-supplement",
                Some("submitted"),
                "supplement_requested",
                asked,
                By::Officer(receiver),
            ));
            if let Some(accepted) = accepted {
                taken.push(("supplement", Some("supplement_requested"), "submitted", accepted, By::Portal));
            }
        }
        if let (Some(rejected), None) = (at(row.rejected_at), accepted) {
            taken.push(("reject", Some("submitted"), "rejected", rejected, By::Officer(receiver)));
        }
        if let (Some(withdrawn), None) = (at(row.withdrawn_at), accepted) {
            taken.push(("withdraw", Some("submitted"), "withdrawn", withdrawn, By::Portal));
        }
        if let Some(accepted) = accepted {
            taken.push(("accept", Some("submitted"), "processing", accepted, By::Officer(receiver)));
        }
    } else {
        // At the desk the dossier is received as it is taken in.
        taken.push(("intake", None, "processing", submitted, By::Officer(receiver)));
    }
    if row.accepted_at.is_some() {
        if let Some(apologized) = at(row.apologized_at) {
            taken.push(("apologize", Some("processing"), "processing", apologized, By::Officer(receiver)));
        }
        if let Some(withdrawn) = at(row.withdrawn_at) {
            taken.push(("withdraw", Some("processing"), "withdrawn", withdrawn, By::Portal));
        }
        if let (Some(resolved), Some(by)) = (at(row.resolved_at), row.resolved_by.as_deref()) {
            taken.push(("resolve", Some("processing"), "resolved", resolved, By::Officer(by)));
        }
        if let Some(returned) = at(row.returned_at) {
            taken.push(("return", Some("resolved"), "returned", returned, By::Officer(receiver)));
        }
    }
    taken
        .into_iter()
        .zip(1..)
        .map(|((action, from_status, to_status, at, by), seq)| {
            let (actor_id, actor_kind) = match by {
                By::Officer(id) => (Some(id.to_owned()), "user"),
                By::Portal => (None, "service"),
            };
            StepRow {
                id: id(),
                dossier_id: row.id.clone(),
                seq,
                action,
                from_status,
                to_status,
                actor_id,
                actor_kind,
                at: clock::to_db(at),
                note: None,
                recorded_at: clock::to_db(at),
            }
        })
        .collect()
}
