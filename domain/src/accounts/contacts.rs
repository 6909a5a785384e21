//! Contacts: people a client invites to their account. Each has their own login (email and
//! password) and sees the account's data as far as their permissions allow.
use super::{new_token, token_hash, EmailAddress, Language, Permissions};
use crate::{
    entities::{email_change, password_reset, user},
    error::{DomainError, DomainResult, Invalid, Refused},
    mail::{account_templates, OutgoingEmail},
    Services,
};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};

pub const INVITATION_DAYS: i64 = 7;
/// The password hash of an invited contact who has not chosen a password: no password matches it.
pub(super) const NO_PASSWORD: &str = "!invited";
pub const MAX_CONTACTS: u64 = 50;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    pub id: i32,
    pub name: String,
    pub email: String,
    pub permissions: Permissions,
    /// Invited and has not chosen a password yet.
    pub pending: bool,
    pub created_at: DateTime<Utc>,
}

fn from_model(u: user::Model) -> Contact {
    Contact {
        id: u.id,
        pending: u.password_hash == NO_PASSWORD,
        permissions: Permissions::from_db(&u.permissions),
        name: u.name,
        email: u.email,
        created_at: u.created_at,
    }
}

pub async fn list_contacts(svc: &Services, client_id: i32) -> DomainResult<Vec<Contact>> {
    Ok(user::Entity::find()
        .filter(user::Column::ParentId.eq(client_id))
        .order_by_asc(user::Column::Name)
        .all(&svc.db)
        .await?
        .into_iter()
        .map(from_model)
        .collect())
}

pub struct NewContact<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub permissions: Permissions,
}

/// The permissions a contact may be given by someone who has `granter`: never more.
fn check_grant(requested: Permissions, granter: Permissions) -> DomainResult<()> {
    if requested.is_empty() {
        return Err(Invalid::NoPermissions.into());
    }
    if requested.iter().any(|p| !granter.has(p)) {
        return Err(DomainError::Forbidden);
    }
    Ok(())
}

/// Invites a person: their account is created without a password and they get a link to choose
/// one. An address any account already uses is refused without saying whose.
pub async fn invite_contact(
    svc: &Services,
    client_id: i32,
    granter: Permissions,
    new: NewContact<'_>,
) -> DomainResult<Contact> {
    check_grant(new.permissions, granter)?;
    let email = EmailAddress::parse(new.email)?;
    let name = new.name.trim();
    if name.is_empty() || name.chars().count() > 200 || name.chars().any(char::is_control) {
        return Err(Invalid::Name.into());
    }
    let owner = user::Entity::find_by_id(client_id)
        .one(&svc.db)
        .await?
        .filter(|u| u.parent_id.is_none())
        .ok_or(DomainError::NotFound)?;
    let existing = user::Entity::find()
        .filter(user::Column::ParentId.eq(client_id))
        .count(&svc.db)
        .await?;
    if existing >= MAX_CONTACTS {
        return Err(Refused::TooManyContacts.into());
    }
    if user::Entity::find()
        .filter(user::Column::Email.eq(email.as_str()))
        .count(&svc.db)
        .await?
        > 0
    {
        return Err(Invalid::EmailTaken.into());
    }
    let now = svc.now();
    let token = new_token();
    let txn = svc.db.begin().await?;
    let contact = user::ActiveModel {
        email: Set(email.as_str().to_owned()),
        password_hash: Set(NO_PASSWORD.to_owned()),
        name: Set(name.to_owned()),
        role: Set(super::Role::Client.as_str().to_owned()),
        language: Set(owner.language.clone()),
        parent_id: Set(Some(client_id)),
        permissions: Set(new.permissions.to_db()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    // The unique index: someone took the address this instant.
    .map_err(|_| DomainError::Invalid(Invalid::EmailTaken))?;
    password_reset::ActiveModel {
        user_id: Set(contact.id),
        token_hash: Set(token_hash(&token)),
        created_at: Set(now),
        expires_at: Set(now + Duration::days(INVITATION_DAYS)),
        used_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    let lang = Language::from_db(&owner.language);
    let link = format!(
        "{}/password/welcome/{token}",
        svc.base_url.trim_end_matches('/')
    );
    let account = if owner.company.is_empty() {
        owner.name.clone()
    } else {
        owner.company.clone()
    };
    let mail = account_templates::contact_invitation(lang, name, &account, &link, INVITATION_DAYS);
    svc.mailer
        .send(
            svc,
            OutgoingEmail::to_user(&contact, "contact_invitation", lang, mail),
        )
        .await?;
    Ok(from_model(contact))
}

async fn find_contact(
    svc: &Services,
    client_id: i32,
    contact_id: i32,
) -> DomainResult<user::Model> {
    user::Entity::find_by_id(contact_id)
        .filter(user::Column::ParentId.eq(client_id))
        .one(&svc.db)
        .await?
        .ok_or(DomainError::NotFound)
}

/// Changes what a contact may do; it applies from their next request.
pub async fn set_contact_permissions(
    svc: &Services,
    client_id: i32,
    granter: Permissions,
    contact_id: i32,
    permissions: Permissions,
) -> DomainResult<Contact> {
    check_grant(permissions, granter)?;
    let c = find_contact(svc, client_id, contact_id).await?;
    let mut a: user::ActiveModel = c.into();
    a.permissions = Set(permissions.to_db());
    a.updated_at = Set(svc.now());
    Ok(from_model(a.update(&svc.db).await?))
}

/// Removes a contact: their login goes, and with it every session they had. `by` is the person
/// asking: nobody removes themselves this way (it would end the session they are using).
pub async fn remove_contact(
    svc: &Services,
    client_id: i32,
    by: i32,
    contact_id: i32,
) -> DomainResult<()> {
    if contact_id == by {
        return Err(DomainError::Forbidden);
    }
    let c = find_contact(svc, client_id, contact_id).await?;
    let txn = svc.db.begin().await?;
    super::sessions::end_all(&txn, c.id).await?;
    password_reset::Entity::delete_many()
        .filter(password_reset::Column::UserId.eq(c.id))
        .exec(&txn)
        .await?;
    email_change::Entity::delete_many()
        .filter(email_change::Column::UserId.eq(c.id))
        .exec(&txn)
        .await?;
    user::Entity::delete_by_id(c.id).exec(&txn).await?;
    txn.commit().await?;
    Ok(())
}
