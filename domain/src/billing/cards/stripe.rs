//! The Stripe gateway, through `async-stripe`. The same code talks to api.stripe.com and, in
//! development and tests, to the Stripe stand-in (`STRIPE_API_BASE`).
use super::gateway::{
    CardDetails, CardGateway, ChargeOutcome, ChargeRequest, FoundCharge, GatewayError,
    GatewayResult, Setup,
};
use stripe::{
    Client, ConfirmSetupIntent, CreateCustomer, CreatePaymentIntent, CreateRefund,
    CreateSetupIntent, Currency, Customer, CustomerId, ListPaymentIntents, Metadata, PaymentIntent,
    PaymentIntentId, PaymentIntentOffSession, PaymentIntentStatus, PaymentMethod, PaymentMethodId,
    Refund, RequestStrategy, SetupIntent, SetupIntentId, SetupIntentStatus, StripeError,
};

pub const API_BASE: &str = "https://api.stripe.com/";

/// Metadata key carrying the attempt key on every PaymentIntent Portico creates.
const ATTEMPT: &str = "portico_attempt";
const INVOICE: &str = "portico_invoice";
/// Pages of 100 PaymentIntents looked through for an attempt whose outcome is unknown.
const MAX_PAGES: usize = 20;

pub struct StripeGateway {
    client: Client,
    test_mode: bool,
    publishable_key: Option<String>,
}

// The client holds the secret key: never print it.
impl std::fmt::Debug for StripeGateway {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StripeGateway")
            .field("test_mode", &self.test_mode)
            .finish()
    }
}

impl StripeGateway {
    /// `api_base` must be a valid absolute URL (the config checks it); `secret_key` decides
    /// test mode (`sk_test_…`).
    pub fn new(api_base: &str, secret_key: &str, publishable_key: Option<String>) -> Self {
        Self {
            client: Client::from_url(api_base, secret_key),
            test_mode: secret_key.starts_with("sk_test_"),
            publishable_key,
        }
    }

    fn idempotent(&self, key: &str) -> Client {
        self.client
            .clone()
            .with_strategy(RequestStrategy::Idempotent(key.to_owned()))
    }
}

fn err(e: StripeError) -> GatewayError {
    match e {
        StripeError::Stripe(r) if (400..500).contains(&r.http_status) => GatewayError::Rejected {
            code: r
                .code
                .map(|c| c.to_string())
                .unwrap_or_else(|| format!("http_{}", r.http_status)),
            message: r.message.unwrap_or_default(),
        },
        other => GatewayError::Unavailable(other.to_string()),
    }
}

fn parse_id<T: std::str::FromStr>(id: &str) -> GatewayResult<T> {
    id.parse().map_err(|_| GatewayError::Rejected {
        code: "invalid_id".into(),
        message: format!("not a Stripe id of this kind: {id}"),
    })
}

fn setup_of(si: SetupIntent) -> Setup {
    Setup {
        id: si.id.to_string(),
        client_secret: si.client_secret.unwrap_or_default(),
        customer: si.customer.map(|c| c.id().to_string()),
        succeeded: si.status == SetupIntentStatus::Succeeded,
        payment_method: si.payment_method.map(|p| p.id().to_string()),
    }
}

fn outcome_of(pi: &PaymentIntent) -> ChargeOutcome {
    let intent = pi.id.to_string();
    match pi.status {
        PaymentIntentStatus::Succeeded => ChargeOutcome::Succeeded {
            intent,
            amount_cents: pi.amount_received,
        },
        PaymentIntentStatus::RequiresAction => ChargeOutcome::RequiresAction {
            redirect_url: pi
                .next_action
                .as_ref()
                .and_then(|a| a.redirect_to_url.as_ref())
                .and_then(|r| r.url.clone()),
            intent,
        },
        PaymentIntentStatus::RequiresPaymentMethod | PaymentIntentStatus::Canceled => {
            let e = pi.last_payment_error.as_deref();
            ChargeOutcome::Declined {
                intent: Some(intent),
                code: e
                    .and_then(|e| e.code.as_ref())
                    .map(|c| c.to_string())
                    .unwrap_or_else(|| "card_declined".into()),
                message: e.and_then(|e| e.message.clone()).unwrap_or_default(),
            }
        }
        _ => ChargeOutcome::Pending { intent },
    }
}

