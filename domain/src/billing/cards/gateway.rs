//! The card gateway interface: what Portico asks of a card processor. The Stripe gateway
//! (`super::stripe`) is the one implementation; bank transfer is the manual gateway (staff
//! record the payment, `payments::record_manual_payment`). Tests run the Stripe gateway itself
//! against the Stripe stand-in, never a fake of this trait.

/// A card as the processor describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardDetails {
    pub id: String,
    pub customer: Option<String>,
    pub brand: String,
    pub last4: String,
    pub exp_month: i32,
    pub exp_year: i32,
}

/// A SetupIntent: how a card is saved for later off-session use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setup {
    pub id: String,
    pub client_secret: String,
    pub customer: Option<String>,
    pub succeeded: bool,
    pub payment_method: Option<String>,
}

/// What Portico asks to charge.
#[derive(Debug, Clone)]
pub struct ChargeRequest<'a> {
    pub customer: &'a str,
    pub payment_method: &'a str,
    pub amount_cents: i64,
    pub currency: &'a str,
    /// The attempt's key: sent as the idempotency key and as metadata, so the attempt can be
    /// found at the processor when its outcome is unknown.
    pub attempt_key: &'a str,
    pub invoice_id: i32,
    pub description: &'a str,
    /// Off-session: the client is not present (automatic charges). On-session charges give a
    /// return URL for 3-D Secure.
    pub off_session: bool,
    pub return_url: Option<&'a str>,
}

/// How a charge ended at the processor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChargeOutcome {
    Succeeded {
        intent: String,
        amount_cents: i64,
    },
    /// Refused by the bank or the processor; `code` is Stripe's (`card_declined`,
    /// `expired_card`, `authentication_required`, …).
    Declined {
        intent: Option<String>,
        code: String,
        message: String,
    },
    /// The client has to authenticate (3-D Secure) on a page of the processor's.
    RequiresAction {
        intent: String,
        redirect_url: Option<String>,
    },
    /// Still being processed, or waiting for something else: a webhook will tell.
    Pending {
        intent: String,
    },
}

/// A charge the processor knows of, found by its attempt key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundCharge {
    pub attempt_key: String,
    pub outcome: ChargeOutcome,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GatewayError {
    /// No answer, a timeout or a server error: the outcome of the request is unknown.
    #[error("card processor unavailable: {0}")]
    Unavailable(String),
    /// The processor refused the request itself (not a card decline).
    #[error("card processor refused the request: {code}: {message}")]
    Rejected { code: String, message: String },
}

pub type GatewayResult<T> = Result<T, GatewayError>;

#[async_trait::async_trait]
pub trait CardGateway: Send + Sync + std::fmt::Debug {
    /// Test mode (Stripe test keys or the stand-in): the card page offers Stripe's test cards
    /// by name instead of a card form.
    fn test_mode(&self) -> bool;
    /// The publishable key for Stripe.js, when configured.
    fn publishable_key(&self) -> Option<&str>;
    async fn create_customer(
        &self,
        client_id: i32,
        email: &str,
        name: &str,
    ) -> GatewayResult<String>;
    async fn create_setup(&self, customer: &str) -> GatewayResult<Setup>;
    async fn setup(&self, id: &str) -> GatewayResult<Setup>;
    /// Confirms a SetupIntent with one of Stripe's test PaymentMethods (`pm_card_visa`, …):
    /// test mode only, where no card form can be shown.
    async fn confirm_setup_with_test_card(&self, id: &str, test_card: &str)
        -> GatewayResult<Setup>;
    async fn card(&self, payment_method: &str) -> GatewayResult<CardDetails>;
    async fn detach(&self, payment_method: &str) -> GatewayResult<()>;
    async fn charge(&self, req: &ChargeRequest<'_>) -> GatewayResult<ChargeOutcome>;
    async fn intent(&self, id: &str) -> GatewayResult<FoundCharge>;
    /// Looks for a charge made with `attempt_key` among the customer's charges created since
    /// `since` (Unix seconds: when the attempt was recorded).
    async fn find_charge(
        &self,
        customer: &str,
        attempt_key: &str,
        since: i64,
    ) -> GatewayResult<Option<FoundCharge>>;
    /// Refunds `amount_cents` of a succeeded charge; `key` makes it happen once.
    async fn refund(&self, intent: &str, amount_cents: i64, key: &str) -> GatewayResult<String>;
}
