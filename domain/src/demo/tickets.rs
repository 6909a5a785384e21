//! Demo support: three departments (hosting support answers hosting questions only, and says
//! where other questions go), two canned responses, the administrator's signature, and Ana's
//! tickets: one answered by staff (unread), one open with an internal note, one closed.
use crate::{
    entities::{
        canned_response, service, staff_signature, ticket, ticket_department, ticket_message, user,
    },
    error::DomainResult,
    Services,
};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set, TransactionTrait};

pub const HOSTING_DEPARTMENT: &str = "Hosting support";
/// The subject of Ana's ticket that staff answered and she has not read.
pub const ANA_ANSWERED_SUBJECT: &str = "Los correos de mi dominio llegan como spam";

const DEPARTMENTS: [(&str, &str, &str, &str); 3] = [
    (
        HOSTING_DEPARTMENT,
        "Soporte de hosting",
        "Questions about your hosting: websites, email, domains, databases and the control \
         panel. This department answers hosting questions only: for other products and \
         projects, write to support@example.com instead.",
        "Preguntas sobre tu hosting: webs, correo, dominios, bases de datos y el panel de \
         control. Este departamento solo atiende preguntas de hosting: para otros productos y \
         proyectos, escribe a support@example.com.",
    ),
    (
        "Billing",
        "Facturación",
        "Invoices, payments, refunds and saved cards.",
        "Facturas, pagos, reembolsos y tarjetas guardadas.",
    ),
    (
        "Sales",
        "Ventas",
        "Plans and upgrades, before you order.",
        "Planes y mejoras, antes de contratar.",
    ),
];

async fn user_id(svc: &Services, email: &str) -> DomainResult<i32> {
    user::Entity::find()
        .filter(user::Column::Email.eq(email))
        .one(&svc.db)
        .await?
        .map(|u| u.id)
        .ok_or(crate::DomainError::NotFound)
}

struct DemoMessage<'a> {
    author: i32,
    from_staff: bool,
    internal: bool,
    body: &'a str,
    at: DateTime<Utc>,
}

pub(super) async fn load(svc: &Services) -> DomainResult<()> {
    let now = svc.now();
    let admin = user_id(svc, "admin@example.com").await?;
    let ana = user_id(svc, "ana@example.com").await?;
    let txn = svc.db.begin().await?;
    let mut depts = Vec::new();
    for (i, (en, es, den, des)) in DEPARTMENTS.into_iter().enumerate() {
        let d = ticket_department::ActiveModel {
            name_en: Set(en.into()),
            name_es: Set(es.into()),
            description_en: Set(den.into()),
            description_es: Set(des.into()),
            position: Set(i as i32),
            active: Set(true),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        depts.push(d.id);
    }
    for (title, body) in [
        (
            "Looking into it",
            "Thank you for writing. We are looking into it and will reply here as soon as we know more.",
        ),
        (
            "DNS propagation",
            "DNS changes can take up to 24 hours to reach every network. If the problem is still there tomorrow, reply here and we will check again.",
        ),
    ] {
        canned_response::ActiveModel {
            title: Set(title.into()),
            body: Set(body.into()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    staff_signature::ActiveModel {
        user_id: Set(admin),
        signature: Set("Portico support team".into()),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    let ana_service = service::Entity::find()
        .filter(service::Column::ClientId.eq(ana))
        .filter(service::Column::Status.eq("active"))
        .one(&txn)
        .await?
        .map(|s| s.id);
    let day = Duration::days(1);
    let tickets = [
        (
            depts[0],
            ana_service,
            ANA_ANSWERED_SUBJECT,
            "answered",
            "high",
            now - day * 2,
            vec![
                DemoMessage {
                    author: ana,
                    from_staff: false,
                    internal: false,
                    body: "Hola:\nLos correos que envío desde mi dominio llegan a la carpeta de spam de mis clientes. ¿Podéis revisarlo?",
                    at: now - day * 2,
                },
                DemoMessage {
                    author: admin,
                    from_staff: true,
                    internal: false,
                    body: "Hola Ana:\nHemos añadido los registros SPF y DKIM a tu dominio. Los cambios tardan hasta 24 horas en propagarse; dinos si el problema continúa.\n\n-- \nPortico support team",
                    at: now - day,
                },
            ],
        ),
        (
            depts[2],
            None,
            "¿Puedo cambiar el dominio principal de mi plan?",
            "open",
            "medium",
            now - Duration::hours(5),
            vec![
                DemoMessage {
                    author: ana,
                    from_staff: false,
                    internal: false,
                    body: "Quiero usar otro dominio como principal. ¿Es posible sin perder mis archivos?",
                    at: now - Duration::hours(5),
                },
                DemoMessage {
                    author: admin,
                    from_staff: true,
                    internal: true,
                    body: "Internal: check whether her plan allows addon domains before answering.",
                    at: now - Duration::hours(4),
                },
            ],
        ),
        (
            depts[1],
            None,
            "Factura duplicada",
            "closed",
            "low",
            now - day * 20,
            vec![
                DemoMessage {
                    author: ana,
                    from_staff: false,
                    internal: false,
                    body: "Me ha llegado dos veces la misma factura.",
                    at: now - day * 20,
                },
                DemoMessage {
                    author: admin,
                    from_staff: true,
                    internal: false,
                    body: "Hola Ana:\nEra un envío duplicado del correo; la factura es una sola. Cerramos el ticket.\n\n-- \nPortico support team",
                    at: now - day * 19,
                },
            ],
        ),
    ];
    for (dept, svc_id, subject, status, priority, created, messages) in tickets {
        let last_client = messages
            .iter()
            .filter(|m| !m.from_staff)
            .map(|m| m.at)
            .max();
        let last_staff = messages
            .iter()
            .filter(|m| m.from_staff && !m.internal)
            .map(|m| m.at)
            .max();
        let updated = messages.iter().map(|m| m.at).max().unwrap_or(created);
        let t = ticket::ActiveModel {
            client_id: Set(ana),
            department_id: Set(dept),
            service_id: Set(svc_id),
            subject: Set(subject.into()),
            priority: Set(priority.into()),
            status: Set(status.into()),
            assigned_to: Set(Some(admin)),
            created_at: Set(created),
            updated_at: Set(updated),
            last_client_at: Set(last_client),
            last_staff_at: Set(last_staff),
            // Ana has read everything but the answer to her spam question.
            client_read_at: Set(if status == "answered" {
                last_client
            } else {
                Some(updated)
            }),
            // Staff have read everything but the newest question.
            staff_read_at: Set(if status == "open" {
                None
            } else {
                Some(updated)
            }),
            closed_at: Set((status == "closed").then_some(updated)),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        for m in messages {
            ticket_message::ActiveModel {
                ticket_id: Set(t.id),
                author_id: Set(m.author),
                from_staff: Set(m.from_staff),
                internal: Set(m.internal),
                body: Set(m.body.into()),
                created_at: Set(m.at),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
    }
    txn.commit().await?;
    Ok(())
}
