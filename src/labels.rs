//! The display label of an enum value, in Vietnamese and English. The trait lives low so that
//! any layer may show a label; the labels themselves are written beside the API's label list
//! (`meta::labels`), one exhaustive `match` per enum.

use crate::i18n::Text;

/// An enum whose values a front end shows.
pub trait Labelled: Copy + serde::Serialize + 'static {
    /// Every variant, in the order of the declaration.
    const ALL: &'static [Self];

    /// The label of the variant.
    fn label(self) -> Text;

    /// The variant as it appears in JSON.
    fn key(self) -> String {
        match serde_json::to_value(self) {
            Ok(serde_json::Value::String(key)) => key,
            other => unreachable!("a labelled enum serializes as a string, not {other:?}"),
        }
    }
}
