//! The procedure catalogue: publication decisions signed in the period and whether they were
//! posted within their 5 working days.

use chrono::NaiveDate;

use super::Period;
use crate::records::counters::facts::local_day;
use crate::reports::model::CatalogueFigures;
use crate::reports::percent::Percent;

#[derive(Debug, Clone)]
pub struct PublicationFacts {
    pub signed_on: NaiveDate,
    pub posted_on: Option<NaiveDate>,
    /// The last day to post it: 5 working days after signing.
    pub deadline: Option<NaiveDate>,
}

pub fn catalogue(publications: &[PublicationFacts], p: &Period) -> CatalogueFigures {
    let as_of_day = local_day(p.as_of - chrono::Duration::microseconds(1));
    let mut out = CatalogueFigures::default();
    for publication in publications {
        if publication.signed_on < p.from || publication.signed_on > p.to || publication.signed_on > as_of_day
        {
            continue;
        }
        out.publications += 1;
        let posted = publication.posted_on.filter(|d| *d <= as_of_day);
        match (posted, publication.deadline) {
            (Some(on), Some(deadline)) if on <= deadline => out.posted_in_time += 1,
            (None, Some(deadline)) if deadline >= as_of_day => out.awaiting_posting += 1,
            _ => {}
        }
    }
    out.rate = Percent::of(out.posted_in_time, out.publications);
    out
}
