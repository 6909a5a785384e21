//! The objects the stand-in returns, each started from Stripe's own example (fixtures.json) and
//! trimmed to the top-level fields the API spec lists for it (spec_params.json).

use std::collections::BTreeMap;
use std::sync::LazyLock;
use std::time::{SystemTime, UNIX_EPOCH};

use rand::distributions::Alphanumeric;
use rand::Rng;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use crate::spec::SPEC;

/// The API version the stand-in's events say they were rendered with (async-stripe 0.41's).
pub(crate) const API_VERSION: &str = "2023-10-16";

static FIXTURES: LazyLock<Value> = LazyLock::new(|| {
    serde_json::from_str(include_str!("../fixtures.json")).expect("fixtures.json parses")
});

/// Stripe's example object for a resource, keeping only the top-level fields the spec lists.
pub(crate) fn fixture(name: &str) -> Map<String, Value> {
    let object = FIXTURES["resources"][name]
        .as_object()
        .unwrap_or_else(|| panic!("fixtures.json has no resource {name}"))
        .clone();
    let properties = &SPEC.objects[name].properties;
    object
        .into_iter()
        .filter(|(k, _)| properties.iter().any(|p| p == k))
        .collect()
}

pub(crate) fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// The current calendar year (UTC), from the unix time (Howard Hinnant's civil_from_days).
pub(crate) fn current_year() -> i64 {
    let days = now().div_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    yoe + era * 400 + i64::from(month <= 2)
}

fn random_alphanumeric(n: usize) -> String {
    rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(n)
        .map(char::from)
        .collect()
}

/// An id like Stripe's: the prefix, an underscore and 24 random alphanumerics.
pub(crate) fn new_id(prefix: &str) -> String {
    format!("{prefix}_{}", random_alphanumeric(24))
}

/// A client secret like Stripe's: `{id}_secret_{random}`.
pub(crate) fn client_secret(id: &str) -> String {
    format!("{id}_secret_{}", random_alphanumeric(24))
}

pub(crate) fn metadata_value(metadata: &BTreeMap<String, String>) -> Value {
    Value::Object(
        metadata
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect(),
    )
}

fn opt(value: Option<&str>) -> Value {
    value.map_or(Value::Null, |v| Value::String(v.to_string()))
}

/// What charging a test card does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    Succeeds,
    Declines {
        code: &'static str,
        decline_code: &'static str,
        message: &'static str,
    },
    /// Needs 3-D Secure: fails off-session, asks for authentication on-session.
    RequiresAuthentication,
}

/// One of Stripe's documented test PaymentMethods.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct TestCard {
    pub(crate) token: &'static str,
    pub(crate) brand: &'static str,
    pub(crate) last4: &'static str,
    pub(crate) outcome: Outcome,
}

pub(crate) static TEST_CARDS: &[TestCard] = &[
    TestCard {
        token: "pm_card_visa",
        brand: "visa",
        last4: "4242",
        outcome: Outcome::Succeeds,
    },
    TestCard {
        token: "pm_card_mastercard",
        brand: "mastercard",
        last4: "4444",
        outcome: Outcome::Succeeds,
    },
    TestCard {
        token: "pm_card_chargeDeclined",
        brand: "visa",
        last4: "0002",
        outcome: Outcome::Declines {
            code: "card_declined",
            decline_code: "generic_decline",
            message: "Your card was declined.",
        },
    },
    TestCard {
        token: "pm_card_chargeDeclinedInsufficientFunds",
        brand: "visa",
        last4: "9995",
        outcome: Outcome::Declines {
            code: "card_declined",
            decline_code: "insufficient_funds",
            message: "Your card has insufficient funds.",
        },
    },
    TestCard {
        token: "pm_card_visa_chargeDeclinedExpiredCard",
        brand: "visa",
        last4: "0069",
        outcome: Outcome::Declines {
            code: "expired_card",
            decline_code: "expired_card",
            message: "Your card has expired.",
        },
    },
    TestCard {
        token: "pm_card_authenticationRequired",
        brand: "visa",
        last4: "3184",
        outcome: Outcome::RequiresAuthentication,
    },
];

pub(crate) fn test_card(token: &str) -> Option<&'static TestCard> {
    TEST_CARDS.iter().find(|c| c.token == token)
}

