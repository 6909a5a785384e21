//! Saved cards (Billing > Payment methods) and card payments. A card is saved through a Stripe
//! SetupIntent for off-session use; Portico keeps only Stripe's PaymentMethod id, the brand, the
//! last four digits and the expiry. Every query takes the client's id.
//!
//! Charging is in [`charge`]: with a valid default card, every new invoice of a service on the
//! card gateway is charged off-session, exactly once. Stripe's events are in [`webhook`].
pub mod charge;
mod gateway;
pub mod stripe;
#[cfg(test)]
mod tests;
pub mod webhook;

pub use gateway::{
    CardDetails, CardGateway, ChargeOutcome, ChargeRequest, FoundCharge, GatewayError,
    GatewayResult, Setup,
};

use crate::{
    entities::{card, user},
    error::{DomainError, DomainResult, Invalid, Refused},
    Services,
};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sea_orm::{
    sea_query::{Expr, OnConflict},
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionSession, TransactionTrait,
};
use std::sync::Arc;

/// Stripe's documented test PaymentMethods the card page offers in test mode, where no card
/// form can be shown. Each saves; they differ when charged.
pub const TEST_CARDS: [&str; 4] = [
    "pm_card_visa",
    "pm_card_mastercard",
    "pm_card_chargeDeclined",
    "pm_card_authenticationRequired",
];

/// A saved card as the client sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedCard {
    pub id: i32,
    pub brand: String,
    pub last4: String,
    pub exp_month: i32,
    pub exp_year: i32,
    pub is_default: bool,
    pub expired: bool,
    /// Expires this month or next: the client should add a new one.
    pub expires_soon: bool,
}

/// A card can be charged until the end of its expiry month.
pub fn is_expired(exp_month: i32, exp_year: i32, today: NaiveDate) -> bool {
    (exp_year, exp_month) < (today.year(), today.month() as i32)
}

fn expires_within_next_month(exp_month: i32, exp_year: i32, today: NaiveDate) -> bool {
    let next = if today.month() == 12 {
        (today.year() + 1, 1)
    } else {
        (today.year(), today.month() as i32 + 1)
    };
    !is_expired(exp_month, exp_year, today) && (exp_year, exp_month) <= next
}

fn saved(c: card::Model, today: NaiveDate) -> SavedCard {
    SavedCard {
        expired: is_expired(c.exp_month, c.exp_year, today),
        expires_soon: expires_within_next_month(c.exp_month, c.exp_year, today),
        id: c.id,
        brand: c.brand,
        last4: c.last4,
        exp_month: c.exp_month,
        exp_year: c.exp_year,
        is_default: c.is_default,
    }
}

/// The configured card gateway, or a refusal when card payments are not set up.
pub fn gateway(svc: &Services) -> DomainResult<Arc<dyn CardGateway>> {
    svc.cards.clone().ok_or(Refused::CardsUnavailable.into())
}

/// The client's cards, the default first, then newest first.
pub async fn list(svc: &Services, client_id: i32) -> DomainResult<Vec<SavedCard>> {
    let today = svc.now().date_naive();
    Ok(card::Entity::find()
        .filter(card::Column::ClientId.eq(client_id))
        .order_by_desc(card::Column::IsDefault)
        .order_by_desc(card::Column::Id)
        .all(&svc.db)
        .await?
        .into_iter()
        .map(|c| saved(c, today))
        .collect())
}

/// The card automatic charges use: the default one, if it has not expired.
pub(crate) async fn chargeable_card(
    db: &impl ConnectionTrait,
    client_id: i32,
    today: NaiveDate,
) -> DomainResult<Option<card::Model>> {
    Ok(card::Entity::find()
        .filter(card::Column::ClientId.eq(client_id))
        .filter(card::Column::IsDefault.eq(true))
        .one(db)
        .await?
        .filter(|c| !is_expired(c.exp_month, c.exp_year, today)))
}

/// The client's Stripe customer, created (once) when first needed.
pub(crate) async fn customer_of(
    svc: &Services,
    gw: &dyn CardGateway,
    client_id: i32,
) -> DomainResult<String> {
    let u = user::Entity::find_by_id(client_id)
        .one(&svc.db)
        .await?
        .ok_or(DomainError::NotFound)?;
    if let Some(id) = u.stripe_customer_id {
        return Ok(id);
    }
    let id = gw.create_customer(u.id, &u.email, &u.name).await?;
    // The idempotency key gives racing requests the same customer; only the first write lands.
    user::Entity::update_many()
        .col_expr(user::Column::StripeCustomerId, Expr::value(&id))
        .filter(user::Column::Id.eq(u.id))
        .filter(user::Column::StripeCustomerId.is_null())
        .exec(&svc.db)
        .await?;
    Ok(user::Entity::find_by_id(client_id)
        .one(&svc.db)
        .await?
        .and_then(|u| u.stripe_customer_id)
        .unwrap_or(id))
}