fn found(pi: &PaymentIntent) -> FoundCharge {
    FoundCharge {
        attempt_key: pi.metadata.get(ATTEMPT).cloned().unwrap_or_default(),
        outcome: outcome_of(pi),
    }
}

#[async_trait::async_trait]
impl CardGateway for StripeGateway {
    fn test_mode(&self) -> bool {
        self.test_mode
    }

    fn publishable_key(&self) -> Option<&str> {
        self.publishable_key.as_deref()
    }

    async fn create_customer(
        &self,
        client_id: i32,
        email: &str,
        name: &str,
    ) -> GatewayResult<String> {
        let mut params = CreateCustomer::new();
        params.email = Some(email);
        params.name = Some(name);
        params.metadata = Some(Metadata::from([(
            "portico_client".into(),
            client_id.to_string(),
        )]));
        // Two requests racing to create the customer get the same one back.
        let c = Customer::create(&self.idempotent(&format!("customer-{client_id}")), params)
            .await
            .map_err(err)?;
        Ok(c.id.to_string())
    }

    async fn create_setup(&self, customer: &str) -> GatewayResult<Setup> {
        let mut params = CreateSetupIntent::new();
        params.customer = Some(parse_id::<CustomerId>(customer)?);
        // A SetupIntent's usage defaults to off_session: what automatic charges need.
        params.payment_method_types = Some(vec!["card".into()]);
        let si = SetupIntent::create(&self.client, params)
            .await
            .map_err(err)?;
        Ok(setup_of(si))
    }

    async fn setup(&self, id: &str) -> GatewayResult<Setup> {
        let si = SetupIntent::retrieve(&self.client, &parse_id::<SetupIntentId>(id)?, &[])
            .await
            .map_err(err)?;
        Ok(setup_of(si))
    }

    async fn confirm_setup_with_test_card(
        &self,
        id: &str,
        test_card: &str,
    ) -> GatewayResult<Setup> {
        if !self.test_mode {
            return Err(GatewayError::Rejected {
                code: "live_mode".into(),
                message: "test cards exist only in test mode".into(),
            });
        }
        let params = ConfirmSetupIntent {
            payment_method: Some(parse_id::<PaymentMethodId>(test_card)?),
            mandate_data: None,
            payment_method_data: None,
            payment_method_options: None,
            return_url: None,
            use_stripe_sdk: false,
        };
        let si = SetupIntent::confirm(&self.client, &parse_id::<SetupIntentId>(id)?, params)
            .await
            .map_err(err)?;
        Ok(setup_of(si))
    }

    async fn card(&self, payment_method: &str) -> GatewayResult<CardDetails> {
        let pm = PaymentMethod::retrieve(
            &self.client,
            &parse_id::<PaymentMethodId>(payment_method)?,
            &[],
        )
        .await
        .map_err(err)?;
        let card = pm.card.ok_or_else(|| GatewayError::Rejected {
            code: "not_a_card".into(),
            message: "the payment method is not a card".into(),
        })?;
        Ok(CardDetails {
            id: pm.id.to_string(),
            customer: pm.customer.map(|c| c.id().to_string()),
            brand: card.brand,
            last4: card.last4,
            exp_month: card.exp_month as i32,
            exp_year: card.exp_year as i32,
        })
    }

    async fn detach(&self, payment_method: &str) -> GatewayResult<()> {
        PaymentMethod::detach(&self.client, &parse_id::<PaymentMethodId>(payment_method)?)
            .await
            .map_err(err)?;
        Ok(())
    }

