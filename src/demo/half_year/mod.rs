//! The first half of 2024 at the one-stop desk of Tỉnh Châu, replayed through the same service
//! functions as live requests (with the clock set to each step's instant), so that the report
//! from 2024-01-01 to 2024-06-25 gives every figure the seed report prints:
//!
//! - 1,207 online dossiers (76 of fully online procedures, 1,131 of partly online ones) and 11 at
//!   the desk, plus 4 carried over from December 2023;
//! - 1,219 resolved, 41 of them late (all by the civil-status officer, with no apology letter),
//!   3 still within their deadline on 25/6;
//! - 1,150 of 1,218 digitized at reception (the 68 missing all received by Trần Trung Cường);
//!   960 of 1,219 results digitized (missing: Trần Trung Cường 252, Võ Hồng Vi 3, Dương Thanh
//!   Vũ 3, the city's labour office 1);
//! - every fee paid online; every online dossier answered within 8 working hours;
//! - 411 surveys (341 very satisfied, 70 satisfied) and one complaint from the national portal,
//!   answered and published.
//!
//! Who does what follows the seed: Cường handles civil status (hộ tịch), Vi certification
//! (chứng thực), Vũ social protection and the desk-only procedures.

mod plan;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use uuid::Uuid;

use self::plan::{Officer, Plan, Spec, returned, specs};
use crate::auth::caller::Caller;
use crate::auth::role::Role;
use crate::auth::tokens::SubjectKind;
use crate::calendar::cache::CalendarCache;
use crate::calendar::working_time::{Calendar, add_working_time};
use crate::catalogue::model::{ProcedureRow, ProcessingTime};
use crate::catalogue::store as procedures;
use crate::clock;
use crate::clock::vietnam;
use crate::db::DbConnection;
use crate::dossiers::model::{
    Applicant, ApplicantKind, DossierComponent, FeePayment, NewDossier, Outcome, PaymentMethod,
};
use crate::dossiers::service as dossiers;
use crate::dossiers::steps::{Change, Step};
use crate::enums::Channel;
use crate::error::ApiError;
use crate::feedback::lifecycle::FeedbackAction;
use crate::feedback::model::{FeedbackChannel, NewFeedback, Submitter};
use crate::feedback::service as feedback;
use crate::http::etag::IfMatch;
use crate::service_accounts::model::ServiceAccountRow;
use crate::service_accounts::store as service_accounts;
use crate::surveys::model::NewSurvey;
use crate::surveys::service as surveys;

/// The people and places of the story. `users` in the order of `super::ACCOUNTS`.
pub struct Cast {
    pub commune: String,
    pub unit: String,
    pub users: Vec<String>,
    pub portal: String,
}

/// The national portal's adapter, which forwards the online submissions. Its secret is random
/// and not shown: an admin rotates it to connect a real adapter.
pub fn portal_account(
    conn: &mut DbConnection,
    commune: &str,
    secret_hash: String,
) -> Result<String, ApiError> {
    let now = clock::to_db(clock::now());
    let row = ServiceAccountRow {
        id: Uuid::new_v4().to_string(),
        client_id: "cong-dvc-quoc-gia".into(),
        name: "Cổng Dịch vụ công quốc gia".into(),
        secret_hash,
        active: true,
        created_at: now,
        updated_at: now,
        personal_data: false,
    };
    service_accounts::insert(conn, &row)?;
    service_accounts::bind(conn, &row.id, &[commune.to_owned()])?;
    Ok(row.id)
}

fn at(day: NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
    let time = NaiveTime::from_hms_opt(hour, minute, 0).expect("a valid time");
    day.and_time(time).and_local_timezone(vietnam()).single().expect("Vietnam has no DST").with_timezone(&Utc)
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
}

struct Replay<'a> {
    conn: &'a mut DbConnection,
    calendars: CalendarCache,
    cast: &'a Cast,
    sequence: usize,
}

