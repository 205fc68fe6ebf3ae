//! The league table (`by_agency`): a line per agency directly below the report's, each covering
//! its whole subtree (a district's line includes its communes), so that a province's leader
//! compares its communes and departments.
//!
//! Decisions:
//! - Every agency directly below has its line, even with nothing in the period: a commune with
//!   nothing to show is itself news. The report's own agency has a line too (`own`) when it
//!   handled something itself (a province's own departments desk), so that the lines add up to
//!   the summary's totals. An agency with nothing below it has no table: its summary is its line.
//! - The lines are the summary's figures, from the same facts split by line (`Branches`), never a
//!   second reading of the history.
//! - Order: the best first, as a league table reads: on-time rate highest first, the lines with
//!   nothing resolved (no rate) last; then fewer dossiers in progress past the deadline, then by
//!   name.

use std::collections::{BTreeMap, HashMap};

use super::Tally;
use super::digitization::digitization;
use super::reception::reception_of;
use super::resolution::resolution_of;
use crate::reports::model::{AgencyLine, AgencyRef, DigitizationParts, FeedbackFigures, Satisfaction};

/// Which line each agency of the report falls in: the agency directly below the report's on its
/// path, or the report's own for the report's agency itself.
#[derive(Debug, Clone)]
pub struct Branches {
    root: String,
    of: HashMap<String, String>,
}

impl Branches {
    /// From the report's agency and the (id, path) of every agency it covers; a path lists the
    /// ids from the top, `/p/c/`.
    pub fn new(root: &str, agencies: impl IntoIterator<Item = (String, String)>) -> Branches {
        let of = agencies
            .into_iter()
            .map(|(id, path)| {
                let mut ids = path.split('/').filter(|s| !s.is_empty()).skip_while(|s| *s != root).skip(1);
                let branch = ids.next().unwrap_or(root).to_owned();
                (id, branch)
            })
            .collect();
        Branches { root: root.to_owned(), of }
    }

    /// The line an agency's records count in (the report's own for an agency it does not know).
    pub fn of<'a>(&'a self, agency_id: &str) -> &'a str {
        self.of.get(agency_id).map_or(self.root.as_str(), String::as_str)
    }

    /// Items split by line, each in the line of its agency.
    pub fn split<T>(
        &self,
        items: impl IntoIterator<Item = T>,
        agency: impl Fn(&T) -> &str,
    ) -> BTreeMap<String, Vec<T>> {
        let mut out: BTreeMap<String, Vec<T>> = BTreeMap::new();
        for item in items {
            let branch = self.of(agency(&item)).to_owned();
            out.entry(branch).or_default().push(item);
        }
        out
    }
}

/// What one line counts: the dossiers' tally over every procedure, the surveys, the feedback.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Part {
    pub tally: Tally,
    pub satisfaction: Satisfaction,
    pub feedback: FeedbackFigures,
}

impl Part {
    fn is_empty(&self) -> bool {
        self.tally == Tally::default() && self.satisfaction.responses == 0 && self.feedback.received == 0
    }
}

/// The table: a line per agency directly below (`children`), and one for the report's agency
/// itself (`root`) if it handled anything; none at all without children. `parts` are by line id.
pub fn table(
    root: &AgencyRef,
    children: Vec<AgencyRef>,
    mut parts: BTreeMap<String, Part>,
) -> Vec<AgencyLine> {
    if children.is_empty() {
        return Vec::new();
    }
    let mut lines: Vec<AgencyLine> = children
        .into_iter()
        .map(|child| {
            let part = parts.remove(&child.id).unwrap_or_default();
            line(child, false, &part)
        })
        .collect();
    if let Some(own) = parts.remove(&root.id).filter(|p| !p.is_empty()) {
        lines.push(line(root.clone(), true, &own));
    }
    lines.sort_by(|a, b| {
        let rate = |l: &AgencyLine| l.resolution.on_time_rate;
        // `None` (nothing resolved) sorts below every rate.
        rate(b)
            .cmp(&rate(a))
            .then_with(|| a.resolution.in_progress_overdue.cmp(&b.resolution.in_progress_overdue))
            .then_with(|| a.agency.name.cmp(&b.agency.name))
    });
    lines
}

