//! What the citizen is told, in Vietnamese or English: pure text from the facts of the change.
//!
//! Each message has an email form (a subject and a few plain lines) and an SMS form (one short
//! line, the dossier's code first, since that is what the citizen quotes at the desk). Dates are
//! Vietnam's local time, written `14:00 ngày 05/06/2024` in Vietnamese. Whether an SMS loses
//! its diacritics is the gateway's business (a setting), decided when it is sent.

use chrono::{DateTime, Datelike, Timelike, Utc};

use crate::clock::vietnam;

/// The language of a message: the account's, Vietnamese for applicants without one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    Vi,
    En,
}

impl Language {
    pub fn from_db(value: &str) -> Self {
        if value == "en" { Language::En } else { Language::Vi }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Language::Vi => "vi",
            Language::En => "en",
        }
    }
}

/// One message in its two forms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub kind: &'static str,
    pub subject: String,
    pub email: String,
    pub sms: String,
}

/// The dossier as its messages name it.
#[derive(Debug, Clone)]
pub struct DossierFacts {
    pub code: String,
    pub procedure: String,
    pub agency: String,
    pub appointment_at: Option<DateTime<Utc>>,
}

/// What happened to the dossier, with what the citizen needs to know about it.
#[derive(Debug, Clone)]
pub enum DossierNews {
    /// Accepted: the clock runs; the appointment is when to come for the result.
    Received,
    /// Something is missing: what, in the officer's words.
    SupplementRequested { missing: String },
    /// Refused, with the reasons.
    Refused { reasons: String },
    /// Late: the apology's reason and the new appointment.
    Apology { reason: String },
    /// The result is ready to collect.
    ResultReady,
    /// The result was handed over.
    Returned,
}

/// `14:00 ngày 05/06/2024` / `05 Jun 2024, 14:00`, in Vietnam's time.
pub fn when(at: DateTime<Utc>, language: Language) -> String {
    let local = at.with_timezone(&vietnam());
    let (h, m, d, mo, y) = (local.hour(), local.minute(), local.day(), local.month(), local.year());
    match language {
        Language::Vi => format!("{h:02}:{m:02} ngày {d:02}/{mo:02}/{y}"),
        Language::En => format!("{}, {h:02}:{m:02}", local.format("%d %b %Y")),
    }
}

fn appointment(facts: &DossierFacts, language: Language) -> String {
    facts.appointment_at.map(|at| when(at, language)).unwrap_or_else(|| match language {
        Language::Vi => "(chưa có)".into(),
        Language::En => "(not set)".into(),
    })
}

/// SMS texts stay short: a long reason is cut at a word with an ellipsis.
fn short(text: &str, max_chars: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max_chars {
        return text;
    }
    let cut: String = text.chars().take(max_chars).collect();
    let at_word = cut.rfind(' ').map_or(cut.as_str(), |i| &cut[..i]);
    format!("{at_word}…")
}

