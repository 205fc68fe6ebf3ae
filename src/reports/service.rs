//! Reports for an agency and everything below it: who may read them, and putting the figures
//! together from the facts the store loads.

use chrono::{Datelike, NaiveDate};

use super::figures::by_agency::{self, Branches};
use super::figures::{self, Period};
use super::judged::{self, Judged};
use super::model::{
    AgencyRef, EffectiveTarget, Granularity, MissingDigitization, OfficerLine, OfficersReport, PeriodOut,
    PortalSync, Responsible, ResponsibleKind, Summary, TargetRow, Targets, TargetsUpdate, Timeseries,
};
use super::percent::Percent;
use super::store::{self, Select};
use super::targets::Indicator;
use super::{counters, rollup};
use crate::agencies::access::load_visible;
use crate::agencies::model::AgencyRow;
use crate::agencies::store as agencies;
use crate::auth::caller::Caller;
use crate::auth::role::Role;
use crate::auth::scope::{Scope, lineage};
use crate::calendar::cache::CalendarCache;
use crate::clock;
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::i18n::Text;
use crate::records::counters::facts::ResponsibleKey;

/// More buckets than this is not a chart anyone reads; ask for a coarser granularity.
pub const MAX_BUCKETS: usize = 1_000;

/// The agency, the agencies it covers and the period, or the 4xx that says what is wrong.
/// Every report and the dossiers behind its figures check the caller's access here.
pub(super) struct Subject {
    pub agency: AgencyRow,
    pub covered: Vec<String>,
    pub period: Period,
}

