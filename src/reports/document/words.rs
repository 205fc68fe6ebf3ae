//! The report's sentences that stand alone: the period named as reports name it, the place a
//! document is dated at, a target compared in words, and the feedback and footnote sentences.

use chrono::{Datelike, NaiveDate};

use crate::labels::Labelled;
use crate::reports::model::{MissingDigitization, Summary, TargetRow};
use crate::reports::percent::Percent;
use crate::reports::targets::{Comparator, Indicator};
use crate::vietnamese::{admin_date, decimal, thousands};

/// A rate as the text writes it, or "không xác định" when there was nothing to divide by.
pub fn pct(p: Option<Percent>) -> String {
    p.map_or_else(|| "không xác định".to_owned(), |p| format!("{}%", decimal(p.0)))
}

/// "6 tháng đầu năm 2024", "quý I năm 2024", "năm 2024", or the dates.
pub fn period_label(from: NaiveDate, to: NaiveDate) -> String {
    let whole_months_from_january = from.month() == 1 && from.day() == 1 && from.year() == to.year();
    if whole_months_from_january {
        match to.month() {
            3 => return format!("quý I năm {}", to.year()),
            6 => return format!("6 tháng đầu năm {}", to.year()),
            9 => return format!("9 tháng đầu năm {}", to.year()),
            12 => return format!("năm {}", to.year()),
            _ => {}
        }
    }
    let quarter_start = from.day() == 1 && matches!(from.month(), 4 | 7 | 10);
    if quarter_start && from.year() == to.year() && to.month() == from.month() + 2 {
        let roman = ["I", "II", "III", "IV"][(from.month() as usize - 1) / 3];
        return format!("quý {roman} năm {}", to.year());
    }
    format!("từ ngày {} đến ngày {}", admin_date(from), admin_date(to))
}

pub use crate::forms::sheet::place;

/// Who set a target, as the sentence names them.
pub fn setter(row: &TargetRow, set_by: Option<&str>) -> String {
    match (row.indicator, set_by) {
        (_, Some(name)) => format!("{name} giao"),
        (Indicator::LateRate, None) => "Chủ tịch UBND tỉnh giao".to_owned(),
        (_, None) => "giao".to_owned(),
    }
}

fn indicator_name(indicator: Indicator) -> String {
    indicator.label().vi.into_owned()
}

/// "vượt 0,36% so với tỷ lệ Chủ tịch UBND tỉnh giao là 3%": one target compared in words.
pub fn target_sentence(row: &TargetRow, set_by: Option<&str>) -> String {
    let name = indicator_name(row.indicator);
    let target = decimal(row.target.0);
    let who = setter(row, set_by);
    let Some(actual) = row.actual else {
        return format!("{name}: chưa phát sinh trong kỳ (chỉ tiêu {who} là {target}%).");
    };
    let diff = decimal((actual.0 - row.target.0).abs());
    let a = decimal(actual.0);
    match (row.comparator, actual.cmp(&row.target)) {
        (Comparator::AtMost, std::cmp::Ordering::Greater) => {
            format!("{name} {a}%, vượt {diff}% so với tỷ lệ {who} là {target}% (không đạt).")
        }
        (Comparator::AtMost, _) => format!("{name} {a}%, trong giới hạn {target}% {who} (đạt)."),
        (Comparator::AtLeast, std::cmp::Ordering::Less) => {
            format!("{name} đạt {a}%, thấp hơn {diff}% so với chỉ tiêu {who} là {target}% (không đạt).")
        }
        (Comparator::AtLeast, _) => format!("{name} đạt {a}%, đạt chỉ tiêu {who} là {target}% (đạt)."),
    }
}

pub fn footnote_text(items: &[&MissingDigitization], part: fn(&MissingDigitization) -> i64) -> String {
    let people: Vec<String> = items
        .iter()
        .filter(|m| part(m) > 0)
        .map(|m| format!("{} ({} hồ sơ)", m.responsible.name, thousands(part(m))))
        .collect();
    format!("Người phụ trách: {}.", people.join("; "))
}

