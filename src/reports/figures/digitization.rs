//! Digitization of dossiers at reception and of results, and who answers for what is missing.

use super::{Missing, Tally};
use crate::records::counters::facts::ResponsibleKey;
use crate::reports::model::Digitization;
use crate::reports::percent::Percent;

/// Digitization from a tally: of the new dossiers at reception, of the resolved ones' results.
pub fn digitization(t: &Tally) -> Digitization {
    let mut digitization = Digitization::default();
    digitization.reception.eligible = t.new_total();
    digitization.reception.digitized = t.reception_digitized;
    digitization.reception.rate = Percent::of(t.reception_digitized, t.new_total());
    digitization.result.eligible = t.resolved;
    digitization.result.digitized = t.result_digitized;
    digitization.result.rate = Percent::of(t.result_digitized, t.resolved);
    digitization
}

/// Missing digitization, most first; then by who.
pub fn missing_sorted(missing: Missing) -> Vec<(ResponsibleKey, i64, i64)> {
    let mut out: Vec<_> =
        missing.into_iter().filter(|(_, (a, b))| *a != 0 || *b != 0).map(|(k, (a, b))| (k, a, b)).collect();
    out.sort_by(|a, b| (b.1 + b.2).cmp(&(a.1 + a.2)).then_with(|| a.0.cmp(&b.0)));
    out
}
