//! Extractors that answer bad input with a problem document naming the field.
//!
//! actix's own `Json` and `Query` answer text/plain and lose the path of the bad field; these
//! deserialize through `serde_path_to_error` so `applicant.phone: invalid type` reaches the client.
//! serde's messages are English; [`serde_text`] gives each its Vietnamese twin.

use std::future::Future;
use std::ops::Deref;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::error::{PathError, PayloadError};
use actix_web::web::{Bytes, PathConfig};
use actix_web::{FromRequest, HttpRequest, http::header};
use serde::de::DeserializeOwned;

use crate::error::{ApiError, FieldError};
use crate::i18n::{Text, lower_first};

/// Largest JSON body accepted (bytes).
pub const MAX_JSON_BYTES: usize = 1 << 20;

fn field_or_body(path: &serde_path_to_error::Path) -> String {
    let p = path.to_string();
    if p == "." || p.is_empty() { "body".to_owned() } else { p }
}

/// serde's message without the trailing " at line 1 column 17", and without the submitted
/// value it quotes ("invalid type: integer `51090001234`, expected a string"): an answer or a
/// log line must not repeat an identity number or a password sent in the wrong shape.
fn clean_serde_message(error: &serde_json::Error) -> String {
    let text = error.to_string();
    let text = match text.rfind(" at line ") {
        Some(i) => &text[..i],
        None => &text,
    };
    without_submitted_value(text)
}

fn without_submitted_value(text: &str) -> String {
    for (prefix, replacement) in [
        ("invalid type: ", "invalid type"),
        ("invalid value: ", "invalid value"),
        ("unknown variant ", "unknown value"),
    ] {
        if text.starts_with(prefix)
            && let Some(i) = text.find(", expected ")
        {
            return format!("{replacement}{}", &text[i..]);
        }
    }
    text.to_owned()
}

/// Messages of our own deserializers (`serde::de::Error::custom`), by their English text.
pub const EXPECTED_INSTANT: Text = Text::fixed(
    "Cần một thời điểm theo RFC 3339 trong khoảng năm 1900 đến 2200, ví dụ 2024-01-05T16:00:00+07:00",
    "expected an RFC 3339 instant between 1900 and 2200, such as 2024-01-05T16:00:00+07:00",
);
pub const EXPECTED_TIME: Text = Text::fixed("Cần giờ dạng HH:MM", "expected a time as HH:MM");
const CUSTOM_MESSAGES: [Text; 2] = [EXPECTED_INSTANT, EXPECTED_TIME];

/// Messages of the parsers serde calls (std's numbers and booleans, chrono's dates), by their text.
const PARSER_MESSAGES: [(&str, &str); 14] = [
    ("invalid digit found in string", "Phải là một số nguyên"),
    ("cannot parse integer from empty string", "Không được để trống; cần một số nguyên"),
    ("number too large to fit in target type", "Số quá lớn"),
    ("number too small to fit in target type", "Số quá nhỏ"),
    ("invalid float literal", "Phải là một số"),
    ("cannot parse float from empty string", "Không được để trống; cần một số"),
    ("provided string was not `true` or `false`", "Phải là true hoặc false"),
    ("input is out of range", "Ngày giờ nằm ngoài phạm vi cho phép"),
    ("input contains invalid characters", "Ngày giờ chứa ký tự không hợp lệ"),
    ("premature end of input", "Ngày giờ chưa đầy đủ"),
    ("trailing input", "Ngày giờ có ký tự thừa ở cuối"),
    ("input is not enough for unique date and time", "Chưa đủ thông tin để xác định ngày giờ"),
    ("no possible date and time matching input", "Không có ngày giờ nào khớp với giá trị này"),
    ("bad or unsupported format string", "Định dạng ngày giờ không được hỗ trợ"),
];

