//! What answers when no route matched: 405 with `Allow` when the path exists under another
//! method, 404 otherwise, both as problem documents.
//!
//! actix registers each `#[get]`/`#[post]` handler as its own guarded resource, so a wrong method
//! falls through to the default service like an unknown path. The table of known paths and their
//! methods is taken from the OpenAPI document, which utoipa-actix-web builds from the same route
//! registrations, so it cannot drift from the routes.

use std::sync::Arc;

use actix_web::dev::ResourceDef;
use actix_web::{HttpRequest, HttpResponse, web};
use utoipa::openapi::OpenApi;

use crate::error::ApiError;
use crate::i18n::Text;

#[derive(Clone)]
pub struct RouteTable {
    routes: Arc<Vec<(ResourceDef, Vec<String>)>>,
}

impl RouteTable {
    pub fn from_openapi(doc: &OpenApi) -> Self {
        let routes = doc
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let mut methods = Vec::new();
                let ops = [
                    ("GET", item.get.is_some()),
                    ("POST", item.post.is_some()),
                    ("PUT", item.put.is_some()),
                    ("PATCH", item.patch.is_some()),
                    ("DELETE", item.delete.is_some()),
                ];
                for (name, present) in ops {
                    if present {
                        methods.push(name.to_owned());
                    }
                }
                (ResourceDef::new(path.as_str()), methods)
            })
            .collect();
        Self { routes: Arc::new(routes) }
    }

    /// The methods a path accepts, if the path is known at all.
    pub fn allowed(&self, path: &str) -> Option<&[String]> {
        self.routes.iter().find(|(def, _)| def.is_match(path)).map(|(_, m)| m.as_slice())
    }
}

/// The app's default service. Answers with the error itself (not its response), so that actix
/// keeps it on the response and the language middleware can render it.
pub async fn not_matched(req: HttpRequest, table: web::Data<RouteTable>) -> Result<HttpResponse, ApiError> {
    Err(match table.allowed(req.path()) {
        Some(methods) if !methods.iter().any(|m| m == req.method().as_str()) => {
            ApiError::MethodNotAllowed { allow: methods.to_vec() }
        }
        _ => ApiError::NotFound(Text::new(
            format!("Không có đường dẫn {} trong API", req.path()),
            format!("no route for {}", req.path()),
        )),
    })
}
