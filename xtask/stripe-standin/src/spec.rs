//! The endpoints the stand-in serves, and their parameters as Stripe's OpenAPI spec lists them
//! (spec_params.json, written by extract_spec.py).

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::Deserialize;

use crate::error::ApiError;
use crate::form::top_level;

#[derive(Debug, Deserialize)]
pub(crate) struct SpecParams {
    pub(crate) endpoints: HashMap<String, EndpointSpec>,
    pub(crate) objects: HashMap<String, ObjectSpec>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct EndpointSpec {
    pub(crate) params: Vec<String>,
    pub(crate) required: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct ObjectSpec {
    pub(crate) properties: Vec<String>,
    /// Checked by the tests (every object the stand-in builds has these).
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) required: Vec<String>,
}

pub(crate) static SPEC: LazyLock<SpecParams> = LazyLock::new(|| {
    serde_json::from_str(include_str!("../spec_params.json")).expect("spec_params.json parses")
});

/// Which handler serves an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    CreateCustomer,
    GetCustomer,
    ListCustomerPaymentMethods,
    CreateSetupIntent,
    GetSetupIntent,
    ConfirmSetupIntent,
    ListPaymentMethods,
    GetPaymentMethod,
    DetachPaymentMethod,
    CreatePaymentIntent,
    ListPaymentIntents,
    GetPaymentIntent,
    ConfirmPaymentIntent,
    CancelPaymentIntent,
    CreateRefund,
    GetRefund,
    GetCharge,
    GetEvent,
}

pub(crate) struct Endpoint {
    pub(crate) method: &'static str,
    /// The path template as the spec spells it, e.g. `/v1/payment_intents/{intent}`.
    pub(crate) template: &'static str,
    pub(crate) op: Op,
    /// Every parameter name the handler reads (each must be in the spec's list for the endpoint).
    pub(crate) reads: &'static [&'static str],
    /// Also callable with a publishable key (`pk_test_...`) plus the object's `client_secret`.
    pub(crate) publishable: bool,
    /// The answer waits `Options::latency` (the work itself is done at once).
    pub(crate) slow: bool,
}

impl Endpoint {
    pub(crate) fn key(&self) -> String {
        format!("{} {}", self.method, self.template)
    }

    pub(crate) fn spec(&self) -> &'static EndpointSpec {
        SPEC.endpoints
            .get(&self.key())
            .unwrap_or_else(|| panic!("spec_params.json has no entry for {}", self.key()))
    }
}

const fn ep(
    method: &'static str,
    template: &'static str,
    op: Op,
    reads: &'static [&'static str],
) -> Endpoint {
    Endpoint {
        method,
        template,
        op,
        reads,
        publishable: false,
        slow: false,
    }
}

pub(crate) static ENDPOINTS: &[Endpoint] = &[
    ep(
        "POST",
        "/v1/customers",
        Op::CreateCustomer,
        &[
            "email",
            "name",
            "description",
            "phone",
            "metadata",
            "expand",
        ],
    ),
    ep(
        "GET",
        "/v1/customers/{customer}",
        Op::GetCustomer,
        &["expand"],
    ),
    ep(
        "GET",
        "/v1/customers/{customer}/payment_methods",
        Op::ListCustomerPaymentMethods,
        &["type", "limit", "starting_after", "ending_before", "expand"],
    ),
    ep(
        "POST",
        "/v1/setup_intents",
        Op::CreateSetupIntent,
        &[
            "customer",
            "usage",
            "payment_method_types",
            "payment_method",
            "confirm",
            "description",
            "metadata",
            "expand",
        ],
    ),
    Endpoint {
        publishable: true,
        ..ep(
            "GET",
            "/v1/setup_intents/{intent}",
            Op::GetSetupIntent,
            &["client_secret", "expand"],
        )
    },
    Endpoint {
        publishable: true,
        ..ep(
            "POST",
            "/v1/setup_intents/{intent}/confirm",
            Op::ConfirmSetupIntent,
            &["payment_method", "client_secret", "expand"],
        )
    },
    ep(
        "GET",
        "/v1/payment_methods",
        Op::ListPaymentMethods,
        &[
            "customer",
            "type",
            "limit",
            "starting_after",
            "ending_before",
            "expand",
        ],
    ),
    ep(
        "GET",
        "/v1/payment_methods/{payment_method}",
        Op::GetPaymentMethod,
        &["expand"],
    ),
    ep(
        "POST",
        "/v1/payment_methods/{payment_method}/detach",
        Op::DetachPaymentMethod,
        &["expand"],
    ),
    Endpoint {
        slow: true,
        ..ep(
            "POST",
            "/v1/payment_intents",
            Op::CreatePaymentIntent,
            &[
                "amount",
                "currency",
                "customer",
                "payment_method",
                "payment_method_types",
                "confirm",
                "off_session",
                "error_on_requires_action",
                "capture_method",
                "setup_future_usage",
                "return_url",
                "description",
                "receipt_email",
                "statement_descriptor",
                "statement_descriptor_suffix",
                "transfer_group",
                "metadata",
                "expand",
            ],
        )
    },
    ep(
        "GET",
        "/v1/payment_intents",
        Op::ListPaymentIntents,
        &[
            "customer",
            "limit",
            "starting_after",
            "ending_before",
            "expand",
        ],
    ),
    Endpoint {
        publishable: true,
        ..ep(
            "GET",
            "/v1/payment_intents/{intent}",
            Op::GetPaymentIntent,
            &["client_secret", "expand"],
        )
    },
    Endpoint {
        publishable: true,
        slow: true,
        ..ep(
            "POST",
            "/v1/payment_intents/{intent}/confirm",
            Op::ConfirmPaymentIntent,
            &[
                "payment_method",
                "client_secret",
                "off_session",
                "error_on_requires_action",
                "return_url",
                "receipt_email",
                "setup_future_usage",
                "expand",
            ],
        )
    },
    ep(
        "POST",
        "/v1/payment_intents/{intent}/cancel",
        Op::CancelPaymentIntent,
        &["cancellation_reason", "expand"],
    ),
    ep(
        "POST",
        "/v1/refunds",
        Op::CreateRefund,
        &[
            "payment_intent",
            "charge",
            "amount",
            "reason",
            "metadata",
            "expand",
        ],
    ),
    ep("GET", "/v1/refunds/{refund}", Op::GetRefund, &["expand"]),
    ep("GET", "/v1/charges/{charge}", Op::GetCharge, &["expand"]),
    ep("GET", "/v1/events/{id}", Op::GetEvent, &["expand"]),
];

