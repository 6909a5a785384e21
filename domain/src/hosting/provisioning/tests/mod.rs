use super::{lifecycle::Transition, *};
use crate::{
    demo,
    entities::{plan, provisioning_action, service},
    error::{DomainError, DomainResult, Refused},
    hosting::ServiceStatus,
    test_support::{demo_service, services_on_memory_db},
    Services,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set, TransactionTrait,
};

mod fakes;
use fakes::{Automatic, Failing};

async fn demo_db() -> Services {
    let svc = services_on_memory_db().await;
    demo::load(&svc, false).await.unwrap();
    svc
}

async fn actions_of(svc: &Services, service_id: i32) -> Vec<provisioning_action::Model> {
    provisioning_action::Entity::find()
        .filter(provisioning_action::Column::ServiceId.eq(service_id))
        .all(&svc.db)
        .await
        .unwrap()
}

async fn reload(svc: &Services, id: i32) -> service::Model {
    service::Entity::find_by_id(id)
        .one(&svc.db)
        .await
        .unwrap()
        .unwrap()
}

/// Points the plan of `service` at the module registered as `name`.
async fn use_module(svc: &Services, service: &service::Model, name: &str) {
    let mut p = plan::Entity::find_by_id(service.plan_id)
        .one(&svc.db)
        .await
        .unwrap()
        .unwrap()
        .into_active_model();
    p.module = Set(name.into());
    p.update(&svc.db).await.unwrap();
}

#[test]
fn status_rules() {
    use ServiceStatus::*;
    let cases: [(Transition, [Option<ServiceStatus>; 5]); 6] = [
        // from: Pending, Active, Suspended, Terminated, Cancelled
        (Transition::Activate, [Some(Active), None, None, None, None]),
        (
            Transition::Suspend(SuspensionReason::Staff),
            [None, Some(Suspended), None, None, None],
        ),
        (
            Transition::Unsuspend,
            [None, None, Some(Active), None, None],
        ),
        (
            Transition::Terminate,
            [
                Some(Terminated),
                Some(Terminated),
                Some(Terminated),
                None,
                None,
            ],
        ),
        (
            Transition::Cancel { request_id: 1 },
            [
                Some(Cancelled),
                Some(Cancelled),
                Some(Cancelled),
                None,
                None,
            ],
        ),
        (
            Transition::ChangePlan {
                plan_id: 1,
                cycle: BillingCycle::Monthly,
                amount_cents: 1,
            },
            [Some(Pending), Some(Active), Some(Suspended), None, None],
        ),
    ];
    for (change, expected) in cases {
        for (from, want) in [Pending, Active, Suspended, Terminated, Cancelled]
            .into_iter()
            .zip(expected)
        {
            assert_eq!(change.next(from), want, "{change:?} from {from:?}");
        }
    }
}

#[tokio::test]
async fn each_change_writes_one_action_for_staff() {
    each_change_writes_one_action_for_staff_on(demo_db().await).await;
}

#[tokio::test]
#[ignore = "needs PostgreSQL: PORTICO_TEST_PG_URL"]
async fn each_change_writes_one_action_for_staff_on_postgres() {
    let svc = crate::test_support::services_on_fresh_postgres("prov_each").await;
    demo::load(&svc, false).await.unwrap();
    each_change_writes_one_action_for_staff_on(svc).await;
}

