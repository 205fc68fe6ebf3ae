//! Creating and changing agencies: where an agency may sit in the tree, and moving a subtree.

use uuid::Uuid;

use super::access::{load_named, load_visible};
use super::model::{AgencyLevel, AgencyPatch, AgencyRow, NewAgency};
use super::store::{self, AgencyChanges};
use crate::auth::scope::{self, Scope};
use crate::clock;
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::http::etag::{IfMatch, etag};
use crate::i18n::Text;

/// A parent named in a request body: absent or outside the scope is a 422 on `parent_id`.
fn load_parent(conn: &mut DbConnection, scope: &Scope, id: &str) -> Result<AgencyRow, ApiError> {
    load_named(conn, scope, id, "parent_id")
}

fn check_parent(level: AgencyLevel, parent: Option<&AgencyRow>) -> Result<(), ApiError> {
    let parent_level = parent.map(|p| AgencyLevel::from_db(&p.level)).transpose()?;
    level.check_parent(parent_level).map_err(|m| ApiError::invalid_field("parent_id", m))
}

/// A new agency under its parent; without one, a province, which only a system admin creates.
#[tracing::instrument(skip_all, fields(parent_id = ?body.parent_id))]
pub fn create(conn: &mut DbConnection, scope: &Scope, body: NewAgency) -> Result<AgencyRow, ApiError> {
    let parent = match &body.parent_id {
        Some(id) => Some(load_parent(conn, scope, id)?),
        None if *scope != Scope::All => {
            return Err(ApiError::Forbidden(Text::fixed(
                "Chỉ quản trị viên hệ thống được tạo cơ quan cấp tỉnh",
                "only a system administrator creates a province",
            )));
        }
        None => None,
    };
    check_parent(body.level, parent.as_ref())?;
    let now = clock::to_db(clock::now());
    let row = AgencyRow::new_under(
        parent.as_ref(),
        Uuid::new_v4().to_string(),
        body.code,
        body.name,
        body.level,
        now,
    );
    store::insert(conn, &row)?;
    Ok(row)
}

/// Change an agency, or move it (with everything below it) under another parent.
#[tracing::instrument(skip_all, fields(agency_id = ?id))]
pub fn update(
    conn: &mut DbConnection,
    scope: &Scope,
    id: String,
    if_match: &IfMatch,
    patch: AgencyPatch,
) -> Result<AgencyRow, ApiError> {
    let current = load_visible(conn, scope, &id)?;
    if_match.check(&etag(&current.id, clock::from_db(current.updated_at)))?;
    let level = patch.level.map(Ok).unwrap_or_else(|| AgencyLevel::from_db(&current.level))?;
    let moving = patch.parent_id.as_ref().filter(|p| Some(*p) != current.parent_id.as_ref());
    let (parent_id, parent) = match moving {
        Some(new_parent) => {
            (Some(new_parent.clone()), Some(new_parent_of(conn, scope, &current, new_parent)?))
        }
        None => {
            let parent = match &current.parent_id {
                Some(p) => store::find(conn, p)?,
                None => None,
            };
            (current.parent_id.clone(), parent)
        }
    };
    check_parent(level, parent.as_ref())?;
    if level.as_str() != current.level {
        check_children_fit(conn, &id, level)?;
    }
    let now = clock::to_db(clock::now());
    let code = patch.code.unwrap_or(current.code);
    let name = patch.name.unwrap_or(current.name);
    store::update(
        conn,
        &id,
        &AgencyChanges {
            code: &code,
            name: &name,
            level: level.as_str(),
            parent_id: parent_id.as_deref(),
            updated_at: now,
        },
    )?;
    let mut path = current.path;
    if let (Some(_), Some(parent)) = (moving, &parent) {
        let new_path = scope::child_path(Some(&parent.path), &id);
        store::move_subtree(conn, &path, &new_path)?;
        path = new_path;
    }
    Ok(AgencyRow {
        id,
        code,
        name,
        level: level.as_str().to_owned(),
        parent_id,
        path,
        created_at: current.created_at,
        updated_at: now,
    })
}

/// The new parent of a moved agency: in scope, and not the agency itself or below it.
fn new_parent_of(
    conn: &mut DbConnection,
    scope: &Scope,
    current: &AgencyRow,
    new_parent: &str,
) -> Result<AgencyRow, ApiError> {
    let parent = load_parent(conn, scope, new_parent)?;
    if scope::would_cycle(&current.path, &parent.path) {
        return Err(ApiError::invalid_field(
            "parent_id",
            Text::fixed(
                "Không thể đặt một cơ quan dưới chính nó hoặc dưới cơ quan trực thuộc nó",
                "an agency cannot be placed under itself or an agency below it",
            ),
        ));
    }
    Ok(parent)
}

/// The agencies below must still fit under the new level.
fn check_children_fit(conn: &mut DbConnection, id: &str, level: AgencyLevel) -> Result<(), ApiError> {
    for child in store::children(conn, id)? {
        let child_level = AgencyLevel::from_db(&child.level)?;
        child_level.check_parent(Some(level)).map_err(|_| {
            ApiError::invalid_field(
                "level",
                Text::new(
                    format!(
                        "Đơn vị trực thuộc {} ({}) không thể nằm dưới một cơ quan {}",
                        child.name,
                        child_level.in_sentence_vi(),
                        level.in_sentence_vi()
                    ),
                    format!(
                        "{} ({}) below it could not stay under a {}",
                        child.name,
                        child.level,
                        level.as_str()
                    ),
                ),
            )
        })?;
    }
    Ok(())
}
