//! Cancellation requests and the staff provisioning queue through the real server functions.
use crate::helpers::*;
use domain::entities::{cancellation_request, provisioning_action, service};
use reqwest::{header, Client};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

/// Form fields of a server-function call.
type Fields<'a> = &'a [(&'a str, &'a str)];

async fn signed_in(app: &TestApp, email: &str) -> Client {
    let c = app.client();
    let res = app.sign_in(&c, email, DEMO_PASSWORD).await;
    assert!(session_cookie(&res).is_some(), "{email} signed in");
    c
}

async fn service_by_domain(app: &TestApp, domain: &str) -> service::Model {
    service::Entity::find()
        .filter(service::Column::Domain.eq(domain))
        .one(&app.services.db)
        .await
        .unwrap()
        .unwrap()
}

async fn requests_of(app: &TestApp, service_id: i32) -> Vec<cancellation_request::Model> {
    cancellation_request::Entity::find()
        .filter(cancellation_request::Column::ServiceId.eq(service_id))
        .all(&app.services.db)
        .await
        .unwrap()
}

async fn error_message(res: reqwest::Response) -> (u16, String) {
    let status = res.status().as_u16();
    (status, res.text().await.unwrap())
}

fn ok(res: &reqwest::Response) -> bool {
    res.status().is_success() || res.status().is_redirection()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_requests_and_withdraws_an_end_of_period_cancellation() {
    let app = spawn_app().await;
    let ben = signed_in(&app, "ben@example.com").await;
    let site = service_by_domain(&app, "bencarter.example").await;
    let id = site.id.to_string();

    let (status, html) = app.get_html(&ben, &format!("/services/{id}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Request cancellation"), "the form is offered");

    let form = [
        ("service_id", id.as_str()),
        ("kind", "end_of_period"),
        ("reason", "  Moving to a bigger provider  "),
        ("confirm", "on"),
    ];
    // As forms posted without JavaScript: a mistake is explained on the service page...
    let post = |form: Vec<(&'static str, String)>| {
        ben.post(app.url("/_fn/request_cancellation"))
            .header(header::ORIGIN, &app.address)
            .header(header::ACCEPT, "text/html")
            .header(header::REFERER, app.url(&format!("/services/{id}")))
            .form(&form)
            .send()
    };
    let owned = |f: &[(&'static str, &str)]| -> Vec<(&'static str, String)> {
        f.iter().map(|(k, v)| (*k, v.to_string())).collect()
    };
    let mut no_reason = owned(&form);
    no_reason[2].1 = " ".into();
    let res = post(no_reason).await.unwrap();
    assert!(res.status().is_redirection(), "{}", res.status());
    let back = res.headers()[header::LOCATION].to_str().unwrap().to_owned();
    assert!(back.contains(&format!("/services/{id}")), "{back}");
    let html = ben.get(&back).send().await.unwrap().text().await.unwrap();
    assert!(
        html.contains("Write a reason of 3 to 2,000 characters."),
        "{html}"
    );
    assert!(requests_of(&app, site.id).await.is_empty());

    // ...and a valid request goes back to the service page with a notice.
    let res = post(owned(&form)).await.unwrap();
    assert!(res.status().is_redirection(), "{}", res.status());
    assert_eq!(
        res.headers()[header::LOCATION],
        format!("/services/{id}?cancellation=requested").as_str()
    );
    let rows = requests_of(&app, site.id).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (rows[0].status.as_str(), rows[0].kind.as_str()),
        ("open", "end_of_period")
    );
    assert_eq!(rows[0].reason, "Moving to a bigger provider");
    assert_eq!(rows[0].effective_on, site.next_due_on);
    assert_eq!(
        service_by_domain(&app, "bencarter.example").await.status,
        "active"
    );

    let res = app
        .call(&ben, "get_cancellation", &[("service_id", &id)])
        .await;
    let open: serde_json::Value = res.json().await.unwrap();
    assert_eq!(open["kind"], "EndOfPeriod");
    assert_eq!(open["effective_on"], site.next_due_on.to_string());
    let (_, html) = app
        .get_html(&ben, &format!("/services/{id}?cancellation=requested"))
        .await;
    assert!(html.contains("Your cancellation request has been recorded."));
    assert!(html.contains("Cancels on"));
    assert!(html.contains("Moving to a bigger provider"));
    assert!(html.contains("Withdraw the cancellation request"));

    // A second open request is refused with a message, and nothing is written.
    let (status, body) = error_message(app.call(&ben, "request_cancellation", &form).await).await;
    assert_eq!(status, 409, "{body}");
    assert!(body.contains("CancellationOpen"), "{body}");
    assert_eq!(requests_of(&app, site.id).await.len(), 1);

    let res = app
        .call(&ben, "withdraw_cancellation", &[("service_id", &id)])
        .await;
    assert!(ok(&res), "{}", res.status());
    assert_eq!(requests_of(&app, site.id).await[0].status, "withdrawn");
    let res = app
        .call(&ben, "get_cancellation", &[("service_id", &id)])
        .await;
    assert_eq!(
        res.json::<serde_json::Value>().await.unwrap(),
        serde_json::Value::Null
    );
    // Nothing left to withdraw.
    let res = app
        .call(&ben, "withdraw_cancellation", &[("service_id", &id)])
        .await;
    assert_eq!(res.status(), 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_or_foreign_requests_are_refused_and_write_nothing() {
    let app = spawn_app().await;
    let ben = signed_in(&app, "ben@example.com").await;
    let site = service_by_domain(&app, "bencarter.example").await;
    let anas = service_by_domain(&app, "tienda-ana.example").await;
    let id = site.id.to_string();
    let before = cancellation_request::Entity::find()
        .count(&app.services.db)
        .await
        .unwrap();
    let cases: [(Fields, u16, &str); 5] = [
        (
            &[("kind", "immediate"), ("reason", "   "), ("confirm", "on")],
            422,
            "CancellationReason",
        ),
        (
            &[
                ("kind", "tomorrow"),
                ("reason", "Too expensive"),
                ("confirm", "on"),
            ],
            422,
            "CancellationKind",
        ),
        (
            &[("reason", "Too expensive"), ("confirm", "on")],
            422,
            "CancellationKind",
        ),
        (
            &[("kind", "immediate"), ("reason", "Too expensive")],
            422,
            "CancellationConfirm",
        ),
        (
            &[("kind", "immediate"), ("reason", "ab"), ("confirm", "on")],
            422,
            "CancellationReason",
        ),
    ];
    for (fields, want, kind) in cases {
        let mut form = vec![("service_id", id.as_str())];
        form.extend_from_slice(fields);
        let (status, body) =
            error_message(app.call(&ben, "request_cancellation", &form).await).await;
        assert_eq!(
            (status, body.contains(kind)),
            (want, true),
            "{form:?}: {body}"
        );
    }

    // Another client's service answers like a missing one.
    let other = anas.id.to_string();
    let form = [
        ("service_id", other.as_str()),
        ("kind", "immediate"),
        ("reason", "Not my service"),
        ("confirm", "on"),
    ];
    assert_eq!(
        app.call(&ben, "request_cancellation", &form).await.status(),
        404
    );
    assert_eq!(
        app.call(&ben, "get_cancellation", &[("service_id", &other)])
            .await
            .status(),
        404
    );
    assert_eq!(
        app.call(&ben, "withdraw_cancellation", &[("service_id", &other)])
            .await
            .status(),
        404
    );
    // Signed out: 401.
    assert_eq!(
        app.call(&app.client(), "request_cancellation", &form)
            .await
            .status(),
        401
    );
    assert_eq!(
        cancellation_request::Entity::find()
            .count(&app.services.db)
            .await
            .unwrap(),
        before
    );
    assert_eq!(service_by_domain(&app, "tienda-ana.example").await, anas);

    // A terminated service offers nothing to cancel and refuses a request.
    let ana = signed_in(&app, "ana@example.com").await;
    let ended = service_by_domain(&app, "antigua-web.example").await;
    let (status, html) = app.get_html(&ana, &format!("/services/{}", ended.id)).await;
    assert_eq!(status, 200);
    assert!(!html.contains("Solicitar la cancelación"));
    let ended_id = ended.id.to_string();
    let form = [
        ("service_id", ended_id.as_str()),
        ("kind", "immediate"),
        ("reason", "Already gone"),
        ("confirm", "on"),
    ];
    let (status, body) = error_message(app.call(&ana, "request_cancellation", &form).await).await;
    assert_eq!(status, 409, "{body}");
    assert!(body.contains("ServiceStatus"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn immediate_cancellation_cancels_now_and_queues_the_panel_work_for_staff() {
    let app = spawn_app().await;
    let ana = signed_in(&app, "ana@example.com").await;
    let shop = service_by_domain(&app, "tienda-ana.example").await;
    let id = shop.id.to_string();
    let form = [
        ("service_id", id.as_str()),
        ("kind", "immediate"),
        ("reason", "Cerramos la tienda"),
        ("confirm", "on"),
    ];
    let res = app.call(&ana, "request_cancellation", &form).await;
    assert!(ok(&res), "{}", res.status());
    assert_eq!(
        service_by_domain(&app, "tienda-ana.example").await.status,
        "cancelled"
    );
    let requests = requests_of(&app, shop.id).await;
    assert_eq!((requests.len(), requests[0].status.as_str()), (1, "done"));
    let actions = provisioning_action::Entity::find()
        .filter(provisioning_action::Column::ServiceId.eq(shop.id))
        .all(&app.services.db)
        .await
        .unwrap();
    assert_eq!(actions.len(), 1);
    assert_eq!(
        (actions[0].action.as_str(), actions[0].status.as_str()),
        ("terminate", "pending")
    );

    // Staff see the deletion to do, mark it done, and it leaves the queue.
    let staff = signed_in(&app, "admin@example.com").await;
    let queue: serde_json::Value = app
        .call(&staff, "staff_provisioning_queue", &[])
        .await
        .json()
        .await
        .unwrap();
    let item = queue["actions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["domain"] == "tienda-ana.example")
        .expect("in the staff queue")
        .clone();
    assert_eq!(item["action"], "Terminate");
    assert_eq!(item["client_email"], "ana@example.com");
    let action_id = item["id"].to_string();
    let res = app
        .call(&staff, "staff_action_done", &[("id", &action_id)])
        .await;
    assert!(ok(&res), "{}", res.status());
    let (status, body) = error_message(
        app.call(&staff, "staff_action_done", &[("id", &action_id)])
            .await,
    )
    .await;
    assert_eq!(status, 409, "{body}");
    let (status, html) = app.get_html(&staff, "/staff/provisioning").await;
    assert_eq!(status, 200);
    assert!(!html.contains("tienda-ana.example"));
    assert!(
        html.contains("blog-ana.example"),
        "demo: a pending suspension"
    );
    assert!(
        html.contains(domain::demo::BEN_CANCELLING_DOMAIN),
        "demo: an open request"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_staff_can_use_the_provisioning_queue() {
    let app = spawn_app().await;
    let shop = service_by_domain(&app, domain::demo::BEN_CANCELLING_DOMAIN).await;
    let request_id = requests_of(&app, shop.id).await[0].id.to_string();
    let pending_id = provisioning_action::Entity::find()
        .one(&app.services.db)
        .await
        .unwrap()
        .unwrap()
        .id
        .to_string();
    let calls: [(&str, Vec<(&str, &str)>); 3] = [
        ("staff_provisioning_queue", vec![]),
        ("staff_action_done", vec![("id", &pending_id)]),
        ("staff_cancel_now", vec![("id", &request_id)]),
    ];
    let ben = signed_in(&app, "ben@example.com").await;
    let anonymous = app.client();
    for (name, form) in &calls {
        assert_eq!(app.call(&ben, name, form).await.status(), 403, "{name}");
        assert_eq!(
            app.call(&anonymous, name, form).await.status(),
            401,
            "{name}"
        );
    }
    let (status, html) = app.get_html(&ben, "/staff/provisioning").await;
    assert_eq!(status, 403);
    assert!(html.contains("Not allowed"));
    assert_eq!(requests_of(&app, shop.id).await[0].status, "open");

    // Staff may carry an open request out now.
    let staff = signed_in(&app, "admin@example.com").await;
    let (_, home) = app.get_html(&staff, "/staff").await;
    assert!(home.contains(r#"href="/staff/provisioning""#));
    let res = app
        .call(&staff, "staff_cancel_now", &[("id", &request_id)])
        .await;
    assert!(ok(&res), "{}", res.status());
    assert_eq!(
        service_by_domain(&app, domain::demo::BEN_CANCELLING_DOMAIN)
            .await
            .status,
        "cancelled"
    );
    assert_eq!(requests_of(&app, shop.id).await[0].status, "done");
}
