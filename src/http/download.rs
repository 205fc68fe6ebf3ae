//! Serving a stored file: its name in `Content-Disposition` (RFC 6266, the original Vietnamese
//! name in `filename*`, an ASCII one for old clients), conditional requests on its ETag, and one
//! byte range (RFC 9110 §14) for viewers and resumed downloads.

use std::ops::Range;

use actix_web::http::header::{
    self, Charset, ContentDisposition, DispositionParam, DispositionType, ExtendedValue, HeaderMap,
};

use crate::error::ApiError;

/// `attachment; filename="To khai.pdf"; filename*=UTF-8''T%E1%BB%9D%20khai.pdf`.
pub fn disposition(name: &str) -> ContentDisposition {
    let ascii: String =
        deunicode::deunicode(name).chars().filter(|c| !c.is_ascii_control() && *c != '"').collect();
    ContentDisposition {
        disposition: DispositionType::Attachment,
        parameters: vec![
            DispositionParam::Filename(ascii),
            DispositionParam::FilenameExt(ExtendedValue {
                charset: Charset::Ext("UTF-8".to_owned()),
                language_tag: None,
                value: name.as_bytes().to_vec(),
            }),
        ],
    }
}

/// Whether `If-None-Match` names the current ETag (or `*`): answer 304.
pub fn not_modified(headers: &HeaderMap, etag: &str) -> bool {
    headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()).is_some_and(|v| {
        v.split(',').map(str::trim).any(|tag| tag == "*" || tag.trim_start_matches("W/") == etag)
    })
}

/// The one range to send of a file of `size` bytes, or `None` for the whole file: when there is
/// no `Range`, when it cannot be parsed (ignored, as RFC 9110 says), when it asks for several
/// ranges (the whole file is a valid answer), or when `If-Range` names another version.
/// A range that starts past the end answers 416.
pub fn range(headers: &HeaderMap, etag: &str, size: u64) -> Result<Option<Range<u64>>, ApiError> {
    let Some(value) = headers.get(header::RANGE).and_then(|v| v.to_str().ok()) else { return Ok(None) };
    if let Some(if_range) = headers.get(header::IF_RANGE)
        && if_range.to_str().ok().map(str::trim) != Some(etag)
    {
        return Ok(None);
    }
    let Ok(parsed) = http_range_header::parse_range_header(value) else { return Ok(None) };
    match parsed.validate(size) {
        Ok(ranges) if ranges.len() == 1 => Ok(Some(*ranges[0].start()..ranges[0].end() + 1)),
        Ok(_) => Ok(None),
        Err(_) => Err(ApiError::RangeNotSatisfiable { size }),
    }
}

/// Whether a request reads the file from its first byte: no `Range`, or one from 0. A viewer's
/// later ranges continue a download already under way.
pub fn from_the_start(headers: &HeaderMap) -> bool {
    match headers.get(header::RANGE).and_then(|v| v.to_str().ok()) {
        None => true,
        Some(value) => value.trim().strip_prefix("bytes=").is_some_and(|r| r.trim_start().starts_with("0-")),
    }
}

#[cfg(test)]
mod tests {
    use actix_web::http::header::{HeaderName, HeaderValue};

    use super::*;

    fn headers(pairs: &[(HeaderName, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(name.clone(), HeaderValue::from_str(value).unwrap());
        }
        map
    }

    const TAG: &str = "\"abc\"";

    #[test]
    fn one_range_is_served_and_the_rest_is_the_whole_file() {
        let r = |v: &str| range(&headers(&[(header::RANGE, v)]), TAG, 100);
        assert_eq!(r("bytes=0-9").unwrap(), Some(0..10));
        assert_eq!(r("bytes=90-").unwrap(), Some(90..100));
        assert_eq!(r("bytes=-5").unwrap(), Some(95..100));
        assert_eq!(r("bytes=95-500").unwrap(), Some(95..100), "clamped to the end");
        assert_eq!(r("bytes=0-1, 5-6").unwrap(), None, "several ranges: the whole file");
        assert_eq!(r("lines=1-2").unwrap(), None, "unparseable: ignored");
        assert!(matches!(r("bytes=100-"), Err(ApiError::RangeNotSatisfiable { size: 100 })));
        assert_eq!(range(&HeaderMap::new(), TAG, 100).unwrap(), None);
    }

    #[test]
    fn if_range_with_another_version_gets_the_whole_file() {
        let stale = headers(&[(header::RANGE, "bytes=0-9"), (header::IF_RANGE, "\"old\"")]);
        assert_eq!(range(&stale, TAG, 100).unwrap(), None);
        let current = headers(&[(header::RANGE, "bytes=0-9"), (header::IF_RANGE, TAG)]);
        assert_eq!(range(&current, TAG, 100).unwrap(), Some(0..10));
    }

    #[test]
    fn the_name_survives_in_filename_star_and_has_an_ascii_fallback() {
        let value = disposition("Tờ khai \"mẫu\".pdf").to_string();
        assert!(value.starts_with("attachment"), "{value}");
        assert!(value.contains("filename=\"To khai mau.pdf\""), "{value}");
        assert!(value.contains("filename*=UTF-8''T%E1%BB%9D%20khai%20%22m%E1%BA%ABu%22.pdf"), "{value}");
    }

    #[test]
    fn conditional_and_first_byte_requests() {
        assert!(not_modified(&headers(&[(header::IF_NONE_MATCH, "\"x\", \"abc\"")]), TAG));
        assert!(!not_modified(&headers(&[(header::IF_NONE_MATCH, "\"x\"")]), TAG));
        assert!(from_the_start(&HeaderMap::new()));
        assert!(from_the_start(&headers(&[(header::RANGE, "bytes=0-99")])));
        assert!(!from_the_start(&headers(&[(header::RANGE, "bytes=100-199")])));
        assert!(!from_the_start(&headers(&[(header::RANGE, "bytes=-5")])));
    }
}
