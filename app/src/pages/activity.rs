//! The account's signed-in devices and sign-in history (on the security page): DTOs, server
//! functions and the two sections. Signing a device out works without JavaScript.
use super::security_texts::use_security_texts;
use crate::{
    components::{FormError, LoadError, Loading, Pagination},
    error::AppError,
    format,
    i18n::use_i18n,
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceDto {
    pub browser: String,
    pub system: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionDto {
    pub id: i32,
    pub ip: String,
    pub device: DeviceDto,
    pub created_at: String,
    pub last_seen_at: String,
    pub current: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInDto {
    pub at: String,
    pub ip: String,
    pub device: DeviceDto,
    pub success: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInHistoryDto {
    pub items: Vec<SignInDto>,
    pub page: u64,
    pub pages: u64,
}

#[cfg(feature = "ssr")]
fn device(d: domain::accounts::activity::Device) -> DeviceDto {
    DeviceDto {
        browser: d.browser.into(),
        system: d.system.into(),
    }
}

#[server(prefix = "/_fn", endpoint = "my_sessions")]
pub async fn my_sessions() -> Result<Vec<SessionDto>, AppError> {
    use crate::auth::ssr;
    let user = ssr::require_user()?;
    let svc = ssr::services()?;
    let list = domain::accounts::activity::sessions(&svc, user.id, user.session_id).await?;
    Ok(list
        .into_iter()
        .map(|s| SessionDto {
            id: s.id,
            ip: s.ip,
            device: device(s.device),
            created_at: s.created_at.to_rfc3339(),
            last_seen_at: s.last_seen_at.to_rfc3339(),
            current: s.current,
        })
        .collect())
}

#[server(prefix = "/_fn", endpoint = "sign_out_device")]
pub async fn sign_out_device(id: i32) -> Result<(), AppError> {
    use crate::auth::ssr;
    let user = ssr::require_user()?;
    let svc = ssr::services()?;
    domain::accounts::activity::sign_out_session(&svc.db, user.id, id).await?;
    leptos_axum::redirect("/account/security?signed_out=one");
    Ok(())
}

#[server(prefix = "/_fn", endpoint = "sign_out_other_devices")]
pub async fn sign_out_other_devices() -> Result<(), AppError> {
    use crate::auth::ssr;
    let user = ssr::require_user()?;
    let svc = ssr::services()?;
    domain::accounts::activity::sign_out_others(&svc.db, user.id, user.session_id).await?;
    leptos_axum::redirect("/account/security?signed_out=others");
    Ok(())
}

#[server(prefix = "/_fn", endpoint = "sign_in_history")]
pub async fn sign_in_history(page: Option<u64>) -> Result<SignInHistoryDto, AppError> {
    use crate::auth::ssr;
    let user = ssr::require_user()?;
    let svc = ssr::services()?;
    let p = domain::accounts::activity::history(&svc, user.id, page.unwrap_or(1)).await?;
    Ok(SignInHistoryDto {
        pages: p.pages(),
        page: p.page,
        items: p
            .items
            .into_iter()
            .map(|r| SignInDto {
                at: r.at.to_rfc3339(),
                ip: r.ip,
                device: device(r.device),
                success: r.success,
            })
            .collect(),
    })
}

/// "Firefox on Windows", or "Unknown device".
fn device_name(d: &DeviceDto, on: &str, unknown: &str) -> String {
    match (d.browser.is_empty(), d.system.is_empty()) {
        (true, true) => unknown.to_owned(),
        (false, true) => d.browser.clone(),
        (true, false) => d.system.clone(),
        (false, false) => format!("{} {on} {}", d.browser, d.system),
    }
}

#[component]
pub fn DevicesSection() -> impl IntoView {
    let i18n = use_i18n();
    let st = use_security_texts();
    let query = use_query_map();
    let one = ServerAction::<SignOutDevice>::new();
    let others = ServerAction::<SignOutOtherDevices>::new();
    let list = Resource::new(
        move || (one.version().get(), others.version().get()),
        |_| my_sessions(),
    );
    let notice = move || match query.read().get("signed_out").as_deref() {
        Some("one") => Some(st().signed_out_session),
        Some("others") => Some(st().signed_out_others),
        _ => None,
    };
    view! {
        <section class="card" aria-labelledby="devices-title">
            <h2 id="devices-title">{move || st().sessions_title}</h2>
            <p class="hint">{move || st().sessions_intro}</p>
            <p class="alert alert-success" role="status" hidden=move || notice().is_none()>{move || notice().unwrap_or_default()}</p>
            <FormError result=one.value().into()/>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    let sessions = match list.await {
                        Ok(s) => s,
                        Err(e) => return view! { <LoadError error=e/> }.into_any(),
                    };
                    let alone = sessions.iter().all(|s| s.current);
                    let rows = sessions.into_iter().map(|s| {
                        let name = s.device.clone();
                        let seen = s.last_seen_at.clone();
                        view! {
                            <tr data-testid="session">
                                <td>
                                    {move || device_name(&name, st().on, st().unknown_device)}
                                    {s.current.then(|| view! { " "<span class="badge">{move || st().this_device}</span> })}
                                </td>
                                <td>{s.ip.clone()}</td>
                                <td><time datetime=s.last_seen_at.clone()>{move || format::date_time(&seen, i18n.locale())}</time></td>
                                <td>{(!s.current).then(|| view! {
                                    <ActionForm action=one attr:class="inline-form">
                                        <input type="hidden" name="id" value=s.id.to_string()/>
                                        <button type="submit" class="button">{move || st().sign_out_session}</button>
                                    </ActionForm>
                                })}</td>
                            </tr>
                        }
                    }).collect_view();
                    view! {
                        // Focusable: on a phone the table scrolls sideways, also by keyboard.
                        <div class="table-wrap" tabindex="0" role="region" aria-label=move || st().sessions_title>
                            <table class="table">
                                <thead><tr>
                                    <th scope="col">{move || st().col_device}</th>
                                    <th scope="col">{move || st().col_ip}</th>
                                    <th scope="col">{move || st().col_last_seen}</th>
                                    <th scope="col"><span class="sr-only">{move || st().sign_out_session}</span></th>
                                </tr></thead>
                                <tbody>{rows}</tbody>
                            </table>
                        </div>
                        {if alone {
                            view! { <p class="hint">{move || st().only_this}</p> }.into_any()
                        } else {
                            view! {
                                <ActionForm action=others>
                                    <button type="submit" class="button danger">{move || st().sign_out_others}</button>
                                </ActionForm>
                            }.into_any()
                        }}
                    }.into_any()
                })}
            </Transition>
        </section>
    }
}

#[component]
pub fn HistorySection() -> impl IntoView {
    let i18n = use_i18n();
    let st = use_security_texts();
    let query = use_query_map();
    let page = move || {
        query
            .read()
            .get("history")
            .and_then(|p| p.parse::<u64>().ok())
            .unwrap_or(1)
    };
    let history = Resource::new(page, |p| sign_in_history(Some(p)));
    view! {
        <section class="card" aria-labelledby="history-title">
            <h2 id="history-title">{move || st().history_title}</h2>
            <p class="hint">{move || st().history_intro}</p>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    let h = match history.await {
                        Ok(h) => h,
                        Err(e) => return view! { <LoadError error=e/> }.into_any(),
                    };
                    if h.items.is_empty() {
                        return view! { <p class="empty-state">{move || st().history_empty}</p> }.into_any();
                    }
                    let rows = h.items.into_iter().map(|r| {
                        let at = r.at.clone();
                        let name = r.device.clone();
                        view! {
                            <tr data-testid="sign-in">
                                <td><time datetime=r.at.clone()>{move || format::date_time(&at, i18n.locale())}</time></td>
                                <td>{r.ip.clone()}</td>
                                <td>{move || device_name(&name, st().on, st().unknown_device)}</td>
                                <td>
                                    <span class=if r.success { "badge email-sent" } else { "badge email-failed" }>
                                        {move || if r.success { st().success } else { st().failure }}
                                    </span>
                                </td>
                            </tr>
                        }
                    }).collect_view();
                    view! {
                        <div class="table-wrap" tabindex="0" role="region" aria-label=move || st().history_title>
                            <table class="table">
                                <thead><tr>
                                    <th scope="col">{move || st().col_when}</th>
                                    <th scope="col">{move || st().col_ip}</th>
                                    <th scope="col">{move || st().col_device}</th>
                                    <th scope="col">{move || st().col_result}</th>
                                </tr></thead>
                                <tbody>{rows}</tbody>
                            </table>
                        </div>
                        <Pagination page=h.page pages=h.pages href=|p| format!("/account/security?history={p}")/>
                    }.into_any()
                })}
            </Transition>
        </section>
    }
}