/// What serde says it expected ("a string", "u32", "struct Applicant"), in Vietnamese.
fn expectation_vi(expected: &str) -> Option<String> {
    let expected = expected.trim();
    let integer = |t: &str| {
        t.len() >= 2
            && (t.starts_with('i') || t.starts_with('u'))
            && (t[1..].chars().all(|c| c.is_ascii_digit()) || &t[1..] == "size")
    };
    let vi = match expected {
        "a string" | "a borrowed string" | "a character" | "a string or bytes" => "một chuỗi ký tự",
        "a boolean" => "true hoặc false",
        "f32" | "f64" | "a number" => "một số",
        "a sequence" | "an array" => "một danh sách (mảng JSON)",
        "a map" => "một đối tượng JSON",
        "a formatted date string" => "một ngày dạng YYYY-MM-DD",
        "a formatted time string" => "một giờ dạng HH:MM:SS",
        "a formatted date and time string" => "một ngày giờ dạng YYYY-MM-DDTHH:MM:SS",
        t if t.starts_with('u') && integer(t) => "một số nguyên không âm",
        t if integer(t) => "một số nguyên",
        t if t.starts_with("struct ") || t.starts_with("internally tagged enum") => "một đối tượng JSON",
        t if t.starts_with("a sequence") || t.starts_with("tuple") => "một danh sách (mảng JSON)",
        t if t.contains("RFC 3339") => "một thời điểm theo RFC 3339, ví dụ 2024-01-05T16:00:00+07:00",
        t if t.starts_with("one of ") || t.starts_with('`') => {
            return Some(format!("một trong các giá trị {}", choices(t)));
        }
        _ => return None,
    };
    Some(vi.to_owned())
}

/// The backticked names in serde's "one of `a`, `b`" or "`a` or `b`", as "a, b".
fn choices(text: &str) -> String {
    text.split('`').skip(1).step_by(2).collect::<Vec<_>>().join(", ")
}

/// A message from serde (without the value it quotes: [`without_submitted_value`]) in both
/// languages: English as serde wrote it, Vietnamese from the shape of the message.
pub fn serde_text(message: &str) -> Text {
    if let Some(known) = CUSTOM_MESSAGES.iter().find(|t| t.en == message) {
        return known.clone();
    }
    if let Some((_, vi)) = PARSER_MESSAGES.iter().find(|(en, _)| *en == message) {
        return Text::new(*vi, message.to_owned());
    }
    let vi = if message.starts_with("missing field ") {
        "Trường bắt buộc".to_owned()
    } else if let Some(rest) = message.strip_prefix("duplicate field ") {
        format!("Trường {} bị lặp lại", rest.trim().trim_matches('`'))
    } else if let Some(rest) = message.strip_prefix("unknown field ") {
        let (name, expected) = rest.split_once(", ").unwrap_or((rest, ""));
        let name = name.trim_matches('`');
        match expected.strip_prefix("expected ") {
            Some(list) => format!("Trường {name} không được hỗ trợ; các trường hợp lệ: {}", choices(list)),
            None => format!("Trường {name} không được hỗ trợ"),
        }
    } else if let Some(expected) = message.strip_prefix("unknown value, expected ") {
        format!("Giá trị không hợp lệ; chỉ chấp nhận {}", choices(expected))
    } else if let Some(expected) = message.strip_prefix("invalid type, expected ") {
        match expectation_vi(expected) {
            Some(wanted) => format!("Sai kiểu dữ liệu: cần {wanted}"),
            None => "Sai kiểu dữ liệu".to_owned(),
        }
    } else if let Some(expected) = message.strip_prefix("invalid value, expected ") {
        match expectation_vi(expected) {
            Some(wanted) => format!("Giá trị không hợp lệ: cần {wanted}"),
            None => "Giá trị không hợp lệ".to_owned(),
        }
    } else if message.starts_with("invalid length ") {
        "Số phần tử không đúng".to_owned()
    } else if message.starts_with("data did not match any variant") {
        "Giá trị không khớp với dạng nào được chấp nhận".to_owned()
    } else {
        "Giá trị không hợp lệ".to_owned()
    };
    Text::new(vi, message.to_owned())
}

/// Why a body is not JSON (a syntax error or an early end), in both languages.
fn syntax_text(error: &serde_json::Error, message: &str) -> Text {
    let vi = match error.classify() {
        serde_json::error::Category::Eof => "JSON kết thúc giữa chừng",
        _ => "Sai cú pháp JSON",
    };
    Text::new(vi, message.to_owned())
}

/// Whether JSON text holds an escaped NUL (`\u0000` not itself escaped): PostgreSQL cannot store
/// it in text, and no field has a use for it.
fn has_escaped_nul(bytes: &[u8]) -> bool {
    bytes.windows(6).enumerate().any(|(i, w)| {
        w.eq_ignore_ascii_case(b"\\u0000")
            && bytes[..i].iter().rev().take_while(|&&b| b == b'\\').count().is_multiple_of(2)
    })
}

