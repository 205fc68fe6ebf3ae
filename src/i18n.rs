//! Messages in the users' language: Vietnamese by default, English when the request's
//! `Accept-Language` prefers it.
//!
//! # Design
//!
//! Every text a client reads in a problem document (title, detail, each field's message) is a
//! [`Text`] that carries both languages, written where the error is raised: the Vietnamese
//! sentence and its English twin side by side, with their arguments. There is no conversion from
//! a bare `&str` or `String`, so the compiler finds any message given in one language only.
//! Validation codes of the `validator` crate and serde's messages are mapped to bilingual texts
//! in one place each (`crate::error` and `crate::http::extract`).
//!
//! `ApiError::error_response` renders Vietnamese and sets `Content-Language: vi`. The
//! [`crate::http::language::negotiate`] middleware, wrapped around the whole app, reads
//! `Accept-Language` and re-renders in English a response that carries an `ApiError` (actix
//! attaches the error to the response of a handler, an extractor, a guard or the default
//! service), so errors raised anywhere take the same path. The `type` URN, `rule`, `field`
//! paths and the status never depend on the language.
//!
//! Chosen over a catalogue of message keys (gettext, Fluent): with two languages and some two
//! hundred messages, most of them with arguments, keys would only move each sentence away from
//! the code that explains it and add a lookup that can fail at run time. Chosen over a
//! task-local language read by `error_response`: rendering would depend on where actix happens
//! to call it, while re-rendering the finished response keeps `ApiError` a plain value with no
//! ambient state. The one gap: an `Err` that a middleware returns instead of a response is
//! rendered by actix itself, in Vietnamese; this app's middlewares answer with responses (the
//! NUL guard uses `ServiceRequest::error_response`).
//!
//! `Accept-Language` is parsed by actix-web's typed header (RFC 9110 §12.5.4, with q-values),
//! so no parser crate is added; the supported language ranked highest wins, and `*` or no
//! supported language means Vietnamese.

use std::borrow::Cow;

use actix_web::HttpMessage;
use actix_web::http::header::{AcceptLanguage, Preference, Quality};
use serde::Serialize;
use utoipa::ToSchema;

/// A language the API answers in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    /// The language tag, as in `Content-Language`.
    pub const fn tag(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    fn of_primary(subtag: &str) -> Option<Lang> {
        if subtag.eq_ignore_ascii_case("vi") {
            Some(Lang::Vi)
        } else if subtag.eq_ignore_ascii_case("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// The supported language the header ranks highest: by q-value, then by order; `q=0` means
    /// "not this one"; `*` and anything unsupported fall back to Vietnamese.
    pub fn negotiate(header: &AcceptLanguage) -> Lang {
        let mut ranked: Vec<_> = header.0.iter().filter(|item| item.quality > Quality::ZERO).collect();
        // Stable: equal q-values keep the client's order.
        ranked.sort_by_key(|item| std::cmp::Reverse(item.quality));
        for item in ranked {
            match &item.item {
                Preference::Any => return Lang::Vi,
                Preference::Specific(tag) => {
                    if let Some(lang) = Lang::of_primary(tag.primary_language()) {
                        return lang;
                    }
                }
            }
        }
        Lang::Vi
    }

    /// The language for a request, from its `Accept-Language` header.
    pub fn of_request(req: &impl HttpMessage) -> Lang {
        req.get_header::<AcceptLanguage>().map(|header| Lang::negotiate(&header)).unwrap_or_default()
    }
}

/// A text in Vietnamese and English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[schema(example = json!({"vi": "Đang giải quyết", "en": "Processing"}))]
pub struct Text {
    /// Vietnamese, the default.
    #[schema(value_type = String)]
    pub vi: Cow<'static, str>,
    /// English.
    #[schema(value_type = String)]
    pub en: Cow<'static, str>,
}

impl Text {
    /// A fixed text, usable in constants.
    pub const fn fixed(vi: &'static str, en: &'static str) -> Self {
        Self { vi: Cow::Borrowed(vi), en: Cow::Borrowed(en) }
    }

    /// A text built at run time, e.g. with `format!`.
    pub fn new(vi: impl Into<Cow<'static, str>>, en: impl Into<Cow<'static, str>>) -> Self {
        Self { vi: vi.into(), en: en.into() }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Vi => &self.vi,
            Lang::En => &self.en,
        }
    }

    /// Both languages through the same change, e.g. to embed the text in a longer one.
    pub fn map(&self, f: impl Fn(&str) -> String) -> Self {
        Self::new(f(&self.vi), f(&self.en))
    }
}

/// The text with its first letter in lower case, to follow a colon inside a sentence; an
/// acronym ("JSON") stays as it is.
pub fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match (chars.next(), text.chars().nth(1)) {
        (Some(_), Some(second)) if second.is_uppercase() => text.to_owned(),
        (Some(first), _) => first.to_lowercase().chain(chars).collect(),
        (None, _) => String::new(),
    }
}

