//! Catalogue writes shared by the HTTP API and the command line.

use uuid::Uuid;

use super::import::{self, ParsedRow};
use super::model::{ImportReport, NewProcedure, ProcedureRow};
use super::{search, store};
use crate::agencies::store as agencies;
use crate::clock;
use crate::db::{Db, DbConnection, write_transaction};
use crate::error::{ApiError, FieldError};
use crate::i18n::Text;

/// The starter catalogue shipped with motcua: common commune-level procedures with their
/// national codes (see data/catalogue/README.md for what was confirmed and what was not).
pub const STARTER_CSV: &[u8] = include_bytes!("../../data/catalogue/starter.csv");

/// A new catalogue row from a validated procedure.
pub fn new_row(procedure: NewProcedure, agency_id: Option<String>) -> Result<ProcedureRow, ApiError> {
    let now = clock::to_db(clock::now());
    let publication = procedure.publication.unwrap_or_default();
    Ok(ProcedureRow {
        id: Uuid::new_v4().to_string(),
        field_folded: search::fold(procedure.field.trim()),
        code: procedure.code,
        name: procedure.name.trim().to_owned(),
        field: procedure.field.trim().to_owned(),
        level: procedure.level.as_str().to_owned(),
        online_service: procedure.online_service.as_str().to_owned(),
        processing_value: procedure.processing_time.value,
        processing_unit: procedure.processing_time.unit.as_str().to_owned(),
        fee: procedure.fee,
        components: serde_json::to_string(&procedure.components).map_err(anyhow::Error::from)?,
        decision_number: publication.decision_number,
        signed_on: publication.signed_on,
        posted_on: publication.posted_on,
        agency_id,
        active: true,
        created_at: now,
        updated_at: now,
        requires_approval: procedure.requires_approval,
        national_code: procedure.national_code,
        field_code: procedure.field_code,
    })
}

/// Write parsed rows: a row whose code exists updates that procedure, else creates one.
#[tracing::instrument(skip_all)]
pub fn write_rows(
    conn: &mut DbConnection,
    rows: Vec<ParsedRow>,
    agency_id: Option<&str>,
) -> Result<ImportReport, ApiError> {
    let mut report = ImportReport { created: 0, updated: 0 };
    for ParsedRow { procedure, line } in rows {
        let fresh = new_row(procedure, agency_id.map(str::to_owned))?;
        match store::find_by_code(conn, &fresh.code)? {
            Some(existing) if existing.agency_id.as_deref() != agency_id => {
                return Err(ApiError::invalid_field(
                    format!("rows[{line}].code"),
                    Text::fixed(
                        "Mã này thuộc một danh mục thủ tục khác",
                        "this code belongs to another catalogue",
                    ),
                ));
            }
            Some(existing) => {
                let row = ProcedureRow { id: existing.id, created_at: existing.created_at, ..fresh };
                store::update(conn, &row)?;
                report.updated += 1;
            }
            None => {
                store::insert(conn, &fresh)?;
                report.created += 1;
            }
        }
    }
    Ok(report)
}

/// Import a CSV or XLSX file (told apart by its content) into the catalogue of the agency with the given
/// code, or the national one: all rows or none.
#[tracing::instrument(skip_all)]
pub fn import_file(db: &Db, bytes: &[u8], agency_code: Option<&str>) -> anyhow::Result<ImportReport> {
    let describe = |errors: Vec<FieldError>| {
        if let [whole] = errors.as_slice()
            && whole.field == "file"
        {
            return anyhow::anyhow!("nothing imported: {}", whole.message.en);
        }
        let lines: Vec<String> = errors.iter().map(|e| format!("  {}: {}", e.field, e.message.en)).collect();
        anyhow::anyhow!("nothing imported; fix these rows:\n{}", lines.join("\n"))
    };
    let rows = import::parse(bytes).map_err(describe)?;
    let mut conn = db.pool().get()?;
    let agency_id = match agency_code {
        Some(code) => Some(
            agencies::find_by_code(&mut conn, code)?
                .ok_or_else(|| anyhow::anyhow!("--agency: no agency with the code {code}"))?
                .id,
        ),
        None => None,
    };
    write_transaction(&mut conn, |conn| write_rows(conn, rows, agency_id.as_deref())).map_err(|e| match e {
        ApiError::Validation(errors) => describe(errors),
        other => anyhow::anyhow!("{other}"),
    })
}