async fn each_change_writes_one_action_for_staff_on(svc: Services) {
    let now = svc.now();
    let shop = demo_service(&svc, "tienda-ana.example").await;
    let before = actions_of(&svc, shop.id).await.len();

    let out = suspend(&svc.db, shop.id, SuspensionReason::Staff, Some(1), now)
        .await
        .unwrap();
    assert_eq!(out, Outcome::Queued);
    let s = reload(&svc, shop.id).await;
    assert_eq!(
        (s.status.as_str(), s.suspension_reason.as_deref()),
        ("suspended", Some("staff"))
    );
    let actions = actions_of(&svc, shop.id).await;
    assert_eq!(actions.len(), before + 1);
    let a = actions.last().unwrap();
    assert_eq!(
        (
            a.module.as_str(),
            a.action.as_str(),
            a.status.as_str(),
            a.actor_id
        ),
        (MANUAL, "suspend", "pending", Some(1))
    );
    assert_eq!(a.detail, r#"{"reason":"staff"}"#);
    assert!(a.completed_at.is_none());

    unsuspend(&svc.db, shop.id, None, now).await.unwrap();
    let s = reload(&svc, shop.id).await;
    assert_eq!((s.status.as_str(), s.suspension_reason), ("active", None));

    let pro = plan::Entity::find()
        .filter(plan::Column::Slug.eq("pro"))
        .one(&svc.db)
        .await
        .unwrap()
        .unwrap();
    change_plan(
        &svc.db,
        shop.id,
        pro.id,
        BillingCycle::Annually,
        25_000,
        None,
        now,
    )
    .await
    .unwrap();
    let s = reload(&svc, shop.id).await;
    assert_eq!(
        (
            s.plan_id,
            s.cycle.as_str(),
            s.amount_cents,
            s.status.as_str()
        ),
        (pro.id, "annually", 25_000, "active")
    );

    terminate(&svc.db, shop.id, None, now).await.unwrap();
    assert_eq!(reload(&svc, shop.id).await.status, "terminated");
    let kinds: Vec<String> = actions_of(&svc, shop.id).await[before..]
        .iter()
        .map(|a| a.action.clone())
        .collect();
    assert_eq!(kinds, ["suspend", "unsuspend", "change_plan", "terminate"]);

    let pending = demo_service(&svc, "nuevo-proyecto.example").await;
    activate(&svc.db, pending.id, None, now).await.unwrap();
    assert_eq!(reload(&svc, pending.id).await.status, "active");
    assert_eq!(
        actions_of(&svc, pending.id).await.last().unwrap().action,
        "create"
    );
}

#[tokio::test]
async fn status_rules_are_enforced_and_refusals_write_nothing() {
    let svc = demo_db().await;
    let now = svc.now();
    let ended = demo_service(&svc, "antigua-web.example").await; // terminated
    let cancelled = demo_service(&svc, "pruebas-ana.example").await;
    let active = demo_service(&svc, "tienda-ana.example").await;
    let before = (
        actions_of(&svc, ended.id).await.len(),
        actions_of(&svc, active.id).await.len(),
    );
    let refused = |r: DomainResult<Outcome>| {
        assert!(
            matches!(r, Err(DomainError::Refused(Refused::ServiceStatus))),
            "{r:?}"
        )
    };
    refused(suspend(&svc.db, ended.id, SuspensionReason::Staff, None, now).await);
    refused(unsuspend(&svc.db, ended.id, None, now).await);
    refused(terminate(&svc.db, ended.id, None, now).await);
    refused(activate(&svc.db, ended.id, None, now).await);
    refused(terminate(&svc.db, cancelled.id, None, now).await);
    refused(
        change_plan(
            &svc.db,
            cancelled.id,
            1,
            BillingCycle::Monthly,
            500,
            None,
            now,
        )
        .await,
    );
    refused(unsuspend(&svc.db, active.id, None, now).await);
    refused(activate(&svc.db, active.id, None, now).await);
    assert_eq!(
        (
            actions_of(&svc, ended.id).await.len(),
            actions_of(&svc, active.id).await.len()
        ),
        before
    );
    assert!(matches!(
        suspend(&svc.db, 999_999, SuspensionReason::Staff, None, now).await,
        Err(DomainError::NotFound)
    ));
}

#[tokio::test]
async fn a_failing_module_leaves_the_service_unchanged() {
    a_failing_module_leaves_the_service_unchanged_on(demo_db().await).await;
}

#[tokio::test]
#[ignore = "needs PostgreSQL: PORTICO_TEST_PG_URL"]
async fn a_failing_module_leaves_the_service_unchanged_on_postgres() {
    let svc = crate::test_support::services_on_fresh_postgres("prov_fail").await;
    demo::load(&svc, false).await.unwrap();
    a_failing_module_leaves_the_service_unchanged_on(svc).await;
}

async fn a_failing_module_leaves_the_service_unchanged_on(svc: Services) {
    let now = svc.now();
    register_module("failing-test", std::sync::Arc::new(Failing));
    let shop = demo_service(&svc, "tienda-ana.example").await;
    use_module(&svc, &shop, "failing-test").await;
    let before = actions_of(&svc, shop.id).await.len();
    let r = suspend(&svc.db, shop.id, SuspensionReason::Overdue, None, now).await;
    assert!(
        matches!(&r, Err(DomainError::Provisioning { module, .. }) if module == "failing-test"),
        "{r:?}"
    );
    assert_eq!(reload(&svc, shop.id).await, shop);
    assert_eq!(actions_of(&svc, shop.id).await.len(), before);

    // A plan naming a module nobody registered fails the same way.
    use_module(&svc, &shop, "no-such-module").await;
    assert!(matches!(
        terminate(&svc.db, shop.id, None, now).await,
        Err(DomainError::Provisioning { .. })
    ));
    assert_eq!(reload(&svc, shop.id).await, shop);
}

#[tokio::test]
async fn change_plan_runs_inside_the_callers_transaction() {
    change_plan_runs_inside_the_callers_transaction_on(demo_db().await).await;
}

#[tokio::test]
#[ignore = "needs PostgreSQL: PORTICO_TEST_PG_URL"]
async fn change_plan_runs_inside_the_callers_transaction_on_postgres() {
    let svc = crate::test_support::services_on_fresh_postgres("prov_savepoint").await;
    demo::load(&svc, false).await.unwrap();
    change_plan_runs_inside_the_callers_transaction_on(svc).await;
}

async fn change_plan_runs_inside_the_callers_transaction_on(svc: Services) {
    let now = svc.now();
    register_module("failing-test", std::sync::Arc::new(Failing));
    register_module("automatic-test", std::sync::Arc::new(Automatic));
    let ben = demo_service(&svc, "bencarter.example").await; // starter
    let pending = demo_service(&svc, "nuevo-proyecto.example").await; // pro
    use_module(&svc, &ben, "automatic-test").await;
    use_module(&svc, &pending, "failing-test").await;
    let business = demo_service(&svc, "tienda-ana.example").await.plan_id;

    // The caller rolls back: nothing of the plan change remains.
    let txn = svc.db.begin().await.unwrap();
    change_plan(
        &txn,
        ben.id,
        business,
        BillingCycle::Monthly,
        1200,
        None,
        now,
    )
    .await
    .unwrap();
    txn.rollback().await.unwrap();
    assert_eq!(reload(&svc, ben.id).await, ben);
    let ben_actions = actions_of(&svc, ben.id).await.len();

    // One change fails inside the caller's transaction; the other commits with it.
    let txn = svc.db.begin().await.unwrap();
    let out = change_plan(
        &txn,
        ben.id,
        business,
        BillingCycle::Monthly,
        1200,
        Some(2),
        now,
    )
    .await
    .unwrap();
    assert_eq!(out, Outcome::Done);
    assert!(change_plan(
        &txn,
        pending.id,
        business,
        BillingCycle::Monthly,
        1200,
        None,
        now
    )
    .await
    .is_err());
    txn.commit().await.unwrap();
    assert_eq!(reload(&svc, ben.id).await.plan_id, business);
    assert_eq!(reload(&svc, pending.id).await, pending);
    let actions = actions_of(&svc, ben.id).await;
    assert_eq!(actions.len(), ben_actions + 1);
    let a = actions.last().unwrap();
    assert_eq!((a.status.as_str(), a.completed_at), ("done", Some(now)));
}

#[tokio::test]
async fn staff_mark_pending_actions_done() {
    let svc = demo_db().await;
    let now = svc.now();
    let demo_pending = pending_actions(&svc.db).await.unwrap();
    assert!(!demo_pending.is_empty(), "demo data has work for staff");
    let shop = demo_service(&svc, "tienda-ana.example").await;
    suspend(&svc.db, shop.id, SuspensionReason::Staff, None, now)
        .await
        .unwrap();
    let queue = pending_actions(&svc.db).await.unwrap();
    assert_eq!(queue.len(), demo_pending.len() + 1);
    let mine = queue.iter().find(|a| a.service_id == shop.id).unwrap();
    assert_eq!(
        (
            mine.domain.as_str(),
            mine.client_email.as_str(),
            mine.action
        ),
        ("tienda-ana.example", "ana@example.com", ActionKind::Suspend)
    );
    assert_eq!(mine.detail["reason"], "staff");

    mark_action_done(&svc.db, mine.id, 1, now).await.unwrap();
    assert_eq!(
        pending_actions(&svc.db).await.unwrap().len(),
        demo_pending.len()
    );
    let row = provisioning_action::Entity::find_by_id(mine.id)
        .one(&svc.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((row.status.as_str(), row.completed_by), ("done", Some(1)));
    assert!(matches!(
        mark_action_done(&svc.db, mine.id, 1, now).await,
        Err(DomainError::Refused(Refused::ActionNotPending))
    ));
    assert!(matches!(
        mark_action_done(&svc.db, 999_999, 1, now).await,
        Err(DomainError::NotFound)
    ));
}