/// Deserialize a JSON body: syntax errors are 400, well-formed JSON of the wrong shape is 422
/// naming the field.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    if has_escaped_nul(bytes) {
        return Err(ApiError::invalid_field(
            "body",
            Text::fixed("Văn bản không được chứa ký tự NUL", "text must not contain NUL characters"),
        ));
    }
    // Every body is an object; serde would also fill a struct from an array (`[null, null]`
    // setting its first fields in order), which no client means.
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[') {
        return Err(ApiError::invalid_field(
            "body",
            Text::fixed("Sai kiểu dữ liệu: cần một đối tượng JSON", "invalid type: expected a JSON object"),
        ));
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let field = field_or_body(e.path());
        let inner = e.into_inner();
        let message = clean_serde_message(&inner);
        match inner.classify() {
            serde_json::error::Category::Data => {
                // A missing field is reported at its parent; name the field itself.
                let field = match message.strip_prefix("missing field `") {
                    Some(rest) => {
                        let name = rest.trim_end_matches('`');
                        if field == "body" { name.to_owned() } else { format!("{field}.{name}") }
                    }
                    None => field,
                };
                ApiError::invalid_field(field, serde_text(&message))
            }
            _ => {
                let why = syntax_text(&inner, &message);
                ApiError::BadRequest {
                    detail: Text::new(
                        format!("Nội dung yêu cầu không phải là JSON hợp lệ: {}", lower_first(&why.vi)),
                        format!("the body is not valid JSON: {message}"),
                    ),
                    errors: vec![FieldError::new("body", why)],
                }
            }
        }
    })?;
    de.end().map_err(|e| {
        ApiError::bad_request(Text::new(
            "Có dữ liệu thừa sau giá trị JSON",
            format!("trailing data after the JSON value: {}", clean_serde_message(&e)),
        ))
    })?;
    Ok(value)
}

/// A JSON request body. Requires `Content-Type: application/json` (or `+json`). Keeps the raw
/// bytes too, so that an `Idempotency-Key` can be matched to exactly the same request.
#[derive(Debug)]
pub struct JsonBody<T> {
    value: T,
    raw: Bytes,
}

impl<T> JsonBody<T> {
    pub fn into_inner(self) -> T {
        self.value
    }

    pub fn raw(&self) -> &[u8] {
        &self.raw
    }
}

impl<T> Deref for JsonBody<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

fn is_json_content_type(req: &HttpRequest) -> bool {
    let Some(value) = req.headers().get(header::CONTENT_TYPE) else {
        return false;
    };
    let Ok(value) = value.to_str() else {
        return false;
    };
    let essence = value.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}

impl<T: DeserializeOwned + 'static> FromRequest for JsonBody<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let json = is_json_content_type(req);
        let body = Bytes::from_request(req, payload);
        Box::pin(async move {
            if !json {
                return Err(ApiError::UnsupportedMediaType(Text::fixed(
                    "Hãy gửi nội dung dạng JSON với Content-Type: application/json",
                    "send the body as JSON with Content-Type: application/json",
                )));
            }
            let bytes = body.await.map_err(|e| match e.as_error::<PayloadError>() {
                Some(PayloadError::Overflow) => ApiError::PayloadTooLarge(Text::new(
                    format!("Nội dung yêu cầu vượt quá {MAX_JSON_BYTES} byte"),
                    format!("the body exceeds {MAX_JSON_BYTES} bytes"),
                )),
                _ => ApiError::bad_request(Text::new(
                    "Không đọc được nội dung yêu cầu",
                    format!("the body could not be read: {e}"),
                )),
            })?;
            parse_json(&bytes).map(|value| JsonBody { value, raw: bytes })
        })
    }
}

/// Query parameters, deserialized with the failing parameter named (400).
#[derive(Debug)]
pub struct QueryParams<T>(pub T);

impl<T> QueryParams<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> Deref for QueryParams<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