/// The message about a dossier's change.
pub fn dossier(news: &DossierNews, facts: &DossierFacts, language: Language) -> Message {
    let DossierFacts { code, procedure, agency, .. } = facts;
    let date = appointment(facts, language);
    use Language::{En, Vi};
    let (kind, subject, lines, sms) = match (news, language) {
        (DossierNews::Received, Vi) => (
            "dossier_received",
            format!("Hồ sơ {code} đã được tiếp nhận"),
            format!("{agency} đã tiếp nhận hồ sơ {code} ({procedure}).\nNgày hẹn trả kết quả: {date}."),
            format!("Ho so {code} da duoc tiep nhan. Hen tra ket qua: {date}."),
        ),
        (DossierNews::Received, En) => (
            "dossier_received",
            format!("Dossier {code} received"),
            format!("{agency} received dossier {code} ({procedure}).\nResult due: {date}."),
            format!("Dossier {code} received. Result due: {date}."),
        ),
        (DossierNews::SupplementRequested { missing }, Vi) => (
            "supplement_requested",
            format!("Hồ sơ {code} cần bổ sung"),
            format!(
                "Hồ sơ {code} ({procedure}) cần bổ sung: {missing}\nXin bổ sung trực tuyến hoặc tại {agency}; thời hạn giải quyết được tính lại từ khi nhận đủ hồ sơ."
            ),
            format!("Ho so {code} can bo sung: {}", short(missing, 100)),
        ),
        (DossierNews::SupplementRequested { missing }, En) => (
            "supplement_requested",
            format!("Dossier {code} needs more documents"),
            format!(
                "Dossier {code} ({procedure}) needs: {missing}\nPlease supplement it online or at {agency}; the processing time restarts once the dossier is complete."
            ),
            format!("Dossier {code} needs: {}", short(missing, 100)),
        ),
        (DossierNews::Refused { reasons }, Vi) => (
            "dossier_refused",
            format!("Hồ sơ {code} không được tiếp nhận"),
            format!("{agency} từ chối hồ sơ {code} ({procedure}).\nLý do: {reasons}"),
            format!("Ho so {code} bi tu choi: {}", short(reasons, 100)),
        ),
        (DossierNews::Refused { reasons }, En) => (
            "dossier_refused",
            format!("Dossier {code} refused"),
            format!("{agency} refused dossier {code} ({procedure}).\nReasons: {reasons}"),
            format!("Dossier {code} refused: {}", short(reasons, 100)),
        ),
        (DossierNews::Apology { reason }, Vi) => (
            "apology",
            format!("Xin lỗi: hồ sơ {code} trễ hẹn"),
            format!(
                "{agency} xin lỗi vì hồ sơ {code} ({procedure}) chưa có kết quả đúng hẹn.\nLý do: {reason}\nNgày hẹn mới: {date}."
            ),
            format!("Xin loi: ho so {code} tre hen. Hen moi: {date}."),
        ),
        (DossierNews::Apology { reason }, En) => (
            "apology",
            format!("Apology: dossier {code} is late"),
            format!(
                "{agency} apologises: dossier {code} ({procedure}) is not ready on time.\nReason: {reason}\nNew appointment: {date}."
            ),
            format!("Sorry: dossier {code} is late. New appointment: {date}."),
        ),
        (DossierNews::ResultReady, Vi) => (
            "result_ready",
            format!("Hồ sơ {code} đã có kết quả"),
            format!("Hồ sơ {code} ({procedure}) đã có kết quả. Mời nhận tại {agency}."),
            format!("Ho so {code} da co ket qua. Moi nhan tai bo phan mot cua."),
        ),
        (DossierNews::ResultReady, En) => (
            "result_ready",
            format!("Dossier {code}: the result is ready"),
            format!("The result of dossier {code} ({procedure}) is ready to collect at {agency}."),
            format!("Dossier {code}: the result is ready to collect."),
        ),
        (DossierNews::Returned, Vi) => (
            "result_returned",
            format!("Hồ sơ {code} đã trả kết quả"),
            format!(
                "Kết quả hồ sơ {code} ({procedure}) đã được trả. Mời đánh giá mức độ hài lòng trên cổng dịch vụ công."
            ),
            format!("Ho so {code} da tra ket qua. Cam on ong/ba."),
        ),
        (DossierNews::Returned, En) => (
            "result_returned",
            format!("Dossier {code}: result handed over"),
            format!(
                "The result of dossier {code} ({procedure}) was handed over. You may rate the service on the public-service portal."
            ),
            format!("Dossier {code}: result handed over. Thank you."),
        ),
    };
    // The SMS's Vietnamese is written without diacritics already: most brand-name gateways
    // charge a Unicode SMS as 70 characters a part instead of 160.
    Message { kind, subject, email: lines, sms }
}

/// A complaint or request (PAKN) has an answer.
pub fn feedback_answered(subject_line: &str, answer: &str, language: Language) -> Message {
    match language {
        Language::Vi => Message {
            kind: "feedback_answered",
            subject: "Phản ánh, kiến nghị của ông/bà đã được trả lời".into(),
            email: format!("Phản ánh, kiến nghị \"{subject_line}\" đã được trả lời:\n{answer}"),
            sms: format!("PAKN \"{}\" da duoc tra loi.", short(subject_line, 60)),
        },
        Language::En => Message {
            kind: "feedback_answered",
            subject: "Your feedback has an answer".into(),
            email: format!("Your feedback \"{subject_line}\" was answered:\n{answer}"),
            sms: format!("Your feedback \"{}\" was answered.", short(subject_line, 60)),
        },
    }
}

/// Why a one-time code was sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodePurpose {
    Register,
    Reset,
}

