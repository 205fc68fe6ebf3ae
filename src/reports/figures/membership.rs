//! The dossiers behind a figure: which of the summary's counts one dossier is counted in, so that
//! a leader who reads "41 late" can open the 41.
//!
//! A dossier's membership is not a second definition: it is the summary's own arithmetic
//! ([`super::tally`], then [`summary::dossier_figures`]) run over that dossier alone, and the
//! figure read from the result. Every count is a sum over dossiers, so the dossiers whose own
//! figure is 1 are exactly those the summary counts; the property test below checks it, figure by
//! figure, on random histories (and that no dossier counts twice in one figure, and that each
//! meets the condition `necessary` gives the database to narrow the figure's candidates by).
//!
//! The figures are named by their path in the summary's JSON (`resolution.late`,
//! `online_service.partial.submitted_online`), and three more:
//! - `digitization.reception.missing` and `digitization.result.missing`: `eligible − digitized`,
//!   which the summary gives only line by line;
//! - `digitization.reception.missing_by_responsible.<id>` and
//!   `digitization.result.missing_by_responsible.<id>`: a line of `missing_by_responsible`, by its
//!   `responsible.id` (a user's, a service account's or an agency's; ids are UUIDs, unique across
//!   the three).
//!
//! Counts of something else than dossiers are not listed: rates, procedures with fees, survey
//! answers, feedback, publications.

use std::collections::HashMap;

use super::summary::{self, DossierFigures};
use super::{Missing, Period, ProcedureInfo, plain};
use crate::records::counters::facts::{DossierFacts, ResponsibleKey};

/// A count of the summary that is a number of dossiers, and how to read it off the figures.
pub struct Count {
    pub name: &'static str,
    read: fn(&DossierFigures) -> i64,
}

macro_rules! counts {
    ($($name:literal => |$f:ident| $read:expr),* $(,)?) => {
        /// Every count of dossiers in the summary, named by its JSON path.
        pub const COUNTS: &[Count] = &[$(Count { name: $name, read: |$f| $read }),*];
    };
}

counts! {
    "reception.new_online" => |f| f.reception.new_online,
    "reception.new_direct" => |f| f.reception.new_direct,
    "reception.new_postal" => |f| f.reception.new_postal,
    "reception.new" => |f| f.reception.new,
    "reception.carried_over" => |f| f.reception.carried_over,
    "reception.total" => |f| f.reception.total,
    "resolution.resolved" => |f| f.resolution.resolved,
    "resolution.early" => |f| f.resolution.early,
    "resolution.on_time" => |f| f.resolution.on_time,
    "resolution.late" => |f| f.resolution.late,
    "resolution.withdrawn" => |f| f.resolution.withdrawn,
    "resolution.in_progress" => |f| f.resolution.in_progress,
    "resolution.in_progress_within_deadline" => |f| f.resolution.in_progress_within_deadline,
    "resolution.in_progress_overdue" => |f| f.resolution.in_progress_overdue,
    "resolution.late_with_apology" => |f| f.resolution.late_with_apology,
    "resolution.late_without_apology" => |f| f.resolution.late_without_apology,
    "online_service.full.dossiers" => |f| f.online_service.full.dossiers,
    "online_service.full.submitted_online" => |f| f.online_service.full.submitted_online,
    "online_service.partial.dossiers" => |f| f.online_service.partial.dossiers,
    "online_service.partial.submitted_online" => |f| f.online_service.partial.submitted_online,
    "online_service.acceptance.online_submitted" => |f| f.online_service.acceptance.online_submitted,
    "online_service.acceptance.answered_in_time" => |f| f.online_service.acceptance.answered_in_time,
    "payment.payable" => |f| f.payment.payable,
    "payment.paid_online" => |f| f.payment.paid_online,
    "digitization.reception.eligible" => |f| f.digitization.reception.eligible,
    "digitization.reception.digitized" => |f| f.digitization.reception.digitized,
    "digitization.reception.missing" => |f| f.digitization.reception.eligible - f.digitization.reception.digitized,
    "digitization.result.eligible" => |f| f.digitization.result.eligible,
    "digitization.result.digitized" => |f| f.digitization.result.digitized,
    "digitization.result.missing" => |f| f.digitization.result.eligible - f.digitization.result.digitized,
}

