//! Webhook delivery: one task POSTs events in the order they were built, signed like Stripe.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc::UnboundedReceiver;

use crate::objects::now;
use crate::{sign, Shared};

/// Retries after the first attempt when the endpoint answers non-2xx or cannot be reached.
const RETRIES: usize = 3;
const PAUSE: Duration = Duration::from_millis(200);

#[derive(Debug)]
pub(crate) struct Delivery {
    pub(crate) url: String,
    pub(crate) secret: String,
    pub(crate) payload: String,
}

pub(crate) async fn deliver(mut inbox: UnboundedReceiver<Delivery>, shared: Arc<Shared>) {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("a plain HTTP client builds");
    while let Some(delivery) = inbox.recv().await {
        for attempt in 0..=RETRIES {
            if attempt > 0 {
                tokio::time::sleep(PAUSE).await;
            }
            // Each attempt is signed afresh, as Stripe does.
            let signature = sign(&delivery.secret, now(), &delivery.payload);
            let sent = client
                .post(&delivery.url)
                .header("content-type", "application/json; charset=utf-8")
                .header(
                    "user-agent",
                    "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
                )
                .header("stripe-signature", signature)
                .body(delivery.payload.clone())
                .send()
                .await;
            match sent {
                Ok(response) if response.status().is_success() => break,
                Ok(response) => eprintln!(
                    "stripe stand-in: webhook {} answered {} (attempt {})",
                    delivery.url,
                    response.status(),
                    attempt + 1
                ),
                Err(e) => eprintln!(
                    "stripe stand-in: webhook {} failed: {e} (attempt {})",
                    delivery.url,
                    attempt + 1
                ),
            }
        }
        shared.pending.send_modify(|n| *n = n.saturating_sub(1));
    }
}
