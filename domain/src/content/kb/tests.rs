use super::*;
use crate::{
    demo::{self, KB_BILLING_ARTICLE_ES, KB_DRAFT_SLUG},
    test_support::services_on_memory_db,
    Services,
};

async fn demo_services() -> Services {
    let svc = services_on_memory_db().await;
    demo::load(&svc, false).await.unwrap();
    svc
}

/// The same search behaviour from PostgreSQL's full-text search.
#[tokio::test]
#[ignore = "needs PostgreSQL: PORTICO_TEST_PG_URL"]
async fn postgres_search_behaves_like_sqlite() {
    let svc = crate::test_support::services_on_fresh_postgres("kb").await;
    demo::load(&svc, false).await.unwrap();
    for q in ["facturacion", "FACTURACIÓN", "factura"] {
        let hits = search(&svc.db, "es", q).await.unwrap();
        assert_eq!(hits[0].slug, KB_BILLING_ARTICLE_ES.1, "query {q}");
        assert!(hits.iter().all(|a| a.slug != KB_DRAFT_SLUG));
    }
    let both = search(&svc.db, "es", "correo movil").await.unwrap();
    assert_eq!(slugs(&both), ["configurar-el-correo-en-el-movil"]);
    assert!(search(&svc.db, "en", "facturacion")
        .await
        .unwrap()
        .is_empty());
    for junk in ["", "\"", "*", "a & b | !c", "x:*", "'; --", "(((", "<->"] {
        search(&svc.db, "es", junk).await.unwrap();
    }
    let id = article_id(&svc.db, "es", KB_BILLING_ARTICLE_ES.1)
        .await
        .unwrap();
    let ana = Voter::User(2);
    assert_eq!(
        vote(&svc.db, id, &ana, true, svc.now()).await.unwrap(),
        VoteOutcome::Recorded
    );
    assert_eq!(
        vote(&svc.db, id, &ana, true, svc.now()).await.unwrap(),
        VoteOutcome::AlreadyVoted
    );
    record_view(&svc.db, id).await.unwrap();
    let (cat, slug) = KB_BILLING_ARTICLE_ES;
    assert_eq!(article(&svc.db, "es", cat, slug).await.unwrap().views, 1);
}

fn slugs(list: &[ArticleSummary]) -> Vec<&str> {
    list.iter().map(|a| a.slug.as_str()).collect()
}

#[test]
fn folding_removes_accents_and_case() {
    assert_eq!(
        search::fold("Facturación ÁÉÍÓÚ Ñandú"),
        "facturacion aeiou nandu"
    );
    assert_eq!(
        search::query_terms("  \"factura*\" OR (móvil) -x "),
        ["factura", "or", "movil", "x"]
    );
    assert!(search::query_terms("\"*()-").is_empty());
}