/// The things a 404 or a 422 names, in both languages.
pub mod nouns {
    use super::Text;

    pub const AGENCY: Text = Text::fixed("cơ quan, đơn vị", "agency");
    pub const CALENDAR_DAY: Text = Text::fixed("ngày trong lịch làm việc", "calendar day");
    pub const DELIVERY: Text = Text::fixed("lượt gửi webhook", "delivery");
    pub const DOSSIER: Text = Text::fixed("hồ sơ", "dossier");
    pub const FEEDBACK: Text = Text::fixed("phản ánh, kiến nghị", "feedback");
    pub const NOTIFICATION: Text = Text::fixed("thông báo", "notification");
    pub const PROCEDURE: Text = Text::fixed("thủ tục hành chính", "procedure");
    pub const RESOURCE: Text = Text::fixed("tài nguyên", "resource");
    pub const SERVICE_ACCOUNT: Text = Text::fixed("tài khoản tích hợp", "service account");
    pub const SURVEY: Text = Text::fixed("phiếu đánh giá mức độ hài lòng", "survey");
    pub const USER: Text = Text::fixed("người dùng", "user");
    pub const WEBHOOK: Text = Text::fixed("đăng ký webhook", "webhook");
}

/// Texts several modules give.
pub mod common {
    use super::Text;

    pub const MUST_NOT_BE_FUTURE: Text =
        Text::fixed("Không được là thời điểm trong tương lai", "must not be in the future");
    pub const NO_AGENCY_IN_SCOPE: Text =
        Text::fixed("Không có cơ quan, đơn vị này trong phạm vi của bạn", "no such agency in your scope");
    pub const NO_SUCH_AGENCY: Text = Text::fixed("Không có cơ quan, đơn vị này", "no such agency");
    pub const IMPORT_ONLY: Text = Text::fixed(
        "Chỉ tài khoản tích hợp và quản trị viên được ghi thời điểm của một bước",
        "only integration and admin callers may give the time of a step",
    );
}

#[cfg(test)]
mod tests {
    use actix_web::http::header::Header;
    use actix_web::test::TestRequest;

    use super::*;

    fn lang(header: &str) -> Lang {
        let req = TestRequest::default().insert_header(("accept-language", header)).to_http_request();
        Lang::negotiate(&AcceptLanguage::parse(&req).unwrap())
    }

    #[test]
    fn vietnamese_unless_english_is_preferred() {
        assert_eq!(Lang::of_request(&TestRequest::default().to_http_request()), Lang::Vi);
        assert_eq!(lang(""), Lang::Vi);
        assert_eq!(lang("en"), Lang::En);
        assert_eq!(lang("en-US"), Lang::En);
        assert_eq!(lang("EN-gb"), Lang::En);
        assert_eq!(lang("vi-VN, en;q=0.8"), Lang::Vi);
        assert_eq!(lang("fr, de;q=0.9"), Lang::Vi, "nothing supported");
        assert_eq!(lang("*"), Lang::Vi);
        assert_eq!(lang("fr-CH, fr;q=0.9, en;q=0.8, *;q=0.5"), Lang::En, "the first supported one");
    }

    #[test]
    fn q_values_rank_before_order() {
        assert_eq!(lang("en;q=0.9, vi;q=0.5"), Lang::En);
        assert_eq!(lang("en;q=0.5, vi;q=0.9"), Lang::Vi);
        assert_eq!(lang("vi;q=0.4, en"), Lang::En, "no q-value is q=1");
        assert_eq!(lang("en;q=0, fr"), Lang::Vi, "q=0 refuses English");
        assert_eq!(lang("en;q=0.5, vi;q=0.5"), Lang::En, "ties keep the client's order");
        assert_eq!(lang("*;q=0.9, en;q=0.5"), Lang::Vi, "anything is fine: the default");
        assert_eq!(lang("garbage;;, en"), Lang::En, "a malformed item is skipped");
    }

    #[test]
    fn lower_first_handles_vietnamese_letters() {
        assert_eq!(lower_first("Độ dài"), "độ dài");
        assert_eq!(lower_first("JSON kết thúc"), "JSON kết thúc");
        assert_eq!(lower_first(""), "");
    }
}
