use crate::http::responses as r;
use std::sync::LazyLock;

use actix_web::http::header::{self, CacheControl, CacheDirective};
use actix_web::{HttpRequest, HttpResponse, get};
use sha2::{Digest, Sha256};

use super::model::{self, Labels};
use crate::http::etag::none_match;

/// How long a client or a proxy may keep the labels without asking again (a day); they change
/// only with a new release, and the ETag revalidates them cheaply after that.
const MAX_AGE_SECS: u32 = 24 * 3600;

/// The labels, serialized once, with their ETag (a digest of the body).
struct Cached {
    body: String,
    etag: String,
}

static CACHED: LazyLock<Cached> = LazyLock::new(|| {
    let body = serde_json::to_string(&model::all()).expect("the labels serialize");
    let digest = Sha256::digest(body.as_bytes());
    Cached { etag: format!("\"labels-{}\"", &hex::encode(digest)[..16]), body }
});

/// Display labels of the API's enums, in Vietnamese and English.
///
/// Public and cacheable: one map per enum (dossier status, channel, online-service level,
/// feedback status, survey rating, role, agency level, …) from each value to its label
/// `{"vi", "en"}`. Carries an `ETag` and `Cache-Control: public`; `If-None-Match` answers 304.
#[utoipa::path(
    operation_id = "meta_labels",
    tag = "meta",
    responses(
        (status = 200, description = "Every enum's labels, in Vietnamese and English", body = Labels, headers(
            ("ETag" = String, description = "Changes only when a label changes"),
            ("Cache-Control" = String, description = "`public, max-age=86400`"),
        )),
        (status = 304, description = "The labels named by `If-None-Match` are current"),
        (status = 400, response = r::BadRequest),
    ),
    security()
)]
#[get("/meta/labels")]
pub async fn get_labels(req: HttpRequest) -> HttpResponse {
    let cached = &*CACHED;
    let cache = CacheControl(vec![CacheDirective::Public, CacheDirective::MaxAge(MAX_AGE_SECS)]);
    if none_match(&req, &cached.etag) {
        return HttpResponse::NotModified()
            .insert_header((header::ETAG, cached.etag.clone()))
            .insert_header(cache)
            .finish();
    }
    HttpResponse::Ok()
        .content_type("application/json")
        .insert_header((header::ETAG, cached.etag.clone()))
        .insert_header(cache)
        .body(cached.body.clone())
}
