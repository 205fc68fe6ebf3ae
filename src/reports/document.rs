//! The report document itself (báo cáo), in Vietnamese and in the seed's structure: the
//! heading of an administrative document, section I for the desk's own account, section II
//! written from the figures with the targets compared in sentences, section III for the tasks
//! ahead, and footnotes naming who answers for missing digitization. Built as plain blocks so
//! that the HTML and DOCX renderers only lay them out.

use chrono::{Datelike, NaiveDate};

use super::model::{DigitizationPart, MissingDigitization, Summary, TargetRow};
use super::percent::Percent;
use super::targets::{Comparator, Indicator};
use crate::labels::Labelled;
use crate::vietnamese::{admin_date, decimal, thousands};

#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    Text(String),
    Bold(String),
    /// A footnote mark (superscript number).
    Note(usize),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// The two-column heading: issuing body on the left, national motto and place/date right.
    Masthead {
        left: Vec<String>,
        right: Vec<String>,
        number: String,
        place_date: String,
    },
    Title(String),
    Subtitle(String),
    Heading(String),
    Paragraph(Vec<Inline>),
    /// Where the desk writes its own text; shown in italics.
    Placeholder(String),
    Signature {
        lines: Vec<String>,
    },
    Recipients(Vec<String>),
    Footnote {
        number: usize,
        text: String,
    },
}

/// What the desk adds by hand.
#[derive(Debug, Clone, Default)]
pub struct DeskText {
    pub document_number: Option<String>,
    pub direction: Option<String>,
    pub tasks_ahead: Option<String>,
}

fn text(s: impl Into<String>) -> Inline {
    Inline::Text(s.into())
}

