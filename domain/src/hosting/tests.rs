use super::*;
use crate::{demo, test_support::services_on_memory_db};

#[tokio::test]
async fn clients_see_only_their_own_services() {
    let svc = services_on_memory_db().await;
    demo::load(&svc, false).await.unwrap();
    let ana = crate::entities::user::Entity::find()
        .filter(crate::entities::user::Column::Email.eq("ana@example.com"))
        .one(&svc.db)
        .await
        .unwrap()
        .unwrap();
    let ben = crate::entities::user::Entity::find()
        .filter(crate::entities::user::Column::Email.eq("ben@example.com"))
        .one(&svc.db)
        .await
        .unwrap()
        .unwrap();
    let anas = list_services(&svc.db, ana.id, None, 1).await.unwrap();
    let bens = list_services(&svc.db, ben.id, None, 1).await.unwrap();
    assert!(anas.total >= 4 && bens.total >= 1);
    // Every status appears among Ana's demo services.
    let counts = status_counts(&svc.db, ana.id).await.unwrap();
    for st in [
        ServiceStatus::Active,
        ServiceStatus::Suspended,
        ServiceStatus::Terminated,
    ] {
        assert!(
            counts.iter().any(|(s, n)| *s == st && *n > 0),
            "{st:?} in {counts:?}"
        );
    }
    // Ben cannot read Ana's service, and the answer is the same as for a missing one.
    let anas_first = anas.items[0].id;
    assert!(matches!(
        get_service(&svc.db, ben.id, anas_first).await,
        Err(DomainError::NotFound)
    ));
    assert!(matches!(
        get_service(&svc.db, ben.id, 999_999).await,
        Err(DomainError::NotFound)
    ));
    let detail = get_service(&svc.db, ana.id, anas_first).await.unwrap();
    assert!(!detail.plan_features.is_empty());

    let suspended = list_services(&svc.db, ana.id, Some(ServiceStatus::Suspended), 1)
        .await
        .unwrap();
    assert!(suspended
        .items
        .iter()
        .all(|s| s.status == ServiceStatus::Suspended));
    assert_eq!(
        suspended.items[0].suspension_reason,
        Some(SuspensionReason::Overdue)
    );
}

#[test]
fn page_count() {
    let p = |total| {
        Page::<()> {
            items: vec![],
            total,
            page: 1,
            per_page: 20,
        }
        .pages()
    };
    assert_eq!((p(0), p(20), p(21)), (1, 1, 2));
}
