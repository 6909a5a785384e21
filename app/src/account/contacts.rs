//! `/account/contacts`: people invited to the account, each with their own login and
//! permissions.
use super::{
    texts::use_account_texts, texts::AccountTexts, InviteContact, RemoveContact, UpdateContact,
};
use crate::{
    auth::Perms,
    components::{Field, FormError, LoadError, Loading, PageHeading},
};
use leptos::prelude::*;

type PermText = fn(&AccountTexts) -> &'static str;

/// (form field, text, is it in the set)
fn perm_rows(p: Perms) -> [(&'static str, PermText, bool); 5] {
    [
        ("invoices", |t| t.p_invoices, p.invoices),
        (
            "payment_methods",
            |t| t.p_payment_methods,
            p.payment_methods,
        ),
        ("tickets", |t| t.p_tickets, p.tickets),
        ("services", |t| t.p_services, p.services),
        ("contacts", |t| t.p_contacts, p.contacts),
    ]
}

/// The permission checkboxes; only those the viewer may give are offered.
#[component]
fn PermBoxes(id: String, current: Perms, grantable: Perms) -> impl IntoView {
    let at = use_account_texts();
    let offered = perm_rows(grantable);
    view! {
        <fieldset class="field checkboxes">
            <legend>{move || at().c_perms_legend}</legend>
            {perm_rows(current).into_iter().zip(offered).filter(|(_, (_, _, may))| *may).map(|((name, text, on), _)| {
                let box_id = format!("{id}-{name}");
                view! {
                    <div class="field-check">
                        <input type="checkbox" id=box_id.clone() name=name value="on" checked=on/>
                        <label for=box_id>{move || text(at())}</label>
                    </div>
                }
            }).collect_view()}
        </fieldset>
    }
}

#[component]
pub fn ContactsPage() -> impl IntoView {
    let at = use_account_texts();
    let invite = ServerAction::<InviteContact>::new();
    let update = ServerAction::<UpdateContact>::new();
    let remove = ServerAction::<RemoveContact>::new();
    let list = Resource::new(
        move || {
            (
                invite.version().get(),
                update.version().get(),
                remove.version().get(),
            )
        },
        |_| super::list_contacts(),
    );
    let notice = move || {
        if matches!(remove.value().get(), Some(Ok(()))) {
            at().c_removed
        } else if matches!(update.value().get(), Some(Ok(()))) {
            at().c_saved
        } else if matches!(invite.value().get(), Some(Ok(()))) {
            at().c_invited
        } else {
            ""
        }
    };
    view! {
        <PageHeading text=Signal::derive(move || at().c_title.to_string())/>
        <p>{move || at().c_intro}</p>
        <p class="alert alert-success" role="status" hidden=move || notice().is_empty()>{notice}</p>
        <FormError result=update.value().into()/>
        <FormError result=remove.value().into()/>
        <Suspense fallback=Loading>{move || Suspend::new(async move {
            let data = match list.await {
                Ok(d) => d,
                Err(e) => return view! { <LoadError error=e/> }.into_any(),
            };
            let grantable = data.grantable;
            let empty = data.contacts.is_empty();
            let rows = data.contacts.into_iter().map(|c| {
                let id = c.id;
                view! {
                    <li class="card contact">
                        <h2>{c.name.clone()}</h2>
                        <p>{c.email.clone()}" · "
                            <span class="badge">{move || if c.pending { at().c_pending } else { at().c_active }}</span>
                        </p>
                        <ActionForm action=update attr:class="form">
                            <input type="hidden" name="id" value=id/>
                            <PermBoxes id=format!("c{id}") current=c.perms grantable=grantable/>
                            <button type="submit" class="button">{move || at().c_save}</button>
                        </ActionForm>
                        <ActionForm action=remove attr:class="inline-form">
                            <input type="hidden" name="id" value=id/>
                            <button type="submit" class="button danger" aria-label=format!("{} {}", at().c_remove, c.name)>
                                {move || at().c_remove}
                            </button>
                        </ActionForm>
                    </li>
                }
            }).collect_view();
            view! {
                <ul class="contacts" aria-label=move || at().c_title>{rows}</ul>
                <p hidden=!empty>{move || at().c_empty}</p>
                <section class="card" aria-labelledby="invite-title">
                    <h2 id="invite-title">{move || at().c_invite_title}</h2>
                    <ActionForm action=invite attr:class="form">
                        <FormError result=invite.value().into()/>
                        <Field label=Signal::derive(move || at().c_name) name="name" autocomplete="off" maxlength=200/>
                        <Field label=Signal::derive(move || at().c_email) name="email" r#type="email" autocomplete="off" maxlength=254/>
                        <PermBoxes id="new".to_string() current=Perms::default() grantable=grantable/>
                        <button type="submit" class="button primary" disabled=move || invite.pending().get()>
                            {move || at().c_invite_submit}
                        </button>
                    </ActionForm>
                </section>
            }.into_any()
        })}</Suspense>
    }
}
