//! Satisfaction: the surveys of the period by level.

use chrono::{DateTime, Utc};

use super::Period;
use crate::enums::Level;
use crate::reports::model::Satisfaction;
use crate::reports::percent::Percent;

/// Surveys submitted in the period.
pub fn satisfaction(surveys: &[(Level, DateTime<Utc>)], p: &Period) -> Satisfaction {
    let (mut very, mut satisfied, mut unsatisfied) = (0, 0, 0);
    for (level, _) in surveys.iter().filter(|(_, at)| p.contains(Some(*at))) {
        match level {
            Level::VerySatisfied => very += 1,
            Level::Satisfied => satisfied += 1,
            Level::Unsatisfied => unsatisfied += 1,
        }
    }
    satisfaction_of(very, satisfied, unsatisfied)
}

/// The satisfaction figures from the answers by level.
pub fn satisfaction_of(very_satisfied: i64, satisfied: i64, unsatisfied: i64) -> Satisfaction {
    let mut out = Satisfaction {
        responses: very_satisfied + satisfied + unsatisfied,
        very_satisfied,
        satisfied,
        unsatisfied,
        ..Satisfaction::default()
    };
    out.very_satisfied_rate = Percent::of(out.very_satisfied, out.responses);
    out.satisfied_rate = Percent::of(out.satisfied, out.responses);
    out.unsatisfied_rate = Percent::of(out.unsatisfied, out.responses);
    out
}
