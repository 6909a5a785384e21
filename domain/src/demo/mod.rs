//! Demo data for `portico demo` and the first start of `cargo xtask run`: the three demo
//! accounts, plans, services in every status, news and the knowledge base in both languages.
mod invoices;
mod kb;
mod tickets;
pub use kb::{KB_BILLING_ARTICLE_ES, KB_DRAFT_SLUG};
pub use tickets::{ANA_ANSWERED_SUBJECT, HOSTING_DEPARTMENT};

use crate::{
    accounts::{create_user, Language, NewUser, Role},
    entities::{
        cancellation_request, invoice, kb_category, news, plan, plan_change, plan_price,
        provisioning_action, service, user,
    },
    error::DomainResult,
    Services,
};
use chrono::{Days, Duration, Months};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set, TransactionTrait,
};

pub const DEMO_PASSWORD: &str = "portico-demo";

pub const DEMO_ACCOUNTS: [(&str, &str, Role, Language); 3] = [
    ("admin@example.com", "Alex Admin", Role::Staff, Language::En),
    ("ana@example.com", "Ana García", Role::Client, Language::Es),
    ("ben@example.com", "Ben Carter", Role::Client, Language::En),
];

/// Ben's service with an open end-of-period cancellation request.
pub const BEN_CANCELLING_DOMAIN: &str = "shop.bencarter.example";
pub const BEN_CARD_DOMAIN: &str = "cloud.bencarter.example";

/// A news item that stays a draft, so lists can be checked for leaks.
pub const DRAFT_NEWS_SLUG: &str = "draft-new-datacenter";

pub enum DemoOutcome {
    Loaded,
    SkippedNotEmpty,
}

/// Loads the demo data. With `only_if_empty`, a database that already has users is left alone
/// (first start); otherwise what exists already is kept and the rest added.
pub async fn load(svc: &Services, only_if_empty: bool) -> DomainResult<DemoOutcome> {
    if only_if_empty && user::Entity::find().count(&svc.db).await? > 0 {
        return Ok(DemoOutcome::SkippedNotEmpty);
    }
    for (email, name, role, language) in DEMO_ACCOUNTS {
        let res = create_user(
            svc,
            NewUser {
                email,
                password: DEMO_PASSWORD,
                name,
                role,
                language,
            },
        )
        .await;
        match res {
            Ok(_) | Err(crate::DomainError::Conflict(_)) => {}
            Err(e) => return Err(e),
        }
    }
    if plan::Entity::find().count(&svc.db).await? == 0 {
        load_catalogue_and_services(svc).await?;
    }
    if invoice::Entity::find().count(&svc.db).await? == 0 {
        invoices::load(svc).await?;
    }
    if kb_category::Entity::find().count(&svc.db).await? == 0 {
        kb::load(svc).await?;
    }
    if crate::entities::ticket_department::Entity::find()
        .count(&svc.db)
        .await?
        == 0
    {
        tickets::load(svc).await?;
    }
    demo_card(svc).await;
    Ok(DemoOutcome::Loaded)
}

/// Ana's saved Visa test card, when card payments are set up in test mode (the stand-in or
/// Stripe test keys). Best effort: the demo works without it, and says so in the log.
async fn demo_card(svc: &Services) {
    use crate::{billing::cards, entities::card};
    if !svc.cards.as_ref().is_some_and(|g| g.test_mode()) {
        return;
    }
    let Ok(Some(ana)) = user::Entity::find()
        .filter(user::Column::Email.eq(DEMO_ACCOUNTS[1].0))
        .one(&svc.db)
        .await
    else {
        return;
    };
    let has_card = card::Entity::find()
        .filter(card::Column::ClientId.eq(ana.id))
        .count(&svc.db)
        .await
        .unwrap_or(0)
        > 0;
    if has_card {
        return;
    }
    if let Err(e) = cards::add_test_card(svc, ana.id, "pm_card_visa").await {
        tracing::warn!(error = %e, "demo: could not save Ana's test card");
    }
}

