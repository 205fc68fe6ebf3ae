//! The officers' lines from their counters (`o:<person>` rows, kept by
//! `contribution::officer_contribution`) and the dossiers the counters cannot judge, exactly as
//! the summary's figures are (`super::combine`): events of the period's days, and "assigned,
//! overdue, no apology" from the backlog changes before the judging midnight. The plain
//! definition is `figures::series::officers`; the property test holds one to the other.

use std::collections::BTreeMap;

use super::judged_on;
use crate::records::counters::contribution::{Counts, officer_contribution};
use crate::records::counters::facts::DossierFacts;
use crate::reports::figures::Period;
use crate::reports::figures::series::officers as plain;
use crate::reports::model::OfficerCounts;

/// The officers' counters of a period, by person, as read from the store.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OfficerCounted {
    /// Summed over the period's days: received in `new_direct` (every channel), reception and
    /// result left undigitized, resolved, on time, late with an apology.
    pub events: BTreeMap<String, Counts>,
    /// The backlog columns past the deadline, summed over every day before [`judged_on`].
    pub backlog: BTreeMap<String, Counts>,
}

/// The officers' lines from their counters and the dossiers judged one by one (`recent`, as for
/// `super::combine`), without the empty ones (the plain definition has none).
pub fn officers(
    mut counted: OfficerCounted,
    recent: &[DossierFacts],
    p: &Period,
) -> BTreeMap<String, OfficerCounts> {
    let judged_on = judged_on(p);
    for d in recent {
        for ((day, person), c) in officer_contribution(d) {
            if day < judged_on {
                *counted.backlog.entry(person.clone()).or_default() -= c;
            }
            if day >= p.from && day <= p.to {
                *counted.events.entry(person).or_default() -= c;
            }
        }
    }
    let mut out: BTreeMap<String, OfficerCounts> = BTreeMap::new();
    for (person, c) in counted.events {
        let line = out.entry(person).or_default();
        line.received += c.new_online + c.new_direct + c.new_postal;
        line.reception_digitization_missing += c.reception_missing;
        line.resolved += c.resolved;
        line.result_digitization_missing += c.result_missing;
        line.late += c.resolved - c.on_time;
        line.apologies_missing += c.resolved - c.on_time - c.late_apologized;
    }
    for (person, c) in counted.backlog {
        out.entry(person).or_default().apologies_missing += c.backlog_overdue - c.backlog_apologized;
    }
    for (person, judged) in plain(recent, p) {
        let line = out.entry(person).or_default();
        line.received += judged.received;
        line.resolved += judged.resolved;
        line.late += judged.late;
        line.apologies_missing += judged.apologies_missing;
        line.reception_digitization_missing += judged.reception_digitization_missing;
        line.result_digitization_missing += judged.result_digitization_missing;
    }
    out.retain(|_, line| *line != OfficerCounts::default());
    out
}
