use crate::helpers::*;

fn reset_link(mail: &str) -> String {
    // Long lines arrive quoted-printable with soft breaks.
    let mail = mail.replace("=\n", "");
    let start = mail.find("http://").expect("link in email");
    mail[start..].split_whitespace().next().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forgotten_password_is_reset_once_through_the_emailed_link() {
    let app = spawn_app().await;
    let browser = app.client();
    let other_device = app.client();
    assert!(session_cookie(
        &app.sign_in(&other_device, "ben@example.com", DEMO_PASSWORD)
            .await
    )
    .is_some());

    let res = app
        .call(&browser, "forgot_password", &[("email", "ben@example.com")])
        .await;
    assert!(res.status().is_success() || res.status().is_redirection());
    let mails = app.mail.to("ben@example.com");
    assert_eq!(mails.len(), 1);
    let link = reset_link(&mails[0]);
    assert!(
        link.starts_with(&format!("{}/password/reset/", app.address)),
        "{link}"
    );
    let token = link.rsplit('/').next().unwrap();

    // Validation first: too short, then mismatched.
    let short = app
        .call(
            &browser,
            "reset_password",
            &[
                ("token", token),
                ("password", "short"),
                ("confirm", "short"),
            ],
        )
        .await;
    assert_eq!(short.status(), 422);
    let new = "a much better passphrase";
    let res = app
        .call(
            &browser,
            "reset_password",
            &[("token", token), ("password", new), ("confirm", new)],
        )
        .await;
    assert!(
        res.status().is_success() || res.status().is_redirection(),
        "{}",
        res.status()
    );
    assert_eq!(
        res.headers()
            .get(reqwest::header::LOCATION)
            .and_then(|v| v.to_str().ok()),
        Some("/login?password_reset=1")
    );
    let again = app
        .call(
            &browser,
            "reset_password",
            &[("token", token), ("password", new), ("confirm", new)],
        )
        .await;
    assert_eq!(again.status(), 422, "the link works once");

    // Every session ended; only the new password signs in.
    assert_eq!(
        other_device
            .get(app.url("/"))
            .send()
            .await
            .unwrap()
            .status(),
        303
    );
    assert_eq!(
        app.sign_in(&browser, "ben@example.com", DEMO_PASSWORD)
            .await
            .status(),
        422
    );
    assert!(session_cookie(&app.sign_in(&browser, "ben@example.com", new).await).is_some());

    // The emails are recorded for the client's history, and a notice followed the change.
    let kinds: Vec<String> = app
        .mail
        .to("ben@example.com")
        .iter()
        .map(|m| {
            m.lines()
                .find(|l| l.starts_with("Subject:"))
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    assert_eq!(kinds.len(), 2, "{kinds:?}");
    use domain::entities::email;
    use sea_orm::EntityTrait;
    // Only the password emails (the demo data has billing emails of its own).
    let recorded = email::Entity::find().all(&app.services.db).await.unwrap();
    assert_eq!(
        recorded
            .iter()
            .map(|e| e.kind.as_str())
            .filter(|k| k.starts_with("password"))
            .collect::<Vec<_>>(),
        ["password_reset", "password_changed"]
    );
    assert!(recorded
        .iter()
        .filter(|e| e.kind.starts_with("password"))
        .all(|e| e.status == "sent"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_addresses_get_no_email_and_no_hint() {
    let app = spawn_app().await;
    let c = app.client();
    let known = app
        .call(&c, "forgot_password", &[("email", "ben@example.com")])
        .await;
    let unknown = app
        .call(&c, "forgot_password", &[("email", "nobody@example.com")])
        .await;
    assert_eq!(known.status(), unknown.status());
    assert!(app.mail.to("nobody@example.com").is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_spanish_client_gets_the_email_in_spanish() {
    let app = spawn_app().await;
    app.call(
        &app.client(),
        "forgot_password",
        &[("email", "ana@example.com")],
    )
    .await;
    let mails = app.mail.to("ana@example.com");
    assert_eq!(mails.len(), 1);
    // The subject is encoded (non-ASCII); the recorded copy is plain.
    use domain::entities::email;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let recorded = email::Entity::find()
        .filter(email::Column::Kind.eq("password_reset"))
        .one(&app.services.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(recorded.language, "es");
    assert!(recorded.subject.contains("contraseña"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changing_the_password_needs_the_current_one_and_ends_other_sessions() {
    let app = spawn_app().await;
    let here = app.client();
    let elsewhere = app.client();
    app.sign_in(&here, "ben@example.com", DEMO_PASSWORD).await;
    app.sign_in(&elsewhere, "ben@example.com", DEMO_PASSWORD)
        .await;
    let new = "another fine passphrase";

    let wrong = app
        .call(
            &here,
            "change_password",
            &[
                ("current", "nope nope nope"),
                ("password", new),
                ("confirm", new),
            ],
        )
        .await;
    assert_eq!(wrong.status(), 422);
    let ok = app
        .call(
            &here,
            "change_password",
            &[
                ("current", DEMO_PASSWORD),
                ("password", new),
                ("confirm", new),
            ],
        )
        .await;
    assert_eq!(ok.status(), 200);

    assert_eq!(
        here.get(app.url("/")).send().await.unwrap().status(),
        200,
        "this session stays"
    );
    assert_eq!(
        elsewhere.get(app.url("/")).send().await.unwrap().status(),
        303,
        "others end"
    );
    let anonymous = app
        .call(
            &app.client(),
            "change_password",
            &[("current", new), ("password", new), ("confirm", new)],
        )
        .await;
    assert_eq!(anonymous.status(), 401);
}
