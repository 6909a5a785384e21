//! Forgotten and changed passwords.
use super::{
    hash_password, new_token, token_hash, verify_password, EmailAddress, Language, NewPassword,
};
use crate::{
    entities::{password_reset, session, user},
    error::{DomainError, DomainResult, Invalid},
    mail::{templates, OutgoingEmail},
    Services,
};
use chrono::Duration;
use sea_orm::{
    sea_query::Expr, ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set,
    TransactionTrait,
};

pub const RESET_LINK_MINUTES: i64 = 60;
/// At most this many reset emails per account per hour, so the form cannot flood an inbox.
const MAX_RESETS_PER_HOUR: u64 = 3;

/// Emails a single-use reset link if the address belongs to an account. Says nothing either way,
/// so the form cannot be used to find out who has an account.
pub async fn request_password_reset(svc: &Services, email: &str) -> DomainResult<()> {
    let Ok(email) = EmailAddress::parse(email) else {
        return Ok(());
    };
    let Some(u) = user::Entity::find()
        .filter(user::Column::Email.eq(email.as_str()))
        .one(&svc.db)
        .await?
    else {
        return Ok(());
    };
    let now = svc.now();
    let recent = password_reset::Entity::find()
        .filter(password_reset::Column::UserId.eq(u.id))
        .filter(password_reset::Column::CreatedAt.gt(now - Duration::hours(1)))
        .count(&svc.db)
        .await?;
    if recent >= MAX_RESETS_PER_HOUR {
        // Silently: the answer must not differ from an unknown address.
        tracing::info!(
            user_id = u.id,
            "password reset email suppressed: hourly limit"
        );
        return Ok(());
    }
    let token = new_token();
    password_reset::ActiveModel {
        user_id: Set(u.id),
        token_hash: Set(token_hash(&token)),
        created_at: Set(now),
        expires_at: Set(now + Duration::minutes(RESET_LINK_MINUTES)),
        used_at: Set(None),
        ..Default::default()
    }
    .insert(&svc.db)
    .await?;
    let lang = Language::from_db(&u.language);
    let link = format!(
        "{}/password/reset/{token}",
        svc.base_url.trim_end_matches('/')
    );
    let mail = templates::password_reset(lang, &u.name, &link, RESET_LINK_MINUTES);
    svc.mailer
        .send(
            svc,
            OutgoingEmail::to_user(&u, "password_reset", lang, mail),
        )
        .await?;
    Ok(())
}

/// Sets a new password from an emailed link. The link works once; every session of the
/// account ends, so whoever knew the old password is signed out.
pub async fn reset_password(svc: &Services, token: &str, new: &NewPassword) -> DomainResult<()> {
    let now = svc.now();
    let hash = hash_password(new.expose()).await?;
    let txn = svc.db.begin().await?;
    let Some(reset) = password_reset::Entity::find()
        .filter(password_reset::Column::TokenHash.eq(token_hash(token)))
        .one(&txn)
        .await?
        .filter(|r| r.used_at.is_none() && r.expires_at > now)
    else {
        return Err(Invalid::ResetLink.into());
    };
    // Guarded update: of two concurrent uses of one link, only one sees `used_at` still empty.
    let claimed = password_reset::Entity::update_many()
        .col_expr(password_reset::Column::UsedAt, Expr::value(Some(now)))
        .filter(password_reset::Column::Id.eq(reset.id))
        .filter(password_reset::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    if claimed.rows_affected != 1 {
        return Err(Invalid::ResetLink.into());
    }
    // An invited contact choosing a first password: nothing was changed to warn about.
    let first_password = user::Entity::find_by_id(reset.user_id)
        .one(&txn)
        .await?
        .is_some_and(|u| u.password_hash == super::contacts::NO_PASSWORD);
    user::Entity::update_many()
        .col_expr(user::Column::PasswordHash, Expr::value(hash))
        .col_expr(user::Column::UpdatedAt, Expr::value(now))
        .filter(user::Column::Id.eq(reset.user_id))
        .exec(&txn)
        .await?;
    super::sessions::end_all(&txn, reset.user_id).await?;
    txn.commit().await?;
    if first_password {
        return Ok(());
    }
    notify_password_changed(svc, reset.user_id).await
}

/// Changes the password of a signed-in user after checking the current one; every other
/// session of the account ends, the current one stays.
pub async fn change_password(
    svc: &Services,
    user_id: i32,
    keep_session_id: i32,
    current: &str,
    new: &NewPassword,
) -> DomainResult<()> {
    let u = user::Entity::find_by_id(user_id)
        .one(&svc.db)
        .await?
        .ok_or(DomainError::NotFound)?;
    if !verify_password(current, &u.password_hash).await {
        return Err(Invalid::CurrentPassword.into());
    }
    let hash = hash_password(new.expose()).await?;
    let txn = svc.db.begin().await?;
    let mut active: user::ActiveModel = u.into();
    active.password_hash = Set(hash);
    active.updated_at = Set(svc.now());
    active.update(&txn).await?;
    session::Entity::delete_many()
        .filter(session::Column::UserId.eq(user_id))
        .filter(session::Column::Id.ne(keep_session_id))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    notify_password_changed(svc, user_id).await
}

async fn notify_password_changed(svc: &Services, user_id: i32) -> DomainResult<()> {
    let u = user::Entity::find_by_id(user_id)
        .one(&svc.db)
        .await?
        .ok_or(DomainError::NotFound)?;
    let lang = Language::from_db(&u.language);
    let mail = templates::password_changed(lang, &u.name);
    svc.mailer
        .send(
            svc,
            OutgoingEmail::to_user(&u, "password_changed", lang, mail),
        )
        .await?;
    Ok(())
}
