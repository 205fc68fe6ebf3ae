//! Every endpoint × every role × the target's agency (the caller's own, one below it, another
//! province's), asserting the exact status. Outside the scope is 404, not 403, so ids cannot be
//! probed. Grow this table with every endpoint.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{ADMIN_PASSWORD, TestApp, spawn_app_with};

#[derive(Clone, Copy, Debug)]
enum Rel {
    Own,
    Child,
    Foreign,
}

/// Columns of the expectation rows.
const CALLERS: [&str; 6] = ["admin", "leader", "officer", "integration", "citizen", "anonymous"];

#[rustfmt::skip]
const MATRIX: &[(&str, Rel, [u16; 6])] = {
    use Rel::*;
    &[
        // endpoint                              target    admin leader officer integr citizen anon
        ("GET /api/v1/me",                          Own,     [200, 200, 200, 200, 200, 401]),
        ("PATCH /api/v1/me",                        Own,     [200, 200, 200, 403, 200, 401]),
        // A citizen's own account: anonymous by nature; codes are never right here.
        ("POST /api/v1/citizens",                   Own,     [202, 202, 202, 202, 202, 202]),
        ("POST /api/v1/citizens/verify",            Own,     [422, 422, 422, 422, 422, 422]),
        ("POST /api/v1/citizens/password-reset",    Own,     [202, 202, 202, 202, 202, 202]),
        ("POST /api/v1/citizens/password-reset/confirm", Own, [422, 422, 422, 422, 422, 422]),
        // Notifications: a system administrator's (not an agency's) and each citizen's own.
        ("GET /api/v1/notifications",               Own,     [403, 403, 403, 403, 200, 401]),
        ("POST /api/v1/notifications/{notification}/retry", Own, [403, 403, 403, 403, 403, 401]),
        ("GET /api/v1/meta/labels",                 Own,     [200, 200, 200, 200, 200, 200]),
        ("POST /api/v1/auth/logout",                Own,     [204, 204, 204, 204, 204, 401]),
        ("GET /api/v1/agencies",                    Own,     [200, 200, 200, 200, 200, 401]),
        ("GET /api/v1/agencies/{agency}",           Own,     [200, 200, 200, 200, 200, 401]),
        ("GET /api/v1/agencies/{agency}",           Child,   [200, 200, 404, 404, 200, 401]),
        ("GET /api/v1/agencies/{agency}",           Foreign, [404, 404, 404, 404, 200, 401]),
        ("PATCH /api/v1/agencies/{agency}",         Own,     [200, 403, 403, 403, 403, 401]),
        ("PATCH /api/v1/agencies/{agency}",         Child,   [200, 403, 403, 403, 403, 401]),
        ("PATCH /api/v1/agencies/{agency}",         Foreign, [404, 403, 403, 403, 403, 401]),
        // A commune under the target: fine under a province, a level error under a commune.
        ("POST /api/v1/agencies",                   Own,     [201, 403, 403, 403, 403, 401]),
        ("POST /api/v1/agencies",                   Child,   [422, 403, 403, 403, 403, 401]),
        ("POST /api/v1/agencies",                   Foreign, [422, 403, 403, 403, 403, 401]),
        ("GET /api/v1/users",                       Own,     [200, 200, 200, 403, 403, 401]),
        ("GET /api/v1/users/{user}",                Own,     [200, 200, 200, 403, 403, 401]),
        ("GET /api/v1/users/{user}",                Child,   [200, 200, 404, 403, 403, 401]),
        ("GET /api/v1/users/{user}",                Foreign, [404, 404, 404, 403, 403, 401]),
        ("PATCH /api/v1/users/{user}",              Own,     [200, 403, 403, 403, 403, 401]),
        ("PATCH /api/v1/users/{user}",              Child,   [200, 403, 403, 403, 403, 401]),
        ("PATCH /api/v1/users/{user}",              Foreign, [404, 403, 403, 403, 403, 401]),
        ("DELETE /api/v1/users/{user}/sessions",    Own,     [204, 403, 403, 403, 403, 401]),
        ("DELETE /api/v1/users/{user}/sessions",    Child,   [204, 403, 403, 403, 403, 401]),
        ("DELETE /api/v1/users/{user}/sessions",    Foreign, [404, 403, 403, 403, 403, 401]),
        ("POST /api/v1/users",                      Own,     [201, 403, 403, 403, 403, 401]),
        ("POST /api/v1/users",                      Child,   [201, 403, 403, 403, 403, 401]),
        ("POST /api/v1/users",                      Foreign, [422, 403, 403, 403, 403, 401]),
        ("GET /api/v1/service-accounts",            Own,     [200, 403, 403, 403, 403, 401]),
        ("POST /api/v1/service-accounts",           Own,     [201, 403, 403, 403, 403, 401]),
        ("POST /api/v1/service-accounts",           Child,   [201, 403, 403, 403, 403, 401]),
        ("POST /api/v1/service-accounts",           Foreign, [422, 403, 403, 403, 403, 401]),
        ("GET /api/v1/service-accounts/{sa}",       Own,     [200, 403, 403, 403, 403, 401]),
        ("GET /api/v1/service-accounts/{sa}",       Child,   [200, 403, 403, 403, 403, 401]),
        ("GET /api/v1/service-accounts/{sa}",       Foreign, [404, 403, 403, 403, 403, 401]),
        ("PATCH /api/v1/service-accounts/{sa}",     Own,     [200, 403, 403, 403, 403, 401]),
        ("PATCH /api/v1/service-accounts/{sa}",     Child,   [200, 403, 403, 403, 403, 401]),
        ("PATCH /api/v1/service-accounts/{sa}",     Foreign, [404, 403, 403, 403, 403, 401]),
        ("POST /api/v1/service-accounts/{sa}/secret", Own,   [200, 403, 403, 403, 403, 401]),
        ("POST /api/v1/service-accounts/{sa}/secret", Child, [200, 403, 403, 403, 403, 401]),
        ("POST /api/v1/service-accounts/{sa}/secret", Foreign, [404, 403, 403, 403, 403, 401]),
        ("GET /api/v1/calendar/days-off",           Own,     [200, 200, 200, 200, 200, 401]),
        ("GET /api/v1/calendar/days-off",           Child,   [200, 200, 404, 404, 200, 401]),
        ("GET /api/v1/calendar/days-off",           Foreign, [404, 404, 404, 404, 200, 401]),
        ("POST /api/v1/calendar/days-off",          Own,     [201, 403, 403, 403, 403, 401]),
        ("POST /api/v1/calendar/days-off",          Child,   [201, 403, 403, 403, 403, 401]),
        ("POST /api/v1/calendar/days-off",          Foreign, [422, 403, 403, 403, 403, 401]),
        ("DELETE /api/v1/calendar/days-off/{day}",  Own,     [204, 403, 403, 403, 403, 401]),
        ("DELETE /api/v1/calendar/days-off/{day}",  Child,   [204, 403, 403, 403, 403, 401]),
        ("DELETE /api/v1/calendar/days-off/{day}",  Foreign, [404, 403, 403, 403, 403, 401]),
        ("GET /api/v1/calendar/due",                Own,     [200, 200, 200, 200, 200, 401]),
        ("GET /api/v1/calendar/due",                Child,   [200, 200, 404, 404, 200, 401]),
        ("GET /api/v1/calendar/due",                Foreign, [404, 404, 404, 404, 200, 401]),
        ("GET /api/v1/agencies/{agency}/schedule",  Own,     [200, 200, 200, 200, 200, 401]),
        ("GET /api/v1/agencies/{agency}/schedule",  Child,   [200, 200, 404, 404, 200, 401]),
        ("GET /api/v1/agencies/{agency}/schedule",  Foreign, [404, 404, 404, 404, 200, 401]),
        ("PUT /api/v1/agencies/{agency}/schedule",  Own,     [200, 403, 403, 403, 403, 401]),
        ("PUT /api/v1/agencies/{agency}/schedule",  Child,   [200, 403, 403, 403, 403, 401]),
        ("PUT /api/v1/agencies/{agency}/schedule",  Foreign, [404, 403, 403, 403, 403, 401]),
        ("DELETE /api/v1/agencies/{agency}/schedule", Own,   [204, 403, 403, 403, 403, 401]),
        ("DELETE /api/v1/agencies/{agency}/schedule", Child, [204, 403, 403, 403, 403, 401]),
        ("DELETE /api/v1/agencies/{agency}/schedule", Foreign, [404, 403, 403, 403, 403, 401]),
        // The catalogue is published information: everyone signed in reads every entry.
        ("GET /api/v1/procedures",                  Own,     [200, 200, 200, 200, 200, 401]),
        ("GET /api/v1/procedures/{procedure}",      Own,     [200, 200, 200, 200, 200, 401]),
        ("GET /api/v1/procedures/{procedure}",      Foreign, [200, 200, 200, 200, 200, 401]),
        ("POST /api/v1/procedures",                 Own,     [201, 403, 403, 403, 403, 401]),
        ("POST /api/v1/procedures",                 Child,   [201, 403, 403, 403, 403, 401]),
        ("POST /api/v1/procedures",                 Foreign, [422, 403, 403, 403, 403, 401]),
        ("PATCH /api/v1/procedures/{procedure}",    Own,     [200, 403, 403, 403, 403, 401]),
        ("PATCH /api/v1/procedures/{procedure}",    Child,   [200, 403, 403, 403, 403, 401]),
        ("PATCH /api/v1/procedures/{procedure}",    Foreign, [403, 403, 403, 403, 403, 401]),
        ("POST /api/v1/procedures/import",          Own,     [200, 403, 403, 403, 403, 401]),
        ("POST /api/v1/procedures/import",          Child,   [200, 403, 403, 403, 403, 401]),
        ("POST /api/v1/procedures/import",          Foreign, [422, 403, 403, 403, 403, 401]),
        // Dossiers: citizens see only their own (none here); actions target a withdrawn dossier,
        // so a caller who may act gets the lifecycle's 409 and nothing changes.
        ("GET /api/v1/dossiers",                    Own,     [200, 200, 200, 200, 200, 401]),
        ("POST /api/v1/dossiers",                   Own,     [201, 403, 201, 201, 422, 401]),
        ("POST /api/v1/dossiers",                   Child,   [201, 403, 422, 422, 422, 401]),
        ("POST /api/v1/dossiers",                   Foreign, [422, 403, 422, 422, 422, 401]),
        ("GET /api/v1/dossiers/worklist",           Own,     [200, 200, 200, 403, 403, 401]),
        ("GET /api/v1/dossiers/worklist",           Child,   [200, 200, 404, 403, 403, 401]),
        ("GET /api/v1/dossiers/worklist",           Foreign, [404, 404, 404, 403, 403, 401]),
        ("GET /api/v1/dossiers/{dossier}",          Own,     [200, 200, 200, 200, 404, 401]),
        ("GET /api/v1/dossiers/{dossier}",          Child,   [200, 200, 404, 404, 404, 401]),
        ("GET /api/v1/dossiers/{dossier}",          Foreign, [404, 404, 404, 404, 404, 401]),
        ("PATCH /api/v1/dossiers/{dossier}",        Own,     [200, 403, 200, 200, 404, 401]),
        ("PATCH /api/v1/dossiers/{dossier}",        Child,   [200, 403, 404, 404, 404, 401]),
        ("PATCH /api/v1/dossiers/{dossier}",        Foreign, [404, 404, 404, 404, 404, 401]),
        ("GET /api/v1/dossiers/{dossier}/history",  Own,     [200, 200, 200, 200, 404, 401]),
        ("GET /api/v1/dossiers/{dossier}/history",  Child,   [200, 200, 404, 404, 404, 401]),
        ("GET /api/v1/dossiers/{dossier}/history",  Foreign, [404, 404, 404, 404, 404, 401]),
        ("GET /api/v1/dossiers/{dossier}/receipt",  Own,     [200, 200, 200, 200, 404, 401]),
        ("GET /api/v1/dossiers/{dossier}/receipt",  Child,   [200, 200, 404, 404, 404, 401]),
        ("GET /api/v1/dossiers/{dossier}/receipt",  Foreign, [404, 404, 404, 404, 404, 401]),
        // The printable forms: whoever may read the dossier (here the control sheet).
        ("GET /api/v1/dossiers/{dossier}/forms/{form}", Own,  [200, 200, 200, 200, 404, 401]),
        ("GET /api/v1/dossiers/{dossier}/forms/{form}", Child, [200, 200, 404, 404, 404, 401]),
        ("GET /api/v1/dossiers/{dossier}/forms/{form}", Foreign, [404, 404, 404, 404, 404, 401]),
        // The national portal's shape: whoever may read the dossier.
        ("GET /api/v1/integrations/dvcqg/dossiers/{dossier}", Own, [200, 200, 200, 200, 404, 401]),
        ("GET /api/v1/integrations/dvcqg/dossiers/{dossier}", Child, [200, 200, 404, 404, 404, 401]),
        ("GET /api/v1/integrations/dvcqg/dossiers/{dossier}", Foreign, [404, 404, 404, 404, 404, 401]),
        ("GET /api/v1/integrations/dvcqg/dossiers/{dossier}/progress", Own, [200, 200, 200, 200, 404, 401]),
        ("GET /api/v1/integrations/dvcqg/dossiers/{dossier}/progress", Child, [200, 200, 404, 404, 404, 401]),
        ("GET /api/v1/integrations/dvcqg/dossiers/{dossier}/progress", Foreign, [404, 404, 404, 404, 404, 401]),
        // The portal's answers: admins and adapters, for the dossiers of their agencies.
        ("POST /api/v1/integrations/dvcqg/dossiers/{closed}/sync", Own, [200, 403, 403, 200, 403, 401]),
        ("POST /api/v1/integrations/dvcqg/dossiers/{closed}/sync", Child, [200, 403, 403, 404, 403, 401]),
        ("POST /api/v1/integrations/dvcqg/dossiers/{closed}/sync", Foreign, [404, 403, 403, 404, 403, 401]),
        ("GET /api/v1/integrations/dvcqg/pending",  Own,     [200, 403, 403, 200, 403, 401]),
        ("POST /api/v1/dossiers/{closed}/accept",   Own,     [409, 403, 409, 409, 404, 401]),
        ("POST /api/v1/dossiers/{closed}/accept",   Child,   [409, 403, 404, 404, 404, 401]),
        ("POST /api/v1/dossiers/{closed}/accept",   Foreign, [404, 404, 404, 404, 404, 401]),
        ("POST /api/v1/dossiers/{closed}/request-supplement", Own, [409, 403, 409, 409, 404, 401]),
        ("POST /api/v1/dossiers/{closed}/request-supplement", Foreign, [404, 404, 404, 404, 404, 401]),
        ("POST /api/v1/dossiers/{closed}/supplement", Own,   [409, 403, 409, 409, 404, 401]),
        ("POST /api/v1/dossiers/{closed}/supplement", Foreign, [404, 404, 404, 404, 404, 401]),
        ("POST /api/v1/dossiers/{closed}/assign",   Own,     [409, 403, 409, 409, 404, 401]),
        ("POST /api/v1/dossiers/{closed}/assign",   Foreign, [404, 404, 404, 404, 404, 401]),
        ("POST /api/v1/dossiers/{closed}/resolve",  Own,     [409, 403, 409, 409, 404, 401]),
        ("POST /api/v1/dossiers/{closed}/resolve",  Foreign, [404, 404, 404, 404, 404, 401]),
        ("POST /api/v1/dossiers/{closed}/return",   Own,     [409, 403, 409, 409, 404, 401]),
        ("POST /api/v1/dossiers/{closed}/return",   Foreign, [404, 404, 404, 404, 404, 401]),
        ("POST /api/v1/dossiers/{closed}/withdraw", Own,     [409, 403, 409, 409, 404, 401]),
        ("POST /api/v1/dossiers/{closed}/withdraw", Foreign, [404, 404, 404, 404, 404, 401]),
        ("POST /api/v1/dossiers/{closed}/reject",   Own,     [409, 403, 409, 409, 404, 401]),
        ("POST /api/v1/dossiers/{closed}/reject",   Foreign, [404, 404, 404, 404, 404, 401]),
        ("POST /api/v1/dossiers/{closed}/apologize", Own,    [409, 403, 409, 409, 404, 401]),
        ("POST /api/v1/dossiers/{closed}/apologize", Foreign, [404, 404, 404, 404, 404, 401]),
        // The leader's steps: a leader signs for their own agency only (403 for one above it).
        ("POST /api/v1/dossiers/{closed}/approve",  Own,     [409, 409, 403, 403, 404, 401]),
        ("POST /api/v1/dossiers/{closed}/approve",  Child,   [409, 403, 404, 404, 404, 401]),
        ("POST /api/v1/dossiers/{closed}/approve",  Foreign, [404, 404, 404, 404, 404, 401]),
        ("POST /api/v1/dossiers/{closed}/send-back", Own,    [409, 409, 403, 403, 404, 401]),
        ("POST /api/v1/dossiers/{closed}/send-back", Child,  [409, 403, 404, 404, 404, 401]),
        ("POST /api/v1/dossiers/{closed}/send-back", Foreign, [404, 404, 404, 404, 404, 401]),
        ("POST /api/v1/dossiers/{closed}/transfer", Own,     [409, 403, 409, 409, 404, 401]),
        ("POST /api/v1/dossiers/{closed}/transfer", Child,   [409, 403, 404, 404, 404, 401]),
        ("POST /api/v1/dossiers/{closed}/transfer", Foreign, [404, 404, 404, 404, 404, 401]),
        ("GET /api/v1/dossiers/{dossier}/hops",     Own,     [200, 200, 200, 200, 404, 401]),
        ("GET /api/v1/dossiers/{dossier}/hops",     Child,   [200, 200, 404, 404, 404, 401]),
        ("GET /api/v1/dossiers/{dossier}/hops",     Foreign, [404, 404, 404, 404, 404, 401]),
        // Files: uploads target a withdrawn dossier (no file may be added: 409 for who may
        // change files); reads and removal target a file of the open dossier (kept: 409).
        ("POST /api/v1/dossiers/{closed}/files",    Own,     [409, 403, 409, 409, 404, 401]),
        ("POST /api/v1/dossiers/{closed}/files",    Child,   [409, 403, 404, 404, 404, 401]),
        ("POST /api/v1/dossiers/{closed}/files",    Foreign, [404, 404, 404, 404, 404, 401]),
        ("GET /api/v1/dossiers/{closed}/files",     Own,     [200, 200, 200, 200, 404, 401]),
        ("GET /api/v1/dossiers/{closed}/files",     Child,   [200, 200, 404, 404, 404, 401]),
        ("GET /api/v1/dossiers/{closed}/files",     Foreign, [404, 404, 404, 404, 404, 401]),
        ("GET /api/v1/dossiers/{dossier}/files/{file}", Own, [200, 200, 200, 200, 404, 401]),
        ("GET /api/v1/dossiers/{dossier}/files/{file}", Child, [200, 200, 404, 404, 404, 401]),
        ("GET /api/v1/dossiers/{dossier}/files/{file}", Foreign, [404, 404, 404, 404, 404, 401]),
        ("POST /api/v1/dossiers/{dossier}/files/{file}/link", Own, [201, 201, 201, 201, 404, 401]),
        ("POST /api/v1/dossiers/{dossier}/files/{file}/link", Child, [201, 201, 404, 404, 404, 401]),
        ("POST /api/v1/dossiers/{dossier}/files/{file}/link", Foreign, [404, 404, 404, 404, 404, 401]),
        ("DELETE /api/v1/dossiers/{dossier}/files/{file}", Own, [409, 403, 409, 409, 404, 401]),
        ("DELETE /api/v1/dossiers/{dossier}/files/{file}", Child, [409, 403, 404, 404, 404, 401]),
        ("DELETE /api/v1/dossiers/{dossier}/files/{file}", Foreign, [404, 404, 404, 404, 404, 401]),
        // A signed link is its own credential: a made-up one opens nothing, whoever sends it.
        ("GET /api/v1/file-links/{token}",          Own,     [404, 404, 404, 404, 404, 404]),
        // One survey per dossier: the first caller allowed creates it, the next ones meet it.
        ("POST /api/v1/dossiers/{closed}/survey",   Own,     [201, 403, 409, 409, 404, 401]),
        ("POST /api/v1/dossiers/{closed}/survey",   Child,   [201, 403, 404, 404, 404, 401]),
        ("POST /api/v1/dossiers/{closed}/survey",   Foreign, [404, 404, 404, 404, 404, 401]),
        ("GET /api/v1/dossiers/{closed}/survey",    Own,     [200, 200, 200, 200, 404, 401]),
        ("GET /api/v1/dossiers/{closed}/survey",    Child,   [200, 200, 404, 404, 404, 401]),
        ("GET /api/v1/dossiers/{closed}/survey",    Foreign, [404, 404, 404, 404, 404, 401]),
        ("GET /api/v1/surveys",                     Own,     [200, 200, 200, 403, 403, 401]),
        // Feedback: citizens may file with any agency and read only their own (none here);
        // steps target rejected feedback, so a caller who may act gets the lifecycle's 409.
        ("GET /api/v1/feedback",                    Own,     [200, 200, 200, 200, 200, 401]),
        ("POST /api/v1/feedback",                   Own,     [201, 403, 201, 201, 201, 401]),
        ("POST /api/v1/feedback",                   Child,   [201, 403, 422, 422, 201, 401]),
        ("POST /api/v1/feedback",                   Foreign, [422, 403, 422, 422, 201, 401]),
        ("GET /api/v1/feedback/worklist",           Own,     [200, 200, 200, 403, 403, 401]),
        ("GET /api/v1/feedback/worklist",           Foreign, [404, 404, 404, 403, 403, 401]),
        ("GET /api/v1/feedback/{feedback}",         Own,     [200, 200, 200, 200, 404, 401]),
        ("GET /api/v1/feedback/{feedback}",         Child,   [200, 200, 404, 404, 404, 401]),
        ("GET /api/v1/feedback/{feedback}",         Foreign, [404, 404, 404, 404, 404, 401]),
        ("GET /api/v1/feedback/{feedback}/history", Own,     [200, 200, 200, 200, 404, 401]),
        ("GET /api/v1/feedback/{feedback}/history", Foreign, [404, 404, 404, 404, 404, 401]),
        ("POST /api/v1/feedback/{rejected}/process", Own,    [409, 403, 409, 409, 404, 401]),
        ("POST /api/v1/feedback/{rejected}/process", Child,  [409, 403, 404, 404, 404, 401]),
        ("POST /api/v1/feedback/{rejected}/process", Foreign, [404, 404, 404, 404, 404, 401]),
        ("POST /api/v1/feedback/{rejected}/respond", Own,    [409, 403, 409, 409, 404, 401]),
        ("POST /api/v1/feedback/{rejected}/respond", Foreign, [404, 404, 404, 404, 404, 401]),
        ("POST /api/v1/feedback/{rejected}/reject", Own,     [409, 403, 409, 409, 404, 401]),
        ("POST /api/v1/feedback/{rejected}/reject", Foreign, [404, 404, 404, 404, 404, 401]),
        ("POST /api/v1/feedback/{rejected}/forward", Own,    [409, 403, 409, 409, 404, 401]),
        ("POST /api/v1/feedback/{rejected}/forward", Foreign, [404, 404, 404, 404, 404, 401]),
        ("POST /api/v1/feedback/{rejected}/publish", Own,    [409, 403, 409, 409, 404, 401]),
        ("POST /api/v1/feedback/{rejected}/publish", Foreign, [404, 404, 404, 404, 404, 401]),
        ("GET /api/v1/agencies/{agency}/feedback-limit", Own, [200, 200, 200, 200, 200, 401]),
        ("GET /api/v1/agencies/{agency}/feedback-limit", Foreign, [404, 404, 404, 404, 200, 401]),
        ("PUT /api/v1/agencies/{agency}/feedback-limit", Own, [200, 403, 403, 403, 403, 401]),
        ("PUT /api/v1/agencies/{agency}/feedback-limit", Child, [200, 403, 403, 403, 403, 401]),
        ("PUT /api/v1/agencies/{agency}/feedback-limit", Foreign, [404, 403, 403, 403, 403, 401]),
        // Reports: leaders and admins of the agency or above; targets are read by staff and set from above.
        ("GET /api/v1/reports/summary",             Own,     [200, 200, 403, 403, 403, 401]),
        ("GET /api/v1/reports/summary",             Child,   [200, 200, 403, 403, 403, 401]),
        ("GET /api/v1/reports/summary",             Foreign, [404, 404, 403, 403, 403, 401]),
        // The dossiers behind a figure: exactly who reads the summary, with the same refusals.
        ("GET /api/v1/reports/summary/dossiers",    Own,     [200, 200, 403, 403, 403, 401]),
        ("GET /api/v1/reports/summary/dossiers",    Child,   [200, 200, 403, 403, 403, 401]),
        ("GET /api/v1/reports/summary/dossiers",    Foreign, [404, 404, 403, 403, 403, 401]),
        // The register (form 06): whoever may read the agency's reports.
        ("GET /api/v1/reports/register",            Own,     [200, 200, 403, 403, 403, 401]),
        ("GET /api/v1/reports/register",            Child,   [200, 200, 403, 403, 403, 401]),
        ("GET /api/v1/reports/register",            Foreign, [404, 404, 403, 403, 403, 401]),
        ("GET /api/v1/reports/timeseries",          Own,     [200, 200, 403, 403, 403, 401]),
        ("GET /api/v1/reports/timeseries",          Child,   [200, 200, 403, 403, 403, 401]),
        ("GET /api/v1/reports/timeseries",          Foreign, [404, 404, 403, 403, 403, 401]),
        ("GET /api/v1/reports/officers",            Own,     [200, 200, 403, 403, 403, 401]),
        ("GET /api/v1/reports/officers",            Child,   [200, 200, 403, 403, 403, 401]),
        ("GET /api/v1/reports/officers",            Foreign, [404, 404, 403, 403, 403, 401]),
        ("GET /api/v1/targets",                     Own,     [200, 200, 200, 403, 403, 401]),
        ("GET /api/v1/targets",                     Child,   [200, 200, 404, 403, 403, 401]),
        ("GET /api/v1/targets",                     Foreign, [404, 404, 404, 403, 403, 401]),
        ("PUT /api/v1/targets",                     Own,     [200, 403, 403, 403, 403, 401]),
        ("PUT /api/v1/targets",                     Child,   [200, 200, 403, 403, 403, 401]),
        ("PUT /api/v1/targets",                     Foreign, [404, 404, 403, 403, 403, 401]),
        // The event feed and webhooks: admins and service accounts; a subscription is its owner's
        // (here the system administrator's), so another admin or adapter gets 404.
        ("GET /api/v1/events",                      Own,     [200, 403, 403, 200, 403, 401]),
        ("GET /api/v1/webhooks",                    Own,     [200, 403, 403, 200, 403, 401]),
        ("POST /api/v1/webhooks",                   Own,     [201, 403, 403, 201, 403, 401]),
        ("GET /api/v1/webhooks/{webhook}",          Foreign, [404, 403, 403, 404, 403, 401]),
        ("PATCH /api/v1/webhooks/{webhook}",        Foreign, [404, 403, 403, 404, 403, 401]),
        ("DELETE /api/v1/webhooks/{webhook}",       Foreign, [404, 403, 403, 404, 403, 401]),
        ("GET /api/v1/webhooks/{webhook}/deliveries", Foreign, [404, 403, 403, 404, 403, 401]),
        ("POST /api/v1/webhooks/{webhook}/deliveries/{delivery}/retry", Foreign, [404, 403, 403, 404, 403, 401]),
        // The audit trail: administrators only, each within their scope (here an agency's
        // administrator at P, filtering by the target's agency).
        ("GET /api/v1/audit",                       Own,     [200, 403, 403, 403, 403, 401]),
        ("GET /api/v1/audit",                       Child,   [200, 403, 403, 403, 403, 401]),
        ("GET /api/v1/audit",                       Foreign, [404, 403, 403, 403, 403, 401]),
        // Public by design, a token or none: the active catalogue, the agencies that receive
        // dossiers, published answers, and a dossier's status by its code and check.
        ("GET /api/v1/public/procedures",           Own,     [200, 200, 200, 200, 200, 200]),
        ("GET /api/v1/public/procedures/{procedure}", Own,   [200, 200, 200, 200, 200, 200]),
        ("GET /api/v1/public/procedures/{procedure}", Foreign, [200, 200, 200, 200, 200, 200]),
        ("GET /api/v1/public/agencies",             Own,     [200, 200, 200, 200, 200, 200]),
        ("GET /api/v1/public/feedback",             Own,     [200, 200, 200, 200, 200, 200]),
        ("GET /api/v1/public/dossiers/{code}",      Own,     [200, 200, 200, 200, 200, 200]),
    ]
};

