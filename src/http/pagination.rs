//! Cursor pagination: `?limit=` (default 50, at most 500) and `?cursor=`; responses are
//! `{"items": [...], "next_cursor": "…" | null}`. A cursor is the opaque (base64url) sort key of
//! the last item returned; the next page starts strictly after it, so concurrent inserts never
//! make a page repeat or skip an item that was there before.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::i18n::Text;

pub const DEFAULT_LIMIT: i64 = 50;
pub const MAX_LIMIT: i64 = 500;

#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; null on the last page.
    pub next_cursor: Option<String>,
}

/// `?limit=` and `?cursor=` of a list that has no filters.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Page size, 1 to 500 (default 50).
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// The page size to use, or a 400 naming `limit`.
pub fn limit(requested: Option<i64>) -> Result<i64, ApiError> {
    match requested {
        None => Ok(DEFAULT_LIMIT),
        Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
        Some(_) => Err(ApiError::bad_parameter(
            "limit",
            Text::new(
                format!("limit phải từ 1 đến {MAX_LIMIT}"),
                format!("limit must be between 1 and {MAX_LIMIT}"),
            ),
            Text::new(format!("Phải từ 1 đến {MAX_LIMIT}"), format!("must be between 1 and {MAX_LIMIT}")),
        )),
    }
}

/// The horizon of a "due soon" worklist in working hours (default 8), or a 400 naming `hours`.
pub fn worklist_hours(requested: Option<i64>) -> Result<i64, ApiError> {
    match requested.unwrap_or(8) {
        hours @ 1..=400 => Ok(hours),
        _ => Err(ApiError::bad_parameter(
            "hours",
            Text::fixed("hours phải từ 1 đến 400", "hours must be between 1 and 400"),
            Text::fixed("Từ 1 đến 400", "between 1 and 400"),
        )),
    }
}

pub fn encode_cursor(key: &str) -> String {
    URL_SAFE_NO_PAD.encode(key.as_bytes())
}

/// The 400 for a cursor this API did not make, naming the parameter it came in.
pub(crate) fn not_a_cursor(field: &str) -> ApiError {
    ApiError::bad_parameter(
        field,
        Text::new(
            format!("{field} không phải là con trỏ do API này trả về"),
            format!("{field} is not one this API returned"),
        ),
        Text::fixed("Không phải là con trỏ do API này trả về", "not a cursor this API returned"),
    )
}

/// The sort key inside a cursor, or a 400 naming `cursor`.
pub fn decode_cursor(cursor: Option<&str>) -> Result<Option<String>, ApiError> {
    let Some(cursor) = cursor else {
        return Ok(None);
    };
    URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        // Keys are codes, usernames and instants: never control characters (nor NUL, which
        // PostgreSQL cannot compare).
        .filter(|key| !key.chars().any(char::is_control))
        .map(Some)
        .ok_or_else(|| not_a_cursor("cursor"))
}

/// The position inside a cursor of a list numbered by id (events, deliveries), passed as
/// `field`; a 400 naming it otherwise.
pub fn decode_id(cursor: Option<&str>, field: &str) -> Result<Option<i64>, ApiError> {
    match decode_cursor(cursor).map_err(|_| not_a_cursor(field))? {
        None => Ok(None),
        Some(key) => {
            key.parse::<i64>().ok().filter(|id| *id >= 0).map(Some).ok_or_else(|| not_a_cursor(field))
        }
    }
}

/// The sort key of lists ordered by an instant and then the id (newest first).
pub fn position(at: chrono::NaiveDateTime, id: &str) -> String {
    format!("{}|{id}", at.and_utc().to_rfc3339())
}

/// The (instant, id) position inside a cursor made by [`position`].
pub fn decode_position(cursor: Option<&str>) -> Result<Option<(chrono::NaiveDateTime, String)>, ApiError> {
    let Some(key) = decode_cursor(cursor)? else { return Ok(None) };
    let bad = || not_a_cursor("cursor");
    let (at, id) = key.split_once('|').ok_or_else(bad)?;
    let at = chrono::DateTime::parse_from_rfc3339(at).map_err(|_| bad())?;
    Ok(Some((crate::clock::to_db(at.with_timezone(&chrono::Utc)), id.to_owned())))
}

/// Build a page from `limit + 1` rows fetched in sort order: the extra row only says that
/// another page exists.
pub fn page<R, T>(
    mut rows: Vec<R>,
    limit: i64,
    key: impl Fn(&R) -> String,
    map: impl FnMut(R) -> T,
) -> Page<T> {
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next_cursor = if more { rows.last().map(|r| encode_cursor(&key(r))) } else { None };
    Page { items: rows.into_iter().map(map).collect(), next_cursor }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_bounded() {
        assert_eq!(limit(None).unwrap(), 50);
        assert_eq!(limit(Some(500)).unwrap(), 500);
        assert!(limit(Some(0)).is_err());
        assert!(limit(Some(501)).is_err());
    }

    #[test]
    fn cursors_round_trip_and_garbage_is_refused() {
        let c = encode_cursor("79.001");
        assert_eq!(decode_cursor(Some(&c)).unwrap().as_deref(), Some("79.001"));
        assert!(decode_cursor(Some("!!!")).is_err());
        assert!(decode_cursor(Some("AA")).is_err(), "a NUL inside is not a cursor");
        assert_eq!(decode_cursor(None).unwrap(), None);
    }

    #[test]
    fn id_cursors_hold_ids() {
        assert_eq!(decode_id(None, "after").unwrap(), None);
        assert_eq!(decode_id(Some(&encode_cursor("42")), "after").unwrap(), Some(42));
        for bad in [encode_cursor("-1"), encode_cursor("x"), "%%".to_owned()] {
            let Err(ApiError::BadRequest { errors, .. }) = decode_id(Some(&bad), "after") else {
                panic!("{bad} accepted")
            };
            assert_eq!(errors[0].field, "after");
        }
    }

    #[test]
    fn the_extra_row_makes_a_cursor() {
        let p = page(vec![1, 2, 3], 2, |n| n.to_string(), |n| n);
        assert_eq!(p.items, vec![1, 2]);
        assert_eq!(decode_cursor(p.next_cursor.as_deref()).unwrap().as_deref(), Some("2"));
        let last = page(vec![1, 2], 2, |n| n.to_string(), |n| n);
        assert_eq!(last.next_cursor, None);
    }
}
