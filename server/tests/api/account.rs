//! Profile, login email change, contacts with permissions and two-factor sign-in, over HTTP
//! against the real server, with the SMTP sink for the emailed links.
use crate::helpers::*;
use reqwest::{header, Client, Response};

async fn recorded_email(app: &TestApp, kind: &str) -> domain::entities::email::Model {
    use domain::entities::email;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    email::Entity::find()
        .filter(email::Column::Kind.eq(kind))
        .order_by_desc(email::Column::Id)
        .one(&app.services.db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no {kind} email"))
}

fn ok(res: &Response) -> bool {
    res.status().is_success() || res.status().is_redirection()
}

async fn signed_in(app: &TestApp, email: &str, password: &str) -> Client {
    let c = app.client();
    let res = app.sign_in(&c, email, password).await;
    assert!(
        session_cookie(&res).is_some(),
        "{email} signed in: {}",
        res.status()
    );
    c
}

async fn cannot_sign_in(app: &TestApp, email: &str, password: &str) {
    let res = app.sign_in(&app.client(), email, password).await;
    assert!(session_cookie(&res).is_none(), "{email} should not sign in");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_login_email_changes_only_from_the_confirmation_link() {
    let app = spawn_app().await;
    let ben = signed_in(&app, "ben@example.com", DEMO_PASSWORD).await;
    // Another account's address: refused without saying whose.
    let res = app
        .call(
            &ben,
            "request_email_change",
            &[
                ("new_email", "ana@example.com"),
                ("password", DEMO_PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let body = res.text().await.unwrap();
    assert!(
        body.contains("EmailTaken") && !body.to_lowercase().contains("ana"),
        "{body}"
    );
    // The current password is needed.
    let res = app
        .call(
            &ben,
            "request_email_change",
            &[("new_email", "ben@new.example"), ("password", "wrong")],
        )
        .await;
    assert_eq!(res.status(), 422);

    let res = app
        .call(
            &ben,
            "request_email_change",
            &[
                ("new_email", "Ben@New.Example"),
                ("password", DEMO_PASSWORD),
            ],
        )
        .await;
    assert!(ok(&res), "{}", res.status());
    let mails = app.mail.to("ben@new.example");
    assert_eq!(mails.len(), 1, "the link goes to the new address");
    let link = link_in(&mails[0], "/email/confirm/");
    assert!(
        link.starts_with(&format!("{}/email/confirm/", app.address)),
        "{link}"
    );
    // The account page says a change is waiting.
    let (_, html) = app.get_html(&ben, "/account").await;
    assert!(html.contains("ben@new.example"), "pending change shown");
    // Until confirmed, the old address signs in and the new one does not.
    cannot_sign_in(&app, "ben@new.example", DEMO_PASSWORD).await;
    signed_in(&app, "ben@example.com", DEMO_PASSWORD).await;

    // The link opens signed out (another device) and confirms with its button.
    let stranger = app.client();
    let (status, html) = app
        .get_html(
            &stranger,
            &format!("/email/confirm/{}", last_segment(&link)),
        )
        .await;
    assert_eq!(status, 200);
    assert!(html.contains("Confirm the new address"), "{html}");
    let res = app
        .call(
            &stranger,
            "confirm_email_change",
            &[("token", last_segment(&link))],
        )
        .await;
    assert!(ok(&res), "{}", res.status());

    signed_in(&app, "ben@new.example", DEMO_PASSWORD).await;
    cannot_sign_in(&app, "ben@example.com", DEMO_PASSWORD).await;
    let told = app.mail.to("ben@example.com");
    assert!(
        told.iter()
            .any(|m| m.contains("email address was changed") && m.contains("ben@new.example")),
        "the old address is told"
    );
    // Spent.
    let again = app
        .call(
            &stranger,
            "confirm_email_change",
            &[("token", last_segment(&link))],
        )
        .await;
    assert_eq!(again.status(), 422);
    // Invoices issued from now on go to the new address (the profile is the source).
    let (_, html) = app.get_html(&ben, "/account").await;
    assert!(html.contains("ben@new.example"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn profile_details_are_validated_and_saved_by_the_owner() {
    let app = spawn_app().await;
    let ben = signed_in(&app, "ben@example.com", DEMO_PASSWORD).await;
    let form = |vat: &'static str, country: &'static str| {
        vec![
            ("name", "Ben Baker"),
            ("company", "Baker Ltd"),
            ("address", "1 High Street"),
            ("postcode", "10115"),
            ("region", "Berlin"),
            ("country", country),
            ("vat_id", vat),
            ("phone", "+49 30 1234567"),
            ("language", "en"),
        ]
    };
    let res = app
        .call(&ben, "save_profile", &form("DE12345678", "DE"))
        .await;
    assert_eq!(res.status(), 422, "one digit short for Germany");
    assert!(res.text().await.unwrap().contains("VatId"));
    let res = app.call(&ben, "save_profile", &form("", "XX")).await;
    assert_eq!(res.status(), 422);
    let res = app
        .call(&ben, "save_profile", &form("de 123 456 789", "DE"))
        .await;
    assert!(ok(&res), "{}", res.status());
    let p: serde_json::Value = app
        .call(&ben, "get_profile", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(p["vat_id"], "DE123456789");
    assert_eq!(p["company"], "Baker Ltd");
    assert_eq!(p["country"], "DE");
    let (_, html) = app.get_html(&ben, "/account").await;
    assert!(
        html.contains("Baker Ltd") && html.contains("Germany"),
        "the form shows what was saved"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_contact_with_ticket_permission_only_cannot_see_invoices() {
    let app = spawn_app().await;
    let ana = signed_in(&app, "ana@example.com", DEMO_PASSWORD).await;
    let ana_id = client_id(&app, "ana@example.com").await;
    let invoice = unpaid_of(&app, ana_id).await;
    let res = app
        .call(
            &ana,
            "invite_contact",
            &[
                ("name", "Carla Ruiz"),
                ("email", "carla@example.com"),
                ("tickets", "on"),
            ],
        )
        .await;
    assert!(ok(&res), "{}", res.status());
    // The same address twice, or another account's: refused.
    let res = app
        .call(
            &ana,
            "invite_contact",
            &[
                ("name", "X"),
                ("email", "ben@example.com"),
                ("tickets", "on"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let res = app
        .call(
            &ana,
            "invite_contact",
            &[("name", "X"), ("email", "x@example.com")],
        )
        .await;
    assert_eq!(res.status(), 422, "no permission chosen");

    // Carla chooses her password from the invitation (in Ana's language). The raw Spanish
    // message may be encoded, so the link is read from the recorded copy.
    assert_eq!(app.mail.to("carla@example.com").len(), 1);
    let recorded = recorded_email(&app, "contact_invitation").await;
    assert_eq!(
        (recorded.to_address.as_str(), recorded.language.as_str()),
        ("carla@example.com", "es")
    );
    assert!(
        recorded.subject.contains("te ha invitado"),
        "{}",
        recorded.subject
    );
    let link = link_in(&recorded.body_text, "/password/welcome/");
    // The link opens, signed out, a page for choosing a first password.
    let (status, html) = app
        .get_html(&app.client(), &link.replace(&app.address, ""))
        .await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Welcome: choose your password")
            || html.contains("Bienvenido: elige tu contraseña"),
        "{html}"
    );
    let pw = "carla's own passphrase";
    let res = app
        .call(
            &app.client(),
            "reset_password",
            &[
                ("token", last_segment(&link)),
                ("password", pw),
                ("confirm", pw),
                ("welcome", "1"),
            ],
        )
        .await;
    assert!(ok(&res), "{}", res.status());
    // The sign-in page then says the password is set (not that it was changed).
    assert_eq!(
        res.headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok()),
        Some("/login?password_set=1")
    );
    let carla = signed_in(&app, "carla@example.com", pw).await;

    // Tickets: Ana's, seen by Carla.
    let res = app.call(&carla, "ticket_list", &[]).await;
    assert_eq!(res.status(), 200);
    let tickets = res.text().await.unwrap();
    assert!(
        tickets.contains(domain::demo::ANA_ANSWERED_SUBJECT),
        "{tickets}"
    );
    // Her reply is in her own name, on Ana's ticket.
    let ticket = {
        use domain::entities::ticket;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        ticket::Entity::find()
            .filter(ticket::Column::Subject.eq(domain::demo::ANA_ANSWERED_SUBJECT))
            .one(&app.services.db)
            .await
            .unwrap()
            .unwrap()
    };
    let form = reqwest::multipart::Form::new().text("body", "Carla here: still happening.");
    let res = carla
        .post(app.url(&format!("/tickets/{}/messages", ticket.id)))
        .header(header::ORIGIN, &app.address)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let thread: serde_json::Value = app
        .call(&carla, "ticket_thread", &[("id", &ticket.id.to_string())])
        .await
        .json()
        .await
        .unwrap();
    let last = thread["messages"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["author_name"], "Carla Ruiz", "{last}");
    assert_eq!(ticket.client_id, ana_id);
    // Invoices: not by server function, not by page, not by PDF.
    for (name, args) in [
        ("list_invoices", vec![]),
        ("get_invoice", vec![("id", invoice.id.to_string())]),
        ("get_credit", vec![]),
        ("get_cards", vec![]),
        ("list_services", vec![]),
        (
            "invite_contact",
            vec![
                ("name", "Y".to_string()),
                ("email", "y@example.com".to_string()),
                ("tickets", "on".to_string()),
            ],
        ),
    ] {
        let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let res = app.call(&carla, name, &args).await;
        assert_eq!(res.status(), 403, "{name}");
    }
    let number = invoice.number.clone().unwrap();
    for path in [
        "/invoices".to_string(),
        format!("/invoices/{}", invoice.id),
        "/".to_string(),
    ] {
        let (_, html) = app.get_html(&carla, &path).await;
        assert!(!html.contains(&number), "{path} shows no invoice");
    }
    let pdf = carla
        .get(app.url(&format!("/invoices/{}/pdf", invoice.id)))
        .send()
        .await
        .unwrap();
    assert_eq!(pdf.status(), 403);
    let export = carla.get(app.url("/account/export")).send().await.unwrap();
    assert_eq!(export.status(), 403);
    let res = app
        .call(
            &carla,
            "save_profile",
            &[
                ("name", "Hacked"),
                ("company", ""),
                ("address", ""),
                ("postcode", ""),
                ("region", ""),
                ("country", ""),
                ("vat_id", ""),
                ("phone", ""),
                ("language", "es"),
            ],
        )
        .await;
    assert_eq!(res.status(), 403, "the owner's details are the owner's");
    // Ana still sees her invoice; Ben sees nothing of Carla.
    let (_, html) = app.get_html(&ana, "/invoices").await;
    assert!(html.contains(&number));
    let ben = signed_in(&app, "ben@example.com", DEMO_PASSWORD).await;
    let list: serde_json::Value = app
        .call(&ben, "list_contacts", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["contacts"].as_array().unwrap().len(), 0);

    // Given invoices, she sees them at her next request.
    let list: serde_json::Value = app
        .call(&ana, "list_contacts", &[])
        .await
        .json()
        .await
        .unwrap();
    let carla_id = list["contacts"][0]["id"].as_i64().unwrap().to_string();
    assert_eq!(list["contacts"][0]["pending"], false);
    let res = app.call(&ben, "remove_contact", &[("id", &carla_id)]).await;
    assert_eq!(res.status(), 404, "Ben cannot remove Ana's contact");
    let res = app
        .call(
            &ana,
            "update_contact",
            &[("id", &carla_id), ("tickets", "on"), ("invoices", "on")],
        )
        .await;
    assert!(ok(&res));
    assert_eq!(app.call(&carla, "list_invoices", &[]).await.status(), 200);

    // Removed: her session ends.
    let res = app.call(&ana, "remove_contact", &[("id", &carla_id)]).await;
    assert!(ok(&res));
    let res = carla.get(app.url("/tickets")).send().await.unwrap();
    assert!(res.status().is_redirection(), "{}", res.status());
    assert!(res.headers()[header::LOCATION]
        .to_str()
        .unwrap()
        .starts_with("/login"));
    cannot_sign_in(&app, "carla@example.com", pw).await;
}

fn current_code(secret: &str) -> String {
    code_in(secret, 0)
}

/// The app's code `seconds` from now (30: the next one, which the server accepts already).
fn code_in(secret: &str, seconds: i64) -> String {
    let raw = domain::accounts::totp::decode_secret(secret).expect("base32 secret");
    domain::accounts::totp::code_at(
        &raw,
        chrono::Utc::now() + chrono::Duration::seconds(seconds),
    )
}

/// Signs in with the password and answers the code step; the session cookie, if any.
async fn sign_in_with_code(app: &TestApp, email: &str, code: &str) -> (Response, Client) {
    let c = app.client();
    let res = app.sign_in(&c, email, DEMO_PASSWORD).await;
    assert!(ok(&res), "{}", res.status());
    assert!(session_cookie(&res).is_none(), "no session before the code");
    let res = app.call(&c, "verify_sign_in", &[("code", code)]).await;
    (res, c)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_factor_sign_in_with_an_app_code_and_recovery_codes() {
    let app = spawn_app().await;
    let ben = signed_in(&app, "ben@example.com", DEMO_PASSWORD).await;
    assert!(ok(&app.call(&ben, "start_two_factor", &[]).await));
    let state: serde_json::Value = app
        .call(&ben, "two_factor_state", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(state["on"], false);
    let secret = state["setup"]["secret"].as_str().unwrap().to_owned();
    assert!(state["setup"]["qr"]
        .as_str()
        .unwrap()
        .starts_with("data:image/svg+xml;base64,"));
    let (_, html) = app.get_html(&ben, "/account/security").await;
    assert!(html.contains(&secret), "the key is shown to type in");
    // The recovery codes are on the set-up page itself, so they are seen without JavaScript.
    let shown: Vec<String> =
        serde_json::from_value(state["setup"]["recovery_codes"].clone()).unwrap();
    assert_eq!(shown.len(), 10);
    assert!(shown.iter().all(|c| html.contains(c.as_str())));
    // A wrong code does not turn it on.
    assert_eq!(
        app.call(&ben, "enable_two_factor", &[("code", "000000")])
            .await
            .status(),
        422
    );
    let first = current_code(&secret);
    let res = app
        .call(&ben, "enable_two_factor", &[("code", &first)])
        .await;
    assert_eq!(res.status(), 200);
    let codes: Vec<String> = res.json().await.unwrap();
    assert_eq!(codes, shown, "the codes written down are the ones in force");

    // The password alone: no session, sent to the code step.
    let c = app.client();
    let res = app.sign_in(&c, "ben@example.com", DEMO_PASSWORD).await;
    assert!(session_cookie(&res).is_none());
    let (_, html) = app.get_html(&c, "/invoices").await;
    assert!(!html.contains("Invoices</h1>"), "not signed in yet");
    let (status, html) = app.get_html(&c, "/login/code").await;
    assert_eq!(status, 200);
    assert!(html.contains("Enter your sign-in code"));
    assert_eq!(
        app.call(&c, "verify_sign_in", &[("code", "123456")])
            .await
            .status(),
        422
    );
    // Each code works once: the one that turned it on does not sign in.
    assert_eq!(
        app.call(&c, "verify_sign_in", &[("code", &first)])
            .await
            .status(),
        422
    );
    let next = code_in(&secret, 30);
    let res = app.call(&c, "verify_sign_in", &[("code", &next)]).await;
    assert!(
        session_cookie(&res).is_some(),
        "signed in with the app's code"
    );
    assert_eq!(app.get_html(&c, "/invoices").await.0, 200);
    let (res, _) = sign_in_with_code(&app, "ben@example.com", &next).await;
    assert!(session_cookie(&res).is_none(), "the same code again");
    assert_eq!(res.status(), 422);

    // A recovery code works once.
    let (res, _) = sign_in_with_code(&app, "ben@example.com", &codes[3]).await;
    assert!(session_cookie(&res).is_some(), "recovery code signs in");
    let (res, _) = sign_in_with_code(&app, "ben@example.com", &codes[3]).await;
    assert!(
        session_cookie(&res).is_none(),
        "the same recovery code again"
    );
    assert_eq!(res.status(), 422);
    // The code step without the password step first.
    let res = app
        .call(
            &app.client(),
            "verify_sign_in",
            &[("code", &current_code(&secret))],
        )
        .await;
    assert!(session_cookie(&res).is_none());

    // Off with the password only.
    assert_eq!(
        app.call(&ben, "disable_two_factor", &[("totp_password", "wrong")])
            .await
            .status(),
        422
    );
    assert!(ok(&app
        .call(
            &ben,
            "disable_two_factor",
            &[("totp_password", DEMO_PASSWORD)]
        )
        .await));
    signed_in(&app, "ben@example.com", DEMO_PASSWORD).await;
    let mails = app.mail.to("ben@example.com");
    assert!(mails.iter().any(|m| m.contains("Two-factor sign-in is on")));
    assert!(mails
        .iter()
        .any(|m| m.contains("Two-factor sign-in was turned off")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_can_require_two_factor_sign_in_for_staff() {
    let app = spawn_app().await;
    let admin = signed_in(&app, "admin@example.com", DEMO_PASSWORD).await;
    let ben = signed_in(&app, "ben@example.com", DEMO_PASSWORD).await;
    assert_eq!(
        app.call(&ben, "set_staff_two_factor", &[("require", "on")])
            .await
            .status(),
        403
    );
    assert!(ok(&app
        .call(&admin, "set_staff_two_factor", &[("require", "on")])
        .await));
    // Staff pages and functions now wait for the admin's own set-up; clients are unaffected.
    let res = app.call(&admin, "staff_ticket_queue", &[]).await;
    assert_eq!(res.status(), 409);
    assert!(res.text().await.unwrap().contains("TwoFactorRequired"));
    assert_eq!(app.call(&ben, "list_invoices", &[]).await.status(), 200);
    let (_, html) = app.get_html(&admin, "/account/security").await;
    assert!(
        html.contains("Staff accounts must use two-factor sign-in"),
        "told where to go"
    );
    app.call(&admin, "start_two_factor", &[]).await;
    let state: serde_json::Value = app
        .call(&admin, "two_factor_state", &[])
        .await
        .json()
        .await
        .unwrap();
    let secret = state["setup"]["secret"].as_str().unwrap().to_owned();
    let res = app
        .call(
            &admin,
            "enable_two_factor",
            &[("code", &current_code(&secret))],
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        app.call(&admin, "staff_ticket_queue", &[]).await.status(),
        200
    );
}
