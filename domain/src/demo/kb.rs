//! Demo knowledge base: categories and articles in English and Spanish, with accents and tags
//! so search, related articles and votes can be tried, plus a draft that must stay hidden.
use crate::{
    content::kb::{self, NewArticle, NewCategory},
    error::DomainResult,
    Services,
};

/// A Spanish article whose title has accents ("facturación"), for accent-insensitive search.
pub const KB_BILLING_ARTICLE_ES: (&str, &str) = ("facturacion", "como-funciona-la-facturacion");
/// A draft article: never listed, searched or opened by readers.
pub const KB_DRAFT_SLUG: &str = "nuevas-tarifas-borrador";

type DemoCategory = (&'static str, &'static str, &'static str, &'static str);
type DemoArticle = (
    usize,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    bool,
);

const CATEGORIES: [(&str, [DemoCategory; 3]); 2] = [
    (
        "en",
        [
            (
                "billing",
                "Billing",
                "Invoices, payments and plan changes.",
                "",
            ),
            ("email", "Email", "Setting up and using your mailboxes.", ""),
            (
                "domains",
                "Domains",
                "Pointing and managing your domains.",
                "",
            ),
        ],
    ),
    (
        "es",
        [
            (
                "facturacion",
                "Facturación",
                "Facturas, pagos y cambios de plan.",
                "",
            ),
            (
                "correo",
                "Correo",
                "Configurar y usar tus buzones de correo.",
                "",
            ),
            (
                "dominios",
                "Dominios",
                "Apuntar y gestionar tus dominios.",
                "",
            ),
        ],
    ),
];

/// (category index, slug, title, tags, Markdown body, published)
const ARTICLES: [(&str, [DemoArticle; 6]); 2] = [
    ("en", [
        (0, "how-billing-works", "How does billing work?", "billing, invoices, payments",
         "Each service is invoiced **14 days before** its next due date. Pay by card or bank transfer from **Invoices**.\n\n- With a saved card, new invoices are charged automatically.\n- Without one, pay each invoice by hand.", true),
        (0, "save-a-card", "Save a card for automatic payments", "payments, card",
         "Go to **Billing › Payment methods** and add a card. Card details go straight to our payment provider; we never see the number.", true),
        (0, "change-plan", "Changing plan: how proration is calculated", "billing, plans, upgrade",
         "When you move to another plan we credit the unused days of your current period and charge the new price for the same days. The service page shows the arithmetic before you confirm.", true),
        (1, "email-on-your-phone", "Set up email on your phone", "email, phone, imap",
         "Use **IMAP** on port 993 and **SMTP** on port 465, both with SSL. Your username is the full email address.", true),
        (2, "point-a-domain", "Point a domain to your hosting", "domains, dns",
         "Change the domain's **nameservers** at your registrar to `ns1.example.net` and `ns2.example.net`. Changes can take up to 24 hours.", true),
        (0, "new-prices-draft", "New prices for next year (draft)", "billing",
         "Not published yet.", false),
    ]),
    ("es", [
        (0, "como-funciona-la-facturacion", "¿Cómo funciona la facturación?", "facturación, facturas, pagos",
         "Cada servicio se factura **14 días antes** de su próximo vencimiento. Paga con tarjeta o por transferencia desde **Facturas**.\n\n- Con una tarjeta guardada, las facturas nuevas se cobran solas.\n- Sin ella, paga cada factura a mano.", true),
        (0, "guardar-una-tarjeta", "Guardar una tarjeta para el cobro automático", "pagos, tarjeta",
         "Ve a **Facturación › Métodos de pago** y añade una tarjeta. Los datos van directamente a nuestro proveedor de pagos; nunca vemos el número.", true),
        (0, "cambiar-de-plan", "Cambiar de plan: cómo se calcula el prorrateo", "facturación, planes, mejora",
         "Al pasar a otro plan te abonamos los días no usados del periodo actual y cobramos el precio nuevo por esos mismos días. La página del servicio muestra la cuenta antes de confirmar.", true),
        (1, "configurar-el-correo-en-el-movil", "Configurar el correo en el móvil", "correo, móvil, imap",
         "Usa **IMAP** en el puerto 993 y **SMTP** en el 465, ambos con SSL. El usuario es la dirección de correo completa.", true),
        (2, "apuntar-un-dominio", "Apuntar un dominio a tu hosting", "dominios, dns",
         "Cambia los **servidores de nombres** del dominio en tu registrador a `ns1.example.net` y `ns2.example.net`. El cambio puede tardar hasta 24 horas.", true),
        (0, KB_DRAFT_SLUG, "Nuevas tarifas de facturación (borrador)", "facturación",
         "Todavía no se ha publicado.", false),
    ]),
];

pub(super) async fn load(svc: &Services) -> DomainResult<()> {
    let now = svc.now();
    for ((language, categories), (_, articles)) in CATEGORIES.iter().zip(ARTICLES.iter()) {
        let mut ids = Vec::new();
        for (i, (slug, name, description, _)) in categories.iter().enumerate() {
            ids.push(
                kb::insert_category(
                    &svc.db,
                    NewCategory {
                        slug,
                        language,
                        name,
                        description,
                        sort_order: i as i32,
                    },
                )
                .await?,
            );
        }
        for (cat, slug, title, tags, body_md, published) in articles {
            kb::insert_article(
                &svc.db,
                NewArticle {
                    category_id: ids[*cat],
                    slug,
                    language,
                    title,
                    body_md,
                    tags,
                    published: *published,
                },
                now,
            )
            .await?;
        }
    }
    Ok(())
}
