//! Ticket routes that are not Leptos pages: the forms that carry files (opening a ticket and
//! replying, as `multipart/form-data`, so they work before the WebAssembly loads), attachment
//! downloads, and the live-update stream.
//!
//! A form answers the way it was sent: a plain form post gets a 303 (to the thread, or back to
//! the form with the error in `?error=`); the hydrated page's `fetch` (Accept: application/json)
//! gets `{"redirect": …}` or `{"error": message}` with a 4xx, and keeps what was typed.
use crate::AppState;
use app::{auth::UserDto, error::AppError, i18n::Locale};
use axum::{
    extract::{multipart::Multipart, Path, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{
        sse::{Event, KeepAlive, Sse},
        IntoResponse, Redirect, Response,
    },
    Extension, Json,
};
use domain::{
    accounts::{Permission, SessionUser, Viewer},
    support::{
        self, attachments, canned, live::TicketEvent, parse_attachments, MessageBody, NewTicket,
        Priority, Subject, TicketSettings,
    },
    DomainError,
};
use std::{collections::HashMap, convert::Infallible, time::Duration};

/// The form's text fields and its files (name, bytes).
struct Posted {
    fields: HashMap<String, String>,
    files: Vec<(String, Vec<u8>)>,
}

impl Posted {
    fn get(&self, k: &str) -> &str {
        self.fields.get(k).map(String::as_str).unwrap_or_default()
    }
}

async fn read_form(mut mp: Multipart, s: &TicketSettings) -> Result<Posted, AppError> {
    use app::error::InvalidInput;
    let mut posted = Posted {
        fields: HashMap::new(),
        files: Vec::new(),
    };
    // Past the route's body limit the stream fails: that can only be the files' size.
    let read_err = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::Invalid(InvalidInput::AttachmentTooLarge)
        } else {
            AppError::BadRequest
        }
    };
    while let Some(mut field) = mp.next_field().await.map_err(read_err)? {
        let name = field.name().unwrap_or_default().to_owned();
        match field.file_name().map(str::to_owned) {
            Some(filename) => {
                if name != "attachments" {
                    continue;
                }
                let mut bytes = Vec::new();
                while let Some(chunk) = field.chunk().await.map_err(read_err)? {
                    if bytes.len() + chunk.len() > s.max_attachment_bytes {
                        return Err(AppError::Invalid(InvalidInput::AttachmentTooLarge));
                    }
                    bytes.extend_from_slice(&chunk);
                }
                // An empty file input still sends a part, without a name.
                if filename.is_empty() && bytes.is_empty() {
                    continue;
                }
                if posted.files.len() >= s.max_attachments {
                    return Err(AppError::Invalid(InvalidInput::TooManyAttachments));
                }
                posted.files.push((filename, bytes));
            }
            None => {
                let text = field.text().await.map_err(read_err)?;
                posted.fields.insert(name, text);
            }
        }
    }
    Ok(posted)
}

fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("application/json"))
}

fn locale_of(user: Option<&SessionUser>) -> Locale {
    user.map(|u| UserDto::from(u).language).unwrap_or_default()
}

fn succeeded(json: bool, to: String) -> Response {
    if json {
        Json(serde_json::json!({ "redirect": to })).into_response()
    } else {
        Redirect::to(&to).into_response()
    }
}

fn failed(json: bool, back: &str, err: AppError, locale: Locale) -> Response {
    if json {
        let status = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::BAD_REQUEST);
        return (
            status,
            Json(serde_json::json!({ "error": err.message(locale), "code": err })),
        )
            .into_response();
    }
    // The page reads the error back from the address and says it in the reader's language.
    let code = serde_json::to_string(&err).unwrap_or_default();
    let code: String = url::form_urlencoded::byte_serialize(code.as_bytes()).collect();
    Redirect::to(&format!("{back}?error={code}")).into_response()
}

fn domain_err(e: DomainError) -> AppError {
    AppError::from(e)
}

fn parse_id(s: &str) -> Option<i32> {
    s.trim().parse::<i32>().ok().filter(|n| *n > 0)
}