/// Starts saving a card: a SetupIntent for off-session use, whose client secret Stripe.js
/// (the Payment Element) confirms in the browser.
pub async fn start_setup(svc: &Services, client_id: i32) -> DomainResult<Setup> {
    let gw = gateway(svc)?;
    let customer = customer_of(svc, gw.as_ref(), client_id).await?;
    Ok(gw.create_setup(&customer).await?)
}

/// Saves the card of a succeeded SetupIntent of this client's (after Stripe.js confirmed it,
/// or from the `setup_intent.succeeded` event). Saving the same card again changes nothing.
pub async fn finish_setup(svc: &Services, client_id: i32, setup_id: &str) -> DomainResult<i32> {
    let gw = gateway(svc)?;
    let customer = customer_of(svc, gw.as_ref(), client_id).await?;
    let setup = gw.setup(setup_id).await?;
    // Someone else's SetupIntent is not found, whatever its state.
    if setup.customer.as_deref() != Some(customer.as_str()) {
        return Err(DomainError::NotFound);
    }
    let pm = setup
        .payment_method
        .filter(|_| setup.succeeded)
        .ok_or(Refused::NoCard)?;
    let details = gw.card(&pm).await?;
    // Removed (detached) since: a late event must not bring it back.
    if details.customer.as_deref() != Some(customer.as_str()) {
        return Err(DomainError::NotFound);
    }
    save_card(&svc.db, client_id, &details, svc.now()).await
}

/// Test mode: saves one of Stripe's test cards by name (no card form exists here).
pub async fn add_test_card(svc: &Services, client_id: i32, test_card: &str) -> DomainResult<i32> {
    if !TEST_CARDS.contains(&test_card) {
        return Err(Invalid::TestCard.into());
    }
    let gw = gateway(svc)?;
    if !gw.test_mode() {
        return Err(Invalid::TestCard.into());
    }
    let setup = start_setup(svc, client_id).await?;
    gw.confirm_setup_with_test_card(&setup.id, test_card)
        .await?;
    finish_setup(svc, client_id, &setup.id).await
}

