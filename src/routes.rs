//! Every route of the API, in the order actix matches them. The server (`startup`) serves these
//! registrations and the OpenAPI document (`api_doc`) is generated from them, so the two cannot
//! disagree.

use utoipa_actix_web::service_config::ServiceConfig;

use crate::{
    agencies, audit, auth, calendar, catalogue, citizens, dossiers, feedback, integration, meta,
    notifications, ops, reports, service_accounts, surveys, users,
};

/// Every route: the operations endpoints at the root, the API under `/api/v1`.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(ops::routes::healthz).service(ops::routes::readyz).service(ops::routes::metrics).service(
        utoipa_actix_web::scope("/api/v1")
            .configure(reference_data)
            .configure(public_reads)
            .configure(dossier_routes)
            .configure(citizen_voice)
            .configure(report_routes)
            .configure(integration_routes)
            .configure(accounts)
            .configure(audit_routes),
    );
}

/// Sign-in, the labels, and the data the desk is set up with: agencies, calendar, procedures.
fn reference_data(cfg: &mut ServiceConfig) {
    cfg.service(auth::routes::issue_token)
        .service(auth::routes::logout)
        .service(users::me::me)
        .service(users::me::update_me)
        .service(meta::routes::get_labels)
        .service(agencies::routes::list_agencies)
        .service(agencies::routes::create_agency)
        .service(agencies::routes::get_agency)
        .service(agencies::routes::update_agency)
        .service(calendar::routes::get_schedule)
        .service(calendar::routes::put_schedule)
        .service(calendar::routes::delete_schedule)
        .service(calendar::routes::list_days_off)
        .service(calendar::routes::create_day_off)
        .service(calendar::routes::delete_day_off)
        .service(calendar::routes::preview_due)
        .service(catalogue::routes::list_procedures)
        .service(catalogue::routes::create_procedure)
        .service(catalogue::routes::import_procedures)
        .service(catalogue::routes::get_procedure)
        .service(catalogue::routes::update_procedure);
}

/// What anyone reads without signing in, cacheable: the active catalogue, the agencies that
/// receive dossiers, the published answers to feedback, and a dossier by its code and check.
fn public_reads(cfg: &mut ServiceConfig) {
    cfg.service(catalogue::public::list_public_procedures)
        .service(catalogue::public::get_public_procedure)
        .service(agencies::public::list_public_agencies)
        .service(feedback::public::list_published_feedback)
        .service(dossiers::routes::slips::public_dossier);
}

/// Dossiers, and a dossier in the national portal's shape.
fn dossier_routes(cfg: &mut ServiceConfig) {
    cfg.service(dossiers::routes::write::create_dossier)
        .service(dossiers::routes::read::list_dossiers)
        // Before /dossiers/{id}, which would otherwise take "worklist" for an id.
        .service(dossiers::routes::read::worklist)
        .service(dossiers::routes::read::get_dossier)
        .service(dossiers::routes::write::update_dossier)
        .service(dossiers::routes::read::dossier_history)
        .service(dossiers::routes::read::dossier_hops)
        .service(dossiers::routes::slips::dossier_receipt)
        .service(dossiers::routes::forms::dossier_form)
        .service(dossiers::routes::steps::accept)
        .service(dossiers::routes::steps::request_supplement)
        .service(dossiers::routes::steps::supplement)
        .service(dossiers::routes::steps::assign)
        .service(dossiers::routes::steps::resolve)
        .service(dossiers::routes::steps::return_result)
        .service(dossiers::routes::steps::withdraw)
        .service(dossiers::routes::steps::reject)
        .service(dossiers::routes::steps::apologize)
        .service(dossiers::routes::steps::approve)
        .service(dossiers::routes::steps::send_back)
        .service(dossiers::routes::steps::transfer)
        .service(dossiers::files::routes::upload_file)
        .service(dossiers::files::routes::list_files)
        .service(dossiers::files::routes::download_file)
        .service(dossiers::files::routes::file_link)
        .service(dossiers::files::routes::delete_file)
        .service(dossiers::files::routes::download_by_link)
        .service(integration::dvcqg::routes::get_dvcqg_dossier)
        .service(integration::dvcqg::routes::get_dvcqg_progress)
        .service(integration::dvcqg::routes::record_dvcqg_sync)
        .service(integration::dvcqg::routes::list_dvcqg_pending);
}

/// What citizens say: satisfaction surveys, complaints and feedback.
fn citizen_voice(cfg: &mut ServiceConfig) {
    cfg.service(surveys::routes::create_survey)
        .service(surveys::routes::get_survey)
        .service(surveys::routes::list_surveys)
        .service(feedback::routes::write::create_feedback)
        .service(feedback::routes::read::list_feedback)
        // Before /feedback/{id}, which would otherwise take "worklist" for an id.
        .service(feedback::routes::read::feedback_worklist)
        .service(feedback::routes::read::get_feedback)
        .service(feedback::routes::read::feedback_history)
        .service(feedback::routes::steps::process)
        .service(feedback::routes::steps::respond)
        .service(feedback::routes::steps::reject)
        .service(feedback::routes::steps::forward)
        .service(feedback::routes::steps::publish)
        .service(feedback::routes::limits::get_feedback_limit)
        .service(feedback::routes::limits::put_feedback_limit);
}

fn report_routes(cfg: &mut ServiceConfig) {
    cfg.service(reports::routes::summary)
        .service(reports::drilldown::routes::summary_dossiers)
        .service(reports::routes::timeseries)
        .service(reports::routes::officers)
        .service(reports::routes::register)
        .service(reports::routes::get_targets)
        .service(reports::routes::put_targets);
}

/// The event feed and webhooks.
fn integration_routes(cfg: &mut ServiceConfig) {
    cfg.service(integration::events::list_events)
        .service(integration::webhooks::routes::create_webhook)
        .service(integration::webhooks::routes::list_webhooks)
        .service(integration::webhooks::routes::get_webhook)
        .service(integration::webhooks::routes::update_webhook)
        .service(integration::webhooks::routes::delete_webhook)
        .service(integration::webhooks::routes::list_deliveries)
        .service(integration::webhooks::routes::retry_delivery);
}

/// Staff, citizen and service accounts, and what citizens are told.
fn accounts(cfg: &mut ServiceConfig) {
    cfg.service(citizens::routes::register)
        .service(citizens::routes::verify)
        .service(citizens::routes::request_reset)
        .service(citizens::routes::confirm_reset)
        .service(notifications::routes::list_notifications)
        .service(notifications::routes::retry_notification)
        .service(users::routes::list_users)
        .service(users::routes::create_user)
        .service(users::routes::get_user)
        .service(users::routes::update_user)
        .service(users::sessions::end_sessions)
        .service(service_accounts::routes::list_service_accounts)
        .service(service_accounts::routes::create_service_account)
        .service(service_accounts::routes::get_service_account)
        .service(service_accounts::routes::update_service_account)
        .service(service_accounts::routes::rotate_service_account_secret);
}

/// The audit trail, for administrators.
fn audit_routes(cfg: &mut ServiceConfig) {
    cfg.service(audit::routes::list_audit);
}
