//! What every dossier a figure counts has on its own row: a condition the database tests while it
//! walks the period's dossiers for a page of the figure's list, so that it hands over the likely
//! members rather than every dossier. The summary's arithmetic ([`Figure::counts`]) still judges
//! each one; the condition only has to be necessary, never sufficient: the property test in
//! `membership` checks that no dossier a figure counts fails its figure's condition.
//!
//! Each condition is on raw instants, not on what was seen at `as_of`: "resolved in the period"
//! holds of a dossier resolved after `as_of` too. That only lets more through.

use super::Period;
use super::membership::{Figure, Stage};
use crate::enums::Channel;
use crate::records::counters::facts::DossierFacts;

/// When a dossier was accepted, for figures of one kind of reception.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Accepted {
    /// In the period: the new dossiers and what follows from them (digitization at reception,
    /// payment, the online service's dossiers).
    InPeriod,
    /// Before the period: carried over.
    BeforeStart,
}

/// Conditions every dossier of a figure meets, all of them at once; the default is none.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Necessary {
    pub accepted: Option<Accepted>,
    /// `resolved_at` in the period: resolved, and the result's digitization.
    pub resolved_in_period: bool,
    /// `withdrawn_at` in the period.
    pub withdrawn_in_period: bool,
    /// `due_at` before `as_of`, and not resolved by it (`resolved_at` null or after `due_at`):
    /// late (resolved after its due instant, or overdue), or overdue.
    pub late: bool,
    /// Neither resolved nor withdrawn before `as_of`: in progress.
    pub open_at_as_of: bool,
    pub apologized: bool,
    pub online: bool,
    /// `submitted_at` in the period: the online submissions whose answer is judged.
    pub submitted_in_period: bool,
    pub fee: bool,
    pub reception_digitized: Option<bool>,
    pub result_digitized: Option<bool>,
    /// The id a line of `missing_by_responsible` is for, and where it could come from at that
    /// stage: `received_by` or the agency at reception; `resolved_by_agency_id`, `resolved_by` or
    /// the agency for the result.
    pub responsible: Option<(Stage, String)>,
}

impl Necessary {
    /// What every dossier `figure` counts has (none for a figure not named here: a new figure
    /// is listed exactly, only without the help).
    pub fn of(figure: &Figure) -> Necessary {
        let new = Necessary { accepted: Some(Accepted::InPeriod), ..Necessary::default() };
        let resolved = Necessary { resolved_in_period: true, ..Necessary::default() };
        let late = Necessary { late: true, ..Necessary::default() };
        let open = Necessary { open_at_as_of: true, ..Necessary::default() };
        let (name, responsible) = match figure {
            Figure::Count(count) => (count.name, None),
            Figure::MissingBy { stage, responsible_id } => {
                let name = match stage {
                    Stage::Reception => "digitization.reception.missing",
                    Stage::Result => "digitization.result.missing",
                };
                (name, Some((*stage, responsible_id.clone())))
            }
        };
        let necessary = match name {
            "reception.new_online"
            | "online_service.full.submitted_online"
            | "online_service.partial.submitted_online" => Necessary { online: true, ..new },
            "reception.new_direct"
            | "reception.new_postal"
            | "reception.new"
            | "online_service.full.dossiers"
            | "online_service.partial.dossiers"
            | "digitization.reception.eligible" => new,
            "reception.carried_over" => {
                Necessary { accepted: Some(Accepted::BeforeStart), ..Necessary::default() }
            }
            "resolution.resolved"
            | "resolution.early"
            | "resolution.on_time"
            | "digitization.result.eligible" => resolved,
            "resolution.late" | "resolution.late_without_apology" => late,
            "resolution.late_with_apology" => Necessary { apologized: true, ..late },
            "resolution.in_progress" | "resolution.in_progress_within_deadline" => open,
            "resolution.in_progress_overdue" => Necessary { late: true, ..open },
            "resolution.withdrawn" => Necessary { withdrawn_in_period: true, ..Necessary::default() },
            "online_service.acceptance.online_submitted" | "online_service.acceptance.answered_in_time" => {
                Necessary { online: true, submitted_in_period: true, ..Necessary::default() }
            }
            "payment.payable" | "payment.paid_online" => Necessary { fee: true, ..new },
            "digitization.reception.digitized" => Necessary { reception_digitized: Some(true), ..new },
            "digitization.reception.missing" => Necessary { reception_digitized: Some(false), ..new },
            "digitization.result.digitized" => Necessary { result_digitized: Some(true), ..resolved },
            "digitization.result.missing" => Necessary { result_digitized: Some(false), ..resolved },
            _ => Necessary::default(),
        };
        Necessary { responsible, ..necessary }
    }

    /// Whether a dossier meets the conditions: what the store's SQL tests, in Rust.
    pub fn holds(&self, d: &DossierFacts, p: &Period) -> bool {
        let in_period = |at: Option<_>| at.is_some_and(|t| t >= p.start && t < p.end);
        let accepted = match self.accepted {
            None => true,
            Some(Accepted::InPeriod) => in_period(d.accepted_at),
            Some(Accepted::BeforeStart) => d.accepted_at.is_some_and(|t| t < p.start),
        };
        accepted
            && (!self.resolved_in_period || in_period(d.resolved_at))
            && (!self.withdrawn_in_period || in_period(d.withdrawn_at))
            && (!self.late
                || d.due_at.is_some_and(|due| due < p.as_of && d.resolved_at.is_none_or(|r| r > due)))
            && (!self.open_at_as_of
                || (d.resolved_at.is_none_or(|t| t >= p.as_of)
                    && d.withdrawn_at.is_none_or(|t| t >= p.as_of)))
            && (!self.apologized || d.apologized_at.is_some())
            && (!self.online || d.channel == Channel::Online)
            && (!self.submitted_in_period || in_period(Some(d.submitted_at)))
            && (!self.fee || d.fee > 0)
            && self.reception_digitized.is_none_or(|digitized| d.reception_digitized == digitized)
            && self.result_digitized.is_none_or(|digitized| d.result_digitized == digitized)
            && self.responsible.as_ref().is_none_or(|(stage, id)| {
                let people = match stage {
                    Stage::Reception => [d.received_by.as_deref(), None],
                    Stage::Result => [d.resolved_by_agency_id.as_deref(), d.resolved_by.as_deref()],
                };
                d.agency_id == *id || people.contains(&Some(id.as_str()))
            })
    }
}
