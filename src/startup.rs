//! Builds the application from `Settings`: database, state, routes, middleware, server.

use std::net::TcpListener;
use std::time::Duration;

use actix_cors::Cors;
use actix_web::dev::Server;
use actix_web::middleware::from_fn;
use actix_web::{App, HttpResponse, HttpServer, http::header, web};
use anyhow::Context;
use tracing_actix_web::TracingLogger;
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::{Config, SwaggerUi};

use crate::audit::recorder::{self, Recorder, RecorderHandle};
use crate::auth::throttle::{LoginThrottle, ThrottleConfig};
use crate::auth::tokens::{TokenKeys, random_secret};
use crate::calendar::cache::CalendarCache;
use crate::db::{self, DatabaseUrl, Db, PoolOptions};
use crate::dossiers::files::Files;
use crate::dossiers::files::link::LinkKeys;
use crate::dossiers::lookup::LookupThrottle;
use crate::file_store::FileStore;
use crate::http::extract::{MAX_JSON_BYTES, path_config};
use crate::http::fallback::{RouteTable, not_matched};
use crate::http::request_id;
use crate::integration::webhooks::routes::TargetPolicy;
use crate::integration::webhooks::worker::{self, WorkerHandle};
use crate::ops::metrics::Metrics;
use crate::settings::{DatabaseSettings, MIN_JWT_SECRET_BYTES, Settings};

/// How long shutdown waits for requests in flight.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(20);

pub struct Application {
    port: u16,
    server: Server,
    webhooks: Option<WorkerHandle>,
    notifications: Option<crate::notifications::worker::WorkerHandle>,
    sweeper: tokio::task::JoinHandle<()>,
    audit: RecorderHandle,
}

/// Open the pool and bring the schema up to date. Blocking: call off the event loop.
/// Takes the database settings alone or within the service's.
pub fn open_database(settings: &impl AsRef<DatabaseSettings>, url: &DatabaseUrl) -> anyhow::Result<Db> {
    let settings = settings.as_ref();
    let options = PoolOptions {
        max_size: settings.pool_size.max(1),
        acquire_timeout: settings.timeout(),
        sqlite_synchronous: settings.sqlite_synchronous,
    };
    let pool = db::build_pool(url, &options)?;
    let mut conn = pool.get().context("no database connection for migrations")?;
    db::run_migrations(&mut conn)?;
    if crate::reports::counters::rebuild_if_empty(&mut conn).map_err(|e| anyhow::anyhow!("{e}"))? {
        tracing::info!("counted the existing dossiers for the reports");
    }
    Ok(Db::new(pool, url))
}

/// The signing keys from `MOTCUA_JWT_SECRET`, or random ones (tokens then die with the process).
pub fn token_keys(settings: &Settings) -> anyhow::Result<TokenKeys> {
    let secret = match &settings.jwt_secret {
        Some(secret) if secret.len() >= MIN_JWT_SECRET_BYTES => secret.clone(),
        Some(_) => anyhow::bail!("MOTCUA_JWT_SECRET must be at least {MIN_JWT_SECRET_BYTES} bytes"),
        None => {
            tracing::warn!(
                "MOTCUA_JWT_SECRET is not set: using a random key; tokens will not survive a restart"
            );
            random_secret()
        }
    };
    Ok(TokenKeys::new(
        secret.as_bytes(),
        Duration::from_secs(settings.access_token_ttl_secs.max(1)),
        Duration::from_secs(settings.refresh_token_ttl_days.max(1) * 24 * 3600),
    ))
}

/// The files' store, the upload limit and the keys of signed links.
pub fn files(settings: &Settings) -> anyhow::Result<Files> {
    let store = FileStore::open(&settings.files_url())?;
    let secret = settings.jwt_secret.clone().unwrap_or_else(random_secret);
    Ok(Files { store, max_bytes: settings.files_max_bytes.max(1), links: LinkKeys::new(secret.as_bytes()) })
}