#[tokio::test]
async fn search_ignores_accents_and_ranks_titles_first() {
    let svc = demo_services().await;
    let found = search(&svc.db, "es", "facturacion").await.unwrap();
    // The article with the word in its title comes before those with it only in tags/body.
    assert_eq!(found[0].slug, KB_BILLING_ARTICLE_ES.1);
    assert_eq!(found[0].category_slug, KB_BILLING_ARTICLE_ES.0);
    assert!(found.len() >= 2, "tags count too: {:?}", slugs(&found));
    // Typed with accents, without, upper case, or as a prefix: same first hit.
    for q in ["FACTURACIÓN", "facturación", "factura"] {
        let hits = search(&svc.db, "es", q).await.unwrap();
        assert_eq!(hits[0].slug, KB_BILLING_ARTICLE_ES.1, "query {q}");
    }
    // All words must match.
    let both = search(&svc.db, "es", "correo movil").await.unwrap();
    assert_eq!(slugs(&both), ["configurar-el-correo-en-el-movil"]);
    assert!(search(&svc.db, "es", "correo dominio")
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn search_stays_in_the_language_and_skips_drafts_and_junk() {
    let svc = demo_services().await;
    let es = search(&svc.db, "es", "tarifas").await.unwrap();
    assert!(
        es.iter().all(|a| a.slug != KB_DRAFT_SLUG),
        "draft must not be found"
    );
    assert!(search(&svc.db, "en", "facturacion")
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        search(&svc.db, "en", "billing").await.unwrap()[0].slug,
        "how-billing-works"
    );
    for junk in [
        "",
        "   ",
        "\"",
        "*",
        "AND OR NOT",
        "a\" OR \"b",
        "title:x",
        "(((",
        "'; --",
    ] {
        // Never an error, whatever is typed.
        search(&svc.db, "es", junk).await.unwrap();
    }
}

#[tokio::test]
async fn categories_list_only_published_articles() {
    let svc = demo_services().await;
    let cats = categories(&svc.db, "es").await.unwrap();
    assert_eq!(
        cats.iter().map(|c| c.slug.as_str()).collect::<Vec<_>>(),
        ["facturacion", "correo", "dominios"]
    );
    // Three published billing articles; the draft is not counted.
    assert_eq!(cats[0].articles, 3);
    let (cat, articles) = category(&svc.db, "es", "facturacion").await.unwrap();
    assert_eq!(cat.name, "Facturación");
    assert!(!slugs(&articles).contains(&KB_DRAFT_SLUG));
    assert!(matches!(
        category(&svc.db, "es", "billing").await,
        Err(DomainError::NotFound)
    ));
    assert!(matches!(
        article(&svc.db, "es", "facturacion", KB_DRAFT_SLUG).await,
        Err(DomainError::NotFound)
    ));
    // An article is only reachable under its own category.
    assert!(matches!(
        article(&svc.db, "es", "correo", KB_BILLING_ARTICLE_ES.1).await,
        Err(DomainError::NotFound)
    ));
}

#[tokio::test]
async fn article_has_related_articles_and_counts_views() {
    let svc = demo_services().await;
    let (cat, slug) = KB_BILLING_ARTICLE_ES;
    let a = article(&svc.db, "es", cat, slug).await.unwrap();
    assert!(a.body_html.contains("<strong>14 días antes</strong>"));
    assert_eq!(a.tags, ["facturación", "facturas", "pagos"]);
    // "cambiar-de-plan" shares a tag and the category; "guardar-una-tarjeta" the category and
    // "pagos"; the mail and domain articles share nothing and are not related.
    let related = slugs(&a.related);
    assert_eq!(related.len(), 2, "{related:?}");
    assert!(related.contains(&"cambiar-de-plan") && related.contains(&"guardar-una-tarjeta"));
    assert!(!related.contains(&KB_DRAFT_SLUG));
    assert_eq!(a.views, 0);
    record_view(&svc.db, a.summary.id).await.unwrap();
    record_view(&svc.db, a.summary.id).await.unwrap();
    let again = article(&svc.db, "es", cat, slug).await.unwrap();
    assert_eq!(again.views, 2);
    assert_eq!(popular(&svc.db, "es", 1).await.unwrap()[0].slug, slug);
}

#[tokio::test]
async fn one_vote_per_person() {
    let svc = demo_services().await;
    let id = article_id(&svc.db, "es", KB_BILLING_ARTICLE_ES.1)
        .await
        .unwrap();
    let now = svc.now();
    let ana = Voter::User(2);
    let visitor = Voter::Visitor("cookie-token-1");
    assert_eq!(my_vote(&svc.db, id, &ana).await.unwrap(), None);
    assert_eq!(
        vote(&svc.db, id, &ana, true, now).await.unwrap(),
        VoteOutcome::Recorded
    );
    // A second answer, even a different one, changes nothing.
    assert_eq!(
        vote(&svc.db, id, &ana, false, now).await.unwrap(),
        VoteOutcome::AlreadyVoted
    );
    assert_eq!(my_vote(&svc.db, id, &ana).await.unwrap(), Some(true));
    assert_eq!(
        vote(&svc.db, id, &visitor, false, now).await.unwrap(),
        VoteOutcome::Recorded
    );
    assert_eq!(
        vote(&svc.db, id, &Voter::Visitor("cookie-token-1"), true, now)
            .await
            .unwrap(),
        VoteOutcome::AlreadyVoted
    );
    assert_eq!(
        vote_counts(&svc.db, id).await.unwrap(),
        VoteCounts {
            helpful: 1,
            not_helpful: 1
        }
    );
    // Drafts and unknown articles cannot be voted on.
    let draft = article_id(&svc.db, "es", KB_DRAFT_SLUG).await.unwrap();
    assert!(matches!(
        vote(&svc.db, draft, &ana, true, now).await,
        Err(DomainError::NotFound)
    ));
    assert!(matches!(
        vote(&svc.db, 99_999, &ana, true, now).await,
        Err(DomainError::NotFound)
    ));
}