/// Where a digitization is missing: at reception, or of the result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Reception,
    Result,
}

impl Stage {
    fn as_str(self) -> &'static str {
        match self {
            Stage::Reception => "reception",
            Stage::Result => "result",
        }
    }
}

/// The pattern of the figures of one line of `missing_by_responsible`.
pub const MISSING_BY_RESPONSIBLE: &str =
    "digitization.{reception|result}.missing_by_responsible.<responsible.id>";

/// A figure that can be listed.
#[derive(Clone)]
pub enum Figure {
    Count(&'static Count),
    /// The dossiers of one line of `missing_by_responsible` at one stage.
    MissingBy {
        stage: Stage,
        responsible_id: String,
    },
}

impl Figure {
    /// The figure a name stands for; `None` for a name that is not one.
    pub fn parse(name: &str) -> Option<Figure> {
        if let Some(count) = COUNTS.iter().find(|c| c.name == name) {
            return Some(Figure::Count(count));
        }
        [Stage::Reception, Stage::Result].into_iter().find_map(|stage| {
            let id = name
                .strip_prefix("digitization.")?
                .strip_prefix(stage.as_str())?
                .strip_prefix(".missing_by_responsible.")?;
            let plausible = !id.is_empty() && id.len() <= 100 && !id.chars().any(char::is_control);
            plausible.then(|| Figure::MissingBy { stage, responsible_id: id.to_owned() })
        })
    }

    /// The figure's name, as [`Figure::parse`] reads it.
    pub fn name(&self) -> String {
        match self {
            Figure::Count(count) => count.name.to_owned(),
            Figure::MissingBy { stage, responsible_id } => {
                format!("digitization.{}.missing_by_responsible.{responsible_id}", stage.as_str())
            }
        }
    }

    /// The figure's value among the dossier figures and the missing digitization of the summary.
    pub fn read(&self, figures: &DossierFigures, missing: &Missing) -> i64 {
        match self {
            Figure::Count(count) => (count.read)(figures),
            Figure::MissingBy { stage, responsible_id } => missing
                .iter()
                .filter(|(key, _)| match key {
                    ResponsibleKey::Person(id) | ResponsibleKey::Agency(id) => id == responsible_id,
                })
                .map(|(_, (reception, result))| match stage {
                    Stage::Reception => reception,
                    Stage::Result => result,
                })
                .sum(),
        }
    }

