//! Writing numbers, dates and text the way Vietnamese administrative documents do.

use chrono::{Datelike, NaiveDate};

/// 1234567 → "1.234.567" (the dot groups thousands).
pub fn thousands(amount: i64) -> String {
    let digits = amount.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    if amount < 0 { format!("-{out}") } else { out }
}

/// Hundredths as a decimal with a comma and no trailing zeros: 9877 → "98,77", 10000 → "100",
/// 90 → "0,9".
pub fn decimal(hundredths: i64) -> String {
    let sign = if hundredths < 0 { "-" } else { "" };
    let h = hundredths.unsigned_abs();
    let whole = thousands((h / 100) as i64);
    match h % 100 {
        0 => format!("{sign}{whole}"),
        f if f % 10 == 0 => format!("{sign}{whole},{}", f / 10),
        f => format!("{sign}{whole},{f:02}"),
    }
}

/// A date as Decree 30/2020/NĐ-CP writes it: days below 10 and the months January and February
/// take a leading zero ("05/12/2022", "01/6/2023", "25/6/2024").
pub fn admin_date(date: NaiveDate) -> String {
    let month = if date.month() <= 2 { format!("{:02}", date.month()) } else { date.month().to_string() };
    format!("{:02}/{month}/{}", date.day(), date.year())
}

/// A cell a spreadsheet will not run: text that begins with `=`, `+`, `-`, `@`, a tab or a
/// carriage return (what Excel and LibreOffice read as a formula, a tab being trimmed first) gets a
/// leading `'`, as OWASP recommends for CSV exports; the rest reads as it is. A plain number, a
/// negative one included, stays a number.
pub fn csv_cell(text: &str) -> std::borrow::Cow<'_, str> {
    let risky = text.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && text.parse::<f64>().is_err() { format!("'{text}").into() } else { text.into() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_the_seed_writes_them() {
        assert_eq!(thousands(1222), "1.222");
        assert_eq!(thousands(1_234_567), "1.234.567");
        assert_eq!(thousands(411), "411");
        assert_eq!(thousands(-1500), "-1.500");
        assert_eq!(decimal(9877), "98,77");
        assert_eq!(decimal(10_000), "100");
        assert_eq!(decimal(90), "0,9");
        assert_eq!(decimal(336), "3,36");
        assert_eq!(decimal(-36), "-0,36");
        assert_eq!(decimal(5), "0,05");
    }

    #[test]
    fn dates_as_decree_30_writes_them() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(admin_date(d(2024, 1, 1)), "01/01/2024");
        assert_eq!(admin_date(d(2024, 6, 25)), "25/6/2024");
        assert_eq!(admin_date(d(2022, 12, 5)), "05/12/2022");
        assert_eq!(admin_date(d(2023, 2, 14)), "14/02/2023");
    }

    #[test]
    fn csv_cells_that_a_spreadsheet_would_run_are_neutralised() {
        for formula in
            ["=HYPERLINK(\"http://x\",\"y\")", "+SUM(1,2)", "-2+3", "@SUM(A1)", "=cmd|' /C calc'!A0"]
        {
            assert_eq!(csv_cell(formula), format!("'{formula}"));
        }
        // A tab or a carriage return before a formula is trimmed by the spreadsheet, not here.
        assert_eq!(csv_cell("\t=1+2"), "'\t=1+2");
        assert_eq!(csv_cell("\r=1+2"), "'\r=1+2");
        for plain in ["UBND xã Tỉnh Châu", "Nguyễn Văn An", "98.77", "-3", "+7", "", "a=b"] {
            assert_eq!(csv_cell(plain), plain);
        }
    }
}