pub fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, ApiError> {
    let pairs = url::form_urlencoded::parse(query.as_bytes());
    let de = serde_urlencoded::Deserializer::new(pairs);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let message = without_submitted_value(&e.into_inner().to_string());
        let field = match message.strip_prefix("missing field `") {
            Some(rest) => rest.trim_end_matches('`').to_owned(),
            None if path == "." || path.is_empty() => "query".to_owned(),
            None => path,
        };
        let text = serde_text(&message);
        let detail_vi = if message.starts_with("missing field ") {
            format!("Thiếu tham số truy vấn bắt buộc {field}")
        } else {
            format!("Tham số truy vấn {field} không hợp lệ: {}", lower_first(&text.vi))
        };
        ApiError::BadRequest {
            detail: Text::new(detail_vi, format!("invalid query parameter {field}: {message}")),
            errors: vec![FieldError::new(field, text)],
        }
    })
}

impl<T: DeserializeOwned + 'static> FromRequest for QueryParams<T> {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(parse_query(req.query_string()).map(QueryParams))
    }
}

/// An RFC 3339 instant in a query string, with any offset. A `+` that was not percent-encoded
/// arrives as a space; it is put back, since `2024-01-05T16:00:00 07:00` cannot mean anything else.
pub fn lenient_instant<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<chrono::DateTime<chrono::Utc>, D::Error> {
    use serde::Deserialize;
    let text = String::deserialize(d)?;
    chrono::DateTime::parse_from_rfc3339(&text.replace(' ', "+"))
        .map(|t| t.with_timezone(&chrono::Utc))
        .ok()
        .filter(|t| crate::clock::plausible_date(t.date_naive()))
        .ok_or_else(|| serde::de::Error::custom(EXPECTED_INSTANT.en))
}

/// [`lenient_instant`] for an optional query parameter.
pub fn lenient_instant_opt<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<chrono::DateTime<chrono::Utc>>, D::Error> {
    lenient_instant(d).map(Some)
}

