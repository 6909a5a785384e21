//! `/account`: the profile and invoice details, and the login email with its confirmation.
use super::{
    texts::use_account_texts, CancelEmailChange, ConfirmEmailChange, ProfileDto,
    RequestEmailChange, SaveProfile,
};
use crate::{
    components::{Field, FormError, LoadError, Loading, PageHeading},
    i18n::use_i18n,
};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The profile form and the login email, on the account page.
#[component]
pub fn ProfileSection() -> impl IntoView {
    let save = ServerAction::<SaveProfile>::new();
    let change = ServerAction::<RequestEmailChange>::new();
    let cancel = ServerAction::<CancelEmailChange>::new();
    // The details form is rendered again only after a save went through: then its inputs show
    // what was saved (normalised); after a refused save they keep what was typed. The email
    // form has its own copy, so asking for an email change leaves unsaved details alone.
    let saves = Memo::new(move |before: Option<&usize>| {
        if matches!(save.value().get(), Some(Ok(()))) {
            save.version().get()
        } else {
            before.copied().unwrap_or_default()
        }
    });
    let details = Resource::new(move || saves.get(), |_| super::get_profile());
    let email = Resource::new(
        move || (change.version().get(), cancel.version().get()),
        |_| super::get_profile(),
    );
    view! {
        <Suspense fallback=Loading>{move || Suspend::new(async move {
            match details.await {
                Ok(p) => view! { <DetailsForm p=p save=save/> }.into_any(),
                Err(e) => view! { <LoadError error=e/> }.into_any(),
            }
        })}</Suspense>
        <Suspense fallback=Loading>{move || Suspend::new(async move {
            match email.await {
                Ok(p) => view! { <EmailForm p=p change=change cancel=cancel/> }.into_any(),
                Err(e) => view! { <LoadError error=e/> }.into_any(),
            }
        })}</Suspense>
    }
}

