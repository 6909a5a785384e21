use super::admin::*;
use super::*;
use crate::{demo, error::Invalid, test_support::services_on_memory_db};

fn input(category_id: i32, title: &str, published: bool) -> ArticleInput {
    ArticleInput {
        category_id,
        title: title.into(),
        tags: "Correo, DNS ,".into(),
        body_md: "Configura los **registros MX** del dominio.".into(),
        published,
    }
}

async fn category_id(svc: &crate::Services, language: &str, slug: &str) -> i32 {
    kb_category::Entity::find()
        .filter(kb_category::Column::Language.eq(language))
        .filter(kb_category::Column::Slug.eq(slug))
        .one(&svc.db)
        .await
        .unwrap()
        .unwrap()
        .id
}

#[tokio::test]
async fn staff_write_articles_that_readers_find_once_published() {
    let svc = services_on_memory_db().await;
    demo::load(&svc, false).await.unwrap();
    let correo = category_id(&svc, "es", "correo").await;
    let now = svc.now();
    let id = create_article(
        &svc.db,
        &input(correo, "Registros MX del dominio", false),
        now,
    )
    .await
    .unwrap();
    let a = get_article(&svc.db, id).await.unwrap();
    assert_eq!(a.slug, "registros-mx-del-dominio");
    assert_eq!(a.tags, "correo,dns");
    assert_eq!(a.language, crate::accounts::Language::Es);
    // A draft: not found by readers, not searchable.
    assert!(search(&svc.db, "es", "registros mx")
        .await
        .unwrap()
        .is_empty());
    assert!(article(&svc.db, "es", "correo", &a.slug).await.is_err());
    // Published: readable and found, accents or not.
    update_article(
        &svc.db,
        id,
        &input(correo, "Registros MX del dominio", true),
        now,
    )
    .await
    .unwrap();
    assert_eq!(
        search(&svc.db, "es", "registros mx").await.unwrap()[0].id,
        id
    );
    article(&svc.db, "es", "correo", &a.slug).await.unwrap();
    // Retitled after publication: same address; the index follows the new title.
    let mut retitled = input(correo, "Prioridades MX explicadas", true);
    retitled.body_md = "Otro texto.".into();
    update_article(&svc.db, id, &retitled, now).await.unwrap();
    assert_eq!(get_article(&svc.db, id).await.unwrap().slug, a.slug);
    assert_eq!(
        search(&svc.db, "es", "prioridades mx").await.unwrap()[0].id,
        id
    );
    assert!(search(&svc.db, "es", "registros").await.unwrap().is_empty());
    // A second article with the same title gets the next free address.
    let id2 = create_article(
        &svc.db,
        &input(correo, "Registros MX del dominio", true),
        now,
    )
    .await
    .unwrap();
    assert_eq!(
        get_article(&svc.db, id2).await.unwrap().slug,
        "registros-mx-del-dominio-2"
    );
    // Deleting removes it from readers and from search.
    delete_article(&svc.db, id).await.unwrap();
    assert!(search(&svc.db, "es", "prioridades")
        .await
        .unwrap()
        .is_empty());
    assert!(matches!(
        delete_article(&svc.db, id).await,
        Err(DomainError::NotFound)
    ));
}

#[tokio::test]
async fn article_and_category_input_is_checked() {
    let svc = services_on_memory_db().await;
    demo::load(&svc, false).await.unwrap();
    let correo = category_id(&svc, "es", "correo").await;
    let now = svc.now();
    let bad = |f: fn(&mut ArticleInput)| {
        let mut i = input(correo, "Título", true);
        f(&mut i);
        i
    };
    for (i, err) in [
        (bad(|i| i.title = "   ".into()), Invalid::KbTitle),
        (bad(|i| i.title = "x".repeat(201)), Invalid::KbTitle),
        (bad(|i| i.body_md = "\r\n".into()), Invalid::KbBody),
        (bad(|i| i.tags = "t,".repeat(300)), Invalid::KbTags),
        (bad(|i| i.category_id = 9999), Invalid::KbCategory),
    ] {
        match create_article(&svc.db, &i, now).await {
            Err(DomainError::Invalid(e)) => assert_eq!(e, err),
            other => panic!("expected {err:?}, got {other:?}"),
        }
    }
    let before = kb_article::Entity::find().count(&svc.db).await.unwrap();
    assert_eq!(before, 12, "nothing written by refused input");

    // Categories: named, in a known language; only an empty one can be deleted.
    let cat = CategoryInput {
        name: "Seguridad".into(),
        description: "Contraseñas y 2FA".into(),
        language: "es".into(),
        sort_order: 9,
    };
    let id = create_category(&svc.db, &cat).await.unwrap();
    assert_eq!(get_category(&svc.db, id).await.unwrap().slug, "seguridad");
    assert!(matches!(
        create_category(
            &svc.db,
            &CategoryInput {
                name: " ".into(),
                ..cat.clone()
            }
        )
        .await,
        Err(DomainError::Invalid(Invalid::KbCategoryName))
    ));
    assert!(matches!(
        create_category(
            &svc.db,
            &CategoryInput {
                language: "fr".into(),
                ..cat.clone()
            }
        )
        .await,
        Err(DomainError::Invalid(Invalid::Language))
    ));
    assert!(matches!(
        delete_category(&svc.db, correo).await,
        Err(DomainError::Invalid(Invalid::KbCategoryNotEmpty))
    ));
    delete_category(&svc.db, id).await.unwrap();
    // Staff see every category in both languages with drafts counted.
    let all = list_categories(&svc.db).await.unwrap();
    assert_eq!(all.len(), 6);
    let facturacion = all.iter().find(|c| c.slug == "facturacion").unwrap();
    assert_eq!(facturacion.articles, 4);
    let page = list_articles(&svc.db, 1).await.unwrap();
    assert_eq!(page.total, 12);
    assert!(page.items.iter().any(|a| !a.published));
}