/// Finds the endpoint for a method and path, with the ids the path carries.
pub(crate) fn route(method: &str, path: &str) -> Option<(&'static Endpoint, Vec<String>)> {
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    'next: for endpoint in ENDPOINTS {
        if endpoint.method != method {
            continue;
        }
        let template: Vec<&str> = endpoint.template.split('/').collect();
        if template.len() != segments.len() {
            continue;
        }
        let mut ids = Vec::new();
        for (t, s) in template.iter().zip(&segments) {
            if t.starts_with('{') {
                if s.is_empty() {
                    continue 'next;
                }
                ids.push((*s).to_string());
            } else if t != s {
                continue 'next;
            }
        }
        return Some((endpoint, ids));
    }
    None
}

/// Stripe's checks before any work: every top-level parameter must be one the endpoint
/// accepts, and every required one must be there.
pub(crate) fn validate(endpoint: &Endpoint, pairs: &[(String, String)]) -> Result<(), ApiError> {
    let spec = endpoint.spec();
    for (key, _) in pairs {
        let name = top_level(key);
        if !spec.params.iter().any(|p| p == name) {
            return Err(
                ApiError::invalid(format!("Received unknown parameter: {name}"))
                    .code("parameter_unknown")
                    .param(name),
            );
        }
    }
    for required in &spec.required {
        if !pairs.iter().any(|(k, _)| top_level(k) == required) {
            return Err(
                ApiError::invalid(format!("Missing required param: {required}."))
                    .code("parameter_missing")
                    .param(required),
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every parameter name a handler reads is one Stripe's API has for that endpoint, and
    /// every served endpoint is in spec_params.json.
    #[test]
    fn every_parameter_a_handler_reads_is_in_the_spec() {
        for endpoint in ENDPOINTS {
            let spec = endpoint.spec();
            for read in endpoint.reads {
                assert!(
                    spec.params.iter().any(|p| p == read),
                    "{} reads `{read}`, which spec_params.json does not list for it",
                    endpoint.key()
                );
            }
        }
    }

    #[test]
    fn spec_params_lists_exactly_the_served_endpoints() {
        let mut served: Vec<String> = ENDPOINTS.iter().map(Endpoint::key).collect();
        served.sort();
        let mut listed: Vec<String> = SPEC.endpoints.keys().cloned().collect();
        listed.sort();
        assert_eq!(
            served, listed,
            "re-run extract_spec.py after changing ENDPOINTS"
        );
    }

    #[test]
    fn routes_match_templates() {
        let (e, ids) = route("POST", "/v1/payment_intents/pi_1/confirm").unwrap();
        assert_eq!(e.op, Op::ConfirmPaymentIntent);
        assert_eq!(ids, ["pi_1"]);
        assert_eq!(
            route("GET", "/v1/payment_intents").unwrap().0.op,
            Op::ListPaymentIntents
        );
        assert!(route("DELETE", "/v1/customers/cus_1").is_none());
        assert!(route("GET", "/v1/nothing").is_none());
    }

    #[test]
    fn validation_names_the_unknown_or_missing_parameter() {
        let (e, _) = route("POST", "/v1/payment_intents").unwrap();
        let pairs = |s: &[(&str, &str)]| -> Vec<(String, String)> {
            s.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        let err = validate(
            e,
            &pairs(&[("amount", "1"), ("currency", "usd"), ("colour[x]", "1")]),
        )
        .unwrap_err();
        assert_eq!(err.error["param"], "colour");
        assert_eq!(err.error["code"], "parameter_unknown");
        let err = validate(e, &pairs(&[("amount", "1")])).unwrap_err();
        assert_eq!(err.error["message"], "Missing required param: currency.");
        assert!(validate(
            e,
            &pairs(&[("amount", "1"), ("currency", "usd"), ("metadata[a]", "b")])
        )
        .is_ok());
    }
}