/// The same card number always gets the same fingerprint, as in Stripe.
fn fingerprint(card: &TestCard) -> String {
    let digest = Sha256::digest(format!("stripe-standin:{}:{}", card.brand, card.last4));
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    digest
        .iter()
        .take(16)
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect()
}

pub(crate) struct NewCustomer<'a> {
    pub(crate) email: Option<&'a str>,
    pub(crate) name: Option<&'a str>,
    pub(crate) description: Option<&'a str>,
    pub(crate) phone: Option<&'a str>,
    pub(crate) metadata: BTreeMap<String, String>,
}

pub(crate) fn customer(new: NewCustomer<'_>) -> Value {
    let mut c = fixture("customer");
    let id = new_id("cus");
    c.insert("id".into(), json!(id));
    c.insert("created".into(), json!(now()));
    c.insert("address".into(), Value::Null);
    c.insert("currency".into(), Value::Null);
    c.insert("discount".into(), Value::Null);
    c.insert("shipping".into(), Value::Null);
    c.insert("default_source".into(), Value::Null);
    c.insert("email".into(), opt(new.email));
    c.insert("name".into(), opt(new.name));
    c.insert("description".into(), opt(new.description));
    c.insert("phone".into(), opt(new.phone));
    c.insert("metadata".into(), metadata_value(&new.metadata));
    c.insert(
        "invoice_prefix".into(),
        json!(random_alphanumeric(8).to_uppercase()),
    );
    c.insert(
        "invoice_settings".into(),
        json!({"custom_fields": null, "default_payment_method": null, "footer": null, "rendering_options": null}),
    );
    Value::Object(c)
}

/// With no `payment_method_types`, the API (2023-08-16 on) turns automatic payment methods on.
fn payment_method_types(types: &[String]) -> (Value, Value) {
    if types.is_empty() {
        (
            json!(["card"]),
            json!({"allow_redirects": "always", "enabled": true}),
        )
    } else {
        (json!(types), Value::Null)
    }
}

pub(crate) struct NewSetupIntent<'a> {
    pub(crate) customer: Option<&'a str>,
    pub(crate) usage: &'a str,
    pub(crate) payment_method_types: Vec<String>,
    pub(crate) payment_method: Option<&'a str>,
    pub(crate) description: Option<&'a str>,
    pub(crate) metadata: BTreeMap<String, String>,
}

pub(crate) fn setup_intent(new: NewSetupIntent<'_>) -> Value {
    let mut s = fixture("setup_intent");
    let id = new_id("seti");
    let (types, automatic) = payment_method_types(&new.payment_method_types);
    s.insert("client_secret".into(), json!(client_secret(&id)));
    s.insert("id".into(), json!(id));
    s.insert("created".into(), json!(now()));
    s.insert("automatic_payment_methods".into(), automatic);
    s.insert("payment_method_types".into(), types);
    s.insert("customer".into(), opt(new.customer));
    s.insert("description".into(), opt(new.description));
    s.insert("metadata".into(), metadata_value(&new.metadata));
    s.insert("usage".into(), json!(new.usage));
    s.insert("last_setup_error".into(), Value::Null);
    s.insert("next_action".into(), Value::Null);
    s.insert("latest_attempt".into(), Value::Null);
    s.insert("payment_method".into(), opt(new.payment_method));
    s.insert(
        "status".into(),
        json!(if new.payment_method.is_some() {
            "requires_confirmation"
        } else {
            "requires_payment_method"
        }),
    );
    s.insert(
        "payment_method_options".into(),
        json!({"card": {"mandate_options": null, "network": null, "request_three_d_secure": "automatic"}}),
    );
    Value::Object(s)
}

pub(crate) fn payment_method(card: &TestCard, customer: Option<&str>) -> Value {
    let mut p = fixture("payment_method");
    p.insert("id".into(), json!(new_id("pm")));
    p.insert("created".into(), json!(now()));
    p.insert("customer".into(), opt(customer));
    p.insert("metadata".into(), json!({}));
    p.insert(
        "billing_details".into(),
        json!({
            "address": {"city": null, "country": null, "line1": null, "line2": null, "postal_code": null, "state": null},
            "email": null, "name": null, "phone": null
        }),
    );
    let mut c = p["card"].as_object().cloned().unwrap_or_default();
    // Fields newer than the API version the stand-in speaks.
    c.remove("display_brand");
    c.remove("regulated_status");
    c.insert("brand".into(), json!(card.brand));
    c.insert("last4".into(), json!(card.last4));
    c.insert("exp_month".into(), json!(12));
    c.insert("exp_year".into(), json!(current_year() + 3));
    c.insert("funding".into(), json!("credit"));
    c.insert("country".into(), json!("US"));
    c.insert("fingerprint".into(), json!(fingerprint(card)));
    c.insert("generated_from".into(), Value::Null);
    c.insert("wallet".into(), Value::Null);
    c.insert(
        "networks".into(),
        json!({"available": [card.brand], "preferred": null}),
    );
    c.insert(
        "checks".into(),
        json!({"address_line1_check": null, "address_postal_code_check": null, "cvc_check": null}),
    );
    p.insert("card".into(), Value::Object(c));
    Value::Object(p)
}

