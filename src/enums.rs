//! Enums stored as text, and the shared vocabulary several slices and the report's counters use.
//!
//! One macro gives each enum its database text, parsing, every variant (`ALL`, complete because
//! `as_str` matches exhaustively on the same list) and the list of choices for messages. The
//! enums defined here (`Channel`, `OnlineService`, `Level`) are the ones read by more than their
//! own slice: the report's pure core counts by them, so they live below every slice.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

macro_rules! text_enum {
    ($t:ty { $($variant:ident => $text:literal),+ $(,)? }) => {
        impl $t {
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $text),+ }
            }
            pub fn from_db(value: &str) -> anyhow::Result<Self> {
                match value {
                    $($text => Ok(Self::$variant),)+
                    other => anyhow::bail!("unknown {} {other:?} in the database", stringify!($t)),
                }
            }
            /// Parse a spreadsheet cell.
            pub fn parse(value: &str) -> Option<Self> {
                match value.trim() {
                    $($text => Some(Self::$variant),)+
                    _ => None,
                }
            }
            pub const CHOICES: &'static str = concat!($($text, " "),+);
            /// Every variant, in the order of the declaration.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];
        }
    };
}

pub(crate) use text_enum;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Online,
    /// At the desk.
    Direct,
    /// By public postal service.
    Postal,
}

/// Online public-service level (Decree 42/2022 art. 11).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OnlineService {
    /// Toàn trình: everything online.
    Full,
    /// Một phần: part of it online.
    Partial,
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Rất hài lòng.
    VerySatisfied,
    /// Hài lòng.
    Satisfied,
    /// Không hài lòng.
    Unsatisfied,
}

text_enum!(Channel { Online => "online", Direct => "direct", Postal => "postal" });
text_enum!(OnlineService { Full => "full", Partial => "partial", None => "none" });
text_enum!(Level { VerySatisfied => "very_satisfied", Satisfied => "satisfied", Unsatisfied => "unsatisfied" });
