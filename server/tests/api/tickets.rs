//! Support tickets over HTTP: the multipart forms (with and without JavaScript), attachments
//! and their headers, access rules, staff replies and their emails, live updates, limits.
use crate::helpers::*;
use domain::entities::{email, ticket, ticket_message};
use futures_util::StreamExt;
use reqwest::{header, multipart::Form, multipart::Part, Client, Response};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use std::time::Duration;

async fn signed_in(app: &TestApp, email: &str) -> Client {
    let c = app.client();
    let res = app.sign_in(&c, email, DEMO_PASSWORD).await;
    assert!(session_cookie(&res).is_some(), "{email} signed in");
    c
}

async fn hosting_department(app: &TestApp) -> i32 {
    domain::support::departments::list_active(&app.services.db)
        .await
        .unwrap()
        .into_iter()
        .find(|d| d.name_en == domain::demo::HOSTING_DEPARTMENT)
        .unwrap()
        .id
}

fn ticket_form(dept: i32, subject: &str, body: &str) -> Form {
    Form::new()
        .text("department", dept.to_string())
        .text("service", "")
        .text("priority", "high")
        .text("subject", subject.to_owned())
        .text("body", body.to_owned())
}

fn file(name: &str, bytes: Vec<u8>) -> Part {
    Part::bytes(bytes).file_name(name.to_owned())
}

/// Posts a multipart form the way the browser does; `json`: as the hydrated page's fetch.
async fn post(app: &TestApp, c: &Client, path: &str, form: Form, json: bool) -> Response {
    let mut req = c.post(app.url(path)).header(header::ORIGIN, &app.address);
    if json {
        req = req.header(header::ACCEPT, "application/json");
    }
    req.multipart(form).send().await.unwrap()
}