    async fn charge(&self, req: &ChargeRequest<'_>) -> GatewayResult<ChargeOutcome> {
        let currency: Currency =
            req.currency
                .to_ascii_lowercase()
                .parse()
                .map_err(|_| GatewayError::Rejected {
                    code: "currency".into(),
                    message: format!("unknown currency {}", req.currency),
                })?;
        let mut params = CreatePaymentIntent::new(req.amount_cents, currency);
        params.customer = Some(parse_id::<CustomerId>(req.customer)?);
        params.payment_method = Some(parse_id::<PaymentMethodId>(req.payment_method)?);
        params.payment_method_types = Some(vec!["card".into()]);
        params.confirm = Some(true);
        params.description = Some(req.description);
        params.metadata = Some(Metadata::from([
            (ATTEMPT.into(), req.attempt_key.into()),
            (INVOICE.into(), req.invoice_id.to_string()),
        ]));
        if req.off_session {
            params.off_session = Some(PaymentIntentOffSession::exists(true));
        } else {
            params.return_url = req.return_url;
        }
        match PaymentIntent::create(&self.idempotent(req.attempt_key), params).await {
            Ok(pi) => Ok(outcome_of(&pi)),
            // A card error (HTTP 402): declined, or off-session authentication required.
            Err(StripeError::Stripe(e)) if e.http_status == 402 => Ok(ChargeOutcome::Declined {
                intent: None,
                code: e
                    .code
                    .map(|c| c.to_string())
                    .unwrap_or_else(|| "card_declined".into()),
                message: e.message.unwrap_or_default(),
            }),
            // Stripe answered, but with an error this client library cannot read (0.41 knows no
            // `authentication_required` code): the PaymentIntent exists, so ask for it.
            Err(StripeError::JSONSerialize(e)) => {
                let now = chrono::Utc::now().timestamp();
                match self.find_charge(req.customer, req.attempt_key, now).await? {
                    Some(found) => Ok(found.outcome),
                    None => Err(GatewayError::Unavailable(e.to_string())),
                }
            }
            Err(e) => Err(err(e)),
        }
    }

    async fn intent(&self, id: &str) -> GatewayResult<FoundCharge> {
        let pi = PaymentIntent::retrieve(&self.client, &parse_id::<PaymentIntentId>(id)?, &[])
            .await
            .map_err(err)?;
        Ok(found(&pi))
    }

    async fn find_charge(
        &self,
        customer: &str,
        attempt_key: &str,
        since: i64,
    ) -> GatewayResult<Option<FoundCharge>> {
        let mut params = ListPaymentIntents::new();
        params.customer = Some(parse_id::<CustomerId>(customer)?);
        // A margin before the attempt was recorded, for clocks that disagree.
        params.created = Some(stripe::RangeQuery::gte(since - 3600));
        params.limit = Some(100);
        // Newest first, page by page: an attempt is recent, so it is near the front.
        for _ in 0..MAX_PAGES {
            let list = PaymentIntent::list(&self.client, &params)
                .await
                .map_err(err)?;
            if let Some(pi) = list
                .data
                .iter()
                .find(|pi| pi.metadata.get(ATTEMPT).map(String::as_str) == Some(attempt_key))
            {
                return Ok(Some(found(pi)));
            }
            match list.data.last() {
                Some(last) if list.has_more => params.starting_after = Some(last.id.clone()),
                _ => return Ok(None),
            }
        }
        Err(GatewayError::Unavailable(format!(
            "more than {MAX_PAGES} pages of charges to look through"
        )))
    }

    async fn refund(&self, intent: &str, amount_cents: i64, key: &str) -> GatewayResult<String> {
        let mut params = CreateRefund::new();
        params.payment_intent = Some(parse_id::<PaymentIntentId>(intent)?);
        params.amount = Some(amount_cents);
        let r = Refund::create(&self.idempotent(key), params)
            .await
            .map_err(err)?;
        Ok(r.id.to_string())
    }
}
