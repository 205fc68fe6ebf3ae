use std::time::Duration;

use actix_web::{HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::audit::Recorder;
use crate::db::{Db, ping};
use crate::error::{ApiError, Problem};
use crate::http::responses as r;
use crate::ops::metrics::Metrics;

#[derive(Serialize, ToSchema)]
pub struct Health {
    #[schema(example = "ok")]
    pub status: &'static str,
}

/// Readiness waits at most this long for a connection: a probe must answer quickly.
const READY_TIMEOUT: Duration = Duration::from_secs(2);

// The probes and the metrics are open to anyone (`security()`: no requirement). Their only client
// error is the one every route shares: a NUL (`%00`) in the path or query answers 400.

/// Liveness: the process is up and serving HTTP.
///
/// Public, for load balancers and orchestrators; it touches nothing else.
#[utoipa::path(
    operation_id = "operations_healthz",
    tag = "operations",
    responses((status = 200, description = "Up", body = Health), (status = 400, response = r::BadRequest)),
    security()
)]
#[get("/healthz")]
pub async fn healthz() -> web::Json<Health> {
    web::Json(Health { status: "ok" })
}

/// Readiness: the database answers.
///
/// Public, for load balancers and orchestrators: 503 while the database does not answer; it
/// recovers by itself when it does.
#[utoipa::path(
    operation_id = "operations_readyz",
    tag = "operations",
    responses(
        (status = 200, description = "Ready", body = Health),
        (status = 400, response = r::BadRequest),
        (status = 503, description = "Database unreachable", body = Problem, content_type = "application/problem+json"),
    ),
    security()
)]
#[get("/readyz")]
pub async fn readyz(db: web::Data<Db>) -> Result<web::Json<Health>, ApiError> {
    let pool = db.pool().clone();
    web::block(move || {
        let mut conn = pool.get_timeout(READY_TIMEOUT).map_err(|e| ApiError::Unavailable(e.into()))?;
        ping(&mut conn).map_err(|e| ApiError::Unavailable(e.into()))
    })
    .await
    .map_err(|e| ApiError::Internal(e.into()))??;
    Ok(web::Json(Health { status: "ready" }))
}

/// Prometheus metrics.
///
/// Public, for the scraper (keep it off the public network): requests by route and status, latency
/// histogram, connection pool usage, audit records of reads lost.
#[utoipa::path(
    operation_id = "operations_metrics",
    tag = "operations",
    responses(
        (status = 200, description = "Prometheus text exposition format", body = String, content_type = "text/plain"),
        (status = 400, response = r::BadRequest),
    ),
    security()
)]
#[get("/metrics")]
pub async fn metrics(
    metrics: web::Data<Metrics>,
    db: web::Data<Db>,
    reads: web::Data<Recorder>,
) -> Result<HttpResponse, ApiError> {
    let body = metrics.render(db.pool().state(), reads.lost())?;
    Ok(HttpResponse::Ok().content_type("text/plain; version=0.0.4; charset=utf-8").body(body))
}
