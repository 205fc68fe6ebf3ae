//! Report targets (chỉ tiêu): which figure each is about, which way it must go, and the defaults
//! the seed report names (the province chairman's 3 % late ceiling; Decision 766/QĐ-TTg's
//! payment and digitization indicators; the desk's own 98 %, 99 % and posting commitments).
//! The figure each judges is the summary's to give (`Summary::figure`), so that this module, which
//! the report's model uses, does not use the model back.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::percent::Percent;
use crate::enums::text_enum;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Indicator {
    LateRate,
    OnTimeRate,
    AcceptanceRate,
    PaymentProcedureRate,
    PaymentDossierRate,
    DigitizationReceptionRate,
    DigitizationResultRate,
    PostingRate,
}

text_enum!(Indicator {
    LateRate => "late_rate",
    OnTimeRate => "on_time_rate",
    AcceptanceRate => "acceptance_rate",
    PaymentProcedureRate => "payment_procedure_rate",
    PaymentDossierRate => "payment_dossier_rate",
    DigitizationReceptionRate => "digitization_reception_rate",
    DigitizationResultRate => "digitization_result_rate",
    PostingRate => "posting_rate",
});

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub enum Comparator {
    #[serde(rename = ">=")]
    AtLeast,
    #[serde(rename = "<=")]
    AtMost,
}

impl Indicator {
    pub fn comparator(self) -> Comparator {
        match self {
            Indicator::LateRate => Comparator::AtMost,
            _ => Comparator::AtLeast,
        }
    }

    /// The seed's targets (docs/report.md, targets).
    pub fn default_target(self) -> Percent {
        Percent(match self {
            Indicator::LateRate => 300,
            Indicator::OnTimeRate => 9800,
            Indicator::AcceptanceRate => 9900,
            Indicator::PaymentProcedureRate => 9000,
            Indicator::PaymentDossierRate => 9500,
            Indicator::DigitizationReceptionRate | Indicator::DigitizationResultRate => 7500,
            Indicator::PostingRate => 10_000,
        })
    }

    /// Whether `actual` meets `target`; unknown when there is nothing to judge.
    pub fn met(self, target: Percent, actual: Option<Percent>) -> Option<bool> {
        actual.map(|actual| match self.comparator() {
            Comparator::AtLeast => actual >= target,
            Comparator::AtMost => actual <= target,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_misses_the_late_ceiling() {
        assert_eq!(Indicator::LateRate.met(Percent(300), Some(Percent(336))), Some(false));
        assert_eq!(Indicator::LateRate.met(Percent(300), Some(Percent(300))), Some(true));
        assert_eq!(Indicator::OnTimeRate.met(Percent(9800), Some(Percent(9664))), Some(false));
        assert_eq!(Indicator::DigitizationResultRate.met(Percent(7500), Some(Percent(7875))), Some(true));
        assert_eq!(Indicator::PaymentDossierRate.met(Percent(9500), None), None);
    }

    #[test]
    fn every_indicator_parses_back() {
        for &indicator in Indicator::ALL {
            assert_eq!(Indicator::parse(indicator.as_str()), Some(indicator));
            let json = serde_json::to_value(indicator).unwrap();
            assert_eq!(json, indicator.as_str());
        }
    }
}