pub(crate) struct NewPaymentIntent<'a> {
    pub(crate) amount: i64,
    pub(crate) currency: &'a str,
    pub(crate) customer: Option<&'a str>,
    pub(crate) payment_method: Option<&'a str>,
    pub(crate) payment_method_types: Vec<String>,
    pub(crate) description: Option<&'a str>,
    pub(crate) receipt_email: Option<&'a str>,
    pub(crate) setup_future_usage: Option<&'a str>,
    pub(crate) statement_descriptor: Option<&'a str>,
    pub(crate) statement_descriptor_suffix: Option<&'a str>,
    pub(crate) transfer_group: Option<&'a str>,
    pub(crate) metadata: BTreeMap<String, String>,
}

pub(crate) fn payment_intent(new: NewPaymentIntent<'_>) -> Value {
    let mut p = fixture("payment_intent");
    let id = new_id("pi");
    let (types, automatic) = payment_method_types(&new.payment_method_types);
    p.insert("client_secret".into(), json!(client_secret(&id)));
    p.insert("id".into(), json!(id));
    p.insert("created".into(), json!(now()));
    p.insert("amount".into(), json!(new.amount));
    p.insert("amount_capturable".into(), json!(0));
    p.insert("amount_received".into(), json!(0));
    p.insert("amount_details".into(), json!({"tip": {}}));
    p.insert("automatic_payment_methods".into(), automatic);
    p.insert("payment_method_types".into(), types);
    p.insert("canceled_at".into(), Value::Null);
    p.insert("cancellation_reason".into(), Value::Null);
    p.insert("currency".into(), json!(new.currency));
    p.insert("customer".into(), opt(new.customer));
    p.insert("description".into(), opt(new.description));
    p.insert("invoice".into(), Value::Null);
    p.insert("last_payment_error".into(), Value::Null);
    p.insert("latest_charge".into(), Value::Null);
    p.insert("metadata".into(), metadata_value(&new.metadata));
    p.insert("next_action".into(), Value::Null);
    p.insert("payment_method".into(), opt(new.payment_method));
    p.insert(
        "payment_method_options".into(),
        json!({"card": {"installments": null, "mandate_options": null, "network": null, "request_three_d_secure": "automatic"}}),
    );
    p.insert("processing".into(), Value::Null);
    p.insert("receipt_email".into(), opt(new.receipt_email));
    p.insert("setup_future_usage".into(), opt(new.setup_future_usage));
    p.insert("shipping".into(), Value::Null);
    p.insert("statement_descriptor".into(), opt(new.statement_descriptor));
    p.insert(
        "statement_descriptor_suffix".into(),
        opt(new.statement_descriptor_suffix),
    );
    p.insert("transfer_data".into(), Value::Null);
    p.insert("transfer_group".into(), opt(new.transfer_group));
    p.insert(
        "status".into(),
        json!(if new.payment_method.is_some() {
            "requires_confirmation"
        } else {
            "requires_payment_method"
        }),
    );
    Value::Object(p)
}

/// How a charge attempt ended.
pub(crate) enum ChargeResult<'a> {
    Succeeded {
        three_d_secure: bool,
    },
    Failed {
        code: &'a str,
        decline_code: &'a str,
        message: &'a str,
    },
}

