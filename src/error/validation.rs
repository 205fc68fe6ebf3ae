//! Validation errors as API errors, each message in both languages.

use super::{ApiError, FieldError};
use crate::i18n::Text;

/// Validation errors of the `validator` crate, reduced to field and code: its `Display`
/// includes the submitted value, which may be a password. Each code (with its parameters) is
/// given its message in both languages by [`describe_validation_code`]; custom validators set
/// a code listed there, never an English-only message.
impl From<validator::ValidationErrors> for ApiError {
    fn from(errors: validator::ValidationErrors) -> Self {
        let mut fields = Vec::new();
        collect_validation_errors(&errors, "", &mut fields);
        fields.sort_by(|a, b| a.field.cmp(&b.field));
        Self::Validation(fields)
    }
}

fn collect_validation_errors(errors: &validator::ValidationErrors, prefix: &str, out: &mut Vec<FieldError>) {
    use validator::ValidationErrorsKind;
    for (field, kind) in errors.errors() {
        let path = if prefix.is_empty() { field.to_string() } else { format!("{prefix}.{field}") };
        match kind {
            ValidationErrorsKind::Field(list) => {
                for e in list {
                    out.push(FieldError::new(path.clone(), describe_validation_code(e)));
                }
            }
            ValidationErrorsKind::Struct(inner) => collect_validation_errors(inner, &path, out),
            ValidationErrorsKind::List(items) => {
                for (index, inner) in items {
                    collect_validation_errors(inner, &format!("{path}[{index}]"), out);
                }
            }
        }
    }
}

/// Codes of the custom validators, each with its message in [`describe_validation_code`].
pub mod validation_codes {
    /// Text that is empty or only spaces.
    pub const BLANK: &str = "blank";
    /// Text of several lines with a control character other than a line break or a tab.
    pub const CONTROL_CHARACTER: &str = "control_character";
    /// An agency's or a procedure's code.
    pub const CODE: &str = "code";
    /// A date or instant outside `min`..=`max` (years).
    pub const DATE_RANGE: &str = "date_range";
    /// An identity number or tax code.
    pub const ID_NUMBER: &str = "id_number";
    pub const PHONE: &str = "phone";
    /// One line of text with a control character or a line break.
    pub const SINGLE_LINE: &str = "single_line";
    pub const USERNAME: &str = "username";
}

/// A custom validator's error: a code of [`validation_codes`] with its parameters.
pub fn validation_error(code: &'static str, params: &[(&'static str, i64)]) -> validator::ValidationError {
    let mut error = validator::ValidationError::new(code);
    for (name, value) in params {
        error.add_param((*name).into(), value);
    }
    error
}

/// A 422 naming `field` for the error of a validator called by hand, on a body that has no
/// `Validate` derive.
pub fn invalid_value(field: &str, error: &validator::ValidationError) -> ApiError {
    ApiError::invalid_field(field, describe_validation_code(error))
}

/// The message of a validation code, in both languages.
fn describe_validation_code(e: &validator::ValidationError) -> Text {
    use validation_codes as c;
    let param = |name: &str| e.params.get(name).map(|v| v.to_string());
    match e.code.as_ref() {
        "length" => match (param("min"), param("max")) {
            (Some(min), Some(max)) => Text::new(
                format!("Độ dài phải từ {min} đến {max} ký tự"),
                format!("length must be between {min} and {max}"),
            ),
            (Some(min), None) => Text::new(
                format!("Phải có ít nhất {min} ký tự"),
                format!("must be at least {min} characters long"),
            ),
            (None, Some(max)) => Text::new(
                format!("Không được quá {max} ký tự"),
                format!("must be at most {max} characters long"),
            ),
            _ => Text::fixed("Độ dài không hợp lệ", "invalid length"),
        },
        "range" => match (param("min"), param("max")) {
            (Some(min), Some(max)) => {
                Text::new(format!("Phải từ {min} đến {max}"), format!("must be between {min} and {max}"))
            }
            (Some(min), None) => {
                Text::new(format!("Không được nhỏ hơn {min}"), format!("must be at least {min}"))
            }
            (None, Some(max)) => {
                Text::new(format!("Không được lớn hơn {max}"), format!("must be at most {max}"))
            }
            _ => Text::fixed("Nằm ngoài phạm vi cho phép", "out of range"),
        },
        "email" => Text::fixed("Phải là một địa chỉ thư điện tử", "must be an e-mail address"),
        "url" => Text::fixed("Phải là một địa chỉ URL", "must be a URL"),
        c::BLANK => Text::fixed("Không được để trống", "must not be empty"),
        c::CONTROL_CHARACTER => Text::fixed(
            "Không được chứa ký tự điều khiển (chỉ cho phép xuống dòng và tab)",
            "must not contain control characters other than line breaks and tabs",
        ),
        c::CODE => Text::fixed(
            "Từ 1 đến 64 ký tự gồm chữ cái không dấu, chữ số, '.', '-' hoặc '_'",
            "1 to 64 letters, digits, '.', '-' or '_'",
        ),
        c::DATE_RANGE => match (param("min"), param("max")) {
            (Some(min), Some(max)) => Text::new(
                format!("Phải nằm trong khoảng từ năm {min} đến năm {max}"),
                format!("must lie between {min} and {max}"),
            ),
            _ => Text::fixed("Ngày nằm ngoài phạm vi cho phép", "date out of range"),
        },
        c::ID_NUMBER => Text::fixed(
            "Số định danh cá nhân gồm 9 hoặc 12 chữ số; mã số thuế của tổ chức gồm 10 hoặc 13 chữ số",
            "9 or 12 digits for a person, 10 or 13 for an organization",
        ),
        c::PHONE => Text::fixed(
            "Phải là số điện thoại Việt Nam, ví dụ 0912345678",
            "a Vietnamese phone number, e.g. 0912345678",
        ),
        c::SINGLE_LINE => Text::fixed(
            "Phải nằm trên một dòng, không chứa ký tự xuống dòng hay ký tự điều khiển",
            "must be a single line, without line breaks or control characters",
        ),
        c::USERNAME => Text::fixed(
            "Từ 3 đến 64 ký tự gồm chữ cái không dấu, chữ số, '.', '_', '-' hoặc '@'",
            "3 to 64 letters, digits, '.', '_', '-' or '@'",
        ),
        code => Text::new(format!("Giá trị không hợp lệ ({code})"), format!("invalid ({code})")),
    }
}
