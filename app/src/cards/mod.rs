//! Saved cards and card payments: DTOs and server functions (thin adapters over
//! `domain::billing::cards`, always scoped to the signed-in client), the payment-methods page
//! and the card part of an invoice's "Pay now".
mod elements;
mod page;
mod pay;
pub mod texts;

pub use page::PaymentMethodsPage;
pub use pay::CardPay;

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardRow {
    pub id: i32,
    /// As people write it ("Visa").
    pub brand: String,
    pub last4: String,
    pub exp_month: i32,
    pub exp_year: i32,
    pub is_default: bool,
    pub expired: bool,
    pub expires_soon: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardsOverview {
    pub cards: Vec<CardRow>,
    /// Card payments are configured.
    pub available: bool,
    /// Test mode: Stripe's test cards offered by name (their PaymentMethod ids); else empty.
    pub test_cards: Vec<String>,
    /// For Stripe.js (the Payment Element), when configured.
    pub publishable_key: Option<String>,
}

/// How the latest card attempt on an invoice ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AttemptState {
    Processing,
    Succeeded,
    Declined,
    NeedsAuthentication,
    Failed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceCardState {
    pub overview: CardsOverview,
    pub last: Option<AttemptState>,
    pub last_code: String,
    /// ISO date of the next automatic try after a decline.
    pub next_try: Option<String>,
}

/// The result of paying by card now, when it did not leave the page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PayOutcome {
    Paid,
    Declined { code: String },
    Processing,
}

#[cfg(feature = "ssr")]
async fn overview(svc: &domain::Services, client_id: i32) -> Result<CardsOverview, AppError> {
    use domain::{billing::cards, mail::card_templates::brand_name};
    let cards = match &svc.cards {
        Some(_) => cards::list(svc, client_id).await?,
        None => Vec::new(),
    };
    Ok(CardsOverview {
        cards: cards
            .into_iter()
            .map(|c| CardRow {
                id: c.id,
                brand: brand_name(&c.brand).to_owned(),
                last4: c.last4,
                exp_month: c.exp_month,
                exp_year: c.exp_year,
                is_default: c.is_default,
                expired: c.expired,
                expires_soon: c.expires_soon,
            })
            .collect(),
        available: svc.cards.is_some(),
        test_cards: if svc.cards.as_ref().is_some_and(|g| g.test_mode()) {
            cards::TEST_CARDS.iter().map(|c| c.to_string()).collect()
        } else {
            Vec::new()
        },
        publishable_key: svc
            .cards
            .as_ref()
            .and_then(|g| g.publishable_key().map(str::to_owned)),
    })
}

#[server(prefix = "/_fn", endpoint = "get_cards")]
pub async fn get_cards() -> Result<CardsOverview, AppError> {
    use crate::auth::ssr;
    let user = ssr::require_client(domain::accounts::Permission::PaymentMethods)?;
    overview(&ssr::services()?, user.client_id).await
}

/// Where to go after saving a card: back to the page that sent the client here (an invoice
/// they are paying), only ever a path on this site.
pub fn local_next(next: Option<&str>) -> Option<&str> {
    next.filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.contains('\\'))
}

/// Test mode: saves one of Stripe's test cards by name.
#[server(prefix = "/_fn", endpoint = "add_test_card")]
pub async fn add_test_card(test_card: String, next: Option<String>) -> Result<(), AppError> {
    use crate::auth::ssr;
    let user = ssr::require_client(domain::accounts::Permission::PaymentMethods)?;
    let svc = ssr::services()?;
    domain::billing::cards::add_test_card(&svc, user.client_id, &test_card).await?;
    leptos_axum::redirect(
        local_next(next.as_deref()).unwrap_or("/billing/payment-methods?saved=1"),
    );
    Ok(())
}

/// Starts saving a card with Stripe.js: the SetupIntent's id and client secret.
#[server(prefix = "/_fn", endpoint = "start_card_setup")]
pub async fn start_card_setup() -> Result<(String, String), AppError> {
    use crate::auth::ssr;
    let user = ssr::require_client(domain::accounts::Permission::PaymentMethods)?;
    let svc = ssr::services()?;
    let s = domain::billing::cards::start_setup(&svc, user.client_id).await?;
    Ok((s.id, s.client_secret))
}

