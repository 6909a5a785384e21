use super::*;
use crate::{
    demo::{self, BEN_CANCELLING_DOMAIN},
    entities::provisioning_action,
    test_support::{demo_service, services_on_memory_db},
    Services,
};
use chrono::Duration;
use sea_orm::PaginatorTrait;

async fn demo_db() -> Services {
    let svc = services_on_memory_db().await;
    demo::load(&svc, false).await.unwrap();
    svc
}

fn reason(s: &str) -> CancellationReason {
    CancellationReason::parse(s).unwrap()
}

async fn status_of(svc: &Services, id: i32) -> String {
    service::Entity::find_by_id(id)
        .one(&svc.db)
        .await
        .unwrap()
        .unwrap()
        .status
}

async fn count_requests(svc: &Services) -> u64 {
    request::Entity::find().count(&svc.db).await.unwrap()
}

async fn count_actions(svc: &Services, service_id: i32) -> u64 {
    provisioning_action::Entity::find()
        .filter(provisioning_action::Column::ServiceId.eq(service_id))
        .count(&svc.db)
        .await
        .unwrap()
}

#[test]
fn input_is_parsed() {
    assert_eq!(
        CancellationKind::parse("end_of_period"),
        Ok(CancellationKind::EndOfPeriod)
    );
    assert_eq!(
        CancellationKind::parse("later"),
        Err(Invalid::CancellationKind)
    );
    assert_eq!(reason("  Too expensive \n").as_str(), "Too expensive");
    for bad in ["", "   ", "ab", " ab ", &"x".repeat(2001)] {
        assert_eq!(
            CancellationReason::parse(bad),
            Err(Invalid::CancellationReason)
        );
    }
    assert!(CancellationReason::parse(&"ñ".repeat(2000)).is_ok());
}

#[tokio::test]
async fn end_of_period_request_is_open_until_withdrawn() {
    end_of_period_request_is_open_until_withdrawn_on(demo_db().await).await;
}

#[tokio::test]
#[ignore = "needs PostgreSQL: PORTICO_TEST_PG_URL"]
async fn end_of_period_request_is_open_until_withdrawn_on_postgres() {
    let svc = crate::test_support::services_on_fresh_postgres("cancel_eop").await;
    demo::load(&svc, false).await.unwrap();
    end_of_period_request_is_open_until_withdrawn_on(svc).await;
}