pub fn feedback_sentence(s: &Summary) -> String {
    let f = &s.feedback;
    if f.received == 0 {
        return "- Trong kỳ, không tiếp nhận phản ánh, kiến nghị liên quan đến giải quyết TTHC.".into();
    }
    let c = &f.by_channel;
    let channels: Vec<String> =
        [
            (c.national_portal, "hệ thống PAKN Cổng dịch vụ công quốc gia"),
            (c.provincial_portal, "Cổng dịch vụ công của tỉnh"),
            (c.direct, "trực tiếp"),
            (c.hotline, "đường dây nóng"),
            (c.email, "thư điện tử"),
            (c.other, "kênh khác"),
        ]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, name)| {
            if f.received == n { format!("gửi qua {name}") } else { format!("{} qua {name}", thousands(n)) }
        })
        .collect();
    let status = if f.in_progress == 0 && f.resolved == f.received {
        "Đã xử lý".to_owned()
    } else {
        format!(
            "đã xử lý {}, đang xử lý {}, không thụ lý {}",
            thousands(f.resolved),
            thousands(f.in_progress),
            thousands(f.rejected)
        )
    };
    let published = match f.published {
        0 => "Chưa công khai kết quả giải quyết.".to_owned(),
        n if n == f.resolved => "Có công khai kết quả giải quyết theo quy định.".to_owned(),
        n => format!("Đã công khai kết quả giải quyết {} phản ánh, kiến nghị.", thousands(n)),
    };
    format!(
        "- Trong kỳ, tiếp nhận {} đơn phản ánh kiến nghị liên quan đến giải quyết TTHC ({}). Tình trạng giải quyết: {}. {}",
        thousands(f.received),
        channels.join("; "),
        status,
        published
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn periods_are_named_as_reports_name_them() {
        assert_eq!(period_label(d(2024, 1, 1), d(2024, 6, 25)), "6 tháng đầu năm 2024");
        assert_eq!(period_label(d(2024, 1, 1), d(2024, 3, 31)), "quý I năm 2024");
        assert_eq!(period_label(d(2024, 7, 1), d(2024, 9, 30)), "quý III năm 2024");
        assert_eq!(period_label(d(2024, 1, 1), d(2024, 12, 15)), "năm 2024");
        assert_eq!(period_label(d(2024, 2, 3), d(2024, 5, 4)), "từ ngày 03/02/2024 đến ngày 04/5/2024");
    }

    #[test]
    fn the_seed_late_sentence() {
        let row = TargetRow {
            indicator: Indicator::LateRate,
            comparator: Comparator::AtMost,
            target: Percent(300),
            actual: Some(Percent(336)),
            met: Some(false),
            set_by_agency_id: None,
        };
        assert_eq!(
            target_sentence(&row, None),
            "Tỷ lệ hồ sơ giải quyết quá hạn 3,36%, vượt 0,36% so với tỷ lệ Chủ tịch UBND tỉnh giao là 3% (không đạt)."
        );
        let row = TargetRow {
            indicator: Indicator::DigitizationResultRate,
            comparator: Comparator::AtLeast,
            target: Percent(7500),
            actual: Some(Percent(7875)),
            met: Some(true),
            set_by_agency_id: Some("p".into()),
        };
        assert_eq!(
            target_sentence(&row, Some("UBND tỉnh Quảng Ngãi")),
            "Tỷ lệ số hóa kết quả giải quyết đạt 78,75%, đạt chỉ tiêu UBND tỉnh Quảng Ngãi giao là 75% (đạt)."
        );
    }

    #[test]
    fn the_place_is_the_commune() {
        assert_eq!(place("UBND xã Tỉnh Châu"), "Tỉnh Châu");
        assert_eq!(place("Sở Tư pháp"), "Sở Tư pháp");
    }
}
