//! The staff area. Every staff server function checks the role itself; the page guard only
//! decides what to show.
use crate::{
    components::{LoadError, Loading, PageHeading},
    error::AppError,
    i18n::use_i18n,
    pages::ForbiddenPage,
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A staff page that could not load: "Not allowed" (403) for clients, else the usual error.
pub fn staff_load_failed(error: AppError) -> AnyView {
    match error {
        AppError::Forbidden => view! { <ForbiddenPage/> }.into_any(),
        error => view! { <LoadError error/> }.into_any(),
    }
}

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

/// The staff home. What it shows comes from a staff server function, so the role is checked
/// where the data is; a client sees "Not allowed" (403).
#[component]
pub fn StaffHomePage() -> impl IntoView {
    let t = use_i18n().t();
    let overview = Resource::new(|| (), |_| get_staff_overview());
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(o) => view! {
                        <PageHeading text=Signal::derive(move || t().staff_title.to_string())/>
                        <p class="lead">{move || t().staff_intro}</p>
                        <dl class="stats">
                            <div class="card stat"><dt>{move || t().staff_clients}</dt><dd>{o.clients}</dd></div>
                            <div class="card stat"><dt>{move || t().staff_accounts}</dt><dd>{o.staff}</dd></div>
                        </dl>
                        <ul class="tiles">
                            <li class="card tile"><a href="/staff/news">
                                <h2>{move || t().nav_news}</h2><p>{move || t().staff_news_desc}</p>
                            </a></li>
                            <li class="card tile"><a href="/staff/kb">
                                <h2>{move || t().nav_kb}</h2><p>{move || t().staff_kb_desc}</p>
                            </a></li>
                            <li class="card tile"><a href="/staff/provisioning">
                                <h2>{move || t().prov_title}</h2><p>{move || t().staff_prov_desc}</p>
                            </a></li>
                        </ul>
                    }.into_any(),
                    Err(e) => staff_load_failed(e),
                }
            })}
        </Suspense>
    }
}