/// The agencies, users and service accounts of each relation, seen from callers at province P.
struct World {
    agencies: [String; 3],
    users: [String; 3],
    service_accounts: [String; 3],
    days: [String; 3],
    procedures: [String; 3],
    /// Open and rejected feedback at each agency.
    feedback: [String; 3],
    rejected: [String; 3],
    /// An open (processing) dossier at each agency, its code, and a withdrawn one.
    dossiers: [String; 3],
    codes: [String; 3],
    closed: [String; 3],
    /// A file of each open dossier.
    files: [String; 3],
    /// A webhook of the system administrator.
    webhook: String,
    tokens: Vec<Option<String>>,
}

fn index(rel: Rel) -> usize {
    rel as usize
}

async fn build_world(app: &TestApp) -> World {
    let root = app.admin_token().await;
    let p = app.create_agency(&root, "P", "province", None).await;
    let c = app.create_agency(&root, "P.C", "commune", Some(&p)).await;
    let q = app.create_agency(&root, "Q", "province", None).await;
    let agencies = [p.clone(), c.clone(), q.clone()];
    let mut users = Vec::new();
    let mut service_accounts = Vec::new();
    let mut days = Vec::new();
    let mut procedures = Vec::new();
    let mut dossiers = Vec::new();
    let mut codes = Vec::new();
    let mut closed = Vec::new();
    let mut files = Vec::new();
    let mut feedback = Vec::new();
    let mut rejected = Vec::new();
    for (i, agency) in agencies.iter().enumerate() {
        let day: Value = app
            .post_as(&root, "/api/v1/calendar/days-off", &json!({"date": format!("2024-03-{:02}", i + 1), "kind": "holiday", "name": "x", "agency_id": agency}))
            .await
            .json()
            .await
            .unwrap();
        days.push(day["id"].as_str().unwrap().to_owned());
        let procedure: Value = app
            .post_as(&root, "/api/v1/procedures", &procedure_body(&format!("9.00000{i}"), agency))
            .await
            .json()
            .await
            .unwrap();
        procedures.push(procedure["id"].as_str().unwrap().to_owned());
        let intake = json!({
            "procedure_id": procedures[0], "agency_id": agency, "channel": "direct",
            "applicant": {"kind": "citizen", "full_name": "Người nộp", "phone": "0912345678"},
            "components": [{"name": "Tờ khai"}],
        });
        let open: Value = app.post_as(&root, "/api/v1/dossiers", &intake).await.json().await.unwrap();
        dossiers.push(open["id"].as_str().unwrap().to_owned());
        let file: Value = app
            .client
            .post(app.url(&format!("/api/v1/dossiers/{}/files", open["id"].as_str().unwrap())))
            .bearer_auth(&root)
            .multipart(upload_form())
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        files.push(file["id"].as_str().unwrap().to_owned());
        codes.push(open["code"].as_str().unwrap().to_owned());
        let withdrawn: Value = app.post_as(&root, "/api/v1/dossiers", &intake).await.json().await.unwrap();
        let id = withdrawn["id"].as_str().unwrap();
        let done = app
            .post_as(&root, &format!("/api/v1/dossiers/{id}/withdraw"), &json!({"reason": "Rút hồ sơ"}))
            .await;
        assert_eq!(done.status(), 200);
        closed.push(id.to_owned());
        let filed = json!({
            "channel": "direct", "subject": "Góp ý", "content": "Nội dung", "agency_id": agency,
            "submitter": {"full_name": "Người góp ý"},
        });
        let open: Value = app.post_as(&root, "/api/v1/feedback", &filed).await.json().await.unwrap();
        feedback.push(open["id"].as_str().unwrap().to_owned());
        let refused: Value = app.post_as(&root, "/api/v1/feedback", &filed).await.json().await.unwrap();
        let refused_id = refused["id"].as_str().unwrap();
        let done = app
            .post_as(&root, &format!("/api/v1/feedback/{refused_id}/reject"), &json!({"reason": "Trùng lặp"}))
            .await;
        assert_eq!(done.status(), 200);
        rejected.push(refused_id.to_owned());
        users.push(app.create_user(&root, &format!("target{i}"), "officer", Some(agency)).await);
        let sa: Value = app
            .post_as(
                &root,
                "/api/v1/service-accounts",
                &json!({"name": format!("sa{i}"), "agency_ids": [agency]}),
            )
            .await
            .json()
            .await
            .unwrap();
        service_accounts.push(sa["id"].as_str().unwrap().to_owned());
    }
    let webhook: Value = app.post_as(&root, "/api/v1/webhooks", &webhook_body()).await.json().await.unwrap();
    for role in ["admin", "leader", "officer"] {
        app.create_user(&root, &format!("{role}_p"), role, Some(&p)).await;
    }
    app.create_user(&root, "citizen", "citizen", None).await;
    let adapter: Value = app
        .post_as(&root, "/api/v1/service-accounts", &json!({"name": "adapter", "agency_ids": [p]}))
        .await
        .json()
        .await
        .unwrap();
    let integration: Value = app
        .token_response(json!({"grant_type": "client_credentials", "client_id": adapter["client_id"], "client_secret": adapter["client_secret"]}))
        .await
        .json()
        .await
        .unwrap();
    let tokens = vec![
        Some(app.login("admin_p", ADMIN_PASSWORD).await),
        Some(app.login("leader_p", ADMIN_PASSWORD).await),
        Some(app.login("officer_p", ADMIN_PASSWORD).await),
        Some(integration["access_token"].as_str().unwrap().to_owned()),
        Some(app.login("citizen", ADMIN_PASSWORD).await),
        None,
    ];
    World {
        agencies,
        users: users.try_into().unwrap(),
        service_accounts: service_accounts.try_into().unwrap(),
        days: days.try_into().unwrap(),
        procedures: procedures.try_into().unwrap(),
        dossiers: dossiers.try_into().unwrap(),
        codes: codes.try_into().unwrap(),
        closed: closed.try_into().unwrap(),
        files: files.try_into().unwrap(),
        feedback: feedback.try_into().unwrap(),
        rejected: rejected.try_into().unwrap(),
        webhook: webhook["id"].as_str().unwrap().to_owned(),
        tokens,
    }
}

