//! The report document itself (báo cáo), in Vietnamese and in the seed's structure: the
//! heading of an administrative document, section I for the desk's own account, section II
//! written from the figures with the targets compared in sentences (and, for an agency with
//! agencies below, their league table), section III for the tasks
//! ahead, and footnotes naming who answers for missing digitization. Built as plain blocks so
//! that the HTML and DOCX renderers only lay them out; one function per section, and the
//! sentences that stand alone in `words`.

pub mod words;

use chrono::{Datelike, NaiveDate};

use self::words::{feedback_sentence, footnote_text, pct, period_label, place, setter, target_sentence};
use super::model::{DigitizationPart, MissingDigitization, Summary, TargetRow};
use super::percent::Percent;
use super::targets::Indicator;
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
    /// A bordered table under a header row.
    Table {
        head: Vec<String>,
        rows: Vec<Vec<String>>,
    },
    /// "Nơi nhận" on the left, the signature beside it on the right.
    Closing {
        recipients: Vec<String>,
        signature: Vec<String>,
    },
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

/// The whole document. `today` dates it (the day is left for the signature, as the seed does);
/// `target_setters` names the agencies that set targets, by id.
pub fn build(
    summary: &Summary,
    desk: &DeskText,
    today: NaiveDate,
    target_setters: &dyn Fn(&TargetRow) -> Option<String>,
) -> Vec<Block> {
    let label = period_label(summary.period.from, summary.period.to);
    // Footnotes are numbered in the order the text marks them, and listed at the end.
    let mut notes = Vec::new();
    let mut blocks = opening(summary, desk, today, &label);
    blocks.extend(reception_section(summary));
    blocks.extend(resolution_section(summary, target_setters));
    blocks.extend(online_section(summary, &mut notes));
    blocks.extend(satisfaction_section(summary));
    blocks.extend(targets_section(summary, target_setters));
    blocks.extend(agencies_section(summary));
    blocks.extend(closing(summary, desk, &label));
    for (i, note) in notes.into_iter().enumerate() {
        blocks.push(Block::Footnote { number: i + 1, text: note });
    }
    blocks
}

/// A paragraph of plain text.
fn line(s: impl Into<String>) -> Block {
    Block::Paragraph(vec![text(s)])
}

/// The heading of an administrative document, the title, and section I.
fn opening(s: &Summary, desk: &DeskText, today: NaiveDate, label: &str) -> Vec<Block> {
    let agency = &s.agency.name;
    let mut blocks = vec![
        Block::Masthead {
            left: vec![agency.to_uppercase(), "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ".into()],
            right: vec!["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM".into(), "Độc lập - Tự do - Hạnh phúc".into()],
            // Blanks the desk fills by hand when the document is numbered and signed.
            number: format!("Số: {}", desk.document_number.as_deref().unwrap_or("……/BC-BPMC")),
            place_date: format!("{}, ngày …… tháng {} năm {}", place(agency), today.month(), today.year()),
        },
        Block::Title("BÁO CÁO".into()),
        Block::Subtitle(format!("Tình hình tiếp nhận, trả kết quả giải quyết TTHC {label}")),
        line(format!(
            "Bộ phận tiếp nhận và trả kết quả báo cáo kết quả tình hình tiếp nhận hồ sơ, trả kết quả giải quyết TTHC {label} như sau:"
        )),
        Block::Heading("I. Công tác chỉ đạo, quá trình tổ chức thực hiện".into()),
    ];
    desk_text(
        &mut blocks,
        desk.direction.as_deref(),
        "(Phần do Bộ phận một cửa tự viết: các văn bản chỉ đạo, việc tổ chức thực hiện trong kỳ.)",
    );
    blocks
}

