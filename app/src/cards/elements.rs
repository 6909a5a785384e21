//! Adding a card with Stripe's Payment Element (Stripe.js), so card data goes from the browser
//! to Stripe and never touches Portico: the server creates a SetupIntent, the Element collects
//! the card and confirms it (with 3-D Secure when the bank asks), and the server then stores
//! the PaymentMethod it produced. Stripe.js is loaded only when this form is shown, and speaks
//! the reader's language (its error messages included).
use super::texts::use_card_texts;
use crate::i18n::use_i18n;
use leptos::prelude::*;

// Only the browser moves the form past Loading/Saving.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
#[derive(Debug, Clone, PartialEq, Eq)]
enum FormState {
    Loading,
    Ready,
    Saving,
    Failed,
    /// Stripe's message, already in the reader's language.
    Error(String),
}

#[component]
pub fn StripeCardForm(
    publishable_key: String,
    saved: RwSignal<u32>,
    /// Where to go once the card is saved (an invoice being paid); else the list reloads.
    next: Option<String>,
) -> impl IntoView {
    let ct = use_card_texts();
    let i18n = use_i18n();
    let state = RwSignal::new(FormState::Loading);
    #[cfg(feature = "hydrate")]
    {
        let locale = i18n.locale().code();
        Effect::new(move |_| {
            let key = publishable_key.clone();
            leptos::task::spawn_local(async move {
                match js::mount(&key, locale).await {
                    Ok(()) => state.set(FormState::Ready),
                    Err(e) => {
                        leptos::logging::warn!("card form: {e}");
                        state.set(FormState::Failed)
                    }
                }
            });
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (&publishable_key, i18n);
    let save = move |_| {
        state.set(FormState::Saving);
        #[cfg(feature = "hydrate")]
        let next = next.clone();
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            match js::confirm().await {
                Ok(setup_id) => match super::finish_card_setup(setup_id).await {
                    Ok(()) => match &next {
                        Some(path) => {
                            if let Some(w) = web_sys::window() {
                                let _ = w.location().set_href(path);
                            }
                        }
                        None => saved.update(|n| *n += 1),
                    },
                    Err(e) => state.set(FormState::Error(e.message(i18n.locale()))),
                },
                Err(message) => state.set(FormState::Error(message)),
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (saved, &next);
    };
    // One element whose text and look follow the state (no nodes come and go).
    let message = move || match state.get() {
        FormState::Loading => ("muted", ct().card_form_loading.to_owned()),
        FormState::Failed => ("alert alert-error", ct().card_form_failed.to_owned()),
        FormState::Error(m) => ("alert alert-error", m),
        FormState::Ready | FormState::Saving => ("", String::new()),
    };
    view! {
        <div class="stripe-form" data-testid="stripe-form">
            <p id="payment-element-label"><strong>{move || ct().card_form_label}</strong></p>
            <div id="payment-element" role="group" aria-labelledby="payment-element-label"></div>
            <p class=move || message().0 role="status" data-testid="card-form-status" hidden=move || message().1.is_empty()>
                {move || message().1}
            </p>
            <button type="button" class="button primary" on:click=save
                disabled=move || !matches!(state.get(), FormState::Ready | FormState::Error(_))>
                {move || ct().save_card}
            </button>
        </div>
    }
}

#[cfg(feature = "hydrate")]
mod js {
    use js_sys::{Function, Object, Promise, Reflect};
    use std::cell::RefCell;
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;

    const STRIPE_JS: &str = "https://js.stripe.com/v3/";

    thread_local! {
        /// The Stripe object and the mounted Elements group of the form on the page.
        static MOUNTED: RefCell<Option<(JsValue, JsValue)>> = const { RefCell::new(None) };
    }

    fn get(o: &JsValue, key: &str) -> Result<JsValue, String> {
        Reflect::get(o, &JsValue::from_str(key)).map_err(|_| format!("no {key}"))
    }

    fn call(o: &JsValue, method: &str, args: &[JsValue]) -> Result<JsValue, String> {
        let f: Function = get(o, method)?
            .dyn_into()
            .map_err(|_| format!("{method} is not a function"))?;
        let arr = js_sys::Array::new();
        for a in args {
            arr.push(a);
        }
        f.apply(o, &arr)
            .map_err(|e| format!("{method} failed: {e:?}"))
    }

    fn object(pairs: &[(&str, JsValue)]) -> JsValue {
        let o = Object::new();
        for (k, v) in pairs {
            let _ = Reflect::set(&o, &JsValue::from_str(k), v);
        }
        o.into()
    }

    async fn load_stripe_js() -> Result<(), String> {
        let window = web_sys::window().ok_or("no window")?;
        if !get(&window, "Stripe")?.is_undefined() {
            return Ok(());
        }
        let document = window.document().ok_or("no document")?;
        let script = document
            .create_element("script")
            .map_err(|_| "cannot create a script")?;
        script
            .set_attribute("src", STRIPE_JS)
            .map_err(|_| "cannot set src")?;
        let loaded = Promise::new(&mut |resolve, reject| {
            let _ = Reflect::set(&script, &JsValue::from_str("onload"), &resolve);
            let _ = Reflect::set(&script, &JsValue::from_str("onerror"), &reject);
        });
        document
            .body()
            .ok_or("no body")?
            .append_child(&script)
            .map_err(|_| "cannot add the script")?;
        JsFuture::from(loaded)
            .await
            .map_err(|_| "Stripe.js did not load".to_owned())?;
        Ok(())
    }

    /// Loads Stripe.js, starts a SetupIntent and mounts the Payment Element.
    pub async fn mount(publishable_key: &str, locale: &str) -> Result<(), String> {
        load_stripe_js().await?;
        let (_, secret) = super::super::start_card_setup()
            .await
            .map_err(|e| format!("{e}"))?;
        let window: JsValue = web_sys::window().ok_or("no window")?.into();
        let ctor: Function = get(&window, "Stripe")?
            .dyn_into()
            .map_err(|_| "Stripe is not a function")?;
        let stripe = ctor
            .call2(
                &JsValue::NULL,
                &JsValue::from_str(publishable_key),
                &object(&[("locale", JsValue::from_str(locale))]),
            )
            .map_err(|e| format!("Stripe(): {e:?}"))?;
        let elements = call(
            &stripe,
            "elements",
            &[object(&[("clientSecret", JsValue::from_str(&secret))])],
        )?;
        let element = call(&elements, "create", &[JsValue::from_str("payment")])?;
        call(&element, "mount", &[JsValue::from_str("#payment-element")])?;
        MOUNTED.with(|m| *m.borrow_mut() = Some((stripe, elements)));
        Ok(())
    }

    /// Confirms the SetupIntent with what the client typed; the SetupIntent's id, or Stripe's
    /// message (in the reader's language) when the card was refused.
    pub async fn confirm() -> Result<String, String> {
        let (stripe, elements) = MOUNTED
            .with(|m| m.borrow().clone())
            .ok_or_else(|| "the card form is not ready".to_owned())?;
        let href = web_sys::window()
            .and_then(|w| w.location().href().ok())
            .unwrap_or_default();
        let opts = object(&[
            ("elements", elements),
            ("redirect", JsValue::from_str("if_required")),
            (
                "confirmParams",
                object(&[("return_url", JsValue::from_str(&href))]),
            ),
        ]);
        let promise: Promise = call(&stripe, "confirmSetup", &[opts])?
            .dyn_into()
            .map_err(|_| "confirmSetup did not return a promise".to_owned())?;
        let result = JsFuture::from(promise)
            .await
            .map_err(|e| format!("{e:?}"))?;
        let error = get(&result, "error")?;
        if !error.is_undefined() && !error.is_null() {
            return Err(get(&error, "message")?.as_string().unwrap_or_default());
        }
        get(&get(&result, "setupIntent")?, "id")?
            .as_string()
            .ok_or_else(|| "no SetupIntent in Stripe's answer".to_owned())
    }
}
