//! Two-factor sign-in with time-based one-time codes (RFC 6238: HMAC-SHA1, 6 digits, 30 s),
//! as authenticator apps make them, and one-time recovery codes for a lost phone.
use super::{sessions, token_hash, verify_password, Language, RequestMeta, SignedIn};
use crate::{
    entities::{login_attempt, recovery_code, sign_in_challenge, user},
    error::{DomainError, DomainResult, Invalid, Refused},
    mail::{account_templates, OutgoingEmail},
    Services,
};
use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, Mac};
use sea_orm::{
    sea_query::Expr, ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    QueryFilter, QueryOrder, Set, TransactionTrait,
};

const STEP_SECONDS: i64 = 30;
/// Codes of the step before and after are accepted too: phone clocks drift.
const SKEW_STEPS: i64 = 1;
pub const RECOVERY_CODES: usize = 10;
pub const CHALLENGE_MINUTES: i64 = 10;
/// Wrong codes allowed for one password sign-in before it has to start again.
const MAX_CODE_ATTEMPTS: i32 = 5;

/// The 6-digit code of a secret at a moment.
pub fn code_at(secret: &[u8], at: DateTime<Utc>) -> String {
    hotp(secret, (at.timestamp().div_euclid(STEP_SECONDS)) as u64)
}

fn hotp(secret: &[u8], counter: u64) -> String {
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(&counter.to_be_bytes());
    let h = mac.finalize().into_bytes();
    let offset = (h[19] & 0x0f) as usize;
    let n = u32::from_be_bytes([
        h[offset] & 0x7f,
        h[offset + 1],
        h[offset + 2],
        h[offset + 3],
    ]);
    format!("{:06}", n % 1_000_000)
}

pub fn decode_secret(base32: &str) -> Option<Vec<u8>> {
    data_encoding::BASE32_NOPAD.decode(base32.as_bytes()).ok()
}

/// The time step whose code this is, when it is one of the steps accepted now.
fn matching_step(secret_b32: &str, code: &str, now: DateTime<Utc>) -> Option<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    let secret = decode_secret(secret_b32)?;
    if code.len() != 6 {
        return None;
    }
    let current = now.timestamp().div_euclid(STEP_SECONDS);
    (current - SKEW_STEPS..=current + SKEW_STEPS).find(|&step| hotp(&secret, step as u64) == code)
}

/// Records that the code of `step` was used, when no code of that step or a later one was:
/// each code signs in once.
async fn claim_step(db: &impl ConnectionTrait, user_id: i32, step: i64) -> DomainResult<bool> {
    let claimed = user::Entity::update_many()
        .col_expr(user::Column::TotpLastStep, Expr::value(Some(step)))
        .filter(user::Column::Id.eq(user_id))
        .filter(
            Condition::any()
                .add(user::Column::TotpLastStep.is_null())
                .add(user::Column::TotpLastStep.lt(step)),
        )
        .exec(db)
        .await?;
    Ok(claimed.rows_affected == 1)
}

/// What the set-up page shows: the secret (to type in), the `otpauth://` link and its QR code,
/// and the recovery codes, to write down before turning it on (so a page without JavaScript
/// shows them too).
#[derive(Debug, Clone)]
pub struct TotpSetup {
    pub secret: String,
    pub uri: String,
    pub qr_svg: String,
    pub recovery_codes: Vec<String>,
}

impl TotpSetup {
    /// The QR code as an image address for an `<img>`.
    pub fn qr_data_uri(&self) -> String {
        use base64::Engine;
        format!(
            "data:image/svg+xml;base64,{}",
            base64::engine::general_purpose::STANDARD.encode(&self.qr_svg)
        )
    }
}

fn new_secret() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 20];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    data_encoding::BASE32_NOPAD.encode(&bytes)
}

fn otpauth_uri(email: &str, secret: &str) -> String {
    let label: String =
        url::form_urlencoded::byte_serialize(format!("Portico:{email}").as_bytes()).collect();
    format!(
        "otpauth://totp/{label}?secret={secret}&issuer=Portico&algorithm=SHA1&digits=6&period=30"
    )
}

/// A QR code as an SVG of dark squares on white, 4 modules of quiet zone.
pub fn qr_svg(text: &str) -> String {
    use qrcodegen::{QrCode, QrCodeEcc};
    let Ok(qr) = QrCode::encode_text(text, QrCodeEcc::Medium) else {
        return String::new();
    };
    let size = qr.size();
    let border = 4;
    let mut path = String::new();
    for y in 0..size {
        for x in 0..size {
            if qr.get_module(x, y) {
                path.push_str(&format!("M{},{}h1v1h-1z", x + border, y + border));
            }
        }
    }
    let dim = size + border * 2;
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {dim} {dim}" shape-rendering="crispEdges"><rect width="100%" height="100%" fill="#fff"/><path d="{path}" fill="#000"/></svg>"##
    )
}

