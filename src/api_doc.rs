//! The OpenAPI document, generated from the route registrations themselves.

use actix_web::App;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::openapi::{self, OpenApi as OpenApiDoc};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;

use crate::error::{Problem, ProblemField};
use crate::http::responses as r;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "motcua",
        description = "JSON API of a Vietnamese one-stop public-service desk (Bộ phận một cửa): \
            the procedure catalogue, citizens' dossiers through their lifecycle, complaints and \
            satisfaction surveys, and the periodic report.\n\n\
            Authenticate with `POST /api/v1/auth/token` and send the access token as \
            `Authorization: Bearer …`. Errors are RFC 9457 problem documents \
            (`application/problem+json`).\n\n\
            **Try it here.** Against a server started with `motcua serve --demo` (the examples \
            name the demo's commune, UBND xã Tỉnh Châu, and its birth registration procedure \
            1.001193):\n\
            1. `POST /api/v1/auth/token` (section *auth*): *Try it out*, keep the example \
            `password` (the commune's officer `cuong.tt`, demo password `motcua-demo-2024`), \
            *Execute*, and copy `access_token` from the answer.\n\
            2. *Authorize* (top right): paste the token, *Authorize*, *Close*. Every request now \
            carries it; it lasts 15 minutes (sign in again, or exchange the refresh token).\n\
            3. `POST /api/v1/dossiers`: *Try it out*, *Execute* the example as it is: a birth \
            registration received at the desk, accepted at once (201, status `processing`). \
            Copy its `id` and `code`.\n\
            4. `POST /api/v1/dossiers/{id}/resolve` with that `id` and the example body (200, \
            `resolved`), then `POST /api/v1/dossiers/{id}/return` (200, `returned`). Steps out of \
            order answer 409 naming the `rule` that refuses them.\n\
            5. `GET /api/v1/dossiers/{id}/history` lists the steps; `GET \
            /api/v1/dossiers/{id}/receipt` prints the receipt; without signing in, `GET \
            /api/v1/public/dossiers/{code}` with `check` = `5678` (the last digits of the \
            applicant's phone) shows its status.\n\n\
            Other demo accounts (same password): `admin` (system administrator), `lanhdao` (the \
            commune's leader: reports), `vi.vh` and `vu.dt` (officers), `congdan` (a citizen).\n\n\
            **Language.** The texts of a problem document (`title`, `detail`, `errors[].message`) \
            are in Vietnamese by default, and in English when the request's `Accept-Language` \
            prefers English (`en`, `en-US`, `en;q=0.9, vi;q=0.5`: q-values first, then order; \
            `*` or no supported language means Vietnamese). `Content-Language` names the \
            language of the answer. Clients key on what never changes with the language: the \
            status, `type`, `rule` and `errors[].field`. The display labels of the enums, in \
            both languages, are at `GET /api/v1/meta/labels`."
    ),
    servers((url = "/", description = "The server that serves this document")),
    components(
        schemas(Problem, ProblemField),
        responses(
            r::BadRequest, r::Unauthorized, r::Forbidden, r::NotFound, r::Conflict,
            r::PreconditionFailed, r::UnsupportedMediaType, r::Unprocessable, r::TooManyRequests,
            r::PayloadTooLarge, r::RangeNotSatisfiable,
        )
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "operations", description = "Liveness, readiness and metrics"),
        (name = "meta", description = "What front ends need to show the data: the labels of its enums in Vietnamese and English"),
        (name = "auth", description = "Tokens and the caller"),
        (name = "agencies", description = "The agency tree: provinces and communes"),
        (name = "users", description = "Staff and citizen accounts"),
        (name = "citizens", description = "A citizen's own account: registration with a code sent by SMS or email, password reset"),
        (name = "notifications", description = "What citizens are told by email and SMS, and how the sending went"),
        (name = "service-accounts", description = "Accounts of portal adapters and other systems"),
        (name = "calendar", description = "Working time: days off, make-up days, office hours, due dates"),
        (name = "public", description = "Without signing in, cacheable (ETag, Cache-Control): the active catalogue, the agencies that receive dossiers, published answers to feedback, a dossier by its code and check"),
        (name = "procedures", description = "The procedure catalogue (danh mục thủ tục hành chính)"),
        (name = "dossiers", description = "Dossiers (hồ sơ): intake, lifecycle, history, receipt"),
        (name = "surveys", description = "Satisfaction surveys, one per dossier"),
        (name = "feedback", description = "Complaints and feedback (phản ánh, kiến nghị)"),
        (name = "reports", description = "The periodic report, its targets, time series and per-officer figures"),
        (name = "integration", description = "For portal adapters and other systems: the event feed, webhooks, the national portal's shape"),
        (name = "audit", description = "The audit trail: security events and access to personal data (Decree 13/2023/NĐ-CP), for administrators"),
    )
)]
struct ApiDoc;

/// Name of the bearer security scheme in the document.
pub const BEARER: &str = "bearer";

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, doc: &mut OpenApiDoc) {
        let components = doc.components.get_or_insert_with(openapi::Components::new);
        let mut scheme = Http::new(HttpAuthScheme::Bearer);
        scheme.bearer_format = Some("JWT".into());
        components.add_security_scheme(BEARER, SecurityScheme::Http(scheme));
    }
}

/// The base document (info, components, tags) before routes add their paths.
pub fn base() -> OpenApiDoc {
    ApiDoc::openapi()
}

/// The whole document, as served at `/api-docs/openapi.json` and printed by `motcua openapi`.
pub fn openapi() -> OpenApiDoc {
    let (_, doc) =
        App::new().into_utoipa_app().openapi(base()).configure(crate::routes::configure).split_for_parts();
    doc
}

/// The document as committed in `openapi/openapi.json`.
pub fn openapi_json() -> String {
    let mut text = openapi().to_pretty_json().expect("the OpenAPI document serializes");
    text.push('\n');
    text
}