/// Path parameters that fail to parse (an id of the wrong shape) are a 404: no such resource.
pub fn path_config() -> PathConfig {
    PathConfig::default().error_handler(|error: PathError, _req| {
        ApiError::NotFound(Text::new(
            "Không tìm thấy tài nguyên: đường dẫn có tham số không hợp lệ",
            format!("resource ({error}) not found"),
        ))
        .into()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Applicant {
        full_name: String,
        phone: Option<String>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Intake {
        channel: String,
        applicant: Applicant,
    }

    fn field_of(error: ApiError) -> (u16, String) {
        let p = error.to_problem(Lang::Vi);
        (p.status, p.errors.first().map(|e| e.field.clone()).unwrap_or_default())
    }

    #[test]
    fn escaped_nul_characters_are_refused() {
        assert!(has_escaped_nul(br#"{"a":"ro\u0000ot"}"#));
        assert!(
            !has_escaped_nul(br#"{"a":"ro\\u0000ot"}"#),
            "an escaped backslash followed by u0000 is text"
        );
        assert!(!has_escaped_nul(br#"{"a":"root"}"#));
        assert_eq!(
            parse_json::<Page>(br#"{"year":1,"x":"\u0000"}"#).unwrap_err().to_problem(Lang::Vi).status,
            422
        );
    }

    #[test]
    fn submitted_values_are_not_repeated() {
        let error = parse_json::<Intake>(
            br#"{"channel":"online","applicant":{"full_name":"A","phone":51090001234}}"#,
        )
        .unwrap_err();
        for lang in [Lang::Vi, Lang::En] {
            let problem = error.to_problem(lang);
            assert!(!format!("{problem:?}").contains("51090001234"), "{problem:?}");
        }
        assert_eq!(error.to_problem(Lang::En).errors[0].message, "invalid type, expected a string");
        assert_eq!(error.to_problem(Lang::Vi).errors[0].message, "Sai kiểu dữ liệu: cần một chuỗi ký tự");
    }

    #[test]
    fn json_errors_name_the_field() {
        let bad_type =
            parse_json::<Intake>(br#"{"channel":"online","applicant":{"full_name":"A","phone":7}}"#);
        assert_eq!(field_of(bad_type.unwrap_err()), (422, "applicant.phone".into()));
        let missing = parse_json::<Intake>(br#"{"channel":"online","applicant":{}}"#);
        assert_eq!(field_of(missing.unwrap_err()), (422, "applicant.full_name".into()));
        let missing_top = parse_json::<Intake>(br#"{"applicant":{"full_name":"A"}}"#);
        assert_eq!(field_of(missing_top.unwrap_err()), (422, "channel".into()));
        let syntax = parse_json::<Intake>(br#"{"channel": "#);
        assert_eq!(field_of(syntax.unwrap_err()).0, 400);
        let trailing = parse_json::<Intake>(br#"{"channel":"x","applicant":{"full_name":"A"}} x"#);
        assert_eq!(field_of(trailing.unwrap_err()).0, 400);
        // serde alone would fill the struct's fields in order from an array.
        let array = parse_json::<Intake>(br#" ["online", {"full_name": "A"}]"#);
        assert_eq!(field_of(array.unwrap_err()), (422, "body".into()));
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Page {
        limit: Option<u32>,
        year: i32,
    }

    #[test]
    fn query_errors_name_the_parameter() {
        assert_eq!(field_of(parse_query::<Page>("limit=abc&year=2024").unwrap_err()), (400, "limit".into()));
        assert_eq!(field_of(parse_query::<Page>("limit=5").unwrap_err()), (400, "year".into()));
        assert!(parse_query::<Page>("year=2024").is_ok());
    }

    /// Every kind of serde message has a Vietnamese text, none of it English.
    #[test]
    fn serde_messages_are_given_in_vietnamese() {
        #[derive(Debug, Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Strict {
            n: u32,
            kind: Option<Kind>,
            flag: Option<bool>,
            list: Option<Vec<String>>,
            when: Option<chrono::NaiveDate>,
        }
        #[derive(Debug, Deserialize)]
        #[serde(rename_all = "snake_case")]
        #[allow(dead_code)]
        enum Kind {
            Online,
            Direct,
            Postal,
        }
        let vi = |body: &str| {
            let problem = parse_json::<Strict>(body.as_bytes()).unwrap_err().to_problem(Lang::Vi);
            problem.errors[0].message.clone()
        };
        assert_eq!(vi(r#"{}"#), "Trường bắt buộc");
        assert_eq!(vi(r#"{"n":"x"}"#), "Sai kiểu dữ liệu: cần một số nguyên không âm");
        assert_eq!(vi(r#"{"n":-1}"#), "Giá trị không hợp lệ: cần một số nguyên không âm");
        assert_eq!(
            vi(r#"{"n":1,"kind":"fax"}"#),
            "Giá trị không hợp lệ; chỉ chấp nhận online, direct, postal"
        );
        assert_eq!(vi(r#"{"n":1,"flag":"yes"}"#), "Sai kiểu dữ liệu: cần true hoặc false");
        assert_eq!(vi(r#"{"n":1,"list":"a"}"#), "Sai kiểu dữ liệu: cần một danh sách (mảng JSON)");
        assert_eq!(vi(r#"{"n":1,"when":"2024-13-01"}"#), "Ngày giờ nằm ngoài phạm vi cho phép");
        assert!(
            vi(r#"{"n":1,"colour":1}"#)
                .starts_with("Trường colour không được hỗ trợ; các trường hợp lệ: n, kind")
        );
        assert_eq!(vi(r#"{"n":1,"n":2}"#), "Trường n bị lặp lại");
        assert_eq!(vi(r#""x""#), "Sai kiểu dữ liệu: cần một đối tượng JSON");
        assert_eq!(
            vi(r#"[1]"#),
            "Sai kiểu dữ liệu: cần một đối tượng JSON",
            "the same as any other non-object"
        );
        let syntax = parse_json::<Strict>(br#"{"n": "#).unwrap_err().to_problem(Lang::Vi);
        assert_eq!(
            syntax.detail.as_deref(),
            Some("Nội dung yêu cầu không phải là JSON hợp lệ: JSON kết thúc giữa chừng")
        );
        let query = parse_query::<Page>("limit=abc&year=2024").unwrap_err();
        assert_eq!(query.to_problem(Lang::Vi).errors[0].message, "Phải là một số nguyên");
        assert_eq!(query.to_problem(Lang::En).errors[0].message, "invalid digit found in string");
        let missing = parse_query::<Page>("limit=5").unwrap_err().to_problem(Lang::Vi);
        assert_eq!(missing.detail.as_deref(), Some("Thiếu tham số truy vấn bắt buộc year"));
        assert_eq!(serde_text(&EXPECTED_TIME.en), EXPECTED_TIME);
    }
}