#[component]
fn DetailsForm(p: ProfileDto, save: ServerAction<SaveProfile>) -> impl IntoView {
    let at = use_account_texts();
    let t = use_i18n().t();
    if p.is_contact {
        return view! {
            <section class="card" aria-labelledby="profile-title">
                <h2 id="profile-title">{move || at().your_login}</h2>
                <p>{move || at().contact_note}</p>
                <dl class="details">
                    <dt>{move || t().name}</dt><dd>{p.name.clone()}</dd>
                </dl>
            </section>
        }
        .into_any();
    }
    let country = p.country.clone();
    let language = p.language.clone();
    view! {
        <section class="card" aria-labelledby="profile-title">
            <h2 id="profile-title">{move || at().profile_title}</h2>
            <p>{move || at().profile_intro}</p>
            <Show when=move || matches!(save.value().get(), Some(Ok(())))>
                <p class="alert alert-success" role="status">{move || at().saved}</p>
            </Show>
            <ActionForm action=save attr:class="form">
                <FormError result=save.value().into()/>
                <Field label=Signal::derive(move || at().f_name) name="name" autocomplete="name" maxlength=200 value=p.name.clone()/>
                <Field label=Signal::derive(move || at().f_company) name="company" autocomplete="organization" required=false maxlength=200 value=p.company.clone()/>
                <div class="field">
                    <label for="f-address">{move || at().f_address}</label>
                    <textarea id="f-address" name="address" rows="3" maxlength="500" autocomplete="street-address" prop:value=p.address.clone()>{p.address.clone()}</textarea>
                </div>
                <Field label=Signal::derive(move || at().f_postcode) name="postcode" autocomplete="postal-code" required=false maxlength=16 value=p.postcode.clone()/>
                <Field label=Signal::derive(move || at().f_region) name="region" autocomplete="address-level1" required=false maxlength=100 value=p.region.clone()/>
                <div class="field">
                    <label for="f-country">{move || at().f_country}</label>
                    <select id="f-country" name="country" autocomplete="country">
                        <option value="" selected=country.is_empty()>{move || at().f_country_none}</option>
                        {p.countries.iter().map(|(code, name)| {
                            let selected = *code == country;
                            view! { <option value=code.clone() selected=selected>{name.clone()}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <Field label=Signal::derive(move || at().f_vat) name="vat_id" required=false maxlength=30 value=p.vat_id.clone()
                    hint=Signal::derive(move || at().f_vat_hint)/>
                <Field label=Signal::derive(move || at().f_phone) name="phone" r#type="tel" autocomplete="tel" required=false maxlength=30 value=p.phone.clone()
                    hint=Signal::derive(move || at().f_phone_hint)/>
                <div class="field">
                    <label for="f-language">{move || at().f_language}</label>
                    <select id="f-language" name="language">
                        <option value="en" selected=language == "en">"English"</option>
                        <option value="es" selected=language == "es">"Español"</option>
                    </select>
                </div>
                <button type="submit" class="button primary" disabled=move || save.pending().get()>
                    {move || at().save}
                </button>
            </ActionForm>
        </section>
    }
    .into_any()
}

#[component]
fn EmailForm(
    p: ProfileDto,
    change: ServerAction<RequestEmailChange>,
    cancel: ServerAction<CancelEmailChange>,
) -> impl IntoView {
    let at = use_account_texts();
    let pending = p.pending_email.clone();
    view! {
        <section class="card" aria-labelledby="email-title">
            <h2 id="email-title">{move || at().email_title}</h2>
            <p>{move || at().email_intro}</p>
            <dl class="details">
                <dt>{move || at().email_current}</dt><dd>{p.email.clone()}</dd>
            </dl>
            <div role="status">
                {pending.map(|new| view! {
                    <div class="alert alert-info">
                        <p>{move || at().email_pending}" "<strong>{new.clone()}</strong></p>
                        <p>{move || at().email_pending_note}</p>
                        <ActionForm action=cancel attr:class="inline-form">
                            <button type="submit" class="button">{move || at().email_cancel}</button>
                        </ActionForm>
                    </div>
                })}
            </div>
            <ActionForm action=change attr:class="form">
                <FormError result=change.value().into()/>
                <Field label=Signal::derive(move || at().email_new) name="new_email" r#type="email" autocomplete="email" maxlength=254/>
                <Field label=Signal::derive(move || at().email_password) name="password" r#type="password" autocomplete="current-password" maxlength=128/>
                <button type="submit" class="button" disabled=move || change.pending().get()>
                    {move || at().email_submit}
                </button>
            </ActionForm>
        </section>
    }
}

/// `/email/confirm/:token`: the link of the confirmation email. A button, not the visit,
/// confirms: mail scanners open links. The server function then goes on to the sign-in page
/// (or the account page, when signed in), which says the address changed.
#[component]
pub fn ConfirmEmailPage() -> impl IntoView {
    let at = use_account_texts();
    let confirm = ServerAction::<ConfirmEmailChange>::new();
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    view! {
        <div class="narrow">
            <PageHeading text=Signal::derive(move || at().confirm_title.to_string())/>
            <p>{move || at().confirm_intro}</p>
            <ActionForm action=confirm attr:class="card form">
                <FormError result=confirm.value().into()/>
                <input type="hidden" name="token" value=token/>
                <button type="submit" class="button primary" disabled=move || confirm.pending().get()>
                    {move || at().confirm_submit}
                </button>
            </ActionForm>
        </div>
    }
}

/// "Your email address was changed", after the confirmation link (`?email_changed=1`).
#[component]
pub fn EmailChangedNotice() -> impl IntoView {
    let at = use_account_texts();
    let query = leptos_router::hooks::use_query_map();
    view! {
        <Show when=move || query.read().get("email_changed").is_some()>
            <p class="alert alert-success" role="status">{move || at().confirmed}</p>
        </Show>
    }
}