/// Section II's heading and its part 1, reception.
fn reception_section(s: &Summary) -> Vec<Block> {
    let rec = &s.reception;
    let direct = if rec.new_postal > 0 {
        "Tiếp nhận trực tiếp và qua dịch vụ bưu chính"
    } else {
        "Tiếp nhận trực tiếp"
    };
    vec![
        Block::Heading(format!(
            "II. Kết quả tiếp nhận, giải quyết TTHC (từ ngày {} đến ngày {})",
            admin_date(s.period.from),
            admin_date(s.period.to)
        )),
        Block::Heading("1. Về việc tiếp nhận hồ sơ:".into()),
        line(format!("Đã tiếp nhận {} hồ sơ. Trong đó có:", thousands(rec.total))),
        line(format!(
            "- Tiếp nhận trực tuyến: {} hồ sơ, chiếm tỷ lệ {}.",
            thousands(rec.new_online),
            pct(rec.online_rate)
        )),
        line(format!(
            "- {direct}: {} hồ sơ, chiếm tỷ lệ {}.",
            thousands(rec.new_direct + rec.new_postal),
            pct(rec.direct_rate)
        )),
        line(format!("- Từ kỳ trước chuyển sang: {} hồ sơ.", thousands(rec.carried_over))),
    ]
}

/// Part 2, resolution, with the late ceiling compared when it is exceeded.
fn resolution_section(s: &Summary, target_setters: &dyn Fn(&TargetRow) -> Option<String>) -> Vec<Block> {
    let res = &s.resolution;
    let late_target = s.targets.iter().find(|t| t.indicator == Indicator::LateRate);
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
    let mut blocks = vec![
        Block::Heading("2. Kết quả giải quyết:".into()),
        line(format!("- Đã giải quyết: {} hồ sơ. Trong đó:", thousands(res.resolved))),
        line(format!(
            "+ Giải quyết đúng hạn/trước hạn: {} hồ sơ (trước hạn: {} hồ sơ).",
            thousands(res.on_time),
            thousands(res.early)
        )),
        line(late),
    ];
    if res.late > 0 || res.in_progress_overdue > 0 {
        blocks.push(line(format!(
            "+ Hồ sơ quá hạn có văn bản xin lỗi và hẹn lại ngày trả kết quả: {} hồ sơ; chưa có: {} hồ sơ.",
            thousands(res.late_with_apology),
            thousands(res.late_without_apology)
        )));
    }
    if res.withdrawn > 0 {
        blocks.push(line(format!("- Rút hồ sơ: {} hồ sơ.", thousands(res.withdrawn))));
    }
    blocks.push(line(format!(
        "- Đang giải quyết: {} hồ sơ (trong hạn: {} hồ sơ; quá hạn: {} hồ sơ).",
        thousands(res.in_progress),
        thousands(res.in_progress_within_deadline),
        thousands(res.in_progress_overdue)
    )));
    blocks
}

/// Part 3: online service, online payment and digitization (whose missing parts add footnotes
/// to `notes`).
fn online_section(s: &Summary, notes: &mut Vec<String>) -> Vec<Block> {
    let o = &s.online_service;
    let pay = &s.payment;
    let d = &s.digitization;
    vec![
        Block::Heading(
            "3. Kết quả thực hiện dịch vụ công trực tuyến, thanh toán trực tuyến, số hóa kết quả giải quyết TTHC:".into(),
        ),
        line(format!(
            "- Tỷ lệ nộp hồ sơ trực tuyến đạt {}. Cụ thể: có {}/{} hồ sơ DVC trực tuyến một phần được nộp trực tuyến; có {}/{} hồ sơ DVC trực tuyến toàn trình được nộp trực tuyến.",
            pct(o.online_submission_rate),
            thousands(o.partial.submitted_online),
            thousands(o.partial.dossiers),
            thousands(o.full.submitted_online),
            thousands(o.full.dossiers)
        )),
        line(format!(
            "- Tiếp nhận hồ sơ trực tuyến đúng hạn (không muộn hơn 08 giờ làm việc): {}/{} hồ sơ, đạt {}.",
            thousands(o.acceptance.answered_in_time),
            thousands(o.acceptance.online_submitted),
            pct(o.acceptance.rate)
        )),
        line(if pay.payable == 0 {
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
        }),
        line("- Tỷ lệ số hóa cụ thể:"),
        digitization_line(
            "có số hóa đầy đủ thành phần hồ sơ khi tiếp nhận",
            &d.reception,
            &d.missing_by_responsible,
            |m| m.reception,
            notes,
        ),
        digitization_line("có số hóa kết quả giải quyết", &d.result, &d.missing_by_responsible, |m| m.result, notes),
    ]
}

