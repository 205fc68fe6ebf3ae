//! Accent- and case-insensitive search terms. Pure.

/// Vietnamese text without accents, in lower case: "Đăng ký HỘ TỊCH" → "dang ky ho tich".
pub fn fold(text: &str) -> String {
    deunicode::deunicode(text).to_lowercase()
}

/// The words of a folded text: letters and digits, with dots kept inside a word so that a
/// national code such as `1.001193` stays one term.
pub fn terms(text: &str) -> Vec<String> {
    let folded = fold(text);
    let mut words: Vec<String> = folded
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '.'))
        .map(|w| w.trim_matches('.'))
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect();
    words.sort();
    words.dedup();
    words
}

/// At most this many words of a query are used.
pub const MAX_QUERY_WORDS: usize = 8;

pub fn query_words(query: &str) -> Vec<String> {
    let mut words = terms(query);
    words.truncate(MAX_QUERY_WORDS);
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_removes_accents_and_case() {
        assert_eq!(fold("Hộ tịch"), "ho tich");
        assert_eq!(fold("HỘ TỊCH"), "ho tich");
        assert_eq!(fold("Đăng ký khai sinh"), "dang ky khai sinh");
        assert_eq!(fold("đường"), "duong");
    }

    #[test]
    fn terms_keep_codes_whole() {
        assert_eq!(
            terms("Thủ tục đăng ký khai sinh 1.001193"),
            ["1.001193", "dang", "khai", "ky", "sinh", "thu", "tuc"]
        );
        assert_eq!(terms("Chứng thực (bản sao), chữ ký."), ["ban", "chu", "chung", "ky", "sao", "thuc"]);
        assert!(terms("  ,, ").is_empty());
    }
}