fn new_ticket(p: &Posted, s: &TicketSettings) -> Result<NewTicket, DomainError> {
    use domain::error::Invalid;
    Ok(NewTicket {
        department_id: parse_id(p.get("department")).ok_or(Invalid::TicketDepartment)?,
        service_id: match p.get("service").trim() {
            "" => None,
            v => Some(parse_id(v).ok_or(Invalid::TicketService)?),
        },
        priority: Priority::parse(p.get("priority"))?,
        subject: Subject::parse(p.get("subject"))?,
        body: MessageBody::parse(p.get("body"))?,
        attachments: parse_attachments(p.files.clone(), s)?,
        form_key: support::form_key(p.get("form_key")),
    })
}

/// Who is posting a ticket form, and how to answer them.
struct FormPost {
    user: SessionUser,
    json: bool,
    locale: Locale,
}

/// Which side a form belongs to.
#[derive(Clone, Copy, PartialEq)]
enum Side {
    /// The client area: the account's owner or a contact with the ticket permission.
    Client,
    /// Staff pages: staff cleared to act as staff (two-factor sign-in on where required).
    Staff,
}

// The refusal is the response itself, made once per request: its size does not matter.
#[allow(clippy::result_large_err)]
impl FormPost {
    /// The signed-in poster allowed on this side, or the refusal to send back (to sign in, to
    /// the home page, to set up two-factor sign-in, or to `back`).
    fn check(
        viewer: Viewer,
        headers: &HeaderMap,
        side: Side,
        back: &str,
    ) -> Result<Self, Response> {
        let json = wants_json(headers);
        let Some(user) = viewer.user else {
            return Err(failed(
                json,
                "/login",
                AppError::Unauthenticated,
                Locale::default(),
            ));
        };
        let locale = locale_of(Some(&user));
        match side {
            Side::Client if !user.can(Permission::Tickets) => {
                return Err(failed(json, back, AppError::Forbidden, locale))
            }
            Side::Staff if !user.is_staff() => {
                return Err(failed(json, "/", AppError::Forbidden, locale))
            }
            Side::Staff if user.needs_totp_setup => {
                let e = AppError::Refused(app::error::Refusal::TwoFactorRequired);
                return Err(failed(json, "/account/security", e, locale));
            }
            _ => {}
        }
        Ok(FormPost { user, json, locale })
    }

    /// Where to go after `result`: `to` when it worked, back to the form with the error if not.
    fn answer<T>(
        &self,
        result: Result<T, AppError>,
        to: impl FnOnce(T) -> String,
        back: &str,
    ) -> Response {
        match result {
            Ok(v) => succeeded(self.json, to(v)),
            Err(e) => failed(self.json, back, e, self.locale),
        }
    }

    /// The ticket id in the path, or the refusal (back to `list`).
    fn ticket_id(&self, id: &str, list: &str) -> Result<i32, Response> {
        parse_id(id).ok_or_else(|| failed(self.json, list, AppError::NotFound, self.locale))
    }
}

/// `POST /tickets/new`: a client opens a ticket.
pub async fn create(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    headers: HeaderMap,
    mp: Multipart,
) -> Response {
    let back = "/tickets/new";
    let post = match FormPost::check(viewer, &headers, Side::Client, back) {
        Ok(p) => p,
        Err(refused) => return refused,
    };
    let svc = &state.services;
    let result = async {
        let posted = read_form(mp, &svc.tickets).await?;
        let t = new_ticket(&posted, &svc.tickets).map_err(domain_err)?;
        support::open(svc, &post.user, t).await.map_err(domain_err)
    }
    .await;
    post.answer(result, |id| format!("/tickets/{id}?opened=1"), back)
}

/// `POST /tickets/{id}/messages`: the client replies.
pub async fn client_reply(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<String>,
    headers: HeaderMap,
    mp: Multipart,
) -> Response {
    let post = match FormPost::check(viewer, &headers, Side::Client, "/tickets") {
        Ok(p) => p,
        Err(refused) => return refused,
    };
    let id = match post.ticket_id(&id, "/tickets") {
        Ok(id) => id,
        Err(refused) => return refused,
    };
    let back = format!("/tickets/{id}");
    let svc = &state.services;
    let result = async {
        let posted = read_form(mp, &svc.tickets).await?;
        let body = MessageBody::parse(posted.get("body")).map_err(|e| domain_err(e.into()))?;
        let files =
            parse_attachments(posted.files, &svc.tickets).map_err(|e| domain_err(e.into()))?;
        support::reply_as_client(svc, &post.user, id, body, files)
            .await
            .map_err(domain_err)
    }
    .await;
    post.answer(result, |()| format!("{back}?replied=1"), &back)
}

