use super::*;
use crate::{content::news, demo, test_support::services_on_memory_db};
use chrono::Duration;

fn input(title: &str, language: &str, date: &str, published: bool) -> NewsInput {
    NewsInput {
        title: title.into(),
        body_md: "Some **news**.".into(),
        language: language.into(),
        date: date.into(),
        published,
    }
}

async fn reader_sees(
    db: &impl ConnectionTrait,
    lang: &str,
    slug: &str,
    now: DateTime<Utc>,
) -> bool {
    let listed = news::list(db, lang, now, 1, 50)
        .await
        .unwrap()
        .items
        .iter()
        .any(|n| n.slug == slug);
    let opens = news::get(db, lang, slug, now).await.is_ok();
    assert_eq!(listed, opens, "list and detail agree for {slug}");
    listed
}

#[tokio::test]
async fn a_draft_is_hidden_until_published() {
    let svc = services_on_memory_db().await;
    let now = svc.now();
    let draft = create(&svc.db, &input("Nuevo panel", "es", "", false), now)
        .await
        .unwrap();
    assert_eq!(draft.published_at, None);
    assert_eq!(draft.status(now), NewsStatus::Draft);
    assert!(!reader_sees(&svc.db, "es", &draft.slug, now).await);

    let published = update(
        &svc.db,
        draft.id,
        &input("Nuevo panel", "es", "", true),
        now,
    )
    .await
    .unwrap();
    assert_eq!(published.published_at, Some(now), "today means from now");
    assert_eq!(published.status(now), NewsStatus::Published);
    assert!(reader_sees(&svc.db, "es", &published.slug, now).await);
    assert!(
        !reader_sees(&svc.db, "en", &published.slug, now).await,
        "only in its own language"
    );
}

#[tokio::test]
async fn a_future_date_stays_hidden_until_that_day() {
    let svc = services_on_memory_db().await;
    let now = svc.now(); // 2026-03-01 09:00 UTC
    let item = create(
        &svc.db,
        &input("Price update", "en", "2026-03-05", true),
        now,
    )
    .await
    .unwrap();
    assert_eq!(item.status(now), NewsStatus::Scheduled);
    assert!(!reader_sees(&svc.db, "en", &item.slug, now).await);
    let then = now + Duration::days(4);
    assert_eq!(item.status(then), NewsStatus::Published);
    assert!(reader_sees(&svc.db, "en", &item.slug, then).await);

    // A past date is visible at once and sorts by that date.
    let old = create(&svc.db, &input("Old news", "en", "2026-01-10", true), now)
        .await
        .unwrap();
    assert_eq!(
        old.published_at.unwrap().to_rfc3339(),
        "2026-01-10T00:00:00+00:00"
    );
    assert!(reader_sees(&svc.db, "en", &old.slug, now).await);
}

#[tokio::test]
async fn slugs_fold_accents_and_are_unique_per_language() {
    let svc = services_on_memory_db().await;
    let now = svc.now();
    let a = create(&svc.db, &input("Facturación", "es", "", true), now)
        .await
        .unwrap();
    let b = create(&svc.db, &input("¡Facturación!", "es", "", true), now)
        .await
        .unwrap();
    let c = create(&svc.db, &input("Facturacion", "es", "", false), now)
        .await
        .unwrap();
    let en = create(&svc.db, &input("Facturación", "en", "", true), now)
        .await
        .unwrap();
    assert_eq!(
        [a.slug.as_str(), &b.slug, &c.slug, &en.slug],
        [
            "facturacion",
            "facturacion-2",
            "facturacion-3",
            "facturacion"
        ]
    );
    // Freed slugs are reused; a slug that only starts the same does not count.
    delete(&svc.db, b.id).await.unwrap();
    let d = create(&svc.db, &input("Facturación", "es", "", true), now)
        .await
        .unwrap();
    assert_eq!(d.slug, "facturacion-2");
    let e = create(&svc.db, &input("Facturación anual", "es", "", true), now)
        .await
        .unwrap();
    assert_eq!(e.slug, "facturacion-anual");
}

