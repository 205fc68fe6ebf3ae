//! Reception (form II.06a's first columns): the dossiers new in the period by channel, and those
//! carried over.

use super::Tally;
use crate::reports::model::Reception;
use crate::reports::percent::Percent;

/// Reception from a tally.
pub fn reception_of(t: &Tally) -> Reception {
    let mut rec = Reception {
        new_online: t.new_online,
        new_direct: t.new_direct,
        new_postal: t.new_postal,
        new: t.new_total(),
        carried_over: t.carried_over,
        ..Reception::default()
    };
    rec.total = rec.new + rec.carried_over;
    rec.online_rate = Percent::of(rec.new_online, rec.total);
    rec.direct_rate = Percent::of(rec.new_direct + rec.new_postal, rec.total);
    rec
}