/// Sweep the file store of objects no row names, a minute after start and then every hour.
fn spawn_sweeper(db: Db, store: FileStore) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut every = tokio::time::interval_at(
            tokio::time::Instant::now() + Duration::from_secs(60),
            crate::dossiers::files::SWEEP_AFTER,
        );
        loop {
            every.tick().await;
            if let Err(e) =
                crate::dossiers::files::sweep(&db, &store, crate::dossiers::files::SWEEP_AFTER).await
            {
                tracing::warn!(error = %e, "the file sweep failed; it runs again in an hour");
            }
        }
    })
}

impl Application {
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let url: DatabaseUrl = settings.database.url.parse()?;
        let keys = token_keys(&settings)?;
        let db = {
            let (settings, url) = (settings.clone(), url.clone());
            actix_web::rt::task::spawn_blocking(move || open_database(&settings, &url)).await??
        };
        let listener = TcpListener::bind(&settings.bind)
            .with_context(|| format!("cannot listen on {}", settings.bind))?;
        let port = listener.local_addr()?.port();
        let files = files(&settings)?;
        let channels = crate::notifications::channels::Channels::from_settings(&settings)?;
        let sweeper = spawn_sweeper(db.clone(), files.store.clone());
        // A server that cannot start drops the recorder's every sender: its task then ends.
        let (reads, audit) = recorder::spawn(db.clone());
        let server = serve(listener, db.clone(), keys, files, reads, &settings)?;
        // After the server, so that a server that cannot start leaves no worker behind.
        let webhooks = match settings.webhook_worker {
            true => Some(worker::spawn(db.clone(), worker::WorkerConfig::from_settings(&settings))?),
            false => None,
        };
        tracing::info!("notifications: {}", channels.describe());
        let notifications = settings.notify_worker.then(|| {
            let config = crate::notifications::worker::WorkerConfig::from_settings(&settings);
            crate::notifications::worker::spawn(db.clone(), channels, config)
        });
        tracing::info!(address = %settings.bind, port, database = %url, "motcua is listening");
        Ok(Self { port, server, webhooks, notifications, sweeper, audit })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// A handle to stop the server from outside (tests).
    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }

    /// Runs until SIGTERM or SIGINT, then stops accepting and lets requests in flight finish.
    /// The audit recorder then writes the reads still queued, and the webhook worker finishes
    /// the delivery in flight; both are waited for.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let result = self.server.await;
        self.sweeper.abort();
        self.audit.stop().await;
        if let Some(webhooks) = self.webhooks {
            webhooks.stop().await;
        }
        if let Some(notifications) = self.notifications {
            notifications.stop().await;
        }
        result
    }
}

fn cors(settings: &Settings) -> Cors {
    let mut cors = Cors::default()
        .allowed_methods(["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
        .allowed_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::ACCEPT,
            header::ACCEPT_LANGUAGE,
            header::IF_MATCH,
            header::IF_NONE_MATCH,
            header::HeaderName::from_static("idempotency-key"),
        ])
        .expose_headers([header::ETAG, header::LOCATION, header::RETRY_AFTER, request_id::HEADER])
        .max_age(3600)
        // A request from an origin not on the list still gets its answer, without CORS headers:
        // the browser withholds it; curl and server-to-server callers are unaffected.
        .block_on_origin_mismatch(false);
    for origin in settings.cors_origins() {
        cors = if origin == "*" { cors.allow_any_origin() } else { cors.allowed_origin(origin) };
    }
    cors
}

/// Where the OpenAPI document is served, and Swagger UI loads it from.
const OPENAPI_PATH: &str = "/api-docs/openapi.json";

/// The OpenAPI document, serialized once at start.
struct OpenApiJson(web::Bytes);

async fn openapi_document(document: web::Data<OpenApiJson>) -> HttpResponse {
    HttpResponse::Ok().content_type("application/json").body(document.0.clone())
}