async fn find_user(svc: &Services, user_id: i32) -> DomainResult<user::Model> {
    user::Entity::find_by_id(user_id)
        .one(&svc.db)
        .await?
        .ok_or(DomainError::NotFound)
}

/// Starts (or restarts) setting up: a fresh secret is kept but not in force until a code
/// from it is confirmed.
pub async fn begin_totp_setup(svc: &Services, user_id: i32) -> DomainResult<TotpSetup> {
    let u = find_user(svc, user_id).await?;
    if u.totp_enabled_at.is_some() {
        return Err(Refused::TwoFactorState.into());
    }
    let secret = new_secret();
    let codes: Vec<String> = (0..RECOVERY_CODES).map(|_| new_recovery_code()).collect();
    let txn = svc.db.begin().await?;
    user::Entity::update_many()
        .col_expr(user::Column::TotpSecret, Expr::value(Some(secret.clone())))
        .filter(user::Column::Id.eq(user_id))
        .exec(&txn)
        .await?;
    recovery_code::Entity::delete_many()
        .filter(recovery_code::Column::UserId.eq(user_id))
        .exec(&txn)
        .await?;
    for c in &codes {
        recovery_code::ActiveModel {
            user_id: Set(user_id),
            code_hash: Set(token_hash(&normalise_recovery(c))),
            shown_code: Set(Some(c.clone())),
            used_at: Set(None),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(setup_of(&u.email, secret, codes))
}

/// The set-up in progress (the same secret on a reload), if any.
pub async fn totp_setup_in_progress(
    svc: &Services,
    user_id: i32,
) -> DomainResult<Option<TotpSetup>> {
    let u = find_user(svc, user_id).await?;
    let (None, Some(secret)) = (u.totp_enabled_at, u.totp_secret) else {
        return Ok(None);
    };
    Ok(Some(setup_of(
        &u.email,
        secret,
        shown_codes(svc, user_id).await?,
    )))
}

async fn shown_codes(svc: &Services, user_id: i32) -> DomainResult<Vec<String>> {
    Ok(recovery_code::Entity::find()
        .filter(recovery_code::Column::UserId.eq(user_id))
        .order_by_asc(recovery_code::Column::Id)
        .all(&svc.db)
        .await?
        .into_iter()
        .filter_map(|c| c.shown_code)
        .collect())
}

fn setup_of(email: &str, secret: String, recovery_codes: Vec<String>) -> TotpSetup {
    let uri = otpauth_uri(email, &secret);
    TotpSetup {
        qr_svg: qr_svg(&uri),
        uri,
        secret,
        recovery_codes,
    }
}

fn new_recovery_code() -> String {
    use rand::Rng;
    // No 0/O, 1/I/L: codes are read off paper.
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    let mut rng = rand::rngs::OsRng;
    let mut part = || -> String {
        (0..5)
            .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
            .collect()
    };
    format!("{}-{}", part(), part())
}

fn normalise_recovery(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_uppercase()
}

/// Turns two-factor sign-in on once a code from the new secret is right. Returns the recovery
/// codes of the set-up, shown this last time: from now on only their hashes are kept.
pub async fn enable_totp(svc: &Services, user_id: i32, code: &str) -> DomainResult<Vec<String>> {
    let u = find_user(svc, user_id).await?;
    if u.totp_enabled_at.is_some() {
        return Err(Refused::TwoFactorState.into());
    }
    let Some(secret) = u.totp_secret.clone() else {
        return Err(Refused::TwoFactorState.into());
    };
    let Some(step) = matching_step(&secret, code, svc.now()) else {
        return Err(Invalid::SecondFactorCode.into());
    };
    let codes = shown_codes(svc, user_id).await?;
    if codes.len() != RECOVERY_CODES {
        return Err(Refused::TwoFactorState.into());
    }
    let txn = svc.db.begin().await?;
    recovery_code::Entity::update_many()
        .col_expr(
            recovery_code::Column::ShownCode,
            Expr::value(None::<String>),
        )
        .filter(recovery_code::Column::UserId.eq(user_id))
        .exec(&txn)
        .await?;
    let on = user::Entity::update_many()
        .col_expr(user::Column::TotpEnabledAt, Expr::value(Some(svc.now())))
        .col_expr(user::Column::TotpLastStep, Expr::value(Some(step)))
        .filter(user::Column::Id.eq(user_id))
        .filter(user::Column::TotpEnabledAt.is_null())
        .exec(&txn)
        .await?;
    if on.rows_affected != 1 {
        return Err(Refused::TwoFactorState.into());
    }
    txn.commit().await?;
    tell(svc, &u, true).await?;
    Ok(codes)
}

/// Turns it off after checking the current password.
pub async fn disable_totp(svc: &Services, user_id: i32, password: &str) -> DomainResult<()> {
    let u = find_user(svc, user_id).await?;
    if !verify_password(password, &u.password_hash).await {
        return Err(Invalid::CurrentPassword.into());
    }
    if u.totp_enabled_at.is_none() {
        return Err(Refused::TwoFactorState.into());
    }
    turn_off(svc, &u, false).await
}

/// Support turns two-factor sign-in off for someone who lost both the app and the recovery
/// codes (`portico two-factor off EMAIL`, run by whoever runs the server once they have
/// checked who is asking by other means). A set-up in progress goes too; every session and
/// half-done sign-in of the account ends, and the account is told by email. Returns the
/// account's id.
pub async fn reset_totp(svc: &Services, email: &str) -> DomainResult<i32> {
    let email = super::EmailAddress::parse(email)?;
    let u = user::Entity::find()
        .filter(user::Column::Email.eq(email.as_str()))
        .one(&svc.db)
        .await?
        .ok_or(DomainError::NotFound)?;
    if u.totp_enabled_at.is_none() && u.totp_secret.is_none() {
        return Err(Refused::TwoFactorState.into());
    }
    turn_off(svc, &u, true).await?;
    Ok(u.id)
}

/// Clears the secret and the recovery codes in one transaction (with `end_sessions`, every
/// session and half-done sign-in too), then tells the account.
async fn turn_off(svc: &Services, u: &user::Model, end_sessions: bool) -> DomainResult<()> {
    let txn = svc.db.begin().await?;
    user::Entity::update_many()
        .col_expr(
            user::Column::TotpEnabledAt,
            Expr::value(None::<DateTime<Utc>>),
        )
        .col_expr(user::Column::TotpSecret, Expr::value(None::<String>))
        .filter(user::Column::Id.eq(u.id))
        .exec(&txn)
        .await?;
    recovery_code::Entity::delete_many()
        .filter(recovery_code::Column::UserId.eq(u.id))
        .exec(&txn)
        .await?;
    if end_sessions {
        sessions::end_all(&txn, u.id).await?;
        sign_in_challenge::Entity::delete_many()
            .filter(sign_in_challenge::Column::UserId.eq(u.id))
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    tell(svc, u, false).await
}

pub async fn recovery_codes_left(svc: &Services, user_id: i32) -> DomainResult<u64> {
    use sea_orm::PaginatorTrait;
    Ok(recovery_code::Entity::find()
        .filter(recovery_code::Column::UserId.eq(user_id))
        .filter(recovery_code::Column::UsedAt.is_null())
        .count(&svc.db)
        .await?)
}

async fn tell(svc: &Services, u: &user::Model, on: bool) -> DomainResult<()> {
    let lang = Language::from_db(&u.language);
    let mail = account_templates::two_factor_changed(lang, &u.name, on);
    let kind = if on {
        "two_factor_on"
    } else {
        "two_factor_off"
    };
    svc.mailer
        .send(svc, OutgoingEmail::to_user(u, kind, lang, mail))
        .await?;
    Ok(())
}

/// After a right password for an account with two-factor sign-in: the half-done sign-in,
/// whose token the browser keeps for the code step.
pub(super) async fn open_challenge(
    svc: &Services,
    u: &user::Model,
    meta: &RequestMeta,
) -> DomainResult<String> {
    let now = svc.now();
    let token = super::new_token();
    sign_in_challenge::ActiveModel {
        user_id: Set(u.id),
        token_hash: Set(token_hash(&token)),
        ip: Set(meta.ip.chars().take(64).collect()),
        user_agent: Set(meta.user_agent.chars().take(512).collect()),
        attempts: Set(0),
        created_at: Set(now),
        expires_at: Set(now + Duration::minutes(CHALLENGE_MINUTES)),
        used_at: Set(None),
        ..Default::default()
    }
    .insert(&svc.db)
    .await?;
    Ok(token)
}

/// The second step of signing in: a code from the authenticator app, or a recovery code
/// (which then never works again). Wrong codes are counted; after five the sign-in starts over.
pub async fn complete_sign_in(
    svc: &Services,
    challenge_token: &str,
    code: &str,
    meta: &RequestMeta,
    previous_token: Option<&str>,
) -> DomainResult<SignedIn> {
    let now = svc.now();
    let Some(ch) = sign_in_challenge::Entity::find()
        .filter(sign_in_challenge::Column::TokenHash.eq(token_hash(challenge_token)))
        .one(&svc.db)
        .await?
        .filter(|c| c.used_at.is_none() && c.expires_at > now && c.attempts < MAX_CODE_ATTEMPTS)
    else {
        return Err(DomainError::InvalidCredentials);
    };
    let u = find_user(svc, ch.user_id).await?;
    let secret = u.totp_secret.clone().unwrap_or_default();
    let ok = if let Some(step) = matching_step(&secret, code, now) {
        // A code already used (here or at set-up) counts as a wrong one.
        claim_step(&svc.db, u.id, step).await?
    } else {
        use_recovery_code(svc, u.id, code, now).await?
    };
    if !ok {
        sign_in_challenge::Entity::update_many()
            .col_expr(
                sign_in_challenge::Column::Attempts,
                sea_orm::sea_query::ExprTrait::add(
                    Expr::col(sign_in_challenge::Column::Attempts),
                    1,
                ),
            )
            .filter(sign_in_challenge::Column::Id.eq(ch.id))
            .exec(&svc.db)
            .await?;
        login_attempt::ActiveModel {
            email: Set(u.email.clone()),
            ip: Set(meta.ip.chars().take(64).collect()),
            success: Set(false),
            created_at: Set(now),
            user_id: Set(Some(u.id)),
            user_agent: Set(meta.user_agent.chars().take(512).collect()),
            ..Default::default()
        }
        .insert(&svc.db)
        .await?;
        return Err(Invalid::SecondFactorCode.into());
    }
    // One code step ends one challenge: a second use of the same token is refused.
    let claimed = sign_in_challenge::Entity::update_many()
        .col_expr(sign_in_challenge::Column::UsedAt, Expr::value(Some(now)))
        .filter(sign_in_challenge::Column::Id.eq(ch.id))
        .filter(sign_in_challenge::Column::UsedAt.is_null())
        .exec(&svc.db)
        .await?;
    if claimed.rows_affected != 1 {
        return Err(DomainError::InvalidCredentials);
    }
    sessions::open_session(svc, &u, meta, previous_token).await
}

async fn use_recovery_code(
    svc: &Services,
    user_id: i32,
    code: &str,
    now: DateTime<Utc>,
) -> DomainResult<bool> {
    let normal = normalise_recovery(code);
    if normal.len() != 10 {
        return Ok(false);
    }
    let used = recovery_code::Entity::update_many()
        .col_expr(recovery_code::Column::UsedAt, Expr::value(Some(now)))
        .filter(recovery_code::Column::UserId.eq(user_id))
        .filter(recovery_code::Column::CodeHash.eq(token_hash(&normal)))
        .filter(recovery_code::Column::ShownCode.is_null())
        .filter(recovery_code::Column::UsedAt.is_null())
        .exec(&svc.db)
        .await?;
    Ok(used.rows_affected == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_6238_test_vectors() {
        // RFC 6238 appendix B, SHA-1 secret "12345678901234567890", last 6 of the 8 digits.
        let secret = b"12345678901234567890";
        for (t, code) in [
            (59, "287082"),
            (1_111_111_109, "081804"),
            (1_234_567_890, "005924"),
            (2_000_000_000, "279037"),
        ] {
            assert_eq!(
                code_at(secret, DateTime::from_timestamp(t, 0).unwrap()),
                code,
                "{t}"
            );
        }
    }

    #[test]
    fn codes_allow_one_step_of_drift_and_no_more() {
        let secret = new_secret();
        let raw = decode_secret(&secret).unwrap();
        let now = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let code = code_at(&raw, now);
        let step = 1_800_000_000 / 30;
        assert_eq!(matching_step(&secret, &code, now), Some(step));
        assert_eq!(
            matching_step(&secret, &format!("{} {}", &code[..3], &code[3..]), now),
            Some(step)
        );
        assert_eq!(
            matching_step(&secret, &code, now + Duration::seconds(30)),
            Some(step)
        );
        assert_eq!(
            matching_step(&secret, &code, now - Duration::seconds(30)),
            Some(step)
        );
        assert_eq!(
            matching_step(&secret, &code, now + Duration::seconds(90)),
            None
        );
        assert_eq!(matching_step(&secret, "12345", now), None);
    }

    #[test]
    fn setup_link_and_qr() {
        let s = setup_of("ana@example.com", "JBSWY3DPEHPK3PXP".into(), vec![]);
        assert_eq!(
            s.uri,
            "otpauth://totp/Portico%3Aana%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=Portico&algorithm=SHA1&digits=6&period=30"
        );
        assert!(s.qr_svg.starts_with("<svg") && s.qr_svg.contains("<path d=\"M"));
        let code = new_recovery_code();
        assert_eq!(code.len(), 11);
        assert_eq!(normalise_recovery(&code.to_lowercase()).len(), 10);
    }
}
