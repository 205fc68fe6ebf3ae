//! The file use cases that need the database, each one short transaction. The bytes are moved
//! by the routes, outside any transaction: an upload's object is complete before [`attach`]
//! runs, and a removed file's object is deleted after [`remove`] commits, so a row never names
//! a missing object.
//!
//! Every upload, removal, link and download is in the dossier's history (who, when, which file):
//! these are personal documents. A download is recorded when it starts (a request for the
//! whole file or a range from its first byte), not for every range a viewer asks for next; the
//! same transaction writes it to the audit trail (by file id, never by name).

use std::net::IpAddr;

use chrono::{DateTime, Utc};

use super::link::LinkClaims;
use super::rules::{self, Digitization, FileKind, Slot};
use super::store::{self, FileRow};
use crate::audit::{self, Action, Actor, ActorKind, Event, SubjectType};
use crate::auth::caller::Caller;
use crate::auth::role::Role;
use crate::auth::tokens::SubjectKind;
use crate::clock;
use crate::db::DbConnection;
use crate::dossiers::access::load_visible;
use crate::dossiers::lifecycle::Status;
use crate::dossiers::model::DossierComponent;
use crate::dossiers::row::DossierRow;
use crate::dossiers::service::{publish, record, save};
use crate::dossiers::store as dossiers;
use crate::error::ApiError;
use crate::i18n::Text;
use crate::records::history::{self, NewStep, Trail};

/// A file's bytes, written to the store, waiting for their row.
pub struct Stored {
    pub id: String,
    pub kind: FileKind,
    pub component: Option<i64>,
    pub file_name: String,
    pub content_type: &'static str,
    pub size: i64,
    pub sha256: String,
    pub object_key: String,
}

/// What an upload became.
pub enum Attached {
    New(FileRow),
    /// The dossier already had these bytes: that file, and the new object is not needed.
    Existing(FileRow),
}

const FILE_RACED: Text = Text::fixed(
    "Hồ sơ vừa thay đổi trong khi tệp đang được ghi nhận; hãy thử lại",
    "the dossier changed while the file was being recorded; retry",
);

fn not_found() -> ApiError {
    ApiError::not_found(Text::fixed("tệp của hồ sơ", "dossier file"))
}

/// Before the bytes are read: the dossier exists for this caller, who may add files to some
/// part of it (not a leader).
pub fn check_may_upload(conn: &mut DbConnection, caller: &Caller, dossier_id: &str) -> Result<(), ApiError> {
    load_visible(conn, caller, dossier_id)?;
    rules::check_may_change(caller.role)
}

/// Record an uploaded file on its dossier: the row, the digitization it gives, the history and
/// the `dossier.file_added` event.
pub fn attach(
    conn: &mut DbConnection,
    caller: &Caller,
    dossier_id: &str,
    file: Stored,
) -> Result<Attached, ApiError> {
    // Scans uploaded side by side (a mobile app sends a dossier's pages at once) queue here.
    dossiers::hold(conn, dossier_id)?;
    let mut row = load_visible(conn, caller, dossier_id)?;
    let status = Status::from_db(&row.status)?;
    let slot = Slot::of(file.kind, file.component, components(&row)?.len())?;
    rules::check_add(caller.role, status, slot)?;
    if let Some(existing) = store::find_by_content(conn, &row.id, &file.sha256)? {
        return Ok(Attached::Existing(existing));
    }
    let now = clock::now();
    let file = FileRow {
        id: file.id,
        dossier_id: row.id.clone(),
        kind: file.kind.as_str().to_owned(),
        component: slot.component(),
        file_name: file.file_name,
        content_type: file.content_type.to_owned(),
        size: file.size,
        sha256: file.sha256,
        object_key: file.object_key,
        uploaded_at: clock::to_db(now),
        uploaded_by: caller.id.clone(),
    };
    store::insert(conn, &file)?;
    let digitization = rules::after_add(digitization(&row)?, status, slot);
    write_back(conn, &mut row, digitization, caller, (&file, "file_added", status, now))?;
    Ok(Attached::New(file))
}

/// The dossier's files, for a caller who may see the dossier.
pub fn list(conn: &mut DbConnection, caller: &Caller, dossier_id: &str) -> Result<Vec<FileRow>, ApiError> {
    let row = load_visible(conn, caller, dossier_id)?;
    Ok(store::list(conn, &row.id)?)
}

/// One file to download; recorded in the history and the audit trail when `starts` (see the
/// module's note).
pub fn open(
    conn: &mut DbConnection,
    caller: &Caller,
    (dossier_id, file_id): (&str, &str),
    (starts, address): (bool, Option<IpAddr>),
) -> Result<FileRow, ApiError> {
    let row = load_visible(conn, caller, dossier_id)?;
    let file = store::find(conn, &row.id, file_id)?.ok_or_else(not_found)?;
    if starts {
        witness(conn, &row, caller, "file_downloaded", described(&file))?;
        let read = Event::new(Action::DossierFileRead, Actor::of(caller), address);
        audit::record(conn, file_read(read, &row, &file, false))?;
    }
    Ok(file)
}

/// The audit event of a download: the dossier, its agency, and the file by id.
fn file_read(event: Event, row: &DossierRow, file: &FileRow, by_link: bool) -> Event {
    event
        .about(SubjectType::Dossier, &row.id)
        .in_agency(Some(row.agency_id.clone()))
        .with(serde_json::json!({"file_id": file.id, "kind": file.kind, "by_link": by_link}))
}