/// Stripe.js confirmed the SetupIntent in the browser: store the card.
#[server(prefix = "/_fn", endpoint = "finish_card_setup")]
pub async fn finish_card_setup(setup_id: String) -> Result<(), AppError> {
    use crate::auth::ssr;
    let user = ssr::require_client(domain::accounts::Permission::PaymentMethods)?;
    let svc = ssr::services()?;
    domain::billing::cards::finish_setup(&svc, user.client_id, &setup_id).await?;
    Ok(())
}

#[server(prefix = "/_fn", endpoint = "set_default_card")]
pub async fn set_default_card(id: i32) -> Result<(), AppError> {
    use crate::auth::ssr;
    let user = ssr::require_client(domain::accounts::Permission::PaymentMethods)?;
    let svc = ssr::services()?;
    domain::billing::cards::set_default(&svc, user.client_id, id).await?;
    leptos_axum::redirect("/billing/payment-methods?default=1");
    Ok(())
}

#[server(prefix = "/_fn", endpoint = "remove_card")]
pub async fn remove_card(id: i32) -> Result<(), AppError> {
    use crate::auth::ssr;
    let user = ssr::require_client(domain::accounts::Permission::PaymentMethods)?;
    let svc = ssr::services()?;
    domain::billing::cards::remove(&svc, user.client_id, id).await?;
    leptos_axum::redirect("/billing/payment-methods?removed=1");
    Ok(())
}

#[server(prefix = "/_fn", endpoint = "get_invoice_card_state")]
pub async fn get_invoice_card_state(id: i32) -> Result<InvoiceCardState, AppError> {
    use crate::auth::ssr;
    use domain::billing::cards::charge::{self, AttemptStatus as S};
    let user = ssr::require_client(domain::accounts::Permission::Invoices)?;
    let svc = ssr::services()?;
    let last = charge::last_attempt(&svc, user.client_id, id).await?;
    Ok(InvoiceCardState {
        overview: overview(&svc, user.client_id).await?,
        last: last.as_ref().map(|a| match a.status {
            S::Pending | S::Processing => AttemptState::Processing,
            S::Succeeded => AttemptState::Succeeded,
            S::Declined => AttemptState::Declined,
            S::RequiresAction => AttemptState::NeedsAuthentication,
            S::Failed => AttemptState::Failed,
        }),
        last_code: last
            .as_ref()
            .map(|a| a.error_code.clone())
            .unwrap_or_default(),
        next_try: last.and_then(|a| a.next_try).map(|d| d.to_string()),
    })
}

#[cfg(feature = "ssr")]
fn after_pay(id: i32, r: domain::billing::cards::charge::PayResult) -> PayOutcome {
    use domain::billing::cards::charge::PayResult as R;
    match r {
        R::Paid => {
            leptos_axum::redirect(&format!("/invoices/{id}?card=paid"));
            PayOutcome::Paid
        }
        // The bank's 3-D Secure page; it comes back to /invoices/{id}/card-return.
        R::Authenticate { url } => {
            leptos_axum::redirect(&url);
            PayOutcome::Processing
        }
        R::Declined { code, .. } => PayOutcome::Declined { code },
        R::Processing => PayOutcome::Processing,
    }
}

#[cfg(feature = "ssr")]
fn return_url(svc: &domain::Services, id: i32) -> String {
    format!("{}/invoices/{id}/card-return", svc.base_url)
}

/// The client pays one of their unpaid invoices now with a saved card (credit first).
#[server(prefix = "/_fn", endpoint = "pay_invoice_by_card")]
pub async fn pay_invoice_by_card(id: i32, card: Option<i32>) -> Result<PayOutcome, AppError> {
    use crate::auth::ssr;
    let user = ssr::require_client(domain::accounts::Permission::Invoices)?;
    let svc = ssr::services()?;
    let r = domain::billing::cards::charge::pay_now(
        &svc,
        user.client_id,
        id,
        card,
        &return_url(&svc, id),
    )
    .await?;
    Ok(after_pay(id, r))
}

/// The client confirms, on-session, a charge their bank wants authenticated.
#[server(prefix = "/_fn", endpoint = "confirm_card_payment")]
pub async fn confirm_card_payment(id: i32) -> Result<PayOutcome, AppError> {
    use crate::auth::ssr;
    let user = ssr::require_client(domain::accounts::Permission::Invoices)?;
    let svc = ssr::services()?;
    let r = domain::billing::cards::charge::confirm_authentication(
        &svc,
        user.client_id,
        id,
        &return_url(&svc, id),
    )
    .await?;
    Ok(after_pay(id, r))
}
