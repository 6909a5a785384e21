//! The staff area. Every staff server function checks the role itself; the page guard only
//! decides what to show.
use crate::{
    components::PageHeading, error::AppError, i18n::use_i18n, pages::ForbiddenPage, RequireUser,
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffOverview {
    pub clients: u64,
    pub staff: u64,
}

#[server(prefix = "/_fn", endpoint = "staff_overview")]
pub async fn get_staff_overview() -> Result<StaffOverview, AppError> {
    use crate::auth::ssr;
    ssr::require_staff()?;
    let (clients, staff) = domain::accounts::count_by_role(&ssr::services()?).await?;
    Ok(StaffOverview { clients, staff })
}

#[component]
pub fn StaffHomePage() -> impl IntoView {
    view! {
        <RequireUser render=|user| {
            if user.is_staff { view! { <StaffHome/> }.into_any() } else { view! { <ForbiddenPage/> }.into_any() }
        }/>
    }
}

#[component]
fn StaffHome() -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.t();
    let overview = Resource::new(|| (), |_| get_staff_overview());
    view! {
        <PageHeading text=Signal::derive(move || t().staff_title.to_string())/>
        <p class="lead">{move || t().staff_intro}</p>
        <Suspense fallback=move || view! { <p aria-busy="true">{move || t().loading}</p> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(o) => view! {
                        <dl class="stats">
                            <div class="card stat"><dt>{move || t().staff_clients}</dt><dd>{o.clients}</dd></div>
                            <div class="card stat"><dt>{move || t().staff_accounts}</dt><dd>{o.staff}</dd></div>
                        </dl>
                    }.into_any(),
                    Err(e) => view! { <p class="alert alert-error" role="alert">{e.message(i18n.locale())}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}