impl Replay<'_> {
    fn officer(&self, who: Officer) -> Caller {
        let index = match who {
            Officer::Cuong => 2,
            Officer::Vi => 3,
            Officer::Vu => 4,
        };
        Caller {
            id: self.cast.users[index].clone(),
            kind: SubjectKind::User,
            role: Role::Officer,
            agency_id: Some(self.cast.commune.clone()),
            agencies: Vec::new(),
            personal_data: false,
            profile: None,
        }
    }

    fn portal(&self) -> Caller {
        Caller {
            id: self.cast.portal.clone(),
            kind: SubjectKind::Service,
            role: Role::Integration,
            agency_id: None,
            agencies: vec![self.cast.commune.clone()],
            personal_data: false,
            profile: None,
        }
    }

    fn calendar(&mut self) -> Result<std::sync::Arc<crate::calendar::cache::AgencyCalendar>, ApiError> {
        self.calendars.get(self.conn, Some(&self.cast.commune))
    }

    fn applicant(&mut self) -> Applicant {
        const FAMILY: [&str; 8] = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Đặng"];
        const MIDDLE: [&str; 5] = ["Văn", "Thị", "Minh", "Thanh", "Ngọc"];
        const GIVEN: [&str; 9] = ["An", "Bình", "Cúc", "Dũng", "Hạnh", "Khoa", "Lan", "Phúc", "Tâm"];
        self.sequence += 1;
        let k = self.sequence;
        Applicant {
            kind: ApplicantKind::Citizen,
            full_name: format!("{} {} {}", FAMILY[k % 8], MIDDLE[k % 5], GIVEN[k % 9]),
            id_number: Some(format!("0510{:08}", 90_000_000 + k)),
            phone: Some(format!("09{:08}", 12_340_000 + k)),
            email: None,
            address: Some(format!("Thôn {}, xã Tỉnh Châu, tỉnh Quảng Ngãi", 1 + k % 4)),
            notify: true,
        }
    }

    fn intake(
        &mut self,
        procedure: &ProcedureRow,
        channel: Channel,
        by: &Caller,
        digitized: bool,
    ) -> Result<crate::dossiers::row::DossierRow, ApiError> {
        let mut components: Vec<DossierComponent> =
            serde_json::from_str::<Vec<serde_json::Value>>(&procedure.components)
                .map_err(anyhow::Error::from)?
                .iter()
                .filter(|c| c["required"].as_bool().unwrap_or(true))
                .filter_map(|c| c["name"].as_str())
                .map(|name| DossierComponent {
                    name: name.to_owned(),
                    digitized: true,
                    reused_from_store: false,
                })
                .collect();
        if components.is_empty() {
            components.push(DossierComponent {
                name: "Tờ khai".into(),
                digitized: true,
                reused_from_store: false,
            });
        }
        if !digitized {
            components[0].digitized = false;
        }
        let new = NewDossier {
            procedure_id: procedure.id.clone(),
            agency_id: self.cast.commune.clone(),
            channel,
            applicant: self.applicant(),
            components,
            fee_paid: (procedure.fee > 0)
                .then_some(FeePayment { method: PaymentMethod::Online, amount: procedure.fee }),
            external_ref: (channel == Channel::Online).then(|| format!("G22.{:06}", self.sequence)),
            submitted_at: None,
            accepted_at: None,
            result_delivery: Default::default(),
        };
        dossiers::intake(self.conn, &self.calendars, by, new)
    }

    fn step(
        &mut self,
        when: DateTime<Utc>,
        by: &Caller,
        id: &str,
        change: Change,
    ) -> Result<crate::dossiers::row::DossierRow, ApiError> {
        let step = Step { change, at: None, note: None };
        clock::replay_at(when, || dossiers::act(self.conn, &self.calendars, by, id, step))
    }

    /// One online dossier submitted at `submitted`, accepted within the hour, and, unless
    /// `plan` is None, resolved and returned as planned.
    fn online(
        &mut self,
        procedure: &ProcedureRow,
        spec: &Spec,
        submitted: DateTime<Utc>,
        latest: DateTime<Utc>,
        plan: Option<Plan>,
    ) -> Result<(), ApiError> {
        let portal = self.portal();
        let id = clock::replay_at(submitted, || {
            self.intake(procedure, Channel::Online, &portal, spec.reception_digitized)
        })?
        .id;
        let calendar = self.calendar()?;
        let accept_at = add_working_time(submitted, 30 + (self.sequence % 4) as i64 * 15, &calendar.calendar)
            .expect("working time");
        let officer = self.officer(spec.officer);
        let accepted = self.step(accept_at, &officer, &id, Change::Accept)?;
        if let Some(plan) = plan {
            self.finish(
                procedure,
                spec,
                &id,
                accepted.due_at.map(clock::from_db),
                accept_at,
                latest,
                plan,
                &calendar.calendar,
            )?;
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn finish(
        &mut self,
        procedure: &ProcedureRow,
        spec: &Spec,
        id: &str,
        due: Option<DateTime<Utc>>,
        accepted: DateTime<Utc>,
        latest: DateTime<Utc>,
        plan: Plan,
        calendar: &Calendar,
    ) -> Result<(), ApiError> {
        let due = due.ok_or_else(|| anyhow::anyhow!("an accepted dossier has a due instant"))?;
        let minutes = ProcessingTime::of(procedure)?.working_minutes();
        let resolve_at = match plan {
            Plan::OnTime(quarters) => add_working_time(accepted, minutes * i64::from(quarters) / 4, calendar),
            Plan::Late => add_working_time(due, 120 + (self.sequence % 3) as i64 * 240, calendar),
        }
        .expect("working time")
        .min(latest);
        let officer = self.officer(spec.officer);
        let resolve = Change::Resolve {
            outcome: Outcome::Approved,
            result_digitized: spec.result_digitized,
            resolving_agency_id: spec.outside_unit.then(|| self.cast.unit.clone()),
        };
        self.step(resolve_at, &officer, id, resolve)?;
        if !returned(spec) {
            return Ok(());
        }
        let returned_at = add_working_time(resolve_at, 60, calendar).expect("working time");
        self.step(returned_at, &officer, id, Change::Return)?;
        if let Some(level) = spec.survey {
            let answer = NewSurvey { level, comment: None, source: None, submitted_at: None };
            clock::replay_at(returned_at + chrono::Duration::minutes(5), || {
                surveys::submit(self.conn, &officer, id, answer)
            })?;
        }
        Ok(())
    }
}

/// The desk's working days of the half-year.
fn working_days(calendar: &Calendar, from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
    from.iter_days().take_while(|d| *d <= to).filter(|d| !calendar.intervals(*d).is_empty()).collect()
}

#[tracing::instrument(skip_all, fields(commune = ?cast.commune))]
pub fn replay(conn: &mut DbConnection, cast: &Cast) -> Result<(), ApiError> {
    let mut replay = Replay { conn, calendars: CalendarCache::default(), cast, sequence: 0 };
    // The last instant anything is resolved: the afternoon before the period's last day.
    let latest = at(day(2024, 6, 24), 16, 0);
    replay.carried_over(latest)?;
    replay.the_period(latest)?;
    let copies = replay.still_open(latest)?;
    replay.complaint(&copies)
}

impl Replay<'_> {
    fn procedure(&mut self, code: &str) -> Result<ProcedureRow, ApiError> {
        procedures::find_by_code(self.conn, code)?
            .ok_or_else(|| anyhow::anyhow!("the starter catalogue lacks {code}").into())
    }

    /// Four social-protection dossiers of December 2023, resolved in January.
    fn carried_over(&mut self, latest: DateTime<Utc>) -> Result<(), ApiError> {
        let allowance = self.procedure("1.001776")?;
        let carried = Spec::online("1.001776", Officer::Vu, 3);
        for i in 0..4 {
            self.online(
                &allowance,
                &carried,
                at(day(2023, 12, 18 + i), 8, 0),
                latest,
                Some(Plan::OnTime(3)),
            )?;
        }
        Ok(())
    }

    /// The dossiers of the period, as `specs` plans them.
    fn the_period(&mut self, latest: DateTime<Utc>) -> Result<(), ApiError> {
        let calendar = self.calendar()?;
        // Dossiers arrive until mid-June so that the long procedures are done by the 24th.
        let days = working_days(&calendar.calendar, day(2024, 1, 2), day(2024, 6, 14));
        let specs = specs();
        let n = specs.len();
        for (pos, spec) in specs.iter().enumerate() {
            let procedure = self.procedure(spec.procedure)?;
            let date = days[pos * days.len() / n];
            let (hour, minute) = (7 + (pos % 8) as u32 / 2, 45 + (pos % 2) as u32 * 5);
            let arrived = at(date, hour, minute);
            if spec.channel == Channel::Online {
                self.online(&procedure, spec, arrived, latest, Some(spec.plan))?;
            } else {
                let officer = self.officer(spec.officer);
                let row = clock::replay_at(arrived, || {
                    self.intake(&procedure, Channel::Direct, &officer, spec.reception_digitized)
                })?;
                let due = row.due_at.map(clock::from_db);
                self.finish(&procedure, spec, &row.id, due, arrived, latest, spec.plan, &calendar.calendar)?;
            }
        }
        Ok(())
    }

    /// Still open on 25/6: three certifications accepted that afternoon, due the next day. Returns
    /// their procedure.
    fn still_open(&mut self, latest: DateTime<Utc>) -> Result<ProcedureRow, ApiError> {
        let copies = self.procedure("2.000815")?;
        let open = Spec::online("2.000815", Officer::Vi, 1);
        for i in 0..3 {
            self.online(&copies, &open, at(day(2024, 6, 25), 14, 10 * i), latest, None)?;
        }
        Ok(copies)
    }

    /// One complaint about `copies` through the national portal's PAKN system, answered and
    /// published.
    fn complaint(&mut self, copies: &ProcedureRow) -> Result<(), ApiError> {
        let vi = self.officer(Officer::Vi);
        let complaint = NewFeedback {
            channel: FeedbackChannel::NationalPortal,
            subject: "Phản ánh về thời gian chứng thực bản sao".into(),
            content: "Công dân phản ánh phải chờ lâu khi chứng thực bản sao tại Bộ phận một cửa xã.".into(),
            agency_id: self.cast.commune.clone(),
            dossier_id: None,
            procedure_id: Some(copies.id.clone()),
            submitter: Submitter {
                full_name: "Lê Thị Hoa".into(), phone: None, email: None, address: None
            },
            received_at: None,
            external_ref: None,
        };
        let calendars = &self.calendars;
        let item = clock::replay_at(at(day(2024, 4, 10), 9, 0), || {
            feedback::intake(self.conn, calendars, &vi, complaint)
        })?;
        clock::replay_at(at(day(2024, 4, 19), 10, 0), || {
            feedback::act(
                self.conn,
                calendars,
                &vi,
                &item.id,
                &IfMatch::default(),
                FeedbackAction::Respond,
                None,
                feedback::Detail::Response(
                    "Đã bố trí thêm công chức tiếp nhận vào buổi sáng; đã trả lời công dân.".into(),
                ),
            )
        })?;
        clock::replay_at(at(day(2024, 4, 22), 9, 0), || {
            feedback::act(
                self.conn,
                calendars,
                &vi,
                &item.id,
                &IfMatch::default(),
                FeedbackAction::Publish,
                None,
                feedback::Detail::None,
            )
        })?;
        Ok(())
    }
}
