//! Changing the login email, which is also the billing email. The new address must be
//! confirmed from a link sent to it; only then does the account change, and the old address is
//! told. Until then everything (sign-in, invoices) keeps using the old address.
use super::{new_token, token_hash, verify_password, EmailAddress, Language};
use crate::{
    entities::{email_change, user},
    error::{DomainError, DomainResult, Invalid},
    mail::{account_templates, OutgoingEmail},
    Services,
};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    sea_query::Expr, ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set, TransactionTrait,
};

pub const CONFIRM_LINK_HOURS: i64 = 24;
/// Links sent per account per hour, so the form cannot be used to flood an inbox.
const MAX_REQUESTS_PER_HOUR: usize = 5;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingEmailChange {
    pub new_email: String,
    pub expires_at: DateTime<Utc>,
}

async fn address_taken(db: &impl sea_orm::ConnectionTrait, email: &str) -> DomainResult<bool> {
    Ok(user::Entity::find()
        .filter(user::Column::Email.eq(email))
        .count(db)
        .await?
        > 0)
}

/// Asks to change the account's email address: checks the current password, refuses an
/// address another account uses (without saying whose), and emails a link to the new address.
/// A new request replaces an earlier one.
pub async fn request_email_change(
    svc: &Services,
    user_id: i32,
    new_email: &str,
    current_password: &str,
) -> DomainResult<PendingEmailChange> {
    let new = EmailAddress::parse(new_email)?;
    let u = user::Entity::find_by_id(user_id)
        .one(&svc.db)
        .await?
        .ok_or(DomainError::NotFound)?;
    if !verify_password(current_password, &u.password_hash).await {
        return Err(Invalid::CurrentPassword.into());
    }
    if new.as_str() == u.email {
        return Err(Invalid::EmailUnchanged.into());
    }
    if address_taken(&svc.db, new.as_str()).await? {
        return Err(Invalid::EmailTaken.into());
    }
    let now = svc.now();
    // Every link sent in the last hour counts: replaced links are expired, not deleted.
    let recent = email_change::Entity::find()
        .filter(email_change::Column::UserId.eq(user_id))
        .filter(email_change::Column::CreatedAt.gt(now - Duration::hours(1)))
        .order_by_asc(email_change::Column::CreatedAt)
        .all(&svc.db)
        .await?;
    if recent.len() >= MAX_REQUESTS_PER_HOUR {
        let frees_at = recent[0].created_at + Duration::hours(1);
        return Err(DomainError::Throttled {
            retry_after_minutes: ((frees_at - now).num_minutes() + 1).clamp(1, 60) as u32,
        });
    }
    let token = new_token();
    let expires_at = now + Duration::hours(CONFIRM_LINK_HOURS);
    let txn = svc.db.begin().await?;
    // Only the newest link works.
    expire_pending(&txn, user_id, now).await?;
    email_change::ActiveModel {
        user_id: Set(user_id),
        new_email: Set(new.as_str().to_owned()),
        token_hash: Set(token_hash(&token)),
        created_at: Set(now),
        expires_at: Set(expires_at),
        used_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    let lang = Language::from_db(&u.language);
    let link = format!(
        "{}/email/confirm/{token}",
        svc.base_url.trim_end_matches('/')
    );
    let mail = account_templates::confirm_new_email(
        lang,
        &u.name,
        new.as_str(),
        &link,
        CONFIRM_LINK_HOURS,
    );
    svc.mailer
        .send(
            svc,
            OutgoingEmail {
                user_id: Some(u.id),
                to: new.as_str().to_owned(),
                kind: "email_change_confirm",
                language: lang,
                content: mail,
            },
        )
        .await?;
    Ok(PendingEmailChange {
        new_email: new.as_str().to_owned(),
        expires_at,
    })
}

/// The change waiting for its confirmation, if any.
pub async fn pending_email_change(
    svc: &Services,
    user_id: i32,
) -> DomainResult<Option<PendingEmailChange>> {
    let now = svc.now();
    Ok(email_change::Entity::find()
        .filter(email_change::Column::UserId.eq(user_id))
        .filter(email_change::Column::UsedAt.is_null())
        .filter(email_change::Column::ExpiresAt.gt(now))
        .order_by_desc(email_change::Column::Id)
        .one(&svc.db)
        .await?
        .map(|c| PendingEmailChange {
            new_email: c.new_email,
            expires_at: c.expires_at,
        }))
}

pub async fn cancel_email_change(svc: &Services, user_id: i32) -> DomainResult<()> {
    expire_pending(&svc.db, user_id, svc.now()).await
}

async fn expire_pending(
    db: &impl sea_orm::ConnectionTrait,
    user_id: i32,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    email_change::Entity::update_many()
        .col_expr(email_change::Column::ExpiresAt, Expr::value(now))
        .filter(email_change::Column::UserId.eq(user_id))
        .filter(email_change::Column::UsedAt.is_null())
        .filter(email_change::Column::ExpiresAt.gt(now))
        .exec(db)
        .await?;
    Ok(())
}

/// Confirms a change from its emailed link: the account's email becomes the new address and
/// the old one is told. The link works once; the address is checked again, since another
/// account may have taken it meanwhile. Returns the new address.
pub async fn confirm_email_change(svc: &Services, token: &str) -> DomainResult<String> {
    let now = svc.now();
    let txn = svc.db.begin().await?;
    let Some(change) = email_change::Entity::find()
        .filter(email_change::Column::TokenHash.eq(token_hash(token)))
        .one(&txn)
        .await?
        .filter(|c| c.used_at.is_none() && c.expires_at > now)
    else {
        return Err(Invalid::ResetLink.into());
    };
    let claimed = email_change::Entity::update_many()
        .col_expr(email_change::Column::UsedAt, Expr::value(Some(now)))
        .filter(email_change::Column::Id.eq(change.id))
        .filter(email_change::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    if claimed.rows_affected != 1 {
        return Err(Invalid::ResetLink.into());
    }
    if address_taken(&txn, &change.new_email).await? {
        return Err(Invalid::EmailTaken.into());
    }
    let old = user::Entity::find_by_id(change.user_id)
        .one(&txn)
        .await?
        .ok_or(DomainError::NotFound)?;
    let mut a: user::ActiveModel = old.clone().into();
    a.email = Set(change.new_email.clone());
    a.updated_at = Set(now);
    // The unique index refuses a race with another account taking the address this instant.
    if let Err(e) = a.update(&txn).await {
        tracing::info!(error = %e, "email change lost a race for the address");
        return Err(Invalid::EmailTaken.into());
    }
    txn.commit().await?;
    let lang = Language::from_db(&old.language);
    let mail = account_templates::email_changed(lang, &old.name, &change.new_email);
    svc.mailer
        .send(
            svc,
            OutgoingEmail::to_user(&old, "email_changed", lang, mail),
        )
        .await?;
    Ok(change.new_email)
}