/// A one-time code, valid for `minutes`.
pub fn code(purpose: CodePurpose, code: &str, minutes: i64, language: Language) -> Message {
    let (what_vi, what_en) = match purpose {
        CodePurpose::Register => ("đăng ký tài khoản", "to activate your account"),
        CodePurpose::Reset => ("đặt lại mật khẩu", "to reset your password"),
    };
    match language {
        Language::Vi => Message {
            kind: "verification_code",
            subject: format!("Mã xác thực {code}"),
            email: format!(
                "Mã xác thực để {what_vi}: {code}\nMã có hiệu lực {minutes} phút. Không chia sẻ mã này với bất kỳ ai."
            ),
            sms: format!("Ma xac thuc motcua: {code}. Hieu luc {minutes} phut. Khong chia se ma nay."),
        },
        Language::En => Message {
            kind: "verification_code",
            subject: format!("Verification code {code}"),
            email: format!(
                "Your code {what_en}: {code}\nIt is valid for {minutes} minutes. Do not share it with anyone."
            ),
            sms: format!("motcua code: {code}. Valid {minutes} min. Do not share it."),
        },
    }
}

/// Someone asked to register a phone or an address that already has an account: its owner is
/// told (and nobody else learns that it exists).
pub fn already_registered(language: Language) -> Message {
    match language {
        Language::Vi => Message {
            kind: "account_exists",
            subject: "Yêu cầu đăng ký tài khoản".into(),
            email: "Có yêu cầu đăng ký tài khoản mới bằng địa chỉ này, nhưng địa chỉ này đã có tài khoản. Hãy đăng nhập, hoặc dùng chức năng quên mật khẩu. Nếu không phải ông/bà yêu cầu, xin bỏ qua thư này.".into(),
            sms: "So nay da co tai khoan motcua. Hay dang nhap hoac dung chuc nang quen mat khau.".into(),
        },
        Language::En => Message {
            kind: "account_exists",
            subject: "Registration request".into(),
            email: "Someone asked to register a new account with this address, which already has one. Sign in, or use password reset. If it was not you, ignore this message.".into(),
            sms: "This number already has a motcua account. Sign in or reset your password.".into(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn facts() -> DossierFacts {
        DossierFacts {
            code: "TC-240605-0007".into(),
            procedure: "Đăng ký khai sinh".into(),
            agency: "UBND xã Tỉnh Châu".into(),
            // 07:00 UTC is 14:00 in Vietnam.
            appointment_at: Some(Utc.with_ymd_and_hms(2024, 6, 5, 7, 0, 0).unwrap()),
        }
    }

    #[test]
    fn dates_are_vietnam_time_in_the_vietnamese_way() {
        let at = Utc.with_ymd_and_hms(2024, 6, 4, 20, 30, 0).unwrap();
        assert_eq!(when(at, Language::Vi), "03:30 ngày 05/06/2024");
        assert_eq!(when(at, Language::En), "05 Jun 2024, 03:30");
    }

    #[test]
    fn the_received_message_names_the_code_the_procedure_and_the_appointment() {
        let m = dossier(&DossierNews::Received, &facts(), Language::Vi);
        assert_eq!(m.kind, "dossier_received");
        assert!(m.subject.contains("TC-240605-0007"));
        assert!(m.email.contains("Đăng ký khai sinh") && m.email.contains("14:00 ngày 05/06/2024"));
        assert!(m.sms.starts_with("Ho so TC-240605-0007") && m.sms.contains("14:00"), "{}", m.sms);
        let en = dossier(&DossierNews::Received, &facts(), Language::En);
        assert!(en.email.contains("05 Jun 2024, 14:00"), "{}", en.email);
    }

    #[test]
    fn sms_texts_stay_short_whatever_the_reason() {
        let missing = "Bản sao giấy chứng nhận kết hôn có chứng thực ".repeat(20);
        let m =
            dossier(&DossierNews::SupplementRequested { missing: missing.clone() }, &facts(), Language::Vi);
        assert!(m.sms.chars().count() <= 160, "{} chars", m.sms.chars().count());
        assert!(m.sms.ends_with('…'));
        assert!(m.email.contains(missing.trim()), "the email carries the whole list");
    }

    #[test]
    fn a_code_message_carries_the_code_and_its_lifetime() {
        let m = code(CodePurpose::Register, "042917", 10, Language::Vi);
        assert!(m.email.contains("042917") && m.email.contains("10 phút"));
        assert!(m.sms.contains("042917") && m.sms.is_ascii());
    }
}
