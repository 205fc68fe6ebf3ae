//! The generated agencies and people: a province, its communes and their officers.

use std::sync::Arc;

use anyhow::{Context, bail};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use rand::rngs::StdRng;

use super::{Options, uuid};
use crate::agencies::model::{AgencyLevel, AgencyRow};
use crate::agencies::store as agencies;
use crate::auth::role::Role;
use crate::calendar::cache::{AgencyCalendar, CalendarCache};
use crate::catalogue::model::ProcedureRow;
use crate::catalogue::{import, service as catalogue, store as procedures};
use crate::clock;
use crate::db::schema::procedures as procedure_table;
use crate::db::{DbConnection, write_transaction};
use crate::error::ApiError;
use crate::users::model::UserRow;
use crate::users::store as users;

const OFFICERS_PER_COMMUNE: usize = 3;

/// The generated agencies and people.
pub(super) struct World {
    pub province: AgencyRow,
    pub communes: Vec<AgencyRow>,
    /// Officers by commune index.
    pub officers: Vec<Vec<String>>,
    pub procedures: Vec<ProcedureRow>,
    pub calendar: Arc<AgencyCalendar>,
}

/// Creates the world, with the starter catalogue when the database has none.
pub(super) fn create(
    conn: &mut DbConnection,
    options: &Options,
    rng: &mut StdRng,
    password_hash: String,
) -> anyhow::Result<World> {
    let code = format!("SYN.{}", options.seed);
    if agencies::find_by_code(conn, &code)?.is_some() {
        bail!(
            "this database already holds the history generated with seed {}; use another seed or database",
            options.seed
        );
    }
    let starter = import::parse_csv(catalogue::STARTER_CSV)
        .map_err(|e| anyhow::anyhow!("the starter catalogue: {e:?}"))?;
    let people = People { password_hash, now: clock::to_db(clock::now()) };
    let (province, communes, officers, procedures) = write_transaction(conn, |conn| {
        if procedure_table::table.count().get_result::<i64>(conn)? == 0 {
            catalogue::write_rows(conn, starter, None)?;
        }
        let Tree { province, communes, officers } = people.write(conn, rng, options, &code)?;
        let procedures = procedures::all_active(conn)?;
        Ok::<_, ApiError>((province, communes, officers, procedures))
    })
    .map_err(|e| anyhow::anyhow!("creating the agencies failed: {e}"))?;
    if procedures.is_empty() {
        bail!("the catalogue has no active procedure");
    }
    // Generated communes follow the national calendar; building it for one of them is enough.
    let calendar = CalendarCache::default()
        .get(conn, Some(&communes[0].id))
        .map_err(|e| anyhow::anyhow!("{e}"))
        .context("building the calendar")?;
    Ok(World { province, communes, officers, procedures, calendar })
}

/// The generated agencies, with the officers of each commune.
struct Tree {
    province: AgencyRow,
    communes: Vec<AgencyRow>,
    officers: Vec<Vec<String>>,
}

/// What every generated agency and account has in common.
struct People {
    password_hash: String,
    now: NaiveDateTime,
}

impl People {
    /// The province with its leader, and each commune with its officers.
    fn write(
        &self,
        conn: &mut DbConnection,
        rng: &mut StdRng,
        options: &Options,
        code: &str,
    ) -> Result<Tree, ApiError> {
        let province =
            self.agency(uuid(rng), None, code.to_owned(), format!("UBND tỉnh Tổng Hợp {}", options.seed));
        agencies::insert(conn, &province)?;
        let leader = self.user(
            uuid(rng),
            format!("lanhdao.{}", options.seed),
            "Lãnh đạo tỉnh".into(),
            Role::Leader,
            &province.id,
        );
        users::insert(conn, &leader)?;
        let mut communes = Vec::new();
        let mut officers = Vec::new();
        for k in 0..options.communes as usize {
            let commune = self.agency(
                uuid(rng),
                Some(&province),
                format!("{code}.{k:04}"),
                format!("UBND xã Số {}", k + 1),
            );
            agencies::insert(conn, &commune)?;
            let mut people = Vec::new();
            for j in 0..OFFICERS_PER_COMMUNE {
                let row = self.user(
                    uuid(rng),
                    format!("canbo.{}.{k}.{j}", options.seed),
                    format!("Cán bộ {j} xã {}", k + 1),
                    Role::Officer,
                    &commune.id,
                );
                users::insert(conn, &row)?;
                people.push(row.id);
            }
            communes.push(commune);
            officers.push(people);
        }
        Ok(Tree { province, communes, officers })
    }

    /// A province (no parent) or one of its communes.
    fn agency(&self, id: String, parent: Option<&AgencyRow>, code: String, name: String) -> AgencyRow {
        let level = if parent.is_some() { AgencyLevel::Commune } else { AgencyLevel::Province };
        AgencyRow::new_under(parent, id, code, name, level, self.now)
    }

    fn user(&self, id: String, username: String, full_name: String, role: Role, agency: &str) -> UserRow {
        UserRow {
            id,
            username,
            password_hash: self.password_hash.clone(),
            full_name,
            role: role.as_str().into(),
            agency_id: Some(agency.to_owned()),
            active: true,
            created_at: self.now,
            updated_at: self.now,
            phone: None,
            email: None,
            language: "vi".into(),
            notify: true,
        }
    }
}