fn location(res: &Response) -> String {
    res.headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

async fn tickets_of(app: &TestApp, client: i32) -> Vec<ticket::Model> {
    ticket::Entity::find()
        .filter(ticket::Column::ClientId.eq(client))
        .order_by_asc(ticket::Column::Id)
        .all(&app.services.db)
        .await
        .unwrap()
}

async fn open_ticket(app: &TestApp, c: &Client, body: &str) -> i32 {
    let dept = hosting_department(app).await;
    let form = ticket_form(dept, "Site is down", body)
        .part("attachments", file("error.log", b"500 at /".to_vec()));
    let res = post(app, c, "/tickets/new", form, false).await;
    assert_eq!(res.status().as_u16(), 303);
    let to = location(&res);
    let id: i32 = to
        .strip_prefix("/tickets/")
        .and_then(|r| r.strip_suffix("?opened=1"))
        .unwrap_or_else(|| panic!("redirect {to}"))
        .parse()
        .unwrap();
    id
}

#[tokio::test]
async fn a_ticket_with_a_file_is_opened_and_shown_as_text() {
    let app = spawn_app().await;
    let ana = signed_in(&app, "ana@example.com").await;
    let id = open_ticket(&app, &ana, "<script>alert('x')</script> and <b>bold</b>").await;

    let (status, html) = app.get_html(&ana, &format!("/tickets/{id}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("&lt;script&gt;alert("), "escaped body");
    assert!(!html.contains("<script>alert("));
    assert!(html.contains("error.log"));
    let (_, list) = app.get_html(&ana, "/tickets").await;
    assert!(list.contains("Site is down"));

    // The file: only as a download, with its type fixed by the server.
    let msg = ticket_message::Entity::find()
        .filter(ticket_message::Column::TicketId.eq(id))
        .one(&app.services.db)
        .await
        .unwrap()
        .unwrap();
    let att = domain::entities::ticket_attachment::Entity::find()
        .filter(domain::entities::ticket_attachment::Column::MessageId.eq(msg.id))
        .one(&app.services.db)
        .await
        .unwrap()
        .unwrap();
    let res = ana
        .get(app.url(&format!("/tickets/{id}/attachments/{}", att.id)))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    let h = res.headers().clone();
    assert!(h[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .starts_with("attachment; filename=\"error.log\""));
    assert_eq!(h[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(h[header::CONTENT_TYPE], "text/plain; charset=utf-8");
    assert_eq!(res.bytes().await.unwrap().as_ref(), b"500 at /");

    // Ben: 404 for the page, the file and a reply, not 403.
    let ben = signed_in(&app, "ben@example.com").await;
    let (status, _) = app.get_html(&ben, &format!("/tickets/{id}")).await;
    assert_eq!(status, 404);
    let res = ben
        .get(app.url(&format!("/tickets/{id}/attachments/{}", att.id)))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 404);
    let res = post(
        &app,
        &ben,
        &format!("/tickets/{id}/messages"),
        Form::new().text("body", "mine now"),
        true,
    )
    .await;
    assert_eq!(res.status().as_u16(), 404);
    let res = app
        .call(&ben, "ticket_thread", &[("id", &id.to_string())])
        .await;
    assert_eq!(res.status().as_u16(), 404);
    // Staff may download it; signed out may not.
    let admin = signed_in(&app, "admin@example.com").await;
    let res = admin
        .get(app.url(&format!("/tickets/{id}/attachments/{}", att.id)))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    let res = app
        .client()
        .get(app.url(&format!("/tickets/{id}/attachments/{}", att.id)))
        .send()
        .await
        .unwrap();
    assert_ne!(res.status().as_u16(), 200);
}

#[tokio::test]
async fn bad_input_gets_a_clear_error_and_writes_nothing() {
    let app = spawn_app_with(&[("PORTICO_TICKET_ATTACHMENT_MAX_MB", "1")]).await;
    let ana = signed_in(&app, "ana@example.com").await;
    let ana_id = client_id(&app, "ana@example.com").await;
    let before = tickets_of(&app, ana_id).await.len();
    let dept = hosting_department(&app).await;

    let cases: Vec<(Form, &str)> = vec![
        (
            ticket_form(dept, "ok subject", "body")
                .part("attachments", file("big.zip", vec![7; 1024 * 1024 + 1])),
            "larger than allowed",
        ),
        (
            ticket_form(dept, "ok subject", "body").part("attachments", file("tool.exe", vec![1])),
            "cannot be attached",
        ),
        (
            ticket_form(dept, "ok subject", "body")
                .part("attachments", file("page.html", b"<script>".to_vec())),
            "cannot be attached",
        ),
        (ticket_form(dept, "", "body"), "subject of 3 to 200"),
        (ticket_form(dept, "ok subject", "   "), "up to 20,000"),
        (
            ticket_form(dept, "ok subject", &"x".repeat(20_001)),
            "up to 20,000",
        ),
        (
            ticket_form(9999, "ok subject", "body"),
            "listed departments",
        ),
    ];
    // Ben reads English.
    let ben = signed_in(&app, "ben@example.com").await;
    let ben_id = client_id(&app, "ben@example.com").await;
    for (form, says) in cases {
        let res = post(&app, &ben, "/tickets/new", form, true).await;
        assert_eq!(res.status().as_u16(), 422);
        let body: serde_json::Value = res.json().await.unwrap();
        assert!(
            body["error"].as_str().unwrap().contains(says),
            "{says}: {body}"
        );
    }
    assert!(tickets_of(&app, ben_id).await.is_empty());
    // Ana reads Spanish.
    let res = post(
        &app,
        &ana,
        "/tickets/new",
        ticket_form(dept, "ok subject", " "),
        true,
    )
    .await;
    let body: serde_json::Value = res.json().await.unwrap();
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .contains("Escribe un mensaje"),
        "{body}"
    );
    // Without JavaScript: back to the form, which says why.
    let res = post(
        &app,
        &ben,
        "/tickets/new",
        ticket_form(dept, "", "body"),
        false,
    )
    .await;
    assert_eq!(res.status().as_u16(), 303);
    let to = location(&res);
    assert!(to.starts_with("/tickets/new?error="), "{to}");
    let (_, html) = app.get_html(&ben, &to).await;
    assert!(
        html.contains("Write a subject of 3 to 200 characters"),
        "the form says why"
    );
    // Far beyond the body limit: refused before it is read.
    let res = post(
        &app,
        &ana,
        "/tickets/new",
        ticket_form(dept, "ok subject", "body")
            .part("attachments", file("huge.zip", vec![0; 8 * 1024 * 1024])),
        true,
    )
    .await;
    assert!(
        matches!(res.status().as_u16(), 413 | 422),
        "{}",
        res.status()
    );

    assert_eq!(
        tickets_of(&app, ana_id).await.len(),
        before,
        "nothing was written"
    );
    // A form from another site is refused.
    let res = ana
        .post(app.url("/tickets/new"))
        .header(header::ORIGIN, "https://evil.example")
        .multipart(ticket_form(dept, "ok subject", "body"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 403);
    assert_eq!(tickets_of(&app, ana_id).await.len(), before);
}

#[tokio::test]
async fn new_tickets_are_rate_limited_per_client() {
    let app = spawn_app_with(&[("PORTICO_TICKET_MAX_NEW_PER_HOUR", "2")]).await;
    let ana = signed_in(&app, "ana@example.com").await;
    open_ticket(&app, &ana, "one").await;
    open_ticket(&app, &ana, "two").await;
    let dept = hosting_department(&app).await;
    let res = post(
        &app,
        &ana,
        "/tickets/new",
        ticket_form(dept, "third", "three"),
        true,
    )
    .await;
    assert_eq!(res.status().as_u16(), 429);
    let ben = signed_in(&app, "ben@example.com").await;
    let res = post(
        &app,
        &ben,
        "/tickets/new",
        ticket_form(dept, "mine", "hello"),
        true,
    )
    .await;
    assert_eq!(res.status().as_u16(), 200);
    let body: serde_json::Value = res.json().await.unwrap();
    assert!(body["redirect"].as_str().unwrap().starts_with("/tickets/"));
}

/// Reads server-sent events until one names `ticket`, or gives up after `wait`.
async fn event_for(
    stream: &mut (impl futures_util::Stream<Item = reqwest::Result<bytes::Bytes>> + Unpin),
    ticket: i32,
    wait: Duration,
) -> bool {
    let needle = format!("\"ticket\":{ticket}");
    let mut seen = String::new();
    let deadline = tokio::time::Instant::now() + wait;
    while let Ok(Some(Ok(chunk))) = tokio::time::timeout_at(deadline, stream.next()).await {
        seen.push_str(&String::from_utf8_lossy(&chunk));
        if seen.contains(&needle) {
            return true;
        }
    }
    false
}

#[tokio::test]
async fn staff_replies_reach_the_client_live_and_by_email() {
    let app = spawn_app().await;
    let ana = signed_in(&app, "ana@example.com").await;
    let ben = signed_in(&app, "ben@example.com").await;
    let admin = signed_in(&app, "admin@example.com").await;
    let id = open_ticket(&app, &ana, "Help").await;

    let open_stream = |c: &Client| c.get(app.url("/live/tickets")).send();
    let ana_live = open_stream(&ana).await.unwrap();
    assert_eq!(
        ana_live.headers()[header::CONTENT_TYPE],
        "text/event-stream"
    );
    let mut ana_live = ana_live.bytes_stream();
    let mut ben_live = open_stream(&ben).await.unwrap().bytes_stream();

    // A client cannot post as staff.
    let res = post(
        &app,
        &ana,
        &format!("/staff/tickets/{id}/messages"),
        Form::new().text("body", "I am staff"),
        true,
    )
    .await;
    assert_eq!(res.status().as_u16(), 403);

    // An internal note: not on Ana's page, not emailed, not announced to her.
    let res = post(
        &app,
        &admin,
        &format!("/staff/tickets/{id}/messages"),
        Form::new()
            .text("body", "Secret note")
            .text("internal", "on"),
        false,
    )
    .await;
    assert_eq!(res.status().as_u16(), 303);
    let (_, html) = app.get_html(&ana, &format!("/tickets/{id}")).await;
    assert!(!html.contains("Secret note"));
    let (_, staff_html) = app.get_html(&admin, &format!("/staff/tickets/{id}")).await;
    assert!(staff_html.contains("Secret note"));

    let res = post(
        &app,
        &admin,
        &format!("/staff/tickets/{id}/messages"),
        Form::new()
            .text("body", "We restarted it.")
            .part("attachments", file("fix.png", vec![137, 80, 78, 71])),
        false,
    )
    .await;
    assert_eq!(location(&res), format!("/staff/tickets/{id}?replied=1"));
    assert!(
        event_for(&mut ana_live, id, Duration::from_secs(5)).await,
        "Ana is told live"
    );
    assert!(
        !event_for(&mut ben_live, id, Duration::from_millis(500)).await,
        "Ben is not"
    );

    let (_, html) = app.get_html(&ana, &format!("/tickets/{id}")).await;
    assert!(html.contains("We restarted it."));
    assert!(html.contains("fix.png"));
    let t = ticket::Entity::find_by_id(id)
        .one(&app.services.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(t.status, "answered");

    // One email, in Spanish, kept in her email history.
    let mails: Vec<String> = app
        .mail
        .to("ana@example.com")
        .into_iter()
        .filter(|m| m.contains("[Ticket #"))
        .collect();
    assert_eq!(mails.len(), 1, "the note was not emailed");
    assert!(mails[0].contains(&format!("[Ticket #{id}]")));
    let recorded = email::Entity::find()
        .filter(email::Column::ToAddress.eq("ana@example.com"))
        .filter(email::Column::Kind.eq("ticket_reply"))
        .all(&app.services.db)
        .await
        .unwrap();
    assert_eq!(recorded.len(), 1);
    assert_eq!(recorded[0].status, "sent");
    assert!(
        recorded[0].body_text.contains("ha respondido")
            && recorded[0].body_text.contains("We restarted it.")
    );
    let (_, history) = app.get_html(&ana, "/account/emails").await;
    assert!(history.contains(&format!("[Ticket #{id}]")));

    // Ana closes it; her reply opens it again.
    let res = app
        .call(&ana, "close_ticket", &[("id", &id.to_string())])
        .await;
    assert!(res.status().is_success() || res.status().is_redirection());
    let t = ticket::Entity::find_by_id(id)
        .one(&app.services.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(t.status, "closed");
    let res = post(
        &app,
        &ana,
        &format!("/tickets/{id}/messages"),
        Form::new().text("body", "It is down again"),
        true,
    )
    .await;
    assert_eq!(res.status().as_u16(), 200);
    let t = ticket::Entity::find_by_id(id)
        .one(&app.services.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(t.status, "customer_reply");
    assert!(event_for(&mut ana_live, id, Duration::from_secs(5)).await);
    assert_eq!(
        ticket_message::Entity::find()
            .filter(ticket_message::Column::TicketId.eq(id))
            .count(&app.services.db)
            .await
            .unwrap(),
        4
    );
}

#[tokio::test]
async fn staff_manage_the_queue_and_clients_cannot() {
    let app = spawn_app().await;
    let ana = signed_in(&app, "ana@example.com").await;
    let admin = signed_in(&app, "admin@example.com").await;
    let id = open_ticket(&app, &ana, "Queue me").await;
    let admin_id = client_id(&app, "admin@example.com").await;

    for (name, form) in [
        ("staff_ticket_queue", vec![]),
        ("staff_ticket", vec![("id", id.to_string())]),
        (
            "staff_update_ticket",
            vec![
                ("id", id.to_string()),
                ("status", "on_hold".into()),
                ("priority", "low".into()),
                ("department", "1".into()),
            ],
        ),
        ("staff_save_signature", vec![("signature", "x".into())]),
    ] {
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let res = app.call(&ana, name, &form).await;
        assert_eq!(res.status().as_u16(), 403, "{name}");
    }
    let res = app
        .call(
            &admin,
            "staff_update_ticket",
            &[
                ("id", &id.to_string()),
                ("status", "on_hold"),
                ("priority", "urgent"),
                ("department", "2"),
                ("assigned", &admin_id.to_string()),
            ],
        )
        .await;
    assert!(
        res.status().is_success() || res.status().is_redirection(),
        "{}",
        res.status()
    );
    let t = ticket::Entity::find_by_id(id)
        .one(&app.services.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (
            t.status.as_str(),
            t.priority.as_str(),
            t.department_id,
            t.assigned_to
        ),
        ("on_hold", "urgent", 2, Some(admin_id))
    );
    let ana_id = client_id(&app, "ana@example.com").await;
    let res = app
        .call(
            &admin,
            "staff_update_ticket",
            &[
                ("id", &id.to_string()),
                ("status", "bogus"),
                ("priority", "urgent"),
                ("department", "2"),
            ],
        )
        .await;
    assert_eq!(res.status().as_u16(), 422);
    let res = app
        .call(
            &admin,
            "staff_update_ticket",
            &[
                ("id", &id.to_string()),
                ("status", "open"),
                ("priority", "urgent"),
                ("department", "2"),
                ("assigned", &ana_id.to_string()),
            ],
        )
        .await;
    assert_eq!(res.status().as_u16(), 422, "only staff are assignees");

    // The queue filters: on hold and urgent finds it, closed does not.
    let res = app
        .call(
            &admin,
            "staff_ticket_queue",
            &[("status", "on_hold"), ("priority", "urgent")],
        )
        .await;
    let q: serde_json::Value = res.json().await.unwrap();
    assert!(q["list"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["id"] == id));
    let res = app
        .call(&admin, "staff_ticket_queue", &[("status", "closed")])
        .await;
    let q: serde_json::Value = res.json().await.unwrap();
    assert!(!q["list"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["id"] == id));
    let (status, html) = app.get_html(&admin, "/staff/tickets").await;
    assert_eq!(status, 200);
    assert!(html.contains("Queue me") || html.contains("Site is down"));

    // A canned response sent as it is (no JavaScript: empty box, response chosen), signed.
    let canned = domain::support::canned::list(&app.services.db)
        .await
        .unwrap()[0]
        .clone();
    let res = post(
        &app,
        &admin,
        &format!("/staff/tickets/{id}/messages"),
        Form::new()
            .text("body", "")
            .text("canned", canned.id.to_string()),
        false,
    )
    .await;
    assert_eq!(res.status().as_u16(), 303);
    let last = ticket_message::Entity::find()
        .filter(ticket_message::Column::TicketId.eq(id))
        .order_by_desc(ticket_message::Column::Id)
        .one(&app.services.db)
        .await
        .unwrap()
        .unwrap();
    assert!(
        last.body.starts_with(&canned.body) && last.body.ends_with("Portico support team"),
        "{}",
        last.body
    );
}

/// The one-time key a new-ticket form is given.
async fn form_key(app: &TestApp, client: &Client) -> String {
    let form: serde_json::Value = app
        .call(client, "ticket_form", &[])
        .await
        .json()
        .await
        .unwrap();
    form["form_key"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn the_new_ticket_form_sent_twice_opens_one_ticket() {
    let app = spawn_app().await;
    let ana = signed_in(&app, "ana@example.com").await;
    let ana_id = client_id(&app, "ana@example.com").await;
    let (status, html) = app.get_html(&ana, "/tickets/new").await;
    assert_eq!(status, 200);
    assert!(
        html.contains(r#"name="form_key""#),
        "the page carries a key"
    );
    let key = form_key(&app, &ana).await;
    let dept = hosting_department(&app).await;
    let before = tickets_of(&app, ana_id).await.len();
    let send = |json| {
        let form = ticket_form(dept, "Sent twice", "The back button").text("form_key", key.clone());
        post(&app, &ana, "/tickets/new", form, json)
    };
    let first = send(false).await;
    assert_eq!(first.status().as_u16(), 303);
    let again = send(false).await;
    assert_eq!(again.status().as_u16(), 303);
    assert_eq!(
        location(&again),
        location(&first),
        "back to the same ticket"
    );
    let by_fetch: serde_json::Value = send(true).await.json().await.unwrap();
    assert_eq!(by_fetch["redirect"].as_str().unwrap(), location(&first));
    assert_eq!(tickets_of(&app, ana_id).await.len(), before + 1);
    // A new form (a new key) is a new ticket.
    assert_ne!(form_key(&app, &ana).await, key);
}