const PLANS: [(&str, &str, &str, &str, [i64; 4]); 3] = [
    ("starter", "Starter", "One website with email, for getting started.",
     "1 website\n10 GB SSD storage\n5 email accounts\nFree SSL certificate", [500, 1400, 2700, 5000]),
    ("business", "Business", "Several websites with more room and daily backups.",
     "10 websites\n50 GB SSD storage\nUnlimited email accounts\nDaily backups\nFree SSL certificates", [1200, 3400, 6600, 12000]),
    ("pro", "Pro", "High-traffic sites with dedicated resources.",
     "Unlimited websites\n200 GB NVMe storage\nUnlimited email accounts\nHourly backups\nPriority support", [2500, 7000, 13500, 25000]),
];

/// (slug, published days ago or -1 for a draft, [(language, title, Markdown body)]).
type DemoNews = (
    &'static str,
    i64,
    [(&'static str, &'static str, &'static str); 2],
);

async fn load_catalogue_and_services(svc: &Services) -> DomainResult<()> {
    let txn = svc.db.begin().await?;
    let mut plan_ids = Vec::new();
    for (i, (slug, name, description, features, prices)) in PLANS.into_iter().enumerate() {
        let p = plan::ActiveModel {
            slug: Set(slug.into()),
            name: Set(name.into()),
            description: Set(description.into()),
            features: Set(features.into()),
            currency: Set("EUR".into()),
            setup_fee_cents: Set(0),
            active: Set(true),
            hidden: Set(false),
            sort_order: Set(i as i32),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        for (cycle, amount) in ["monthly", "quarterly", "semiannually", "annually"]
            .into_iter()
            .zip(prices)
        {
            plan_price::ActiveModel {
                plan_id: Set(p.id),
                cycle: Set(cycle.into()),
                amount_cents: Set(amount),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
        plan_ids.push(p.id);
    }
    // Upgrades up the ladder, and one step down.
    for (from, to) in [(0, 1), (0, 2), (1, 2), (1, 0), (2, 1)] {
        plan_change::ActiveModel {
            from_plan_id: Set(plan_ids[from]),
            to_plan_id: Set(plan_ids[to]),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }

    let now = svc.now();
    let today = now.date_naive();
    let client = |email: &'static str| {
        let txn = &txn;
        async move {
            user::Entity::find()
                .filter(user::Column::Email.eq(email))
                .one(txn)
                .await
                .map(|u| u.map(|u| u.id))
        }
    };
    let (Some(ana), Some(ben)) = (
        client("ana@example.com").await?,
        client("ben@example.com").await?,
    ) else {
        return Ok(());
    };
    // (client, plan, domain, cycle, status, reason, months since registration, gateway)
    let services = [
        (
            ana,
            1,
            "tienda-ana.example",
            "monthly",
            "active",
            None,
            7,
            "card",
        ),
        (
            ana,
            0,
            "blog-ana.example",
            "annually",
            "suspended",
            Some("overdue"),
            14,
            "manual",
        ),
        (
            ana,
            0,
            "antigua-web.example",
            "monthly",
            "terminated",
            None,
            30,
            "manual",
        ),
        (
            ana,
            2,
            "nuevo-proyecto.example",
            "quarterly",
            "pending",
            None,
            0,
            "card",
        ),
        (
            ana,
            0,
            "pruebas-ana.example",
            "monthly",
            "cancelled",
            None,
            20,
            "manual",
        ),
        (
            ben,
            0,
            "bencarter.example",
            "monthly",
            "active",
            None,
            3,
            "manual",
        ),
        // Paid by card; Ben has no saved card, so its invoices wait for him.
        (
            ben,
            0,
            BEN_CARD_DOMAIN,
            "monthly",
            "active",
            None,
            2,
            "card",
        ),
        // Has an open end-of-period cancellation request (below).
        (
            ben,
            1,
            BEN_CANCELLING_DOMAIN,
            "annually",
            "active",
            None,
            10,
            "manual",
        ),
    ];
    let mut ids = std::collections::HashMap::new();
    for (client_id, plan_idx, domain, cycle, status, reason, age_months, gateway) in services {
        let registered = today
            .checked_sub_months(Months::new(age_months))
            .unwrap_or(today);
        let amount = PLANS[plan_idx].4[match cycle {
            "monthly" => 0,
            "quarterly" => 1,
            "semiannually" => 2,
            _ => 3,
        }];
        // Active services are paid up to a date ahead; the suspended one fell due two weeks ago.
        let next_due = match status {
            "suspended" => today - Duration::days(14),
            "active" | "pending" => today.checked_add_days(Days::new(12)).unwrap_or(today),
            _ => registered,
        };
        let row = service::ActiveModel {
            client_id: Set(client_id),
            plan_id: Set(plan_ids[plan_idx]),
            domain: Set(domain.into()),
            cycle: Set(cycle.into()),
            amount_cents: Set(amount),
            currency: Set("EUR".into()),
            registered_on: Set(registered),
            next_due_on: Set(next_due),
            gateway: Set(gateway.into()),
            status: Set(status.into()),
            suspension_reason: Set(reason.map(String::from)),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        ids.insert(domain, (row.id, row.next_due_on));
    }
    provisioning_demo(&txn, &ids, now).await?;

    let items: [DemoNews; 4] = [
        ("scheduled-maintenance", 2, [
            ("en", "Scheduled maintenance on Sunday night", "We will update the storage servers on **Sunday from 01:00 to 03:00 UTC**. Websites stay online; the control panel may be slow for a few minutes.\n\nNo action is needed on your side."),
            ("es", "Mantenimiento programado el domingo por la noche", "Actualizaremos los servidores de almacenamiento el **domingo de 01:00 a 03:00 UTC**. Las webs seguirán en línea; el panel de control puede ir lento unos minutos.\n\nNo tienes que hacer nada."),
        ]),
        ("php-84-available", 9, [
            ("en", "PHP 8.4 is now available", "You can now choose **PHP 8.4** for each website in the control panel. Test your site first: older plugins may need an update.\n\n- Faster\n- Newer language features"),
            ("es", "Ya está disponible PHP 8.4", "Ya puedes elegir **PHP 8.4** para cada web en el panel de control. Prueba tu web antes: algunos plugins antiguos pueden necesitar una actualización.\n\n- Más rápido\n- Nuevas funciones del lenguaje"),
        ]),
        ("new-client-area", 20, [
            ("en", "Welcome to the new client area", "Your services, invoices and support tickets are now in one place. Install it on your phone from your browser's menu."),
            ("es", "Bienvenido a la nueva área de clientes", "Tus servicios, facturas y tickets de soporte están ahora en un solo lugar. Instálala en tu móvil desde el menú del navegador."),
        ]),
        (DRAFT_NEWS_SLUG, -1, [
            ("en", "A new data centre (draft)", "Not published yet."),
            ("es", "Un nuevo centro de datos (borrador)", "Todavía no se ha publicado."),
        ]),
    ];
    for (slug, days_ago, translations) in items {
        for (language, title, body) in translations {
            news::ActiveModel {
                slug: Set(slug.into()),
                language: Set(language.into()),
                title: Set(title.into()),
                body_md: Set(body.into()),
                published_at: Set((days_ago >= 0).then(|| now - Duration::days(days_ago))),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
    }
    txn.commit().await?;
    Ok(())
}

/// Work for staff: the overdue suspension of Ana's blog still has to be done on the panel, and
/// Ben has asked to cancel his shop at the end of its period.
async fn provisioning_demo(
    txn: &sea_orm::DatabaseTransaction,
    ids: &std::collections::HashMap<&str, (i32, chrono::NaiveDate)>,
    now: chrono::DateTime<chrono::Utc>,
) -> DomainResult<()> {
    if let Some((blog, _)) = ids.get("blog-ana.example") {
        provisioning_action::ActiveModel {
            service_id: Set(*blog),
            module: Set(crate::hosting::provisioning::MANUAL.into()),
            action: Set("suspend".into()),
            detail: Set(r#"{"reason":"overdue"}"#.into()),
            status: Set("pending".into()),
            actor_id: Set(None),
            created_at: Set(now - Duration::days(1)),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    if let Some((shop, due)) = ids.get(BEN_CANCELLING_DOMAIN) {
        let client_id = service::Entity::find_by_id(*shop)
            .one(txn)
            .await?
            .map(|s| s.client_id)
            .unwrap_or_default();
        cancellation_request::ActiveModel {
            service_id: Set(*shop),
            client_id: Set(client_id),
            kind: Set("end_of_period".into()),
            reason: Set("We are moving the shop to a marketplace platform.".into()),
            status: Set("open".into()),
            effective_on: Set(*due),
            created_at: Set(now - Duration::days(2)),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}