#[tokio::test]
async fn a_drafts_slug_follows_its_title_and_a_published_one_stays() {
    let svc = services_on_memory_db().await;
    let now = svc.now();
    let draft = create(&svc.db, &input("First title", "en", "", false), now)
        .await
        .unwrap();
    let renamed = update(
        &svc.db,
        draft.id,
        &input("Better title", "en", "", false),
        now,
    )
    .await
    .unwrap();
    assert_eq!(renamed.slug, "better-title");
    // Saving again does not clash with itself.
    let published = update(
        &svc.db,
        draft.id,
        &input("Better title", "en", "", true),
        now,
    )
    .await
    .unwrap();
    assert_eq!(published.slug, "better-title");
    let later = now + Duration::hours(2);
    let retitled = update(
        &svc.db,
        draft.id,
        &input("Best title", "en", "", true),
        later,
    )
    .await
    .unwrap();
    assert_eq!(retitled.slug, "better-title", "published address kept");
    assert_eq!(retitled.title, "Best title");
    assert_eq!(retitled.published_at, Some(now), "same day keeps its time");
    assert_eq!(retitled.updated_at, later);
    assert_eq!(retitled.created_at, now);
}

#[tokio::test]
async fn invalid_input_is_refused_with_the_field_at_fault() {
    let svc = services_on_memory_db().await;
    let now = svc.now();
    let refused = |i: NewsInput| {
        let db = svc.db.clone();
        async move {
            match create(&db, &i, now).await {
                Err(DomainError::Invalid(why)) => why,
                other => panic!("expected a validation error, got {other:?}"),
            }
        }
    };
    let ok = input("Title", "en", "", true);
    assert_eq!(
        refused(NewsInput {
            title: "   ".into(),
            ..ok.clone()
        })
        .await,
        Invalid::NewsTitle
    );
    assert_eq!(
        refused(NewsInput {
            title: "x".repeat(201),
            ..ok.clone()
        })
        .await,
        Invalid::NewsTitle
    );
    assert_eq!(
        refused(NewsInput {
            body_md: " \r\n ".into(),
            ..ok.clone()
        })
        .await,
        Invalid::NewsBody
    );
    assert_eq!(
        refused(NewsInput {
            body_md: "x".repeat(50_001),
            ..ok.clone()
        })
        .await,
        Invalid::NewsBody
    );
    assert_eq!(
        refused(NewsInput {
            language: "fr".into(),
            ..ok.clone()
        })
        .await,
        Invalid::Language
    );
    for date in ["2026-02-30", "01/03/2026", "tomorrow", "0001-01-01"] {
        assert_eq!(
            refused(NewsInput {
                date: date.into(),
                ..ok.clone()
            })
            .await,
            Invalid::NewsDate,
            "{date}"
        );
    }
    // Limits are in characters, not bytes; surrounding spaces do not count.
    let item = create(
        &svc.db,
        &NewsInput {
            title: format!("  {}  ", "ñ".repeat(200)),
            body_md: "a\r\nb\n\n".into(),
            ..ok
        },
        now,
    )
    .await
    .unwrap();
    assert_eq!(item.title.chars().count(), 200);
    assert_eq!(item.body_md, "a\nb");
    assert!(matches!(
        update(&svc.db, item.id, &NewsInput::default(), now).await,
        Err(DomainError::Invalid(Invalid::NewsTitle))
    ));
}

#[tokio::test]
async fn staff_list_everything_newest_first_and_can_delete() {
    let svc = services_on_memory_db().await;
    demo::load(&svc, false).await.unwrap();
    let now = svc.now();
    let draft = create(&svc.db, &input("Fresh draft", "en", "", false), now)
        .await
        .unwrap();
    let page = list_all(&svc.db, 1).await.unwrap();
    assert_eq!(
        page.total, 9,
        "8 demo items (drafts included) and the new one"
    );
    assert!(page.items.iter().any(|n| n.language == Language::Es));
    assert!(page.items.iter().any(|n| n.slug == demo::DRAFT_NEWS_SLUG));
    // Dated by publication, or by creation for drafts: the new draft (now) comes first.
    assert_eq!(page.items[0].id, draft.id);
    let dates: Vec<_> = page
        .items
        .iter()
        .map(|n| n.published_at.unwrap_or(n.created_at))
        .collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");
    assert_eq!(list_all(&svc.db, 2).await.unwrap().items.len(), 0);

    assert_eq!(get_by_id(&svc.db, draft.id).await.unwrap(), draft);
    delete(&svc.db, draft.id).await.unwrap();
    assert!(matches!(
        get_by_id(&svc.db, draft.id).await,
        Err(DomainError::NotFound)
    ));
    assert!(matches!(
        delete(&svc.db, draft.id).await,
        Err(DomainError::NotFound)
    ));
    assert!(matches!(
        update(&svc.db, draft.id, &input("Gone", "en", "", true), now).await,
        Err(DomainError::NotFound)
    ));
}