fn line(agency: AgencyRef, own: bool, part: &Part) -> AgencyLine {
    let digitized = digitization(&part.tally);
    AgencyLine {
        agency,
        own,
        reception: reception_of(&part.tally),
        resolution: resolution_of(&part.tally),
        digitization: DigitizationParts { reception: digitized.reception, result: digitized.result },
        satisfaction: part.satisfaction.clone(),
        feedback: part.feedback.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reports::figures::satisfaction::satisfaction_of;
    use crate::reports::percent::Percent;

    fn agency(id: &str, name: &str) -> AgencyRef {
        AgencyRef { id: id.into(), code: id.to_uppercase(), name: name.into() }
    }

    fn resolved(on_time: i64, late: i64) -> Part {
        let tally = Tally {
            new_direct: on_time + late,
            resolved: on_time + late,
            on_time,
            late_without_apology: late,
            ..Tally::default()
        };
        Part { tally, ..Part::default() }
    }

    #[test]
    fn every_agency_falls_in_the_line_of_its_branch() {
        let branches = Branches::new(
            "d",
            [
                ("d".into(), "/p/d/".into()),
                ("c1".into(), "/p/d/c1/".into()),
                ("c2".into(), "/p/d/c2/".into()),
                ("x".into(), "/p/d/c2/x/".into()),
            ],
        );
        assert_eq!(branches.of("d"), "d", "the report's own agency: its own line");
        assert_eq!(branches.of("c1"), "c1");
        assert_eq!(branches.of("x"), "c2", "a line covers the branch's whole subtree");
        assert_eq!(branches.of("elsewhere"), "d");
        let split = branches.split(["x", "c1", "d", "c2"], |a| a);
        assert_eq!(split["c2"], ["x", "c2"]);
        assert_eq!(split["c1"], ["c1"]);
        assert_eq!(split["d"], ["d"]);
    }

    #[test]
    fn the_table_ranks_on_time_rate_first_and_nothing_resolved_last() {
        let root = agency("p", "Tỉnh");
        let children =
            vec![agency("a", "Xã A"), agency("b", "Xã B"), agency("c", "Xã C"), agency("d", "Xã D")];
        let parts = BTreeMap::from([
            ("a".to_owned(), resolved(9, 1)),
            ("b".to_owned(), resolved(10, 0)),
            ("c".to_owned(), resolved(90, 10)),
        ]);
        let lines = table(&root, children, parts);
        let order: Vec<&str> = lines.iter().map(|l| l.agency.id.as_str()).collect();
        assert_eq!(order, ["b", "a", "c", "d"], "100 %, then 90 % (tie by name), then no rate");
        assert_eq!(lines[0].resolution.on_time_rate, Some(Percent(10_000)));
        assert_eq!(lines[3].reception.total, 0, "an agency with nothing still has its line");
        assert!(lines.iter().all(|l| !l.own), "the province handled nothing itself: no line of its own");
        assert_eq!(lines[2].resolution.late_without_apology, 10);
        assert_eq!(lines[2].digitization.result.eligible, 100);
    }

    #[test]
    fn the_reports_own_agency_has_a_line_when_it_handled_something() {
        let root = agency("p", "Tỉnh");
        let surveys = Part { satisfaction: satisfaction_of(1, 0, 0), ..Part::default() };
        let parts = BTreeMap::from([("p".to_owned(), surveys), ("a".to_owned(), resolved(1, 0))]);
        let lines = table(&root, vec![agency("a", "Xã A")], parts);
        assert_eq!(lines.len(), 2);
        let own = lines.iter().find(|l| l.own).unwrap();
        assert_eq!((own.agency.id.as_str(), own.satisfaction.responses), ("p", 1));
        assert!(table(&root, Vec::new(), BTreeMap::from([("p".to_owned(), resolved(1, 0))])).is_empty());
    }
}
