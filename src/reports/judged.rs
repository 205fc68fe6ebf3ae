//! The summary's dossier and survey figures, by either method: the plain definition over every
//! dossier and survey of the period (the oracle), or the counters plus the few dossiers they
//! cannot judge (`rollup::judged_one_by_one`). Both give the whole and each line of the league
//! table, so that the tests can hold one to the other line by line.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, Utc};

use super::figures::by_agency::{Branches, Part};
use super::figures::{self, Missing, Period, ProcedureInfo, Tally};
use super::model::Satisfaction;
use super::store::{self, Select};
use super::{counters, rollup};
use crate::db::DbConnection;
use crate::enums::Level;
use crate::error::ApiError;
use crate::records::counters::contribution::Counts;

/// The summary's dossier and survey figures: by procedure and responsible for the whole report,
/// and by line of the league table.
pub(super) struct Judged {
    pub tallies: BTreeMap<String, Tally>,
    pub missing: Missing,
    pub satisfaction: Satisfaction,
    pub lines: BTreeMap<String, Part>,
}

/// By the plain definition: every dossier and survey of the period read, the whole and each line
/// judged on its own (so that the counters' lines, which add up to the whole, are checked too).
pub(super) fn plain(
    conn: &mut DbConnection,
    covered: &[String],
    period: &Period,
    procedures: &HashMap<String, ProcedureInfo>,
    branches: &Branches,
) -> Result<Judged, ApiError> {
    let dossiers = store::dossier_facts(conn, covered, period, Select::Period, procedures)?;
    let (tallies, missing) = figures::plain(&dossiers, period);
    let mut lines: BTreeMap<String, Part> = BTreeMap::new();
    for (branch, dossiers) in branches.split(dossiers, |d| d.agency_id.as_str()) {
        lines.entry(branch).or_default().tally = sum(figures::plain(&dossiers, period).0.values());
    }
    let levels = |surveys: &[(String, Level, DateTime<Utc>)]| -> Vec<(Level, DateTime<Utc>)> {
        surveys.iter().map(|(_, level, at)| (*level, *at)).collect()
    };
    let surveys = store::survey_facts(conn, covered, period)?;
    let satisfaction = figures::satisfaction::satisfaction(&levels(&surveys), period);
    for (branch, surveys) in branches.split(surveys, |s| s.0.as_str()) {
        lines.entry(branch).or_default().satisfaction =
            figures::satisfaction::satisfaction(&levels(&surveys), period);
    }
    Ok(Judged { tallies, missing, satisfaction, lines })
}

/// From the counters, read once and summed by line; each line combined with its own recent
/// dossiers, and the whole the sum of the lines.
pub(super) fn counted(
    conn: &mut DbConnection,
    covered: &[String],
    period: &Period,
    procedures: &HashMap<String, ProcedureInfo>,
    branches: &Branches,
) -> Result<Judged, ApiError> {
    let mut counted = counters::counted(conn, covered, period, |agency| branches.of(agency).to_owned())?;
    let recent = store::recent_facts(conn, covered, period, procedures)?;
    let mut recent = branches.split(recent, |d| d.agency_id.as_str());
    let keys: BTreeSet<String> = counted.keys().chain(recent.keys()).cloned().collect();
    let (mut tallies, mut missing, mut surveys) = (BTreeMap::new(), Missing::new(), Counts::default());
    let mut lines: BTreeMap<String, Part> = BTreeMap::new();
    for key in keys {
        let (line_tallies, line_missing, line_surveys) = rollup::combine(
            counted.remove(&key).unwrap_or_default(),
            &recent.remove(&key).unwrap_or_default(),
            period,
        );
        let line = lines.entry(key).or_default();
        line.tally = sum(line_tallies.values());
        line.satisfaction = satisfaction_of(&line_surveys);
        for (procedure, t) in line_tallies {
            *tallies.entry(procedure).or_default() += t;
        }
        for (who, (reception, result)) in line_missing {
            let entry = missing.entry(who).or_default();
            entry.0 += reception;
            entry.1 += result;
        }
        surveys += line_surveys;
    }
    Ok(Judged { tallies, missing, satisfaction: satisfaction_of(&surveys), lines })
}

fn satisfaction_of(surveys: &Counts) -> Satisfaction {
    figures::satisfaction::satisfaction_of(surveys.very_satisfied, surveys.satisfied, surveys.unsatisfied)
}

fn sum<'a>(tallies: impl Iterator<Item = &'a Tally>) -> Tally {
    tallies.fold(Tally::default(), |mut total, t| {
        total += *t;
        total
    })
}