/// A subscription to a public address (never reached: no event it wants happens here).
fn webhook_body() -> Value {
    json!({"url": "http://8.8.8.8/hook", "secret": "0123456789abcdef", "event_types": ["feedback.published"]})
}

fn procedure_body(code: &str, agency: &str) -> Value {
    json!({
        "code": code, "name": "Thủ tục thử", "field": "Hộ tịch", "level": "commune", "online_service": "none",
        "processing_time": {"value": 1, "unit": "working_days"}, "fee": 0, "agency_id": agency,
    })
}

enum Body {
    Json(Value),
    Csv(String),
    Upload,
}

fn upload_form() -> reqwest::multipart::Form {
    let scan = reqwest::multipart::Part::bytes(b"%PDF-1.4 scan".to_vec()).file_name("scan.pdf");
    reqwest::multipart::Form::new().text("kind", "component").text("component", "0").part("file", scan)
}

fn request(world: &World, endpoint: &str, rel: Rel, n: usize) -> (Method, String, Option<Body>) {
    let (method, template) = endpoint.split_once(' ').unwrap();
    let i = index(rel);
    let target_agency = &world.agencies[i];
    let mut path = template
        .replace("{agency}", &world.agencies[i])
        .replace("{user}", &world.users[i])
        .replace("{sa}", &world.service_accounts[i])
        .replace("{day}", &world.days[i])
        .replace("{procedure}", &world.procedures[i])
        .replace("{dossier}", &world.dossiers[i])
        .replace("{closed}", &world.closed[i])
        .replace("{code}", &world.codes[i])
        .replace("{feedback}", &world.feedback[i])
        .replace("{rejected}", &world.rejected[i])
        .replace("{form}", "control-sheet")
        .replace("{webhook}", &world.webhook)
        .replace("{file}", &world.files[i])
        .replace("{token}", "not-a-link")
        .replace("{delivery}", "00000000-0000-0000-0000-000000000000")
        .replace("{notification}", "00000000-0000-0000-0000-000000000000");
    match (method, template) {
        ("GET", "/api/v1/calendar/days-off") => {
            path.push_str(&format!("?year=2024&agency_id={target_agency}"))
        }
        ("GET", "/api/v1/dossiers/worklist") | ("GET", "/api/v1/feedback/worklist") => {
            path.push_str(&format!("?kind=overdue&agency_id={target_agency}"))
        }
        ("GET", "/api/v1/reports/summary")
        | ("GET", "/api/v1/reports/officers")
        | ("GET", "/api/v1/reports/register") => {
            path.push_str(&format!("?agency_id={target_agency}&from=2024-01-01&to=2024-06-30"))
        }
        ("GET", "/api/v1/reports/summary/dossiers") => path.push_str(&format!(
            "?agency_id={target_agency}&from=2024-01-01&to=2024-06-30&figure=resolution.late"
        )),
        ("GET", "/api/v1/reports/timeseries") => path
            .push_str(&format!("?agency_id={target_agency}&from=2024-01-01&to=2024-06-30&granularity=month")),
        ("GET", "/api/v1/targets") => path.push_str(&format!("?agency_id={target_agency}&year=2024")),
        ("GET", "/api/v1/public/dossiers/{code}") => path.push_str("?check=5678"),
        ("GET", "/api/v1/audit") => path.push_str(&format!("?agency_id={target_agency}")),
        ("GET", "/api/v1/calendar/due") => {
            path.push_str(&format!("?start=2024-01-05T09:00:00Z&working_days=1&agency_id={target_agency}"))
        }
        ("POST", "/api/v1/dossiers/{closed}/files") => return (Method::POST, path, Some(Body::Upload)),
        ("POST", "/api/v1/procedures/import") => {
            path.push_str(&format!("?agency_id={target_agency}"));
            let csv = format!(
                "code,name,field,level,online_service,processing_value,processing_unit,fee\n8.{n:06},Thủ tục nhập,Hộ tịch,commune,none,1,working_days,0\n"
            );
            return (Method::POST, path, Some(Body::Csv(csv)));
        }
        _ => {}
    }
    let body = match (method, template) {
        ("POST", "/api/v1/agencies") => Some(
            json!({"code": format!("NEW{n}"), "name": "Xã mới", "level": "commune", "parent_id": target_agency}),
        ),
        ("POST", "/api/v1/users") => Some(json!({
            "username": format!("new{n}"), "password": ADMIN_PASSWORD, "full_name": "Người mới",
            "role": "officer", "agency_id": target_agency,
        })),
        ("POST", "/api/v1/service-accounts") => {
            Some(json!({"name": format!("new{n}"), "agency_ids": [target_agency]}))
        }
        ("PATCH", "/api/v1/agencies/{agency}") => Some(json!({"name": format!("Tên {n}")})),
        ("PATCH", "/api/v1/users/{user}") => Some(json!({"full_name": format!("Tên {n}")})),
        ("PATCH", "/api/v1/service-accounts/{sa}") => Some(json!({"name": format!("Tên {n}")})),
        ("POST", "/api/v1/auth/logout") => Some(json!({"refresh_token": "unknown"})),
        ("PATCH", "/api/v1/me") => Some(json!({"notify": true})),
        ("POST", "/api/v1/citizens") => Some(json!({
            "full_name": "Người đăng ký", "phone": format!("09{n:08}"), "password": ADMIN_PASSWORD,
        })),
        ("POST", "/api/v1/citizens/verify") => Some(json!({"phone": format!("09{n:08}"), "code": "000000"})),
        ("POST", "/api/v1/citizens/password-reset") => Some(json!({"phone": format!("08{n:08}")})),
        ("POST", "/api/v1/citizens/password-reset/confirm") => Some(json!({
            "phone": format!("08{n:08}"), "code": "000000", "password": ADMIN_PASSWORD,
        })),
        ("POST", "/api/v1/calendar/days-off") => Some(
            json!({"date": format!("2024-05-{:02}", n % 28 + 1), "kind": "holiday", "name": "x", "agency_id": target_agency}),
        ),
        ("POST", "/api/v1/procedures") => Some(procedure_body(&format!("7.{n:06}"), target_agency)),
        ("POST", "/api/v1/dossiers") => Some(json!({
            "procedure_id": world.procedures[0], "agency_id": target_agency, "channel": "direct",
            "applicant": {"kind": "citizen", "full_name": "Người nộp"},
        })),
        ("PATCH", "/api/v1/dossiers/{dossier}") => Some(json!({"fee_paid": {"method": "cash", "amount": n}})),
        // Version 1: always one the dossier has had, whatever the matrix changed before.
        ("POST", "/api/v1/integrations/dvcqg/dossiers/{closed}/sync") => {
            Some(json!({"version": 1, "accepted": false}))
        }
        ("POST", "/api/v1/dossiers/{closed}/request-supplement")
        | ("POST", "/api/v1/dossiers/{closed}/send-back")
        | ("POST", "/api/v1/dossiers/{closed}/withdraw")
        | ("POST", "/api/v1/dossiers/{closed}/reject") => Some(json!({"reason": "Lý do"})),
        ("POST", "/api/v1/dossiers/{closed}/assign") => Some(json!({"user_id": world.users[i]})),
        ("POST", "/api/v1/dossiers/{closed}/transfer") => Some(json!({"to_agency_id": world.agencies[2]})),
        ("POST", "/api/v1/dossiers/{closed}/survey") => Some(json!({"level": "satisfied"})),
        ("POST", "/api/v1/webhooks") => Some(webhook_body()),
        ("PATCH", "/api/v1/webhooks/{webhook}") => Some(json!({"active": false})),
        ("POST", "/api/v1/feedback") => Some(json!({
            "channel": "direct", "subject": "Góp ý", "content": "Nội dung", "agency_id": target_agency,
            "submitter": {"full_name": "Người góp ý"},
        })),
        ("POST", "/api/v1/feedback/{rejected}/respond") => Some(json!({"response": "Trả lời"})),
        ("POST", "/api/v1/feedback/{rejected}/reject") => Some(json!({"reason": "Lý do"})),
        ("POST", "/api/v1/feedback/{rejected}/forward") => Some(json!({"agency_id": world.agencies[2]})),
        ("PUT", "/api/v1/agencies/{agency}/feedback-limit") => Some(json!({"working_days": 12})),
        ("PUT", "/api/v1/targets") => Some(json!({
            "agency_id": target_agency, "year": 2024, "targets": [{"indicator": "late_rate", "target": 2.5}],
        })),
        ("POST", "/api/v1/dossiers/{closed}/resolve") => {
            Some(json!({"outcome": "approved", "result_digitized": true}))
        }
        ("POST", "/api/v1/dossiers/{closed}/apologize") => {
            Some(json!({"reason": "Chậm", "new_appointment_at": "2099-01-01T00:00:00Z"}))
        }
        ("PATCH", "/api/v1/procedures/{procedure}") => Some(json!({"fee": n})),
        ("PUT", "/api/v1/agencies/{agency}/schedule") => Some(
            json!({"monday": [{"start": "07:30", "end": "11:30"}], "saturday": [{"start": "07:30", "end": "11:30"}]}),
        ),
        ("POST", _) => Some(json!({})),
        _ => None,
    };
    (method.parse().unwrap(), path, body.map(Body::Json))
}