/// `POST /staff/tickets/{id}/messages`: a staff reply or internal note. Without JavaScript a
/// canned response chosen with an empty box is sent as it is.
pub async fn staff_reply(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<String>,
    headers: HeaderMap,
    mp: Multipart,
) -> Response {
    let post = match FormPost::check(viewer, &headers, Side::Staff, "/staff/tickets") {
        Ok(p) => p,
        Err(refused) => return refused,
    };
    let id = match post.ticket_id(&id, "/staff/tickets") {
        Ok(id) => id,
        Err(refused) => return refused,
    };
    let back = format!("/staff/tickets/{id}");
    let svc = &state.services;
    let result = async {
        let posted = read_form(mp, &svc.tickets).await?;
        let canned = parse_id(posted.get("canned"));
        let text = canned::body_or_canned(&svc.db, posted.get("body"), canned)
            .await
            .map_err(domain_err)?;
        let body = MessageBody::parse(&text).map_err(|e| domain_err(e.into()))?;
        let internal = !posted.get("internal").is_empty();
        let files =
            parse_attachments(posted.files, &svc.tickets).map_err(|e| domain_err(e.into()))?;
        support::reply_as_staff(svc, post.user.id, id, body, files, internal)
            .await
            .map_err(domain_err)
    }
    .await;
    post.answer(result, |()| format!("{back}?replied=1"), &back)
}

/// `GET /tickets/{id}/attachments/{attachment}`: always a download, never shown inline.
pub async fn download(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path((id, att)): Path<(String, String)>,
) -> Response {
    let Some(user) = viewer.user else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let not_found = || (StatusCode::NOT_FOUND, "attachment not found").into_response();
    let (Some(id), Some(att)) = (parse_id(&id), parse_id(&att)) else {
        return not_found();
    };
    let client = if user.acts_as_staff() {
        None
    } else if user.can(Permission::Tickets) {
        Some(user.client_id)
    } else {
        return StatusCode::FORBIDDEN.into_response();
    };
    let file = match attachments::download(&state.services.db, client, id, att).await {
        Ok(f) => f,
        Err(DomainError::NotFound) => return not_found(),
        Err(e) => {
            tracing::error!(error = %e, "loading an attachment");
            return crate::security::internal_error();
        }
    };
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_str(&file.content_type)
                    .unwrap_or(HeaderValue::from_static("application/octet-stream")),
            ),
            (header::CONTENT_DISPOSITION, disposition(&file.filename)),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-store"),
            ),
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static("default-src 'none'; sandbox"),
            ),
        ],
        file.bytes,
    )
        .into_response()
}

/// `attachment; filename="…"` with an ASCII fallback and the exact name in RFC 5987 form.
fn disposition(name: &str) -> HeaderValue {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ' ') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = url::form_urlencoded::byte_serialize(name.as_bytes())
        .collect::<String>()
        .replace('+', "%20");
    HeaderValue::from_str(&format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"
    ))
    .unwrap_or(HeaderValue::from_static("attachment"))
}

/// `GET /live/tickets`: server-sent events naming each ticket that changed, for the tickets
/// this viewer may see. A reader that fell behind is told to reload everything.
pub async fn live(State(state): State<AppState>, Extension(viewer): Extension<Viewer>) -> Response {
    let Some(user) = viewer.user else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let staff = user.acts_as_staff();
    if !staff && !user.can(Permission::Tickets) {
        return StatusCode::FORBIDDEN.into_response();
    }
    let rx = state.services.live.subscribe();
    let uid = user.client_id;
    let stream = futures_util::stream::unfold(rx, move |mut rx| async move {
        use tokio::sync::broadcast::error::RecvError;
        loop {
            match rx.recv().await {
                Ok(e) if e.visible_to(uid, staff) => {
                    let ev = Event::default().event("ticket").data(payload(&e));
                    return Some((Ok::<_, Infallible>(ev), rx));
                }
                Ok(_) => continue,
                Err(RecvError::Lagged(_)) => {
                    return Some((Ok(Event::default().event("reload").data("{}")), rx))
                }
                Err(RecvError::Closed) => return None,
            }
        }
    });
    let mut res = Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response();
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("no-cache, no-store"),
    );
    res
}

fn payload(e: &TicketEvent) -> String {
    serde_json::json!({ "ticket": e.ticket_id }).to_string()
}