/// A file a signed link names, if it still exists; the download is recorded in the name of
/// the account the link was issued to.
pub fn open_by_link(
    conn: &mut DbConnection,
    claims: &LinkClaims,
    (starts, address): (bool, Option<IpAddr>),
) -> Result<FileRow, ApiError> {
    let file = store::find(conn, &claims.dossier_id, &claims.sub)?.ok_or_else(not_found)?;
    if starts {
        let row = dossiers::find(conn, &file.dossier_id)?.ok_or_else(not_found)?;
        let kind = if claims.issued_to_kind == "service" { SubjectKind::Service } else { SubjectKind::User };
        // Only the id and kind are recorded: the rest of the caller does not matter here.
        let by = Caller {
            id: claims.issued_to.clone(),
            kind,
            role: Role::Citizen,
            agency_id: None,
            agencies: vec![],
            personal_data: false,
            profile: None,
        };
        witness(
            conn,
            &row,
            &by,
            "file_downloaded",
            format!("{} (qua liên kết có thời hạn)", described(&file)),
        )?;
        let actor = Actor {
            kind: if kind == SubjectKind::Service { ActorKind::Service } else { ActorKind::User },
            id: Some(claims.issued_to.clone()),
            name: None,
            role: None,
        };
        let read = Event::new(Action::DossierFileRead, actor, address);
        audit::record(conn, file_read(read, &row, &file, true))?;
    }
    Ok(file)
}

/// Check that the caller may open the file, and record that a link to it was issued.
pub fn issue_link(
    conn: &mut DbConnection,
    caller: &Caller,
    (dossier_id, file_id): (&str, &str),
    expires: DateTime<Utc>,
) -> Result<FileRow, ApiError> {
    let row = load_visible(conn, caller, dossier_id)?;
    let file = store::find(conn, &row.id, file_id)?.ok_or_else(not_found)?;
    let until = expires.with_timezone(&clock::vietnam()).format("%H:%M:%S %d/%m/%Y");
    witness(conn, &row, caller, "file_link_issued", format!("{} (đến {until})", described(&file)))?;
    Ok(file)
}

/// Remove a file of a dossier not yet accepted; the caller deletes its object after commit.
pub fn remove(
    conn: &mut DbConnection,
    caller: &Caller,
    (dossier_id, file_id): (&str, &str),
) -> Result<FileRow, ApiError> {
    dossiers::hold(conn, dossier_id)?;
    let mut row = load_visible(conn, caller, dossier_id)?;
    let file = store::find(conn, &row.id, file_id)?.ok_or_else(not_found)?;
    let status = Status::from_db(&row.status)?;
    rules::check_remove(caller.role, status, row.accepted_at.is_some())?;
    store::delete(conn, &file.id)?;
    let slot = match file.component {
        Some(i) => Slot::Component(usize::try_from(i).map_err(anyhow::Error::from)?),
        None => Slot::Result,
    };
    let another = match file.component {
        Some(i) => store::component_has_file(conn, &row.id, i)?,
        None => false,
    };
    let digitization = rules::after_remove(digitization(&row)?, slot, another);
    write_back(conn, &mut row, digitization, caller, (&file, "file_removed", status, clock::now()))?;
    Ok(file)
}

fn components(row: &DossierRow) -> Result<Vec<DossierComponent>, ApiError> {
    Ok(serde_json::from_str(&row.components).map_err(anyhow::Error::from)?)
}

fn digitization(row: &DossierRow) -> Result<Digitization, ApiError> {
    Ok(Digitization {
        components: components(row)?,
        reception: row.reception_digitized,
        result: row.result_digitized,
    })
}

/// The dossier with the digitization a file added or removed gives it, as its next version
/// (counters kept in step), its history row and the `dossier.{action}` event.
fn write_back(
    conn: &mut DbConnection,
    row: &mut DossierRow,
    d: Digitization,
    caller: &Caller,
    (file, action, status, now): (&FileRow, &str, Status, DateTime<Utc>),
) -> Result<(), ApiError> {
    let before = row.clone();
    row.components = serde_json::to_string(&d.components).map_err(anyhow::Error::from)?;
    row.reception_digitized = d.reception;
    row.result_digitized = d.result;
    save(conn, &before, row, now, FILE_RACED)?;
    record(conn, row, caller, (action, Some(status), now, Some(described(file))))?;
    file_event(conn, row, file, &format!("dossier.{action}"), now)
}

/// How the history names a file: its name and id.
fn described(file: &FileRow) -> String {
    format!("{} [{}]", file.file_name, file.id)
}

/// A history row that changes nothing in the dossier (from and to its status).
fn witness(
    conn: &mut DbConnection,
    row: &DossierRow,
    by: &Caller,
    action: &str,
    note: String,
) -> Result<(), ApiError> {
    let step = NewStep {
        action,
        from_status: Some(&row.status),
        to_status: &row.status,
        at: clock::now(),
        note: Some(note),
    };
    Ok(history::append(conn, Trail::Dossier, &row.id, step, by)?)
}

/// The outbox event of a file: ids, kind, digest and size; never the name or the content.
fn file_event(
    conn: &mut DbConnection,
    row: &DossierRow,
    file: &FileRow,
    event_type: &str,
    at: DateTime<Utc>,
) -> Result<(), ApiError> {
    let data = serde_json::json!({
        "id": row.id, "code": row.code, "agency_id": row.agency_id, "version": row.version,
        "file_id": file.id, "kind": file.kind, "component": file.component,
        "sha256": file.sha256, "size": file.size, "content_type": file.content_type,
    });
    publish(conn, row, &[(event_type, at, data)])
}
