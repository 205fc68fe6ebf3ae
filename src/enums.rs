//! Enums stored as text: one macro gives each its database text, parsing, every variant (`ALL`,
//! complete because `as_str` matches exhaustively on the same list) and the list of choices for
//! messages.

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