pub(crate) fn charge(pi: &Value, pm: &Value, result: &ChargeResult<'_>) -> Value {
    let mut c = fixture("charge");
    let id = new_id("ch");
    let amount = pi["amount"].as_i64().unwrap_or(0);
    let succeeded = matches!(result, ChargeResult::Succeeded { .. });
    c.insert("id".into(), json!(id));
    c.insert("created".into(), json!(now()));
    c.insert("amount".into(), json!(amount));
    c.insert(
        "amount_captured".into(),
        json!(if succeeded { amount } else { 0 }),
    );
    c.insert("amount_refunded".into(), json!(0));
    c.insert(
        "balance_transaction".into(),
        if succeeded {
            json!(new_id("txn"))
        } else {
            Value::Null
        },
    );
    c.insert("billing_details".into(), pm["billing_details"].clone());
    c.insert(
        "calculated_statement_descriptor".into(),
        json!("STRIPE STAND-IN"),
    );
    c.insert("captured".into(), json!(succeeded));
    c.insert("currency".into(), pi["currency"].clone());
    c.insert("customer".into(), pi["customer"].clone());
    c.insert("description".into(), pi["description"].clone());
    c.insert("invoice".into(), Value::Null);
    c.insert("metadata".into(), pi["metadata"].clone());
    c.insert("paid".into(), json!(succeeded));
    c.insert("payment_intent".into(), pi["id"].clone());
    c.insert("payment_method".into(), pm["id"].clone());
    c.insert("receipt_email".into(), pi["receipt_email"].clone());
    c.insert("receipt_url".into(), Value::Null);
    c.insert("refunded".into(), json!(false));
    c.insert(
        "refunds".into(),
        json!({"object": "list", "data": [], "has_more": false, "total_count": 0, "url": format!("/v1/charges/{id}/refunds")}),
    );
    c.insert("shipping".into(), Value::Null);
    c.insert(
        "statement_descriptor".into(),
        pi["statement_descriptor"].clone(),
    );
    c.insert(
        "statement_descriptor_suffix".into(),
        pi["statement_descriptor_suffix"].clone(),
    );
    c.insert("transfer_data".into(), Value::Null);
    c.insert("transfer_group".into(), pi["transfer_group"].clone());
    c.insert(
        "status".into(),
        json!(if succeeded { "succeeded" } else { "failed" }),
    );
    match result {
        ChargeResult::Succeeded { .. } => {
            c.insert("failure_code".into(), Value::Null);
            c.insert("failure_message".into(), Value::Null);
            c.insert(
                "outcome".into(),
                json!({
                    "network_status": "approved_by_network", "reason": null, "risk_level": "normal",
                    "risk_score": 32, "seller_message": "Payment complete.", "type": "authorized"
                }),
            );
        }
        ChargeResult::Failed {
            code,
            decline_code,
            message,
        } => {
            c.insert("failure_code".into(), json!(code));
            c.insert("failure_message".into(), json!(message));
            let seller_message = if *decline_code == "generic_decline" {
                "The bank did not return any further details with this decline.".to_string()
            } else {
                format!("The bank returned the decline code `{decline_code}`.")
            };
            c.insert(
                "outcome".into(),
                json!({
                    "network_status": "declined_by_network", "reason": decline_code, "risk_level": "normal",
                    "risk_score": 32, "seller_message": seller_message, "type": "issuer_declined"
                }),
            );
        }
    }
    let pm_card = &pm["card"];
    let mut details = c["payment_method_details"]["card"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    details.remove("regulated_status");
    for field in [
        "brand",
        "last4",
        "exp_month",
        "exp_year",
        "fingerprint",
        "funding",
        "country",
        "checks",
    ] {
        details.insert(field.into(), pm_card[field].clone());
    }
    details.insert("network".into(), pm_card["brand"].clone());
    details.insert(
        "amount_authorized".into(),
        if succeeded {
            json!(amount)
        } else {
            Value::Null
        },
    );
    details.insert("authorization_code".into(), Value::Null);
    details.insert("installments".into(), Value::Null);
    details.insert("mandate".into(), Value::Null);
    details.insert("wallet".into(), Value::Null);
    details.insert(
        "overcapture".into(),
        json!({"maximum_amount_capturable": amount, "status": "unavailable"}),
    );
    let three_d_secure = match result {
        ChargeResult::Succeeded {
            three_d_secure: true,
        } => json!({
            "authentication_flow": "challenge", "electronic_commerce_indicator": "05",
            "exemption_indicator": null, "result": "authenticated", "result_reason": null,
            "transaction_id": new_id("3ds"), "version": "2.2.0"
        }),
        _ => Value::Null,
    };
    details.insert("three_d_secure".into(), three_d_secure);
    c.insert(
        "payment_method_details".into(),
        json!({"card": Value::Object(details), "type": "card"}),
    );
    Value::Object(c)
}

pub(crate) fn refund(
    charge: &Value,
    amount: i64,
    reason: Option<&str>,
    metadata: &BTreeMap<String, String>,
) -> Value {
    let mut r = fixture("refund");
    r.insert("id".into(), json!(new_id("re")));
    r.insert("created".into(), json!(now()));
    r.insert("amount".into(), json!(amount));
    r.insert("balance_transaction".into(), json!(new_id("txn")));
    r.insert("charge".into(), charge["id"].clone());
    r.insert("currency".into(), charge["currency"].clone());
    r.insert("metadata".into(), metadata_value(metadata));
    r.insert("payment_intent".into(), charge["payment_intent"].clone());
    r.insert("reason".into(), opt(reason));
    r.insert("receipt_number".into(), Value::Null);
    r.insert("status".into(), json!("succeeded"));
    Value::Object(r)
}

pub(crate) fn event(
    kind: &str,
    object: &Value,
    request_id: Option<&str>,
    idempotency_key: Option<&str>,
    pending_webhooks: i64,
) -> Value {
    let mut e = fixture("event");
    e.insert("id".into(), json!(new_id("evt")));
    e.insert("api_version".into(), json!(API_VERSION));
    e.insert("created".into(), json!(now()));
    e.insert("data".into(), json!({ "object": object }));
    e.insert("livemode".into(), json!(false));
    e.insert("pending_webhooks".into(), json!(pending_webhooks));
    e.insert(
        "request".into(),
        json!({"id": request_id, "idempotency_key": idempotency_key}),
    );
    e.insert("type".into(), json!(kind));
    Value::Object(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every object has exactly the spec's top-level fields: none it does not list, all it requires.
    fn assert_shape(name: &str, object: &Value) {
        let spec = &SPEC.objects[name];
        let object = object.as_object().unwrap();
        for key in object.keys() {
            assert!(
                spec.properties.contains(key),
                "{name}.{key} is not in the spec"
            );
        }
        for key in &spec.required {
            assert!(object.contains_key(key), "{name} lacks the required {key}");
        }
        assert_eq!(object["object"], name);
        if spec.properties.iter().any(|p| p == "livemode") {
            assert_eq!(object["livemode"], false);
        }
    }

    #[test]
    fn objects_have_the_spec_shape() {
        let card = test_card("pm_card_visa").unwrap();
        let cus = customer(NewCustomer {
            email: Some("a@example.com"),
            name: None,
            description: None,
            phone: None,
            metadata: BTreeMap::new(),
        });
        assert_shape("customer", &cus);
        let pm = payment_method(card, cus["id"].as_str());
        assert_shape("payment_method", &pm);
        let si = setup_intent(NewSetupIntent {
            customer: cus["id"].as_str(),
            usage: "off_session",
            payment_method_types: vec![],
            payment_method: None,
            description: None,
            metadata: BTreeMap::new(),
        });
        assert_shape("setup_intent", &si);
        let pi = payment_intent(NewPaymentIntent {
            amount: 500,
            currency: "usd",
            customer: cus["id"].as_str(),
            payment_method: pm["id"].as_str(),
            payment_method_types: vec!["card".into()],
            description: None,
            receipt_email: None,
            setup_future_usage: None,
            statement_descriptor: None,
            statement_descriptor_suffix: None,
            transfer_group: None,
            metadata: BTreeMap::new(),
        });
        assert_shape("payment_intent", &pi);
        let ch = charge(
            &pi,
            &pm,
            &ChargeResult::Succeeded {
                three_d_secure: true,
            },
        );
        assert_shape("charge", &ch);
        let re = refund(&ch, 100, None, &BTreeMap::new());
        assert_shape("refund", &re);
        let ev = event("charge.refunded", &ch, None, None, 0);
        assert_shape("event", &ev);
    }

    #[test]
    fn ids_years_and_fingerprints() {
        let id = new_id("pi");
        assert_eq!(id.len(), 3 + 24);
        assert!(id[3..].chars().all(|c| c.is_ascii_alphanumeric()));
        let year = current_year();
        assert!((2024..2200).contains(&year), "{year}");
        let visa = test_card("pm_card_visa").unwrap();
        assert_eq!(fingerprint(visa), fingerprint(visa));
        assert_ne!(
            fingerprint(visa),
            fingerprint(test_card("pm_card_mastercard").unwrap())
        );
    }
}
