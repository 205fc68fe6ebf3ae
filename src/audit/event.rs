//! What one audit row says: the action, who did it and from where, about what, and a few details.
//! The details are built at each call site from named, harmless fields (ids, roles, formats,
//! reasons), never from a request body, so that no password, token, secret or document content
//! can slip in.

use std::net::IpAddr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::auth::caller::Caller;
use crate::auth::role::Role;
use crate::auth::tokens::SubjectKind;
use crate::clock;

/// What happened, as a stable code: filter and alert on it; the codes do not change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = AuditAction)]
pub enum Action {
    /// A person or a service account signed in.
    SignIn,
    /// A sign-in was refused: unknown account, wrong password or secret, inactive account.
    SignInRefused,
    /// A spent refresh token came back; its session was ended.
    RefreshReuse,
    /// A person signed out of one session.
    Logout,
    /// An account was created (its role and agency in the details).
    UserCreated,
    UserRoleChanged,
    UserAgencyChanged,
    /// A password was changed or reset by an administrator.
    PasswordChanged,
    UserDeactivated,
    UserReactivated,
    /// An administrator ended every session of an account.
    SessionsRevoked,
    /// A service account's agencies or active flag changed.
    ServiceAccountChanged,
    /// A service account got a secret: at its creation, or a rotation.
    ServiceAccountSecretIssued,
    /// An administrator granted a service account the applicants' identity numbers and contacts
    /// (`personal_data`), at its creation or later.
    ServiceAccountPersonalDataGranted,
    /// An administrator withdrew that grant.
    ServiceAccountPersonalDataWithdrawn,
    WebhookCreated,
    WebhookChanged,
    WebhookDeleted,
    /// A dossier was read by id: as JSON, as its receipt slip or in the national portal's shape
    /// (`view`). It shows the applicant's name, and identity number and contacts when
    /// `personal_fields` is true.
    DossierRead,
    /// A dossier's file was downloaded (from its first byte).
    DossierFileRead,
    /// A file with personal data was exported: a report naming officers, the audit trail.
    Export,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SignIn => "sign_in",
            Self::SignInRefused => "sign_in_refused",
            Self::RefreshReuse => "refresh_reuse",
            Self::Logout => "logout",
            Self::UserCreated => "user_created",
            Self::UserRoleChanged => "user_role_changed",
            Self::UserAgencyChanged => "user_agency_changed",
            Self::PasswordChanged => "password_changed",
            Self::UserDeactivated => "user_deactivated",
            Self::UserReactivated => "user_reactivated",
            Self::SessionsRevoked => "sessions_revoked",
            Self::ServiceAccountChanged => "service_account_changed",
            Self::ServiceAccountSecretIssued => "service_account_secret_issued",
            Self::ServiceAccountPersonalDataGranted => "service_account_personal_data_granted",
            Self::ServiceAccountPersonalDataWithdrawn => "service_account_personal_data_withdrawn",
            Self::WebhookCreated => "webhook_created",
            Self::WebhookChanged => "webhook_changed",
            Self::WebhookDeleted => "webhook_deleted",
            Self::DossierRead => "dossier_read",
            Self::DossierFileRead => "dossier_file_read",
            Self::Export => "export",
        }
    }
}

/// Who acted: a person, a service account, or nobody signed in (a refused sign-in, a spent
/// refresh token presented by whoever holds it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = AuditActorKind)]
pub enum ActorKind {
    User,
    Service,
    Anonymous,
}

impl ActorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::User => "user",
            Self::Service => "service",
            Self::Anonymous => "anonymous",
        }
    }
}

/// What the event is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = AuditSubjectType)]
pub enum SubjectType {
    User,
    ServiceAccount,
    Webhook,
    /// A dossier: reading it or one of its files (the file's id in the details).
    Dossier,
    /// An exported report (its agency and period in the details).
    Report,
    /// The audit trail itself, exported.
    AuditTrail,
}

impl SubjectType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::User => "user",
            Self::ServiceAccount => "service_account",
            Self::Webhook => "webhook",
            Self::Dossier => "dossier",
            Self::Report => "report",
            Self::AuditTrail => "audit_trail",
        }
    }
}

/// The actor of an event. `name` is the username (a person) or client id (a service account);
/// when it is not known at the call site the store looks it up by id as it writes the row.
#[derive(Debug, Clone)]
pub struct Actor {
    pub kind: ActorKind,
    pub id: Option<String>,
    pub name: Option<String>,
    pub role: Option<Role>,
}

impl Actor {
    pub fn of(caller: &Caller) -> Self {
        let kind = match caller.kind {
            SubjectKind::User => ActorKind::User,
            SubjectKind::Service => ActorKind::Service,
        };
        Self { kind, id: Some(caller.id.clone()), name: None, role: Some(caller.role) }
    }

    /// Nobody signed in; `name` is what they claimed to be (the username typed), if anything.
    pub fn anonymous(name: Option<String>) -> Self {
        Self { kind: ActorKind::Anonymous, id: None, name, role: None }
    }
}

/// One event to record.
#[derive(Debug, Clone)]
pub struct Event {
    pub occurred_at: DateTime<Utc>,
    pub action: Action,
    pub actor: Actor,
    pub client_address: Option<IpAddr>,
    pub subject: Option<(SubjectType, String)>,
    pub agency_id: Option<String>,
    pub details: Value,
}

impl Event {
    /// An event happening now, about nothing in particular yet.
    pub fn new(action: Action, actor: Actor, client_address: Option<IpAddr>) -> Self {
        Self {
            occurred_at: clock::now(),
            action,
            actor,
            client_address,
            subject: None,
            agency_id: None,
            details: Value::Object(Default::default()),
        }
    }

    pub fn about(mut self, kind: SubjectType, id: impl Into<String>) -> Self {
        self.subject = Some((kind, id.into()));
        self
    }

    /// The agency whose administrators may read the event (the account's, the dossier's).
    pub fn in_agency(mut self, agency_id: Option<String>) -> Self {
        self.agency_id = agency_id;
        self
    }

    /// The details: ids, roles, formats, reasons; never a secret or a document's content.
    pub fn with(mut self, details: Value) -> Self {
        self.details = details;
        self
    }
}