#[tokio::test]
async fn authorization_matrix() {
    // Every caller looks a dossier up from one address: enough lookups for all of them at once.
    let app = spawn_app_with(|settings| settings.lookup_per_minute = 60).await;
    let world = build_world(&app).await;
    let mut failures = Vec::new();
    let mut n = 0;
    for (endpoint, rel, expected) in MATRIX {
        for (caller, want) in expected.iter().enumerate() {
            n += 1;
            let (method, path, body) = request(&world, endpoint, *rel, n);
            let token = world.tokens[caller].as_deref();
            let response = match body {
                Some(Body::Upload) => {
                    let mut r = app.client.request(method, app.url(&path)).multipart(upload_form());
                    if let Some(token) = token {
                        r = r.bearer_auth(token);
                    }
                    r.send().await.unwrap()
                }
                Some(Body::Csv(csv)) => {
                    let part = reqwest::multipart::Part::text(csv).file_name("catalogue.csv");
                    let form = reqwest::multipart::Form::new().part("file", part);
                    let mut r = app.client.request(method, app.url(&path)).multipart(form);
                    if let Some(token) = token {
                        r = r.bearer_auth(token);
                    }
                    r.send().await.unwrap()
                }
                Some(Body::Json(json)) => app.send(method, &path, token, Some(&json)).await,
                None => app.send(method, &path, token, None).await,
            };
            let got = response.status().as_u16();
            if got != *want {
                let text = response.text().await.unwrap_or_default();
                failures.push(format!(
                    "{endpoint} [{rel:?}] as {}: want {want}, got {got} {text}",
                    CALLERS[caller]
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{} of {n} cells differ:\n{}", failures.len(), failures.join("\n"));
}

/// Every operation in the document is in the matrix, so a new endpoint cannot skip it.
#[test]
fn the_matrix_covers_every_api_operation() {
    let doc: Value = serde_json::from_str(&motcua::api_doc::openapi_json()).unwrap();
    let mut missing = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        if !path.starts_with("/api/v1/") || path == "/api/v1/auth/token" {
            continue; // operations endpoints and the login itself are public by design
        }
        for method in item.as_object().unwrap().keys() {
            let normalized = path
                .replace("/agencies/{id}", "/agencies/{agency}")
                .replace("/users/{id}", "/users/{user}")
                .replace("/service-accounts/{id}", "/service-accounts/{sa}")
                .replace("/days-off/{id}", "/days-off/{day}")
                .replace("/procedures/{id}", "/procedures/{procedure}")
                .replace("/dossiers/{id}/files/{file_id}", "/dossiers/{dossier}/files/{file}")
                .replace("/dossiers/{id}/", "/dossiers/{closed}/")
                .replace("/dossiers/{id}", "/dossiers/{dossier}")
                .replace("/dossiers/{closed}/history", "/dossiers/{dossier}/history")
                .replace("/dossiers/{closed}/hops", "/dossiers/{dossier}/hops")
                .replace("/dossiers/{closed}/receipt", "/dossiers/{dossier}/receipt")
                .replace("/dossiers/{closed}/progress", "/dossiers/{dossier}/progress")
                .replace("/dossiers/{closed}/forms/", "/dossiers/{dossier}/forms/")
                .replace("/feedback/{id}/history", "/feedback/{feedback}/history")
                .replace("/feedback/{id}/", "/feedback/{rejected}/")
                .replace("/feedback/{id}", "/feedback/{feedback}")
                .replace("/webhooks/{id}", "/webhooks/{webhook}")
                .replace("{delivery_id}", "{delivery}")
                .replace("/notifications/{id}", "/notifications/{notification}");
            let endpoint = format!("{} {normalized}", method.to_uppercase());
            if !MATRIX.iter().any(|(e, _, _)| *e == endpoint) {
                missing.push(endpoint);
            }
        }
    }
    assert!(missing.is_empty(), "add these endpoints to the authorization matrix: {missing:?}");
}
