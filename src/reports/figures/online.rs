//! Online public service: the dossiers of procedures offered online and how many came online,
//! online submissions answered in time (acceptance), and fees paid online.

use std::collections::{BTreeMap, HashMap};

use super::{ProcedureInfo, Tally};
use crate::enums::OnlineService as Offer;
use crate::reports::model::{OnlineServiceFigures, Payment};
use crate::reports::percent::Percent;

/// The online-service figures from tallies by procedure (`total`: their sum).
pub fn online_service(
    by_procedure: &BTreeMap<String, Tally>,
    procedures: &HashMap<String, ProcedureInfo>,
    total: &Tally,
) -> OnlineServiceFigures {
    let mut online = OnlineServiceFigures::default();
    for (id, t) in by_procedure {
        let level = match procedures.get(id).map(|i| i.offer) {
            Some(Offer::Full) => &mut online.full,
            Some(Offer::Partial) => &mut online.partial,
            _ => continue,
        };
        level.dossiers += t.new_total();
        level.submitted_online += t.new_online;
    }
    let offered = online.full.dossiers + online.partial.dossiers;
    online.online_submission_rate =
        Percent::of(online.full.submitted_online + online.partial.submitted_online, offered);
    online.acceptance.online_submitted = total.online_submitted;
    online.acceptance.answered_in_time = total.answered_in_time;
    online.acceptance.rate = Percent::of(total.answered_in_time, total.online_submitted);
    online
}

/// Online payment, by dossier and by procedure, from tallies by procedure (`total`: their sum).
pub fn payment(by_procedure: &BTreeMap<String, Tally>, total: &Tally) -> Payment {
    let mut payment = Payment::default();
    for t in by_procedure.values() {
        payment.procedures_with_fees += i64::from(t.payable > 0);
        payment.procedures_paid_online += i64::from(t.paid_online > 0);
    }
    payment.payable = total.payable;
    payment.paid_online = total.paid_online;
    payment.dossier_rate = Percent::of(payment.paid_online, payment.payable);
    payment.procedure_rate = Percent::of(payment.procedures_paid_online, payment.procedures_with_fees);
    payment
}