async fn end_of_period_request_is_open_until_withdrawn_on(svc: Services) {
    let now = svc.now();
    let shop = demo_service(&svc, "tienda-ana.example").await;
    let ana = shop.client_id;
    assert_eq!(open_request(&svc.db, ana, shop.id).await.unwrap(), None);

    let r = request_cancellation(
        &svc.db,
        ana,
        shop.id,
        CancellationKind::EndOfPeriod,
        &reason("Moving elsewhere"),
        now,
    )
    .await
    .unwrap();
    assert_eq!(
        (r.status, r.effective_on, r.reason.as_str()),
        (
            CancellationStatus::Open,
            shop.next_due_on,
            "Moving elsewhere"
        )
    );
    assert_eq!(
        status_of(&svc, shop.id).await,
        "active",
        "not cancelled yet"
    );
    assert_eq!(
        open_request(&svc.db, ana, shop.id).await.unwrap(),
        Some(r.clone())
    );

    // One open request per service, whatever its kind.
    for kind in [CancellationKind::EndOfPeriod, CancellationKind::Immediate] {
        let again = request_cancellation(&svc.db, ana, shop.id, kind, &reason("Again"), now).await;
        assert!(
            matches!(again, Err(DomainError::Refused(Refused::CancellationOpen))),
            "{again:?}"
        );
    }
    assert_eq!(status_of(&svc, shop.id).await, "active");

    withdraw(&svc.db, ana, shop.id, now).await.unwrap();
    assert_eq!(open_request(&svc.db, ana, shop.id).await.unwrap(), None);
    assert!(matches!(
        withdraw(&svc.db, ana, shop.id, now).await,
        Err(DomainError::NotFound)
    ));
    // After withdrawing, the client may ask again.
    request_cancellation(
        &svc.db,
        ana,
        shop.id,
        CancellationKind::EndOfPeriod,
        &reason("Changed my mind again"),
        now,
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn the_database_allows_one_open_request_per_service() {
    let svc = demo_db().await;
    let shop = demo_service(&svc, BEN_CANCELLING_DOMAIN).await;
    let dup = request::ActiveModel {
        service_id: Set(shop.id),
        client_id: Set(shop.client_id),
        kind: Set("immediate".into()),
        reason: Set("duplicate".into()),
        status: Set("open".into()),
        effective_on: Set(shop.next_due_on),
        created_at: Set(svc.now()),
        ..Default::default()
    }
    .insert(&svc.db)
    .await;
    assert!(dup.is_err(), "partial unique index");
}

#[tokio::test]
async fn immediate_cancellation_goes_through_the_module() {
    immediate_cancellation_goes_through_the_module_on(demo_db().await).await;
}

#[tokio::test]
#[ignore = "needs PostgreSQL: PORTICO_TEST_PG_URL"]
async fn immediate_cancellation_goes_through_the_module_on_postgres() {
    let svc = crate::test_support::services_on_fresh_postgres("cancel_now").await;
    demo::load(&svc, false).await.unwrap();
    immediate_cancellation_goes_through_the_module_on(svc).await;
}

async fn immediate_cancellation_goes_through_the_module_on(svc: Services) {
    let now = svc.now();
    let blog = demo_service(&svc, "blog-ana.example").await; // suspended
    let actions = count_actions(&svc, blog.id).await;
    let r = request_cancellation(
        &svc.db,
        blog.client_id,
        blog.id,
        CancellationKind::Immediate,
        &reason("No longer needed"),
        now,
    )
    .await
    .unwrap();
    assert_eq!(
        (r.status, r.effective_on),
        (CancellationStatus::Done, now.date_naive())
    );
    assert_eq!(status_of(&svc, blog.id).await, "cancelled");
    assert_eq!(count_actions(&svc, blog.id).await, actions + 1);
    let last = provisioning_action::Entity::find()
        .filter(provisioning_action::Column::ServiceId.eq(blog.id))
        .order_by_desc(provisioning_action::Column::Id)
        .one(&svc.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (last.action.as_str(), last.status.as_str(), last.actor_id),
        ("terminate", "pending", Some(blog.client_id))
    );
    // Nothing left to cancel.
    let again = request_cancellation(
        &svc.db,
        blog.client_id,
        blog.id,
        CancellationKind::Immediate,
        &reason("Again"),
        now,
    )
    .await;
    assert!(matches!(
        again,
        Err(DomainError::Refused(Refused::ServiceStatus))
    ));
}

#[tokio::test]
async fn clients_reach_only_their_own_live_services() {
    let svc = demo_db().await;
    let now = svc.now();
    let anas = demo_service(&svc, "tienda-ana.example").await;
    let ben = demo_service(&svc, "bencarter.example").await.client_id;
    let before = count_requests(&svc).await;
    let kind = CancellationKind::Immediate;
    assert!(matches!(
        request_cancellation(&svc.db, ben, anas.id, kind, &reason("Not mine"), now).await,
        Err(DomainError::NotFound)
    ));
    assert!(matches!(
        open_request(&svc.db, ben, anas.id).await,
        Err(DomainError::NotFound)
    ));
    let bens_shop = demo_service(&svc, BEN_CANCELLING_DOMAIN).await;
    let ana = anas.client_id;
    assert!(matches!(
        withdraw(&svc.db, ana, bens_shop.id, now).await,
        Err(DomainError::NotFound)
    ));
    for ended in ["antigua-web.example", "pruebas-ana.example"] {
        let s = demo_service(&svc, ended).await;
        assert!(matches!(
            request_cancellation(&svc.db, ana, s.id, kind, &reason("Ended"), now).await,
            Err(DomainError::Refused(Refused::ServiceStatus))
        ));
    }
    assert_eq!(count_requests(&svc).await, before);
    assert_eq!(status_of(&svc, anas.id).await, "active");
}

#[tokio::test]
async fn the_scheduler_carries_out_due_requests() {
    let svc = demo_db().await;
    let now = svc.now();
    let today = now.date_naive();
    let shop = demo_service(&svc, BEN_CANCELLING_DOMAIN).await;
    let open = open_requests(&svc.db).await.unwrap();
    assert_eq!(open.len(), 1, "demo: Ben's open request");
    assert_eq!(
        (open[0].domain.as_str(), open[0].client_email.as_str()),
        (BEN_CANCELLING_DOMAIN, "ben@example.com")
    );
    let due_on = open[0].request.effective_on;
    assert!(due_on > today);
    assert!(due_cancellations(&svc.db, today).await.unwrap().is_empty());

    let due = due_cancellations(&svc.db, due_on).await.unwrap();
    assert_eq!(due.len(), 1);
    carry_out(&svc.db, due[0].id, now + Duration::days(12))
        .await
        .unwrap();
    assert_eq!(status_of(&svc, shop.id).await, "cancelled");
    assert!(due_cancellations(&svc.db, due_on).await.unwrap().is_empty());
    assert!(open_requests(&svc.db).await.unwrap().is_empty());
    let r = request::Entity::find_by_id(due[0].id)
        .one(&svc.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(r.status, "done");
    // Carried out once only.
    assert!(matches!(
        carry_out(&svc.db, due[0].id, now).await,
        Err(DomainError::NotFound)
    ));
}

#[tokio::test]
async fn terminating_a_service_closes_its_open_request() {
    let svc = demo_db().await;
    let now = svc.now();
    let shop = demo_service(&svc, BEN_CANCELLING_DOMAIN).await;
    crate::hosting::provisioning::terminate(&svc.db, shop.id, Some(1), now)
        .await
        .unwrap();
    assert_eq!(
        open_request(&svc.db, shop.client_id, shop.id)
            .await
            .unwrap(),
        None
    );
    assert!(due_cancellations(&svc.db, shop.next_due_on)
        .await
        .unwrap()
        .is_empty());
}