/// Stores a card; the client's first card becomes the default. Idempotent by PaymentMethod id.
pub(crate) async fn save_card(
    db: &(impl ConnectionTrait + TransactionTrait),
    client_id: i32,
    d: &CardDetails,
    now: DateTime<Utc>,
) -> DomainResult<i32> {
    let txn = db.begin().await?;
    let has_default = card::Entity::find()
        .filter(card::Column::ClientId.eq(client_id))
        .filter(card::Column::IsDefault.eq(true))
        .one(&txn)
        .await?
        .is_some();
    card::Entity::insert(card::ActiveModel {
        client_id: Set(client_id),
        gateway_ref: Set(d.id.clone()),
        brand: Set(d.brand.clone()),
        last4: Set(d.last4.clone()),
        exp_month: Set(d.exp_month),
        exp_year: Set(d.exp_year),
        is_default: Set(!has_default),
        expiry_notice_for: Set(String::new()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::column(card::Column::GatewayRef)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(&txn)
    .await?;
    let row = card::Entity::find()
        .filter(card::Column::GatewayRef.eq(&d.id))
        .one(&txn)
        .await?
        .ok_or(DomainError::NotFound)?;
    if row.client_id != client_id {
        return Err(DomainError::NotFound);
    }
    txn.commit().await?;
    Ok(row.id)
}

async fn own_card(
    db: &impl ConnectionTrait,
    client_id: i32,
    card_id: i32,
) -> DomainResult<card::Model> {
    card::Entity::find_by_id(card_id)
        .filter(card::Column::ClientId.eq(client_id))
        .one(db)
        .await?
        .ok_or(DomainError::NotFound)
}

/// Makes one of the client's cards the default, the one automatic charges use.
pub async fn set_default(svc: &Services, client_id: i32, card_id: i32) -> DomainResult<()> {
    let txn = svc.db.begin().await?;
    let c = own_card(&txn, client_id, card_id).await?;
    if is_expired(c.exp_month, c.exp_year, svc.now().date_naive()) {
        return Err(Refused::NoCard.into());
    }
    card::Entity::update_many()
        .col_expr(card::Column::IsDefault, Expr::value(false))
        .filter(card::Column::ClientId.eq(client_id))
        .exec(&txn)
        .await?;
    card::Entity::update_many()
        .col_expr(card::Column::IsDefault, Expr::value(true))
        .col_expr(card::Column::UpdatedAt, Expr::value(svc.now()))
        .filter(card::Column::Id.eq(c.id))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(())
}

/// Removes a card: detached at Stripe first, then forgotten here. When it was the default, the
/// newest card left that has not expired becomes the default.
pub async fn remove(svc: &Services, client_id: i32, card_id: i32) -> DomainResult<()> {
    let c = own_card(&svc.db, client_id, card_id).await?;
    let gw = gateway(svc)?;
    match gw.detach(&c.gateway_ref).await {
        Ok(()) => {}
        // Already detached at Stripe (e.g. from the dashboard): forget it here too.
        Err(GatewayError::Rejected { .. }) => {}
        Err(e) => return Err(e.into()),
    }
    forget_card(&svc.db, &c.gateway_ref, svc.now()).await
}

/// Deletes a card by its PaymentMethod id and picks a new default if needed.
pub(crate) async fn forget_card(
    db: &(impl ConnectionTrait + TransactionTrait),
    gateway_ref: &str,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    let txn = db.begin().await?;
    let Some(c) = card::Entity::find()
        .filter(card::Column::GatewayRef.eq(gateway_ref))
        .one(&txn)
        .await?
    else {
        return Ok(());
    };
    card::Entity::delete_by_id(c.id).exec(&txn).await?;
    if c.is_default {
        let today = now.date_naive();
        let next = card::Entity::find()
            .filter(card::Column::ClientId.eq(c.client_id))
            .order_by_desc(card::Column::Id)
            .all(&txn)
            .await?
            .into_iter()
            .find(|n| !is_expired(n.exp_month, n.exp_year, today));
        if let Some(n) = next {
            card::Entity::update_many()
                .col_expr(card::Column::IsDefault, Expr::value(true))
                .col_expr(card::Column::UpdatedAt, Expr::value(now))
                .filter(card::Column::Id.eq(n.id))
                .exec(&txn)
                .await?;
        }
    }
    txn.commit().await?;
    Ok(())
}

/// Billing-run step: emails each client whose saved card expires this month or next, once per
/// card and expiry month.
pub(crate) async fn expiry_notices(svc: &Services, as_of: NaiveDate) -> DomainResult<u32> {
    use crate::{accounts::Language, mail::card_templates as t};
    let mut sent = 0;
    // Only cards expiring by the end of next month (the SQL narrows, the check below decides).
    let (y, m) = (as_of.year(), as_of.month() as i32);
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    let soon = card::Entity::find()
        .filter(
            Condition::any().add(card::Column::ExpYear.lt(ny)).add(
                Condition::all()
                    .add(card::Column::ExpYear.eq(ny))
                    .add(card::Column::ExpMonth.lte(nm)),
            ),
        )
        .all(&svc.db)
        .await?;
    for c in soon {
        let month = format!("{:04}-{:02}", c.exp_year, c.exp_month);
        if !expires_within_next_month(c.exp_month, c.exp_year, as_of)
            || c.expiry_notice_for == month
        {
            continue;
        }
        let txn = svc.db.begin().await?;
        let claimed = card::Entity::update_many()
            .col_expr(card::Column::ExpiryNoticeFor, Expr::value(&month))
            .filter(card::Column::Id.eq(c.id))
            .filter(card::Column::ExpiryNoticeFor.ne(&month))
            .exec(&txn)
            .await?;
        if claimed.rows_affected != 1 {
            continue;
        }
        let Some(u) = user::Entity::find_by_id(c.client_id).one(&txn).await? else {
            continue;
        };
        let lang = Language::from_db(&u.language);
        let link = format!("{}/billing/payment-methods", svc.base_url);
        let label = t::card_label(lang, &c.brand, &c.last4);
        let content = t::card_expiring(lang, &u.name, &label, c.exp_month, c.exp_year, &link);
        crate::billing::automation::queue_email(&txn, &u, "card_expiring", content, svc.now())
            .await?;
        txn.commit().await?;
        sent += 1;
    }
    Ok(sent)
}
