//! Two-factor sign-in on the security page: set-up with a QR code, the recovery codes shown
//! once, turning it off with the password; and, for staff, the setting that requires it.
use super::{
    texts::use_account_texts, DisableTwoFactor, EnableTwoFactor, SetStaffTwoFactor, StartTwoFactor,
    TwoFactorDto,
};
use crate::components::{Field, FormError, LoadError, Loading};
use leptos::prelude::*;

#[component]
pub fn TwoFactorSection() -> impl IntoView {
    let at = use_account_texts();
    let start = ServerAction::<StartTwoFactor>::new();
    let enable = ServerAction::<EnableTwoFactor>::new();
    let disable = ServerAction::<DisableTwoFactor>::new();
    let state = Resource::new(
        move || {
            (
                start.version().get(),
                enable.version().get(),
                disable.version().get(),
            )
        },
        |_| super::two_factor_state(),
    );
    let codes = move || {
        enable
            .value()
            .get()
            .and_then(Result::ok)
            .unwrap_or_default()
    };
    view! {
        <section class="card" aria-labelledby="tf-title">
            <h2 id="tf-title">{move || at().tf_title}</h2>
            <p>{move || at().tf_intro}</p>
            <div hidden=move || codes().is_empty() class="alert alert-info" role="status">
                <h3>{move || at().tf_codes_title}</h3>
                <p>{move || at().tf_codes_intro}</p>
                <ul class="recovery-codes" aria-label=move || at().tf_codes_title>
                    {move || codes().into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
                </ul>
            </div>
            <p class="alert alert-success" role="status" hidden=move || !matches!(disable.value().get(), Some(Ok(())))>
                {move || at().tf_disabled}
            </p>
            <Suspense fallback=Loading>{move || Suspend::new(async move {
                match state.await {
                    Ok(s) => view! { <TwoFactorBody s=s start=start enable=enable disable=disable/> }.into_any(),
                    Err(e) => view! { <LoadError error=e/> }.into_any(),
                }
            })}</Suspense>
        </section>
    }
}

#[component]
fn TwoFactorBody(
    s: TwoFactorDto,
    start: ServerAction<StartTwoFactor>,
    enable: ServerAction<EnableTwoFactor>,
    disable: ServerAction<DisableTwoFactor>,
) -> impl IntoView {
    let at = use_account_texts();
    let required = s.required.then(|| {
        view! { <p class="alert alert-info" role="alert">{move || at().tf_required}</p> }
    });
    let body = if s.on {
        let left = s.codes_left;
        view! {
            <p><strong>{move || at().tf_on}</strong></p>
            <p>{move || at().tf_codes_left}" "{left}</p>
            <ActionForm action=disable attr:class="form">
                <FormError result=disable.value().into()/>
                <p>{move || at().tf_disable_intro}</p>
                <Field label=Signal::derive(move || at().email_password) name="totp_password" r#type="password" autocomplete="current-password" maxlength=128/>
                <button type="submit" class="button danger" disabled=move || disable.pending().get()>
                    {move || at().tf_disable}
                </button>
            </ActionForm>
        }
        .into_any()
    } else if let Some(setup) = s.setup {
        view! {
            <p>{move || at().tf_scan}</p>
            <img class="qr" src=setup.qr alt=move || at().tf_qr_alt width="200" height="200"/>
            <p>{move || at().tf_key}": "<code class="secret">{setup.secret}</code></p>
            <h3>{move || at().tf_codes_title}</h3>
            <p>{move || at().tf_codes_setup}</p>
            <ul class="recovery-codes" aria-label=move || at().tf_codes_title>
                {setup.recovery_codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
            </ul>
            <ActionForm action=enable attr:class="form">
                <FormError result=enable.value().into()/>
                <Field label=Signal::derive(move || at().tf_code) name="code" autocomplete="one-time-code" inputmode="numeric" maxlength=7/>
                <button type="submit" class="button primary" disabled=move || enable.pending().get()>
                    {move || at().tf_confirm}
                </button>
            </ActionForm>
        }
        .into_any()
    } else {
        view! {
            <p>{move || at().tf_off}</p>
            <ActionForm action=start attr:class="form">
                <FormError result=start.value().into()/>
                <button type="submit" class="button primary" disabled=move || start.pending().get()>
                    {move || at().tf_start}
                </button>
            </ActionForm>
        }
        .into_any()
    };
    view! { {required} {body} }
}

/// Staff only: require two-factor sign-in of every staff account.
#[component]
pub fn StaffTwoFactorSetting() -> impl IntoView {
    let at = use_account_texts();
    let save = ServerAction::<SetStaffTwoFactor>::new();
    let current = Resource::new(
        move || save.version().get(),
        |_| super::staff_two_factor_setting(),
    );
    view! {
        <section class="card" aria-labelledby="tf-staff-title">
            <h2 id="tf-staff-title">{move || at().tf_staff_title}</h2>
            <p>{move || at().tf_staff_intro}</p>
            <Suspense fallback=Loading>{move || Suspend::new(async move {
                match current.await {
                    Ok(on) => view! {
                        <ActionForm action=save attr:class="form">
                            <FormError result=save.value().into()/>
                            <div class="field field-check">
                                <input type="checkbox" id="f-require" name="require" value="on" checked=on/>
                                <label for="f-require">{move || at().tf_staff_require}</label>
                            </div>
                            <button type="submit" class="button" disabled=move || save.pending().get()>
                                {move || at().tf_staff_save}
                            </button>
                            <p class="alert alert-success" role="status" hidden=move || !matches!(save.value().get(), Some(Ok(())))>
                                {move || at().tf_staff_saved}
                            </p>
                        </ActionForm>
                    }.into_any(),
                    Err(e) => view! { <LoadError error=e/> }.into_any(),
                }
            })}</Suspense>
        </section>
    }
}
