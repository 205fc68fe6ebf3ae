//! The dossier figures of the summary, every family from the same tallies by procedure.

use std::collections::{BTreeMap, HashMap};

use super::digitization::digitization;
use super::online::{online_service, payment};
use super::reception::reception_of;
use super::resolution::resolution_of;
use super::{ProcedureInfo, Tally};
use crate::reports::model::{Digitization, FieldLine, OnlineServiceFigures, Payment, Reception, Resolution};

/// The dossier figures of the summary.
pub struct DossierFigures {
    pub reception: Reception,
    pub resolution: Resolution,
    pub online_service: OnlineServiceFigures,
    pub payment: Payment,
    /// Without `missing_by_responsible`, whose names are the caller's to fill in.
    pub digitization: Digitization,
    pub by_field: Vec<FieldLine>,
}

/// Every dossier figure from tallies by procedure.
pub fn dossier_figures(
    by_procedure: &BTreeMap<String, Tally>,
    procedures: &HashMap<String, ProcedureInfo>,
) -> DossierFigures {
    let mut total = Tally::default();
    for t in by_procedure.values() {
        total += *t;
    }
    DossierFigures {
        reception: reception_of(&total),
        resolution: resolution_of(&total),
        online_service: online_service(by_procedure, procedures, &total),
        payment: payment(by_procedure, &total),
        digitization: digitization(&total),
        by_field: by_field(by_procedure, procedures),
    }
}

/// Reception and resolution by the procedures' field, for the fields with something to show.
fn by_field(
    by_procedure: &BTreeMap<String, Tally>,
    procedures: &HashMap<String, ProcedureInfo>,
) -> Vec<FieldLine> {
    let mut fields: BTreeMap<&str, Tally> = BTreeMap::new();
    for (id, t) in by_procedure {
        *fields.entry(procedures.get(id).map_or("", |i| i.field.as_str())).or_default() += *t;
    }
    fields
        .into_iter()
        .filter_map(|(field, t)| {
            let (reception, resolution) = (reception_of(&t), resolution_of(&t));
            (reception.total > 0 || resolution.resolved > 0).then(|| FieldLine {
                field: field.to_owned(),
                reception,
                resolution,
            })
        })
        .collect()
}