    /// Whether the summary counts this dossier in this figure.
    pub fn counts(&self, d: &DossierFacts, p: &Period) -> bool {
        let (figures, missing) = contribution(d, p);
        self.read(&figures, &missing) > 0
    }
}

/// What one dossier adds to the summary: the summary's arithmetic over it alone. Its procedure's
/// field and online-service level are the ones its facts carry (the store fills them in from the
/// catalogue, as the summary reads them).
pub fn contribution(d: &DossierFacts, p: &Period) -> (DossierFigures, Missing) {
    let (tallies, missing) = plain(std::slice::from_ref(d), p);
    let procedure = ProcedureInfo { field: d.field.clone(), offer: d.offer };
    let procedures = HashMap::from([(d.procedure_id.clone(), procedure)]);
    (summary::dossier_figures(&tallies, &procedures), missing)
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use proptest::prelude::*;

    use super::super::necessary::Necessary;
    use super::super::tests::{arbitrary_dossier, period};
    use super::*;
    use crate::enums::OnlineService as Offer;

    #[test]
    fn names_round_trip_and_strangers_are_refused() {
        for count in COUNTS {
            assert_eq!(Figure::parse(count.name).map(|f| f.name()).as_deref(), Some(count.name));
        }
        let line = "digitization.result.missing_by_responsible.0b6f-42";
        assert!(matches!(
            Figure::parse(line),
            Some(Figure::MissingBy { stage: Stage::Result, responsible_id }) if responsible_id == "0b6f-42"
        ));
        assert_eq!(Figure::parse(line).unwrap().name(), line);
        for stranger in [
            "",
            "resolution",
            "resolution.late_rate",
            "payment.procedures_with_fees",
            "satisfaction.responses",
            "digitization.reception.missing_by_responsible.",
            "digitization.other.missing_by_responsible.x",
            "digitization.result.missing_by_responsible.a\nb",
        ] {
            assert!(Figure::parse(stranger).is_none(), "{stranger:?}");
        }
    }

    #[test]
    fn every_figure_but_the_broadest_narrows_its_candidates() {
        for count in COUNTS {
            let narrowed = Necessary::of(&Figure::Count(count)) != Necessary::default();
            assert_eq!(narrowed, count.name != "reception.total", "{}", count.name);
        }
        for stage in [Stage::Reception, Stage::Result] {
            let line = Figure::MissingBy { stage, responsible_id: "x".into() };
            assert_ne!(Necessary::of(&line), Necessary::default());
        }
    }

    proptest! {
        /// The dossiers a figure lists are as many as the figure says, for every figure, on any
        /// history, period and moment of judging; none is counted twice in one figure.
        #[test]
        fn every_figure_lists_as_many_dossiers_as_it_counts(
            dossiers in proptest::collection::vec(
                prop_oneof![arbitrary_dossier(), crate::reports::rollup::tests::arbitrary_dossier()],
                0..60,
            ),
            from in 0u64..60,
            len in 0u64..40,
            now in 0i64..120 * 24,
            levels in proptest::collection::vec(0usize..3, 60),
        ) {
            // Procedures of every online-service level (the strategies give one).
            let mut dossiers = dossiers;
            for (d, level) in dossiers.iter_mut().zip(levels) {
                d.offer = [Offer::None, Offer::Partial, Offer::Full][level];
                d.procedure_id = format!("procedure-{level}");
            }
            let p = period(from, from + len, now);
            let procedures: HashMap<String, ProcedureInfo> = dossiers
                .iter()
                .map(|d| (d.procedure_id.clone(), ProcedureInfo { field: d.field.clone(), offer: d.offer }))
                .collect();
            let (tallies, missing) = plain(&dossiers, &p);
            let figures = summary::dossier_figures(&tallies, &procedures);
            let contributions: Vec<_> = dossiers.iter().map(|d| contribution(d, &p)).collect();

            let mut all: Vec<Figure> = COUNTS.iter().map(Figure::Count).collect();
            let ids: Vec<String> = missing
                .keys()
                .map(|key| match key {
                    ResponsibleKey::Person(id) | ResponsibleKey::Agency(id) => id.clone(),
                })
                .collect();
            for id in &ids {
                for stage in [Stage::Reception, Stage::Result] {
                    all.push(Figure::MissingBy { stage, responsible_id: id.clone() });
                }
            }
            for figure in all {
                let mut listed = 0;
                for (d, (own, own_missing)) in dossiers.iter().zip(&contributions) {
                    let value = figure.read(own, own_missing);
                    prop_assert!(value == 0 || value == 1, "{} counts a dossier {value} times", figure.name());
                    prop_assert_eq!(value == 1, figure.counts(d, &p));
                    // What the database narrows a page's candidates by never drops a member.
                    prop_assert!(value == 0 || Necessary::of(&figure).holds(d, &p), "{} {d:?}", figure.name());
                    listed += value;
                }
                prop_assert_eq!(listed, figure.read(&figures, &missing), "{}", figure.name());
            }
        }
    }
}