/// Part 4: satisfaction surveys and feedback.
fn satisfaction_section(s: &Summary) -> Vec<Block> {
    let sat = &s.satisfaction;
    let surveys = if sat.responses == 0 {
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
    };
    vec![Block::Heading("4. Mức độ đánh giá sự hài lòng:".into()), line(surveys), line(feedback_sentence(s))]
}

/// Part 5: every target compared in a sentence.
fn targets_section(s: &Summary, target_setters: &dyn Fn(&TargetRow) -> Option<String>) -> Vec<Block> {
    let mut blocks = vec![Block::Heading("5. Đánh giá so với chỉ tiêu được giao:".into())];
    for row in &s.targets {
        blocks.push(line(format!("- {}", target_sentence(row, target_setters(row).as_deref()))));
    }
    blocks
}

/// Part 6, for an agency with agencies below it: the league table, a line per agency in the
/// summary's order (on-time rate highest first).
fn agencies_section(s: &Summary) -> Vec<Block> {
    if s.by_agency.is_empty() {
        return Vec::new();
    }
    // A count and its rate in one cell, so that the table fits a portrait page.
    let with_rate = |n: i64, rate: Option<Percent>| match rate {
        Some(rate) => format!("{} ({}%)", thousands(n), decimal(rate.0)),
        None => thousands(n),
    };
    let head = [
        "Đơn vị",
        "Tiếp nhận",
        "Đã giải quyết",
        "Đúng hạn, trước hạn",
        "Quá hạn",
        "Đang giải quyết quá hạn",
        "Quá hạn chưa xin lỗi",
        "Số hóa khi tiếp nhận",
        "Số hóa kết quả",
        "Lượt đánh giá",
        "PAKN đã giải quyết/ tiếp nhận",
    ];
    let rows = s
        .by_agency
        .iter()
        .map(|l| {
            let (res, d) = (&l.resolution, &l.digitization);
            let name = if l.own {
                format!("{} (trực tiếp tiếp nhận)", l.agency.name)
            } else {
                l.agency.name.clone()
            };
            vec![
                name,
                thousands(l.reception.total),
                thousands(res.resolved),
                with_rate(res.on_time, res.on_time_rate),
                with_rate(res.late, res.late_rate),
                thousands(res.in_progress_overdue),
                thousands(res.late_without_apology),
                with_rate(d.reception.digitized, d.reception.rate),
                with_rate(d.result.digitized, d.result.rate),
                thousands(l.satisfaction.responses),
                format!("{}/{}", thousands(l.feedback.resolved), thousands(l.feedback.received)),
            ]
        })
        .collect();
    vec![
        Block::Heading("6. Kết quả theo từng đơn vị:".into()),
        line("Kết quả của từng đơn vị, xếp theo tỷ lệ giải quyết đúng hạn từ cao xuống thấp:"),
        Block::Table { head: head.map(str::to_owned).to_vec(), rows },
    ]
}

/// Section III, the closing sentence, the recipients and the signature.
fn closing(s: &Summary, desk: &DeskText, label: &str) -> Vec<Block> {
    let mut blocks = vec![Block::Heading("III. Nhiệm vụ thực hiện trong thời gian đến".into())];
    desk_text(
        &mut blocks,
        desk.tasks_ahead.as_deref(),
        "(Phần do Bộ phận một cửa tự viết: nhiệm vụ, giải pháp trong kỳ tới.)",
    );
    blocks.push(line(format!(
        "Trên đây là báo cáo tình hình tiếp nhận hồ sơ, trả kết quả giải quyết TTHC {label}, kính báo lãnh đạo {} theo quy định./.",
        s.agency.name
    )));
    blocks.push(Block::Closing {
        recipients: vec![
            "Nơi nhận:".into(),
            "- Như trên;".into(),
            "- Thành viên BPMC;".into(),
            "- Lưu: HS.".into(),
        ],
        signature: vec!["TRƯỞNG BỘ PHẬN".into()],
    });
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
            for given_line in given.lines().map(str::trim).filter(|l| !l.is_empty()) {
                blocks.push(line(given_line));
            }
        }
        None => blocks.push(Block::Placeholder(placeholder.into())),
    }
}
