//! Percentages as the report prints them: two decimals, rounded half away from zero, kept as an
//! integer number of hundredths so that comparisons with targets are exact.

use serde::{Serialize, Serializer};
use utoipa::ToSchema;

/// A percentage in hundredths (9877 is 98.77 %). Serialized as a JSON number with at most two
/// decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, ToSchema)]
#[schema(value_type = f64, example = 98.77)]
pub struct Percent(pub i64);

impl Percent {
    /// `part / whole`, or `None` when `whole` is 0 (docs/report.md: a rate with no denominator is null).
    pub fn of(part: i64, whole: i64) -> Option<Percent> {
        if whole <= 0 {
            return None;
        }
        // Half away from zero for non-negative counts: add half the divisor before dividing.
        let scaled = part * 10_000 * 2 + whole;
        Some(Percent(scaled.div_euclid(2 * whole)))
    }

    pub fn as_f64(self) -> f64 {
        self.0 as f64 / 100.0
    }

    /// Parse a number with at most two decimals, as a target is given.
    pub fn from_f64(value: f64) -> Option<Percent> {
        let hundredths = (value * 100.0).round();
        let exact = ((hundredths / 100.0) - value).abs() < 1e-9;
        (value.is_finite() && exact && (0.0..=10_000.0).contains(&hundredths))
            .then_some(Percent(hundredths as i64))
    }
}

impl Serialize for Percent {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_f64(self.as_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_rates() {
        assert_eq!(Percent::of(1207, 1222), Some(Percent(9877)));
        assert_eq!(Percent::of(11, 1222), Some(Percent(90)), "the seed's 0,91 is a slip");
        assert_eq!(Percent::of(41, 1219), Some(Percent(336)));
        assert_eq!(Percent::of(1150, 1218), Some(Percent(9442)));
        assert_eq!(Percent::of(960, 1219), Some(Percent(7875)));
        assert_eq!(Percent::of(341, 411), Some(Percent(8297)));
        assert_eq!(Percent::of(70, 411), Some(Percent(1703)));
        assert_eq!(Percent::of(0, 411), Some(Percent(0)));
        assert_eq!(Percent::of(5, 5), Some(Percent(10_000)));
        assert_eq!(Percent::of(1, 0), None);
    }

    #[test]
    fn halves_round_away_from_zero() {
        // 1/8 = 12.5 % exactly; 1/16 = 6.25 %; 1/32 = 3.125 % → 3.13; 1/800 = 0.125 % → 0.13.
        assert_eq!(Percent::of(1, 32), Some(Percent(313)));
        assert_eq!(Percent::of(1, 800), Some(Percent(13)));
        assert_eq!(Percent::of(1, 3), Some(Percent(3333)));
        assert_eq!(Percent::of(2, 3), Some(Percent(6667)));
    }

    #[test]
    fn serializes_as_a_plain_number() {
        assert_eq!(serde_json::to_string(&Percent(9877)).unwrap(), "98.77");
        assert_eq!(serde_json::to_string(&Percent(10_000)).unwrap(), "100.0");
        assert_eq!(serde_json::to_string(&Percent(90)).unwrap(), "0.9");
    }

    #[test]
    fn targets_parse_with_two_decimals_at_most() {
        assert_eq!(Percent::from_f64(3.0), Some(Percent(300)));
        assert_eq!(Percent::from_f64(99.5), Some(Percent(9950)));
        assert_eq!(Percent::from_f64(0.07), Some(Percent(7)));
        assert_eq!(Percent::from_f64(3.333), None);
        assert_eq!(Percent::from_f64(-1.0), None);
        assert_eq!(Percent::from_f64(f64::NAN), None);
    }
}
