//! The caller, as extractors: a handler's signature says who may call it.
//!
//! ```text
//! async fn create_agency(auth: Authorized<AdminOnly>, …)
//! ```
//! A missing, malformed, forged or expired token answers 401, and so does one whose session has
//! ended or whose account has changed since (`accounts`); a role outside the policy 403.

use std::marker::PhantomData;
use std::ops::Deref;
use std::sync::Arc;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};

use futures_util::future::LocalBoxFuture;

use super::accounts::{self, AccountStates};
use super::profile::Profile;
use super::role::Role;
use super::scope::Scope;
use super::tokens::{SubjectKind, TokenError, TokenKeys};
use crate::db::Db;
use crate::error::ApiError;
use crate::i18n::{Text, lower_first};
use crate::labels::Labelled;

#[derive(Debug, Clone)]
pub struct Caller {
    pub id: String,
    pub kind: SubjectKind,
    pub role: Role,
    pub agency_id: Option<String>,
    /// Service accounts: the agencies they are bound to.
    pub agencies: Vec<String>,
    /// Service accounts: whether an admin granted them the applicants' personal data
    /// (`dossiers::access::sees_personal_data`), as the account is now, not as the token was
    /// issued. Always false for people, whose role decides.
    pub personal_data: bool,
    /// Who the account is (name, agency), as read with its state (`accounts`): the dossier
    /// events name the actor of a step from it. None where no token was checked (the demo's
    /// and the generator's callers): the event then names the actor by id only.
    pub profile: Option<Arc<Profile>>,
}

impl Caller {
    /// `user` or `service`, as history rows record it.
    pub fn kind_label(&self) -> &'static str {
        match self.kind {
            SubjectKind::User => "user",
            SubjectKind::Service => "service",
        }
    }

    pub fn scope(&self) -> Scope {
        Scope::for_role(self.role, self.agency_id.as_deref(), &self.agencies)
    }
}

fn bearer_token(req: &HttpRequest) -> Result<&str, ApiError> {
    let value = req
        .headers()
        .get(header::AUTHORIZATION)
        .ok_or_else(|| {
            ApiError::Unauthorized(Text::fixed(
                "Hãy gửi access token trong header Authorization: Bearer …",
                "send an access token as Authorization: Bearer …",
            ))
        })?
        .to_str()
        .map_err(|_| {
            ApiError::Unauthorized(Text::fixed(
                "Header Authorization không phải là văn bản hợp lệ",
                "the Authorization header is not valid text",
            ))
        })?;
    let (scheme, token) = value.split_once(' ').ok_or_else(|| ApiError::Unauthorized(NOT_BEARER))?;
    if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
        return Err(ApiError::Unauthorized(NOT_BEARER));
    }
    Ok(token.trim())
}

const NOT_BEARER: Text = Text::fixed(
    "Header Authorization phải có dạng Bearer <token>",
    "the Authorization header must be Bearer <token>",
);

fn app_data<T: 'static>(req: &HttpRequest) -> Result<web::Data<T>, ApiError> {
    req.app_data::<web::Data<T>>().cloned().ok_or_else(|| {
        ApiError::Internal(anyhow::anyhow!("{} missing from app data", std::any::type_name::<T>()))
    })
}

/// The token's claims, checked against the account's current state.
async fn caller_from(req: HttpRequest) -> Result<Caller, ApiError> {
    let keys = app_data::<TokenKeys>(&req)?;
    let claims = keys.decode(bearer_token(&req)?).map_err(|e| match e {
        TokenError::Expired => ApiError::Unauthorized(Text::fixed(
            "Access token đã hết hạn; hãy làm mới token",
            "the access token has expired; refresh it",
        )),
        TokenError::Invalid => {
            ApiError::Unauthorized(Text::fixed("Access token không hợp lệ", "the access token is not valid"))
        }
    })?;
    let states = app_data::<AccountStates>(&req)?;
    let snapshot = match states.cached(&claims.sub).filter(|s| s.decides(&claims)) {
        Some(snapshot) => snapshot,
        None => {
            let db = app_data::<Db>(&req)?;
            let (kind, id) = (claims.kind, claims.sub.clone());
            let generation = states.generation();
            let snapshot = db
                .read(
                    async |conn| accounts::snapshot_async(conn, kind, &claims.sub).await,
                    move |conn| accounts::snapshot(conn, kind, &id),
                )
                .await?;
            states.store(&claims.sub, snapshot.clone(), generation);
            snapshot
        }
    };
    if !snapshot.admits(&claims) {
        return Err(ApiError::Unauthorized(Text::fixed(
            "Phiên đăng nhập đã kết thúc (đăng xuất, đổi mật khẩu hoặc bị thu hồi) hoặc tài khoản đã thay đổi kể từ khi token được cấp (bị khóa, đổi vai trò hoặc cơ quan); hãy đăng nhập lại",
            "the session has ended (signed out, password changed or sessions revoked) or the account changed since this token was issued (deactivated, or another role or agency); sign in again",
        )));
    }
    let personal_data = snapshot.state.as_ref().is_some_and(|s| s.personal_data);
    Ok(Caller {
        id: claims.sub,
        kind: claims.kind,
        role: claims.role,
        agency_id: claims.agency_id,
        agencies: claims.agencies,
        personal_data,
        profile: snapshot.state.map(|s| s.profile),
    })
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        Box::pin(caller_from(req.clone()))
    }
}

/// The roles a handler admits.
pub trait Policy {
    const ROLES: &'static [Role];
}

/// Any authenticated caller.
pub struct AnyRole;
impl Policy for AnyRole {
    const ROLES: &'static [Role] = &Role::ALL;
}

/// Administrators only.
pub struct AdminOnly;
impl Policy for AdminOnly {
    const ROLES: &'static [Role] = &[Role::Admin];
}

/// The agency's people: admins, leaders and officers.
pub struct Staff;
impl Policy for Staff {
    const ROLES: &'static [Role] = &[Role::Admin, Role::Leader, Role::Officer];
}

/// Those who read reports: admins and leaders.
pub struct Leadership;
impl Policy for Leadership {
    const ROLES: &'static [Role] = &[Role::Admin, Role::Leader];
}

/// A caller whose role the policy `P` admits.
pub struct Authorized<P: Policy> {
    pub caller: Caller,
    _policy: PhantomData<P>,
}

impl<P: Policy> Deref for Authorized<P> {
    type Target = Caller;
    fn deref(&self) -> &Caller {
        &self.caller
    }
}

impl<P: Policy + 'static> FromRequest for Authorized<P> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let caller = caller_from(req).await?;
            if P::ROLES.contains(&caller.role) {
                Ok(Self { caller, _policy: PhantomData })
            } else {
                let roles: Vec<&str> = P::ROLES.iter().map(|r| r.as_str()).collect();
                let roles_vi: Vec<String> = P::ROLES.iter().map(|r| lower_first(&r.label().vi)).collect();
                Err(ApiError::Forbidden(Text::new(
                    format!("Thao tác này cần một trong các vai trò: {}", roles_vi.join("; ")),
                    format!("this needs one of the roles {}", roles.join(", ")),
                )))
            }
        })
    }
}
