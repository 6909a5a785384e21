use crate::{
    auth::{whoami, ChangePassword},
    components::{Field, FormError, LoadError, Loading, NewPasswordFields, PageHeading},
    error::AppError,
    i18n::use_i18n,
};
use leptos::prelude::*;

#[component]
pub fn AccountPage() -> impl IntoView {
    let t = use_i18n().t();
    let st = super::security_texts::use_security_texts();
    let at = crate::account::texts::use_account_texts();
    let profile = Resource::new(|| (), |_| whoami());
    view! {
        <PageHeading text=Signal::derive(move || t().account_title.to_string())/>
        <crate::account::EmailChangedNotice/>
        <ul class="tiles">
            <li class="card tile"><a href="/account/security"><h2>{move || t().security_title}</h2><p>{move || t().security_desc}</p></a></li>
            <li class="card tile"><a href="/account/emails"><h2>{move || t().emails_title}</h2><p>{move || t().emails_desc}</p></a></li>
        </ul>
        <crate::account::ProfileSection/>
        <Suspense fallback=Loading>{move || Suspend::new(async move {
            let user = match profile.await {
                Ok(Some(user)) => user,
                Ok(None) => return view! { <LoadError error=AppError::Unauthenticated/> }.into_any(),
                Err(e) => return view! { <LoadError error=e/> }.into_any(),
            };
            view! {
            <ul class="tiles" hidden=!user.perms.contacts>
                <li class="card tile"><a href="/account/contacts"><h2>{move || t().contacts_title}</h2><p>{move || at().c_desc}</p></a></li>
            </ul>
            <section class="card" aria-labelledby="export-title" hidden=user.is_contact>
                <h2 id="export-title">{move || st().export_title}</h2>
                <p>{move || st().export_desc}</p>
                // A download, not a page: the router must let the browser fetch it.
                <a class="button" href="/account/export" download="portico-data.json" rel="external">{move || st().export_link}</a>
            </section>
            }.into_any()
        })}</Suspense>
    }
}

#[component]
pub fn SecurityPage() -> impl IntoView {
    let t = use_i18n().t();
    let action = ServerAction::<ChangePassword>::new();
    view! {
                <div class="narrow">
                    <PageHeading text=Signal::derive(move || t().security_title.to_string())/>
                    <p>{move || t().security_desc}</p>
                    <Show when=move || matches!(action.value().get(), Some(Ok(())))>
                        <p class="alert alert-success" role="status">{move || t().password_changed}</p>
                    </Show>
                    <ActionForm action=action attr:class="card form">
                        <FormError result=action.value().into()/>
                        <Field label=Signal::derive(move || t().current_password) name="current" r#type="password" autocomplete="current-password" maxlength=128/>
                        <NewPasswordFields/>
                        <button type="submit" class="button primary" disabled=move || action.pending().get()>
                            {move || t().change_password_submit}
                        </button>
                    </ActionForm>
                    <crate::account::TwoFactorSection/>
                    {crate::auth::initial_user().is_some_and(|u| u.is_staff).then(|| view! { <crate::account::StaffTwoFactorSetting/> })}
                    <super::activity::DevicesSection/>
                    <super::activity::HistorySection/>
                </div>
    }
}
