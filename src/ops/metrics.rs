//! Prometheus metrics. Request counts and latencies come from `actix-web-prom`'s middleware
//! (labelled by route pattern, so ids do not explode the label set); pool gauges are read from
//! r2d2 at scrape time, and so is the count of audit records of reads lost (`audit::recorder`).

use anyhow::Context;
use prometheus::{Encoder, IntGauge, Registry, TextEncoder};

use crate::error::ApiError;

#[derive(Clone)]
pub struct Metrics {
    registry: Registry,
    pool_connections: IntGauge,
    pool_idle: IntGauge,
    pool_max: IntGauge,
    audit_reads_lost: IntGauge,
}

impl Metrics {
    pub fn new(pool_max: u32) -> Result<Self, prometheus::Error> {
        let registry = Registry::new();
        let gauge = |name: &str, help: &str| -> Result<IntGauge, prometheus::Error> {
            let g = IntGauge::new(name, help)?;
            registry.register(Box::new(g.clone()))?;
            Ok(g)
        };
        let metrics = Self {
            pool_connections: gauge("motcua_db_pool_connections", "Open database connections")?,
            pool_idle: gauge("motcua_db_pool_idle_connections", "Idle database connections")?,
            pool_max: gauge("motcua_db_pool_max_connections", "Largest pool size")?,
            audit_reads_lost: gauge(
                "motcua_audit_reads_lost",
                "Audit records of reads dropped (queue full) or lost to a failed write since start",
            )?,
            registry,
        };
        metrics.pool_max.set(i64::from(pool_max));
        Ok(metrics)
    }

    pub fn registry(&self) -> Registry {
        self.registry.clone()
    }

    /// The request-metrics middleware, recording into the same registry.
    pub fn middleware(&self) -> Result<actix_web_prom::PrometheusMetrics, anyhow::Error> {
        actix_web_prom::PrometheusMetricsBuilder::new("motcua")
            .registry(self.registry())
            .mask_unmatched_patterns("UNMATCHED")
            // Static Swagger UI assets: a wildcard route the middleware cannot label.
            .exclude_regex("^/swagger-ui")
            .build()
            .map_err(|e| anyhow::anyhow!("metrics middleware: {e}"))
    }

    pub fn render(&self, pool: diesel::r2d2::State, audit_reads_lost: u64) -> Result<String, ApiError> {
        self.pool_connections.set(i64::from(pool.connections));
        self.audit_reads_lost.set(i64::try_from(audit_reads_lost).unwrap_or(i64::MAX));
        self.pool_idle.set(i64::from(pool.idle_connections));
        let mut out = Vec::new();
        TextEncoder::new().encode(&self.registry.gather(), &mut out).context("encoding metrics")?;
        String::from_utf8(out).context("metrics are not UTF-8").map_err(ApiError::from)
    }
}