fn serve(
    listener: TcpListener,
    db: Db,
    keys: TokenKeys,
    files: Files,
    reads: Recorder,
    settings: &Settings,
) -> anyhow::Result<Server> {
    let metrics = Metrics::new(settings.database.pool_size)?;
    let document = crate::api_doc::openapi();
    let routes = RouteTable::from_openapi(&document);
    // One serialized copy of the document for every worker: handed to Swagger UI, each worker
    // kept its own tree of it, megabytes of the idle server's memory (bench/README.md).
    let document = web::Data::new(OpenApiJson(web::Bytes::from(serde_json::to_vec(&document)?)));
    let metrics_data = web::Data::new(metrics.clone());
    let routes = web::Data::new(routes);
    let keys = web::Data::new(keys);
    let files = web::Data::new(files);
    let code_keys = web::Data::new(crate::citizens::codes::CodeKeys::new(
        // Without MOTCUA_JWT_SECRET, codes (like tokens) do not outlive the process.
        settings.jwt_secret.clone().unwrap_or_else(random_secret).as_bytes(),
    ));
    let code_limits = web::Data::new(crate::citizens::limits::CodeLimits::default());
    let reads = web::Data::new(reads);
    let throttle = web::Data::new(LoginThrottle::new(ThrottleConfig::default()));
    let lookups = web::Data::new(LookupThrottle::new(settings.lookup_per_minute));
    let tree = crate::auth::scope::TreeVersion::default();
    let calendars = web::Data::new(CalendarCache::new(tree.clone()));
    let tree = web::Data::new(tree);
    let accounts = web::Data::new(crate::auth::accounts::AccountStates::default());
    let proxies = web::Data::new(settings.trusted_proxies.clone());
    let public_url = web::Data::new(settings.public_url.clone());
    let targets = web::Data::new(TargetPolicy { allow_private: settings.webhook_allow_private });
    let settings_for_app = settings.clone();
    let prometheus = metrics.middleware()?;

    let mut server = HttpServer::new(move || {
        // The document the routes describe is built once above; the one the app builder
        // collects here is dropped.
        let (app, _) = App::new()
            .into_utoipa_app()
            .openapi(crate::api_doc::base())
            .app_data(web::Data::new(db.for_worker()))
            .app_data(metrics_data.clone())
            .app_data(routes.clone())
            .app_data(keys.clone())
            .app_data(files.clone())
            .app_data(code_keys.clone())
            .app_data(code_limits.clone())
            .app_data(reads.clone())
            .app_data(throttle.clone())
            .app_data(lookups.clone())
            .app_data(calendars.clone())
            .app_data(tree.clone())
            .app_data(accounts.clone())
            .app_data(targets.clone())
            .app_data(proxies.clone())
            .app_data(public_url.clone())
            .app_data(path_config())
            .app_data(web::PayloadConfig::new(MAX_JSON_BYTES))
            .configure(crate::routes::configure)
            .split_for_parts();
        // A tail segment, not a regex one (`{_:.*}`): the metrics middleware labels a request by
        // its route's pattern with every `{name}` formatted in, and a segment holding a regex is
        // no format placeholder; it logged "Cannot build mixed cardinality pattern" for each
        // of Swagger UI's files.
        app.service(SwaggerUi::new("/swagger-ui/{tail}*").config(Config::from(OPENAPI_PATH)))
            .app_data(document.clone())
            .route(OPENAPI_PATH, web::get().to(openapi_document))
            .route(
                "/swagger-ui",
                web::get().to(|| async {
                    HttpResponse::PermanentRedirect()
                        .insert_header((header::LOCATION, "/swagger-ui/"))
                        .finish()
                }),
            )
            .default_service(web::to(not_matched))
            // Last registered runs first: CORS, then tracing (which makes the request id),
            // then metrics, the id echo, and the language of problem documents around every
            // source of them (the NUL guard, extractors, handlers, the default service).
            .wrap(from_fn(crate::http::guard::reject_nul))
            .wrap(from_fn(crate::http::language::negotiate))
            .wrap(from_fn(request_id::echo))
            .wrap(prometheus.clone())
            .wrap(TracingLogger::<crate::telemetry::RequestSpan>::new())
            .wrap(cors(&settings_for_app))
    })
    .listen(listener)?
    .shutdown_timeout(SHUTDOWN_GRACE.as_secs());
    if let Some(workers) = settings.workers {
        server = server.workers(workers.max(1));
    }
    Ok(server.run())
}