pub(super) fn subject(
    conn: &mut DbConnection,
    caller: &Caller,
    agency_id: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Subject, ApiError> {
    for (field, date) in [("from", from), ("to", to)] {
        check_year(field, date.year())?;
    }
    let period = Period::new(from, to, clock::now()).ok_or_else(|| {
        ApiError::invalid_field("from", Text::fixed("Không được sau ngày `to`", "must not be after `to`"))
    })?;
    let agency = load_visible(conn, &caller.scope(), agency_id)?;
    let covered = agencies::ids_in_scope(conn, &Scope::Subtree(agency.id.clone()))?.unwrap_or_default();
    Ok(Subject { agency, covered, period })
}

pub(super) fn agency_ref(agency: &AgencyRow) -> AgencyRef {
    AgencyRef { id: agency.id.clone(), code: agency.code.clone(), name: agency.name.clone() }
}

fn period_out(period: &Period) -> PeriodOut {
    PeriodOut { from: period.from, to: period.to, as_of: period.as_of }
}

pub fn summary(
    conn: &mut DbConnection,
    calendars: &CalendarCache,
    caller: &Caller,
    agency_id: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Summary, ApiError> {
    summary_by(conn, calendars, caller, agency_id, (from, to), Method::Counters)
}

/// How the dossier, survey and feedback figures are computed: from the counters and sums (what
/// the service uses), or by the plain definition item by item (the reference the counters are tested
/// against; also for audits).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Counters,
    Plain,
}

#[tracing::instrument(skip_all, fields(caller_id = ?caller.id, agency_id = ?agency_id, from = ?from, to = ?to, method = ?method))]
pub fn summary_by(
    conn: &mut DbConnection,
    calendars: &CalendarCache,
    caller: &Caller,
    agency_id: &str,
    (from, to): (NaiveDate, NaiveDate),
    method: Method,
) -> Result<Summary, ApiError> {
    let Subject { agency, covered, period } = subject(conn, caller, agency_id, from, to)?;
    let procedures = store::procedure_infos(conn)?;
    let (children, paths) = store::branches(conn, &agency.id)?;
    let branches = Branches::new(&agency.id, paths);
    let Judged { tallies, missing, satisfaction, mut lines } = match method {
        Method::Plain => judged::plain(conn, &covered, &period, &procedures, &branches)?,
        Method::Counters => judged::counted(conn, &covered, &period, &procedures, &branches)?,
    };
    let figures::summary::DossierFigures {
        reception,
        resolution,
        online_service,
        payment,
        mut digitization,
        by_field,
    } = figures::summary::dossier_figures(&tallies, &procedures);
    digitization.missing_by_responsible = name_missing(conn, figures::digitization::missing_sorted(missing))?;
    let feedback = match method {
        Method::Plain => store::feedback_facts(conn, &covered, &period)?
            .iter()
            .filter_map(|f| figures::feedback::judge(f, &period))
            .collect(),
        Method::Counters => store::feedback_tallies(conn, &covered, &period)?,
    };
    let feedback_figures = figures::feedback::feedback(&feedback);
    for (branch, tallies) in branches.split(feedback, |t| t.agency_id.as_str()) {
        lines.entry(branch).or_default().feedback = figures::feedback::feedback(&tallies);
    }
    let mut related = covered.clone();
    related.extend(lineage(&agency.path));
    let publications = store::publication_facts(conn, calendars, &agency.id, &related, &period)?;
    let mut summary = Summary {
        agency: agency_ref(&agency),
        period: period_out(&period),
        reception,
        resolution,
        online_service,
        payment,
        digitization,
        satisfaction,
        feedback: feedback_figures,
        catalogue: figures::catalogue::catalogue(&publications, &period),
        targets: Vec::new(),
        by_field,
        portal_sync: portal_sync(conn, &covered, &period, method)?,
        by_agency: by_agency::table(&agency_ref(&agency), children, lines),
    };
    // The report's year decides its targets: that of its last day.
    let targets = effective_targets(conn, &agency, period.to.year())?;
    summary.targets = targets
        .into_iter()
        .map(|t| {
            let actual = summary.figure(t.indicator);
            TargetRow {
                indicator: t.indicator,
                comparator: t.comparator,
                target: t.target,
                actual,
                met: t.indicator.met(t.target, actual),
                set_by_agency_id: t.set_by_agency_id,
            }
        })
        .collect();
    Ok(summary)
}

/// The portal's synced share as it is now: from the counters, or by the plain definition from the
/// acknowledgements themselves (every dossier of the period, and the portal's answers).
fn portal_sync(
    conn: &mut DbConnection,
    covered: &[String],
    period: &Period,
    method: Method,
) -> Result<PortalSync, ApiError> {
    let (dossiers, synced) = match method {
        Method::Counters => counters::portal_share(conn, covered, period)?,
        Method::Plain => {
            let span = (clock::to_db(period.start), clock::to_db(period.as_of));
            crate::integration::dvcqg::store::synced_share(conn, covered, span)?
        }
    };
    Ok(PortalSync { dossiers, synced, rate: Percent::of(synced, dossiers) })
}

fn name_missing(
    conn: &mut DbConnection,
    missing: Vec<(ResponsibleKey, i64, i64)>,
) -> Result<Vec<MissingDigitization>, ApiError> {
    let mut people = Vec::new();
    let mut agency_ids = Vec::new();
    for (key, _, _) in &missing {
        match key {
            ResponsibleKey::Person(id) => people.push(id.clone()),
            ResponsibleKey::Agency(id) => agency_ids.push(id.clone()),
        }
    }
    let names = store::names(conn, &people, &agency_ids)?;
    Ok(missing
        .into_iter()
        .map(|(key, reception, result)| {
            let responsible = match key {
                ResponsibleKey::Person(id) => match (names.users.get(&id), names.services.get(&id)) {
                    (Some((name, _)), _) => {
                        Responsible { kind: ResponsibleKind::User, name: name.clone(), id }
                    }
                    (None, Some(name)) => {
                        Responsible { kind: ResponsibleKind::ServiceAccount, name: name.clone(), id }
                    }
                    (None, None) => Responsible { kind: ResponsibleKind::User, name: id.clone(), id },
                },
                ResponsibleKey::Agency(id) => Responsible {
                    kind: ResponsibleKind::Agency,
                    name: names.agencies.get(&id).cloned().unwrap_or_else(|| id.clone()),
                    id,
                },
            };
            MissingDigitization { responsible, reception, result }
        })
        .collect())
}

#[tracing::instrument(skip_all, fields(caller_id = ?caller.id, agency_id = ?agency_id, from = ?from, to = ?to, granularity = ?granularity))]
pub fn timeseries(
    conn: &mut DbConnection,
    caller: &Caller,
    agency_id: &str,
    (from, to): (NaiveDate, NaiveDate),
    granularity: Granularity,
) -> Result<Timeseries, ApiError> {
    let Subject { agency, covered, period } = subject(conn, caller, agency_id, from, to)?;
    if figures::series::bucket_starts(&period, granularity).len() > MAX_BUCKETS {
        return Err(ApiError::invalid_field(
            "granularity",
            Text::new(
                format!(
                    "Quá {MAX_BUCKETS} mốc thời gian: hãy chọn đơn vị thời gian lớn hơn hoặc kỳ ngắn hơn"
                ),
                format!("more than {MAX_BUCKETS} buckets: choose a coarser granularity or a shorter period"),
            ),
        ));
    }
    let starts = figures::series::bucket_starts(&period, granularity);
    let counted = counters::bucket_events(conn, &covered, &rollup::bucket_days(&starts, &period))?;
    // Only a period judged now can have events at or after `as_of` on its days.
    let recent = if period.as_of < period.end {
        let procedures = store::procedure_infos(conn)?;
        store::dossier_facts(conn, &covered, &period, Select::TouchedSince, &procedures)?
    } else {
        Vec::new()
    };
    Ok(Timeseries {
        agency: agency_ref(&agency),
        period: period_out(&period),
        granularity,
        buckets: rollup::series(&counted, &starts, &recent, &period, granularity),
    })
}

pub fn officers(
    conn: &mut DbConnection,
    caller: &Caller,
    agency_id: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<OfficersReport, ApiError> {
    officers_by(conn, caller, agency_id, (from, to), Method::Counters)
}

/// The officers' lines by either method: from their counters (what the service uses), or by the
/// plain definition over every dossier of the period (the reference).
#[tracing::instrument(skip_all, fields(caller_id = ?caller.id, agency_id = ?agency_id, from = ?from, to = ?to, method = ?method))]
pub fn officers_by(
    conn: &mut DbConnection,
    caller: &Caller,
    agency_id: &str,
    (from, to): (NaiveDate, NaiveDate),
    method: Method,
) -> Result<OfficersReport, ApiError> {
    let Subject { agency, covered, period } = subject(conn, caller, agency_id, from, to)?;
    let procedures = store::procedure_infos(conn)?;
    let mut counts = match method {
        Method::Plain => {
            let dossiers = store::dossier_facts(conn, &covered, &period, Select::Period, &procedures)?;
            figures::series::officers(&dossiers, &period)
        }
        Method::Counters => {
            let counted = counters::officer_counts(conn, &covered, &period)?;
            let recent = store::recent_facts(conn, &covered, &period, &procedures)?;
            rollup::officers::officers(counted, &recent, &period)
        }
    };
    for officer in store::officers_of(conn, &covered)? {
        counts.entry(officer).or_default();
    }
    let people: Vec<String> = counts.keys().cloned().collect();
    let names = store::names(conn, &people, &[])?;
    let mut officers: Vec<OfficerLine> = counts
        .into_iter()
        .map(|(id, c)| {
            let (full_name, agency_id) = match (names.users.get(&id), names.services.get(&id)) {
                (Some((name, agency)), _) => (name.clone(), agency.clone()),
                (None, Some(name)) => (name.clone(), None),
                (None, None) => (id.clone(), None),
            };
            OfficerLine { user_id: id, full_name, agency_id, counts: c }
        })
        .collect();
    let weight = |o: &OfficerLine| {
        let c = &o.counts;
        c.late + c.apologies_missing + c.reception_digitization_missing + c.result_digitization_missing
    };
    officers.sort_by(|a, b| weight(b).cmp(&weight(a)).then_with(|| a.full_name.cmp(&b.full_name)));
    Ok(OfficersReport { agency: agency_ref(&agency), period: period_out(&period), officers })
}

fn effective_targets(
    conn: &mut DbConnection,
    agency: &AgencyRow,
    year: i32,
) -> Result<Vec<EffectiveTarget>, ApiError> {
    let set = store::targets_set(conn, &lineage(&agency.path), year)?;
    Ok(Indicator::ALL
        .iter()
        .map(|&indicator| {
            let (target, set_by) = match set.get(&indicator) {
                Some((target, by)) => (*target, Some(by.clone())),
                None => (indicator.default_target(), None),
            };
            EffectiveTarget {
                indicator,
                comparator: indicator.comparator(),
                target,
                set_by_agency_id: set_by,
            }
        })
        .collect())
}

fn check_year(field: &str, year: i32) -> Result<(), ApiError> {
    if clock::YEARS.contains(&year) {
        Ok(())
    } else {
        Err(ApiError::invalid_field(
            field,
            Text::new(
                format!(
                    "Phải nằm trong khoảng từ năm {} đến năm {}",
                    clock::YEARS.start(),
                    clock::YEARS.end()
                ),
                format!("must lie between {} and {}", clock::YEARS.start(), clock::YEARS.end()),
            ),
        ))
    }
}

/// The targets that apply to an agency in a year. Its staff read them.
#[tracing::instrument(skip_all, fields(caller_id = ?caller.id, agency_id = ?agency_id, year = year))]
pub fn targets(
    conn: &mut DbConnection,
    caller: &Caller,
    agency_id: &str,
    year: i32,
) -> Result<Targets, ApiError> {
    check_year("year", year)?;
    let agency = load_visible(conn, &caller.scope(), agency_id)?;
    let targets = effective_targets(conn, &agency, year)?;
    Ok(Targets { agency_id: agency.id, year, targets })
}

/// Targets are set from above: admins for any agency, leaders for the agencies below their own
/// (a desk does not set its own bar).
#[tracing::instrument(skip_all, fields(caller_id = ?caller.id, agency_id = ?update.agency_id, year = update.year))]
pub fn set_targets(
    conn: &mut DbConnection,
    caller: &Caller,
    update: TargetsUpdate,
) -> Result<Targets, ApiError> {
    check_year("year", update.year)?;
    let agency = load_visible(conn, &caller.scope(), &update.agency_id)?;
    if caller.role == Role::Leader && caller.agency_id.as_deref() == Some(agency.id.as_str()) {
        return Err(ApiError::Forbidden(Text::fixed(
            "Chỉ tiêu do cơ quan cấp trên giao; lãnh đạo giao chỉ tiêu cho các cơ quan trực thuộc",
            "targets are set by the agency above; a leader sets them for the agencies below",
        )));
    }
    if update.targets.is_empty() || update.targets.len() > Indicator::ALL.len() {
        return Err(ApiError::invalid_field(
            "targets",
            Text::fixed("Từ một đến tám chỉ tiêu", "one to eight settings"),
        ));
    }
    for (i, setting) in update.targets.iter().enumerate() {
        if update.targets[..i].iter().any(|s| s.indicator == setting.indicator) {
            return Err(ApiError::invalid_field(
                format!("targets[{i}].indicator"),
                Text::fixed("Chỉ tiêu bị nêu hai lần", "named twice"),
            ));
        }
        let target = match setting.target {
            None => None,
            Some(value) => Some(Percent::from_f64(value).filter(|p| p.0 <= 10_000).ok_or_else(|| {
                ApiError::invalid_field(
                    format!("targets[{i}].target"),
                    Text::fixed(
                        "Tỷ lệ phần trăm từ 0 đến 100, tối đa hai chữ số thập phân",
                        "a percentage from 0 to 100 with at most two decimals",
                    ),
                )
            })?),
        };
        store::put_target(conn, &agency.id, update.year, setting.indicator, target)?;
    }
    let targets = effective_targets(conn, &agency, update.year)?;
    Ok(Targets { agency_id: agency.id, year: update.year, targets })
}