fn pct(p: Option<Percent>) -> String {
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

/// "UBND xã Tỉnh Châu" → "Tỉnh Châu": the place a document is dated at.
fn place(agency_name: &str) -> &str {
    const PREFIXES: [&str; 8] = [
        "UBND xã ",
        "UBND phường ",
        "UBND thị trấn ",
        "UBND đặc khu ",
        "UBND tỉnh ",
        "UBND thành phố ",
        "UBND huyện ",
        "UBND ",
    ];
    PREFIXES.iter().find_map(|p| agency_name.strip_prefix(p)).unwrap_or(agency_name)
}

/// Who set a target, as the sentence names them.
fn setter(row: &TargetRow, set_by: Option<&str>) -> String {
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

fn footnote_text(items: &[&MissingDigitization], part: fn(&MissingDigitization) -> i64) -> String {
    let people: Vec<String> = items
        .iter()
        .filter(|m| part(m) > 0)
        .map(|m| format!("{} ({} hồ sơ)", m.responsible.name, thousands(part(m))))
        .collect();
    format!("Người phụ trách: {}.", people.join("; "))
}

/// The whole document. `today` dates it (the day is left for the signature, as the seed does);
/// `target_setters` names the agencies that set targets, by id.
pub fn build(
    summary: &Summary,
    desk: &DeskText,
    today: NaiveDate,
    target_setters: &dyn Fn(&TargetRow) -> Option<String>,
) -> Vec<Block> {
    let s = summary;
    let agency = &s.agency.name;
    let label = period_label(s.period.from, s.period.to);
    let mut blocks = vec![
        Block::Masthead {
            left: vec![agency.to_uppercase(), "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ".into()],
            right: vec!["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM".into(), "Độc lập - Tự do - Hạnh phúc".into()],
            number: format!("Số: {}", desk.document_number.as_deref().unwrap_or("      /BC-BPMC")),
            place_date: format!("{}, ngày      tháng {} năm {}", place(agency), today.month(), today.year()),
        },
        Block::Title("BÁO CÁO".into()),
        Block::Subtitle(format!("Tình hình tiếp nhận, trả kết quả giải quyết TTHC {label}")),
        Block::Paragraph(vec![text(format!(
            "Bộ phận tiếp nhận và trả kết quả báo cáo kết quả tình hình tiếp nhận hồ sơ, trả kết quả giải quyết TTHC {label} như sau:"
        ))]),
        Block::Heading("I. Công tác chỉ đạo, quá trình tổ chức thực hiện".into()),
    ];
    desk_text(
        &mut blocks,
        desk.direction.as_deref(),
        "(Phần do Bộ phận một cửa tự viết: các văn bản chỉ đạo, việc tổ chức thực hiện trong kỳ.)",
    );
    blocks.push(Block::Heading(format!(
        "II. Kết quả tiếp nhận, giải quyết TTHC (từ ngày {} đến ngày {})",
        admin_date(s.period.from),
        admin_date(s.period.to)
    )));
    let rec = &s.reception;
    let para = |parts: Vec<Inline>| Block::Paragraph(parts);
    blocks.push(Block::Heading("1. Về việc tiếp nhận hồ sơ:".into()));
    blocks.push(para(vec![text(format!("Đã tiếp nhận {} hồ sơ. Trong đó có:", thousands(rec.total)))]));
    blocks.push(para(vec![text(format!(
        "- Tiếp nhận trực tuyến: {} hồ sơ, chiếm tỷ lệ {}.",
        thousands(rec.new_online),
        pct(rec.online_rate)
    ))]));
    let direct = if rec.new_postal > 0 {
        "Tiếp nhận trực tiếp và qua dịch vụ bưu chính"
    } else {
        "Tiếp nhận trực tiếp"
    };
    blocks.push(para(vec![text(format!(
        "- {direct}: {} hồ sơ, chiếm tỷ lệ {}.",
        thousands(rec.new_direct + rec.new_postal),
        pct(rec.direct_rate)
    ))]));
    blocks
        .push(para(vec![text(format!("- Từ kỳ trước chuyển sang: {} hồ sơ.", thousands(rec.carried_over)))]));

    let res = &s.resolution;
    let late_target = s.targets.iter().find(|t| t.indicator == Indicator::LateRate);
    blocks.push(Block::Heading("2. Kết quả giải quyết:".into()));
    blocks.push(para(vec![text(format!("- Đã giải quyết: {} hồ sơ. Trong đó:", thousands(res.resolved)))]));
    blocks.push(para(vec![text(format!(
        "+ Giải quyết đúng hạn/trước hạn: {} hồ sơ (trước hạn: {} hồ sơ).",
        thousands(res.on_time),
        thousands(res.early)
    ))]));
    let mut late =
        format!("+ Giải quyết quá hạn: {} hồ sơ, chiếm tỷ lệ {}", thousands(res.late), pct(res.late_rate));
    if let Some(t) = late_target
        && let Some(actual) = t.actual
        && actual > t.target
    {
        late.push_str(&format!(
            " (vượt {}% so với tỷ lệ {} là {}%)",
            decimal(actual.0 - t.target.0),
            setter(t, target_setters(t).as_deref()),
            decimal(t.target.0)
        ));
    }
    late.push('.');
    blocks.push(para(vec![text(late)]));
    if res.late > 0 || res.in_progress_overdue > 0 {
        blocks.push(para(vec![text(format!(
            "+ Hồ sơ quá hạn có văn bản xin lỗi và hẹn lại ngày trả kết quả: {} hồ sơ; chưa có: {} hồ sơ.",
            thousands(res.late_with_apology),
            thousands(res.late_without_apology)
        ))]));
    }
    if res.withdrawn > 0 {
        blocks.push(para(vec![text(format!("- Rút hồ sơ: {} hồ sơ.", thousands(res.withdrawn)))]));
    }
    blocks.push(para(vec![text(format!(
        "- Đang giải quyết: {} hồ sơ (trong hạn: {} hồ sơ; quá hạn: {} hồ sơ).",
        thousands(res.in_progress),
        thousands(res.in_progress_within_deadline),
        thousands(res.in_progress_overdue)
    ))]));

    blocks.push(Block::Heading(
        "3. Kết quả thực hiện dịch vụ công trực tuyến, thanh toán trực tuyến, số hóa kết quả giải quyết TTHC:".into(),
    ));
    let o = &s.online_service;
    blocks.push(para(vec![text(format!(
        "- Tỷ lệ nộp hồ sơ trực tuyến đạt {}. Cụ thể: có {}/{} hồ sơ DVC trực tuyến một phần được nộp trực tuyến; có {}/{} hồ sơ DVC trực tuyến toàn trình được nộp trực tuyến.",
        pct(o.online_submission_rate),
        thousands(o.partial.submitted_online),
        thousands(o.partial.dossiers),
        thousands(o.full.submitted_online),
        thousands(o.full.dossiers)
    ))]));
    blocks.push(para(vec![text(format!(
        "- Tiếp nhận hồ sơ trực tuyến đúng hạn (không muộn hơn 08 giờ làm việc): {}/{} hồ sơ, đạt {}.",
        thousands(o.acceptance.answered_in_time),
        thousands(o.acceptance.online_submitted),
        pct(o.acceptance.rate)
    ))]));
    let pay = &s.payment;
    blocks.push(para(vec![text(if pay.payable == 0 {
        "- Thanh toán trực tuyến: trong kỳ không có hồ sơ phải nộp phí, lệ phí.".to_owned()
    } else {
        format!(
            "- Tỷ lệ thanh toán trực tuyến đạt {}: {}/{} hồ sơ có phí, lệ phí được thanh toán trực tuyến; {}/{} TTHC có phí, lệ phí có giao dịch thanh toán trực tuyến ({}).",
            pct(pay.dossier_rate),
            thousands(pay.paid_online),
            thousands(pay.payable),
            thousands(pay.procedures_paid_online),
            thousands(pay.procedures_with_fees),
            pct(pay.procedure_rate)
        )
    })]));
    blocks.push(para(vec![text("- Tỷ lệ số hóa cụ thể:")]));
    let d = &s.digitization;
    let mut notes = Vec::new();
    blocks.push(digitization_line(
        "có số hóa đầy đủ thành phần hồ sơ khi tiếp nhận",
        &d.reception,
        &d.missing_by_responsible,
        |m| m.reception,
        &mut notes,
    ));
    blocks.push(digitization_line(
        "có số hóa kết quả giải quyết",
        &d.result,
        &d.missing_by_responsible,
        |m| m.result,
        &mut notes,
    ));

    blocks.push(Block::Heading("4. Mức độ đánh giá sự hài lòng:".into()));
    let sat = &s.satisfaction;
    blocks.push(para(vec![text(if sat.responses == 0 {
        "- Trong kỳ không có lượt khảo sát đánh giá.".to_owned()
    } else {
        let part = |n: i64, rate: Option<Percent>, level: &str| {
            if n == 0 {
                format!("không có lượt đánh giá {level}")
            } else {
                format!(
                    "có {}/{} lượt đánh giá mức độ “{level}”, chiếm tỷ lệ {}",
                    thousands(n),
                    thousands(sat.responses),
                    pct(rate)
                )
            }
        };
        format!(
            "- Có {} lượt khảo sát đánh giá, trong đó {}; {}; {}.",
            thousands(sat.responses),
            part(sat.very_satisfied, sat.very_satisfied_rate, "rất hài lòng"),
            part(sat.satisfied, sat.satisfied_rate, "hài lòng"),
            part(sat.unsatisfied, sat.unsatisfied_rate, "không hài lòng")
        )
    })]));
    blocks.push(para(vec![text(feedback_sentence(s))]));

    blocks.push(Block::Heading("5. Đánh giá so với chỉ tiêu được giao:".into()));
    for row in &s.targets {
        blocks.push(para(vec![text(format!("- {}", target_sentence(row, target_setters(row).as_deref())))]));
    }

    blocks.push(Block::Heading("III. Nhiệm vụ thực hiện trong thời gian đến".into()));
    desk_text(
        &mut blocks,
        desk.tasks_ahead.as_deref(),
        "(Phần do Bộ phận một cửa tự viết: nhiệm vụ, giải pháp trong kỳ tới.)",
    );
    blocks.push(para(vec![text(format!(
        "Trên đây là báo cáo tình hình tiếp nhận hồ sơ, trả kết quả giải quyết TTHC {label}, kính báo lãnh đạo {agency} theo quy định./."
    ))]));
    blocks.push(Block::Recipients(vec![
        "Nơi nhận:".into(),
        "- Như trên;".into(),
        "- Thành viên BPMC;".into(),
        "- Lưu: HS.".into(),
    ]));
    blocks.push(Block::Signature { lines: vec!["TRƯỞNG BỘ PHẬN".into()] });
    for (i, note) in notes.into_iter().enumerate() {
        blocks.push(Block::Footnote { number: i + 1, text: note });
    }
    blocks
}

/// "+ Có 1.150/1.218 hồ sơ … (đạt 94,42%), có 68 hồ sơ chưa thực hiện số hóa¹." with the
/// footnote naming who answers for the missing ones.
fn digitization_line(
    what: &str,
    part: &DigitizationPart,
    missing_by: &[MissingDigitization],
    count: fn(&MissingDigitization) -> i64,
    notes: &mut Vec<String>,
) -> Block {
    let mut line = vec![text(format!(
        "+ Có {}/{} hồ sơ {what} (đạt {})",
        thousands(part.digitized),
        thousands(part.eligible),
        pct(part.rate)
    ))];
    let missing = part.eligible - part.digitized;
    if missing > 0 {
        line.push(text(format!(", có {} hồ sơ chưa thực hiện số hóa", thousands(missing))));
        let responsible: Vec<&MissingDigitization> = missing_by.iter().filter(|m| count(m) > 0).collect();
        notes.push(footnote_text(&responsible, count));
        line.push(Inline::Note(notes.len()));
    }
    line.push(text("."));
    Block::Paragraph(line)
}

fn desk_text(blocks: &mut Vec<Block>, given: Option<&str>, placeholder: &str) {
    match given.map(str::trim).filter(|t| !t.is_empty()) {
        Some(given) => {
            for line in given.lines().map(str::trim).filter(|l| !l.is_empty()) {
                blocks.push(Block::Paragraph(vec![text(line)]));
            }
        }
        None => blocks.push(Block::Placeholder(placeholder.into())),
    }
}

fn feedback_sentence(s: &Summary) -> String {
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
