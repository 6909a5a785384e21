//! Users, sign-in with throttling, and server-side sessions.
use super::{
    hash_password, new_token, token_hash, verify_password, EmailAddress, Language, Permissions,
    RequestMeta, Role, SessionUser,
};
use crate::{
    entities::{login_attempt, session, user},
    error::{DomainError, DomainResult, Invalid},
    Services,
};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    sea_query::Expr, ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, Set,
};

pub const SESSION_TTL_DAYS: i64 = 30;
/// Failed sign-ins counted over this window.
const THROTTLE_WINDOW_MINUTES: i64 = 15;
const MAX_FAILURES_PER_ACCOUNT: u64 = 5;
const MAX_FAILURES_PER_IP: u64 = 30;
/// Sessions are touched at most this often, to keep page views from writing on every request.
const TOUCH_EVERY_SECONDS: i64 = 60;

/// Verifying against this when the email is unknown keeps both cases equally slow.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$W1kqyMTM3d2bvOlOSq4qsDmSAwHdAqQLf62hNsqNJSA";

pub struct NewUser<'a> {
    pub email: &'a str,
    pub password: &'a str,
    pub name: &'a str,
    pub role: Role,
    pub language: Language,
}

pub async fn create_user(svc: &Services, new: NewUser<'_>) -> DomainResult<user::Model> {
    let email = EmailAddress::parse(new.email)?;
    let name = new.name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(Invalid::Name.into());
    }
    if user::Entity::find()
        .filter(user::Column::Email.eq(email.as_str()))
        .one(&svc.db)
        .await?
        .is_some()
    {
        return Err(DomainError::Conflict("email already in use"));
    }
    let now = svc.now();
    let model = user::ActiveModel {
        email: Set(email.as_str().to_owned()),
        password_hash: Set(hash_password(new.password).await?),
        name: Set(name.to_owned()),
        role: Set(new.role.as_str().to_owned()),
        language: Set(new.language.as_str().to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    Ok(model.insert(&svc.db).await?)
}

pub struct SignedIn {
    pub user: SessionUser,
    /// The cookie value; only its hash is stored.
    pub token: String,
}

/// Where a right password leads: straight in, or to the code step of two-factor sign-in.
pub enum SignInStep {
    Done(SignedIn),
    /// The token of the half-done sign-in, for `complete_sign_in` with the code.
    NeedsCode(String),
}

impl SignInStep {
    /// The session, when no code is needed.
    pub fn signed_in(self) -> Option<SignedIn> {
        match self {
            SignInStep::Done(s) => Some(s),
            SignInStep::NeedsCode(_) => None,
        }
    }
}

/// Checks the credentials and opens a new session, or, for an account with two-factor
/// sign-in, a half-done sign-in that waits for the code. `previous_token` (the cookie the
/// browser came with, if any) is ended, so the session id always changes at sign-in.
pub async fn sign_in(
    svc: &Services,
    email: &str,
    password: &str,
    meta: &RequestMeta,
    previous_token: Option<&str>,
) -> DomainResult<SignInStep> {
    let now = svc.now();
    let email_key = email.trim().to_lowercase();
    check_throttle(&svc.db, &email_key, &meta.ip, now).await?;

    let found = match EmailAddress::parse(email) {
        Ok(e) => {
            user::Entity::find()
                .filter(user::Column::Email.eq(e.as_str()))
                .one(&svc.db)
                .await?
        }
        Err(_) => None,
    };
    let ok = match &found {
        Some(u) => verify_password(password, &u.password_hash).await,
        None => {
            verify_password(password, DUMMY_HASH).await;
            false
        }
    };
    let Some(u) = found.as_ref().filter(|_| ok) else {
        record_attempt(svc, &email_key, found.as_ref().map(|u| u.id), false, meta).await?;
        return Err(DomainError::InvalidCredentials);
    };
    if u.totp_enabled_at.is_some() {
        return Ok(SignInStep::NeedsCode(
            super::totp::open_challenge(svc, u, meta).await?,
        ));
    }
    Ok(SignInStep::Done(
        open_session(svc, u, meta, previous_token).await?,
    ))
}

async fn record_attempt(
    svc: &Services,
    email_key: &str,
    user_id: Option<i32>,
    success: bool,
    meta: &RequestMeta,
) -> DomainResult<()> {
    login_attempt::ActiveModel {
        email: Set(truncate(email_key, 254)),
        ip: Set(truncate(&meta.ip, 64)),
        success: Set(success),
        created_at: Set(svc.now()),
        user_id: Set(user_id),
        user_agent: Set(truncate(&meta.user_agent, 512)),
        ..Default::default()
    }
    .insert(&svc.db)
    .await?;
    Ok(())
}

/// The sign-in succeeded (password, and code if asked): records it, opens the session and
/// tells the account about a browser it never used.
pub(super) async fn open_session(
    svc: &Services,
    u: &user::Model,
    meta: &RequestMeta,
    previous_token: Option<&str>,
) -> DomainResult<SignedIn> {
    let now = svc.now();
    let user_agent = truncate(&meta.user_agent, 512);
    // Asked before this attempt is written, so it does not count as seen.
    let new_device = super::activity::is_new_device(&svc.db, u.id, &user_agent).await?;
    record_attempt(svc, &u.email, Some(u.id), true, meta).await?;
    if let Some(old) = previous_token {
        sign_out(&svc.db, old).await?;
    }
    let token = new_token();
    let s = session::ActiveModel {
        token_hash: Set(token_hash(&token)),
        user_id: Set(u.id),
        created_at: Set(now),
        last_seen_at: Set(now),
        expires_at: Set(now + Duration::days(SESSION_TTL_DAYS)),
        ip: Set(truncate(&meta.ip, 64)),
        user_agent: Set(user_agent),
        ..Default::default()
    }
    .insert(&svc.db)
    .await?;
    if new_device {
        tell_new_device(svc, u, meta, now).await;
    }
    Ok(SignedIn {
        user: session_user(u, s.id),
        token,
    })
}

/// Emails the account about a sign-in from a browser it never used. A failed delivery is
/// recorded with the email and logged; the sign-in goes on.
async fn tell_new_device(svc: &Services, u: &user::Model, meta: &RequestMeta, now: DateTime<Utc>) {
    use crate::mail::{templates, OutgoingEmail};
    let lang = Language::from_db(&u.language);
    let d = super::activity::Device::from_user_agent(&meta.user_agent);
    let device = match (d.browser, d.system, lang) {
        ("", "", Language::En) => "unknown device".to_owned(),
        ("", "", Language::Es) => "dispositivo desconocido".to_owned(),
        (b, "", _) => b.to_owned(),
        ("", s, _) => s.to_owned(),
        (b, s, Language::En) => format!("{b} on {s}"),
        (b, s, Language::Es) => format!("{b} en {s}"),
    };
    let link = format!("{}/account/security", svc.base_url);
    let when = now.format("%Y-%m-%d %H:%M").to_string();
    let mail = templates::new_sign_in(lang, &u.name, &when, &meta.ip, &device, &link);
    if let Err(e) = svc
        .mailer
        .send(svc, OutgoingEmail::to_user(u, "new_sign_in", lang, mail))
        .await
    {
        tracing::warn!(error = %e, "recording the new-device email");
    }
}

async fn check_throttle(
    db: &impl ConnectionTrait,
    email: &str,
    ip: &str,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    let window_start = now - Duration::minutes(THROTTLE_WINDOW_MINUTES);
    // A successful sign-in clears the account's count (not the address's).
    let last_success = login_attempt::Entity::find()
        .filter(login_attempt::Column::Email.eq(email))
        .filter(login_attempt::Column::Success.eq(true))
        .filter(login_attempt::Column::CreatedAt.gt(window_start))
        .order_by_desc(login_attempt::Column::CreatedAt)
        .one(db)
        .await?
        .map(|a| a.created_at);
    let failures = |since: DateTime<Utc>| {
        login_attempt::Entity::find()
            .filter(login_attempt::Column::Success.eq(false))
            .filter(login_attempt::Column::CreatedAt.gt(since))
    };
    let by_account = failures(last_success.unwrap_or(window_start).max(window_start))
        .filter(login_attempt::Column::Email.eq(email));
    let by_ip = failures(window_start).filter(login_attempt::Column::Ip.eq(ip));
    for (query, limit) in [
        (by_account, MAX_FAILURES_PER_ACCOUNT),
        (by_ip, MAX_FAILURES_PER_IP),
    ] {
        if query.clone().count(db).await? >= limit {
            // The window reopens when the oldest counted failure leaves it.
            let oldest = query
                .order_by_asc(login_attempt::Column::CreatedAt)
                .one(db)
                .await?
                .map(|a| a.created_at)
                .unwrap_or(now);
            let wait = (oldest + Duration::minutes(THROTTLE_WINDOW_MINUTES) - now).num_seconds();
            return Err(DomainError::Throttled {
                retry_after_minutes: ((wait.max(1) + 59) / 60) as u32,
            });
        }
    }
    Ok(())
}

/// The user behind a session cookie, if the session exists and has not expired.
pub async fn resolve_session(svc: &Services, token: &str) -> DomainResult<Option<SessionUser>> {
    let now = svc.now();
    let Some((s, Some(u))) = session::Entity::find()
        .filter(session::Column::TokenHash.eq(token_hash(token)))
        .find_also_related(user::Entity)
        .one(&svc.db)
        .await?
    else {
        return Ok(None);
    };
    if s.expires_at <= now {
        session::Entity::delete_by_id(s.id).exec(&svc.db).await?;
        return Ok(None);
    }
    if (now - s.last_seen_at).num_seconds() >= TOUCH_EVERY_SECONDS {
        // Sliding expiry: an active session stays signed in.
        session::Entity::update_many()
            .col_expr(session::Column::LastSeenAt, Expr::value(now))
            .col_expr(
                session::Column::ExpiresAt,
                Expr::value(now + Duration::days(SESSION_TTL_DAYS)),
            )
            .filter(session::Column::Id.eq(s.id))
            .exec(&svc.db)
            .await?;
    }
    let mut user = session_user(&u, s.id);
    user.needs_totp_setup =
        user.is_staff() && !user.totp && super::settings::staff_require_totp(&svc.db).await?;
    Ok(Some(user))
}

/// Ends every session of an account (a new password, a removed contact, two-factor sign-in
/// turned off by support), in the caller's transaction.
pub(super) async fn end_all(db: &impl ConnectionTrait, user_id: i32) -> DomainResult<()> {
    session::Entity::delete_many()
        .filter(session::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn sign_out(db: &impl ConnectionTrait, token: &str) -> DomainResult<()> {
    session::Entity::delete_many()
        .filter(session::Column::TokenHash.eq(token_hash(token)))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn set_language(svc: &Services, user_id: i32, language: Language) -> DomainResult<()> {
    user::Entity::update_many()
        .col_expr(user::Column::Language, Expr::value(language.as_str()))
        .col_expr(user::Column::UpdatedAt, Expr::value(svc.now()))
        .filter(user::Column::Id.eq(user_id))
        .exec(&svc.db)
        .await?;
    Ok(())
}

/// How many accounts have each role, for the staff overview.
pub async fn count_by_role(svc: &Services) -> DomainResult<(u64, u64)> {
    let count = |role: Role| {
        user::Entity::find()
            .filter(user::Column::Role.eq(role.as_str()))
            .count(&svc.db)
    };
    Ok((count(Role::Client).await?, count(Role::Staff).await?))
}

pub(super) fn session_user(u: &user::Model, session_id: i32) -> SessionUser {
    SessionUser {
        id: u.id,
        client_id: u.parent_id.unwrap_or(u.id),
        session_id,
        email: u.email.clone(),
        name: u.name.clone(),
        role: Role::from_db(&u.role),
        language: Language::from_db(&u.language),
        permissions: match u.parent_id {
            Some(_) => Permissions::from_db(&u.permissions),
            None => Permissions::all(),
        },
        totp: u.totp_enabled_at.is_some(),
        needs_totp_setup: false,
    }
}

fn truncate(s: &str, max_chars: usize) -> String {
    s.chars().take(max_chars).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn dummy_hash_is_a_real_argon2id_hash() {
        // If it did not parse, unknown emails would answer faster than wrong passwords.
        let parsed = argon2::PasswordHash::new(super::DUMMY_HASH).unwrap();
        assert_eq!(parsed.algorithm.as_str(), "argon2id");
    }
}
