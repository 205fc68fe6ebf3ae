//! The demo data set of `motcua serve --demo`, loaded once and built through the same code as
//! real data: the province, the commune Tỉnh Châu of the seed report with its one-stop
//! officers, an outside unit, the starter catalogue, and the first half of 2024 (`half_year`)
//! whose report reproduces the seed's figures.

mod citizen;
mod half_year;

use crate::agencies::model::{AgencyLevel, AgencyRow};
use crate::agencies::store as agencies;
use crate::auth::role::Role;
use crate::auth::scope::Scope;
use crate::catalogue::model::ProcedureRow;
use crate::catalogue::{import, service as catalogue};
use crate::clock;
use crate::db::{Db, write_transaction};
use crate::error::ApiError;
use crate::users::model::NewUser;
use crate::users::service;

pub const PROVINCE_CODE: &str = "000.00.00.H55";
pub const COMMUNE_CODE: &str = "000.21.35.H55";
/// The city's labour, invalids and social affairs office: the outside unit of the seed's footnote.
pub const OUTSIDE_UNIT_CODE: &str = "000.00.21.H55";
/// The demo's records that the OpenAPI examples name, with fixed ids so that Swagger UI's "Try
/// it out" works on them as written (every other id is random, as in real data).
pub const PROVINCE_ID: &str = "5f1c8e2d-6a7b-4c3d-9e0f-1a2b3c4d5e6f";
pub const COMMUNE_ID: &str = "0b6f9c1e-8d0e-4a57-9a55-6d1c2f3e4a5b";
pub const OUTSIDE_UNIT_ID: &str = "2d7e4a10-5c3b-4f6e-8a9d-0b1c2d3e4f50";
/// The birth registration (1.001193), the procedure of the examples.
pub const BIRTH_PROCEDURE_ID: &str = "6f1c2a9e-3b4d-4c5e-8f60-7a8b9c0d1e2f";
pub const BIRTH_PROCEDURE_CODE: &str = "1.001193";
/// Every demo account has this password. Demo only: never run `--demo` on a real database.
pub const PASSWORD: &str = "motcua-demo-2024";

/// Demo accounts: (username, full name, role, at the commune?).
pub const ACCOUNTS: [(&str, &str, Role, bool); 6] = [
    ("admin", "Quản trị hệ thống", Role::Admin, false),
    ("lanhdao", "Lãnh đạo UBND xã Tỉnh Châu", Role::Leader, true),
    ("cuong.tt", "Trần Trung Cường", Role::Officer, true),
    ("vi.vh", "Võ Hồng Vi", Role::Officer, true),
    ("vu.dt", "Dương Thanh Vũ", Role::Officer, true),
    ("congdan", "Nguyễn Văn Dân", Role::Citizen, false),
];

/// Load the demo data unless it is there already. True when it was loaded now.
pub fn load(db: &Db) -> anyhow::Result<bool> {
    let mut conn = db.pool().get()?;
    if agencies::find_by_code(&mut conn, PROVINCE_CODE)?.is_some() {
        return Ok(false);
    }
    let catalogue_rows = import::parse_csv(catalogue::STARTER_CSV)
        .map_err(|errors| anyhow::anyhow!("the starter catalogue does not parse: {errors:?}"))?;
    let portal_secret_hash = crate::auth::password::hash(&crate::auth::tokens::random_secret())?;
    // Hash the passwords before the transaction: hashing is slow by design.
    let mut registrations = Vec::new();
    for (username, full_name, role, _) in ACCOUNTS {
        let new = NewUser {
            username: username.into(),
            password: PASSWORD.into(),
            full_name: full_name.into(),
            role,
            agency_id: None,
        };
        registrations.push(service::prepare(new).map_err(|e| anyhow::anyhow!("{e}"))?);
    }
    write_transaction(&mut conn, |conn| {
        let now = clock::to_db(clock::now());
        let agency = |parent, id: &str, code: &str, name: &str, level| {
            AgencyRow::new_under(parent, id.into(), code.into(), name.into(), level, now)
        };
        let province =
            agency(None, PROVINCE_ID, PROVINCE_CODE, "UBND tỉnh Quảng Ngãi", AgencyLevel::Province);
        agencies::insert(conn, &province)?;
        let commune =
            agency(Some(&province), COMMUNE_ID, COMMUNE_CODE, "UBND xã Tỉnh Châu", AgencyLevel::Commune);
        agencies::insert(conn, &commune)?;
        let unit = agency(
            Some(&province),
            OUTSIDE_UNIT_ID,
            OUTSIDE_UNIT_CODE,
            "Phòng Lao động - Thương binh và Xã hội thành phố Quảng Ngãi",
            AgencyLevel::District,
        );
        agencies::insert(conn, &unit)?;
        let mut users = Vec::new();
        for (mut registration, (_, _, _, at_commune)) in registrations.into_iter().zip(ACCOUNTS) {
            if at_commune {
                registration.set_agency(Some(commune.id.clone()));
            }
            users.push(service::register(conn, &Scope::All, registration)?.id);
        }
        // The examples' procedure first, under its fixed id; the import then leaves it be.
        let mut rows = catalogue_rows;
        let birth = rows
            .iter()
            .position(|row| row.procedure.code == BIRTH_PROCEDURE_CODE)
            .ok_or_else(|| anyhow::anyhow!("the starter catalogue lacks {BIRTH_PROCEDURE_CODE}"))?;
        let row = catalogue::new_row(rows.remove(birth).procedure, None)?;
        crate::catalogue::store::insert(conn, &ProcedureRow { id: BIRTH_PROCEDURE_ID.into(), ..row })?;
        catalogue::write_rows(conn, rows, None)?;
        let portal = half_year::portal_account(conn, &commune.id, portal_secret_hash)?;
        let (citizen, officer) = (users[5].clone(), users[2].clone());
        half_year::replay(
            conn,
            &half_year::Cast { commune: commune.id.clone(), unit: unit.id.clone(), users, portal },
        )?;
        citizen::journey(conn, (&citizen, &officer), &commune.id, BIRTH_PROCEDURE_ID)?;
        Ok::<_, ApiError>(())
    })
    .map_err(|e| anyhow::anyhow!("loading the demo data failed: {e}"))?;
    Ok(true)
}

/// The start-up lines that tell a newcomer how to sign in.
pub fn logins() -> String {
    let mut text = format!("demo accounts (password {PASSWORD}):\n");
    for (username, full_name, role, _) in ACCOUNTS {
        text.push_str(&format!("  {username:<10} {:<8} {full_name}\n", role.as_str()));
    }
    text
}
