//! Resolution (form II.06a's other columns): resolved early, on time or late, withdrawn, and
//! still in progress within or past the deadline.

use super::Tally;
use crate::reports::model::Resolution;
use crate::reports::percent::Percent;

/// Resolution from a tally.
pub fn resolution_of(t: &Tally) -> Resolution {
    let mut res = Resolution {
        resolved: t.resolved,
        early: t.early,
        on_time: t.on_time,
        late: t.resolved - t.on_time,
        withdrawn: t.withdrawn,
        in_progress_within_deadline: t.within_deadline,
        in_progress_overdue: t.overdue,
        late_with_apology: t.late_with_apology,
        late_without_apology: t.late_without_apology,
        ..Resolution::default()
    };
    res.on_time_rate = Percent::of(res.on_time, res.resolved);
    res.late_rate = Percent::of(res.late, res.resolved);
    res.in_progress = t.total() - res.resolved - res.withdrawn;
    res
}
