//! Sign-in, sign-out and password-reset pages. Every form is an `ActionForm`, so it works
//! before (or without) the WebAssembly.
use super::{ForgotPassword, Login, ResetPassword, VerifySignIn};
use crate::{
    components::{Field, FormError, NewPasswordFields, PageHeading},
    i18n::use_i18n,
};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn LoginPage() -> impl IntoView {
    let t = use_i18n().t();
    // Created inside <Routes>, so an error from a form post without JavaScript reaches it.
    let login = ServerAction::<Login>::new();
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    let signed_out = move || query.read().get("signed_out").is_some();
    let password_reset = move || query.read().get("password_reset").is_some();
    let password_set = move || query.read().get("password_set").is_some();
    view! {
        <div class="narrow">
            <PageHeading text=Signal::derive(move || t().login_title.to_string())/>
            <p>{move || t().login_intro}</p>
            <Show when=signed_out>
                <p class="alert alert-info" role="status">{move || t().signed_out_notice}</p>
            </Show>
            <Show when=password_reset>
                <p class="alert alert-success" role="status">{move || t().reset_done}</p>
            </Show>
            <Show when=password_set>
                <p class="alert alert-success" role="status">{move || t().welcome_done}</p>
            </Show>
            <crate::account::EmailChangedNotice/>
            <ActionForm action=login attr:class="card form">
                <FormError result=login.value().into()/>
                <Field label=Signal::derive(move || t().email) name="email" r#type="email" autocomplete="username" maxlength=254/>
                <Field label=Signal::derive(move || t().password) name="password" r#type="password" autocomplete="current-password" maxlength=128/>
                <input type="hidden" name="next" value=next/>
                <button type="submit" class="button primary" disabled=move || login.pending().get()>
                    {move || t().login_submit}
                </button>
            </ActionForm>
            <p><a href="/password/forgot">{move || t().login_forgot}</a></p>
        </div>
    }
}

/// The second step of signing in when two-factor sign-in is on.
#[component]
pub fn LoginCodePage() -> impl IntoView {
    let at = crate::account::texts::use_account_texts();
    let verify = ServerAction::<VerifySignIn>::new();
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    view! {
        <div class="narrow">
            <PageHeading text=Signal::derive(move || at().code_title.to_string())/>
            <p>{move || at().code_intro}</p>
            <ActionForm action=verify attr:class="card form">
                <FormError result=verify.value().into()/>
                <Field label=Signal::derive(move || at().code_label) name="code" autocomplete="one-time-code" inputmode="text" maxlength=20/>
                <input type="hidden" name="next" value=next/>
                <button type="submit" class="button primary" disabled=move || verify.pending().get()>
                    {move || at().code_submit}
                </button>
            </ActionForm>
            <p><a href="/login">{move || at().code_restart}</a></p>
        </div>
    }
}

/// Sign-out confirmation (the address hosting panels link to). Shown the same to everyone;
/// signing out without a session just lands on the sign-in page.
#[component]
pub fn LogoutPage() -> impl IntoView {
    let t = use_i18n().t();
    view! {
        <div class="narrow">
            <PageHeading text=Signal::derive(move || t().logout_title.to_string())/>
            <p>{move || t().logout_intro}</p>
            <super::SignOutButton class="button primary"/>
        </div>
    }
}

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let t = use_i18n().t();
    let action = ServerAction::<ForgotPassword>::new();
    let query = use_query_map();
    let sent =
        move || query.read().get("sent").is_some() || matches!(action.value().get(), Some(Ok(())));
    view! {
        <div class="narrow">
            <PageHeading text=Signal::derive(move || t().forgot_title.to_string())/>
            <Show
                when=sent
                fallback=move || view! {
                    <p>{move || t().forgot_intro}</p>
                    <ActionForm action=action attr:class="card form">
                        <FormError result=action.value().into()/>
                        <Field label=Signal::derive(move || t().email) name="email" r#type="email" autocomplete="email" maxlength=254/>
                        <button type="submit" class="button primary" disabled=move || action.pending().get()>
                            {move || t().forgot_submit}
                        </button>
                    </ActionForm>
                }
            >
                <p class="alert alert-success" role="status">{move || t().forgot_sent}</p>
            </Show>
            <p><a href="/login">{move || t().back_to_login}</a></p>
        </div>
    }
}

/// `/password/welcome/{token}`: an invited contact chooses their first password.
#[component]
pub fn WelcomePage() -> impl IntoView {
    view! { <ChoosePassword welcome=true/> }
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    view! { <ChoosePassword welcome=false/> }
}

/// The password form behind a reset or invitation link. `welcome`: the same link and form, in
/// words for someone who never had a password. Success lands on the sign-in page, which says so.
#[component]
fn ChoosePassword(welcome: bool) -> impl IntoView {
    let t = use_i18n().t();
    let action = ServerAction::<ResetPassword>::new();
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let title = move || {
        if welcome {
            t().welcome_title
        } else {
            t().reset_title
        }
    };
    view! {
        <div class="narrow">
            <PageHeading text=Signal::derive(move || title().to_string())/>
            <ActionForm action=action attr:class="card form">
                <p hidden=!welcome>{move || t().welcome_intro}</p>
                <FormError result=action.value().into()/>
                <input type="hidden" name="token" value=token/>
                <input type="hidden" name="welcome" value="1" disabled=!welcome/>
                <NewPasswordFields/>
                <button type="submit" class="button primary" disabled=move || action.pending().get()>
                    {move || if welcome { t().welcome_submit } else { t().reset_submit }}
                </button>
            </ActionForm>
        </div>
    }
}
