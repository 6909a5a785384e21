//! Outgoing email: sent over SMTP when configured, and always recorded (the client's email
//! history). Without SMTP the record is all there is, which keeps the demo working offline.
pub mod account_templates;
pub mod billing_templates;
pub mod card_templates;
pub mod history;
pub mod templates;
pub mod ticket_templates;

use crate::{
    accounts::Language,
    entities::{email, user},
    error::DomainResult,
    Services,
};
use lettre::{
    message::{header::ContentType, Mailbox},
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
};
use sea_orm::{
    sea_query::Expr, ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

#[derive(Debug, thiserror::Error)]
pub enum MailConfigError {
    #[error(
        "SMTP_URL is not a valid SMTP URL (expected smtp://user:pass@host:587 or smtps://…): {0}"
    )]
    SmtpUrl(String),
    #[error("the sender address {0:?} is not a valid mailbox")]
    From(String),
}

/// A rendered email in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub body: String,
}

pub struct OutgoingEmail {
    pub user_id: Option<i32>,
    pub to: String,
    pub kind: &'static str,
    pub language: Language,
    pub content: Rendered,
}

impl OutgoingEmail {
    pub fn to_user(
        u: &user::Model,
        kind: &'static str,
        language: Language,
        content: Rendered,
    ) -> Self {
        Self {
            user_id: Some(u.id),
            to: u.email.clone(),
            kind,
            language,
            content,
        }
    }
}

/// Writes how a delivery ended: `sent`, `recorded` (no SMTP) or `failed` with the error.
async fn record_outcome(
    svc: &Services,
    id: i32,
    status: &str,
    error: Option<String>,
) -> DomainResult<()> {
    email::Entity::update_many()
        .col_expr(email::Column::Status, Expr::value(status))
        .col_expr(email::Column::Error, Expr::value(error))
        .col_expr(
            email::Column::SentAt,
            Expr::value((status == "sent").then(|| svc.now())),
        )
        .filter(email::Column::Id.eq(id))
        .exec(&svc.db)
        .await?;
    Ok(())
}

#[derive(Clone)]
pub struct Mailer {
    transport: Option<AsyncSmtpTransport<Tokio1Executor>>,
    from: Mailbox,
}

// The transport holds SMTP credentials: keep them out of logs.
impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer")
            .field("smtp", &self.transport.is_some())
            .field("from", &self.from.to_string())
            .finish()
    }
}

impl Mailer {
    pub fn new(smtp_url: Option<&str>, from: &str) -> Result<Self, MailConfigError> {
        let from: Mailbox = from
            .parse()
            .map_err(|_| MailConfigError::From(from.to_owned()))?;
        let transport = match smtp_url {
            Some(url) => Some(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| MailConfigError::SmtpUrl(e.to_string()))?
                    .timeout(Some(std::time::Duration::from_secs(20)))
                    .build(),
            ),
            None => None,
        };
        Ok(Self { transport, from })
    }

    /// Records the email, then delivers it. A delivery failure is recorded and logged but not
    /// returned: the action that caused the email has already happened.
    pub async fn send(&self, svc: &Services, mail: OutgoingEmail) -> DomainResult<i32> {
        let record = email::ActiveModel {
            user_id: Set(mail.user_id),
            to_address: Set(mail.to.clone()),
            kind: Set(mail.kind.to_owned()),
            language: Set(mail.language.as_str().to_owned()),
            subject: Set(mail.content.subject.clone()),
            body_text: Set(mail.content.body.clone()),
            status: Set("queued".to_owned()),
            error: Set(None),
            created_at: Set(svc.now()),
            sent_at: Set(None),
            ..Default::default()
        }
        .insert(&svc.db)
        .await?;

        let (status, error) = match &self.transport {
            None => ("recorded", None),
            Some(transport) => match self.deliver(transport, &mail).await {
                Ok(()) => ("sent", None),
                Err(e) => {
                    tracing::warn!(email_id = record.id, kind = mail.kind, error = %e, "email delivery failed");
                    ("failed", Some(e))
                }
            },
        };
        record_outcome(svc, record.id, status, error).await?;
        tracing::info!(email_id = record.id, kind = mail.kind, status, "email");
        Ok(record.id)
    }

    /// Delivers emails queued by the billing automation (status `pending`, written in the same
    /// transaction as the event they report). Each is claimed first (`pending` → `sending`), so
    /// two deliverers never send the same email; one interrupted mid-delivery stays `sending`
    /// rather than risk a second copy. Returns how many were handled.
    pub async fn deliver_pending(&self, svc: &Services) -> DomainResult<u32> {
        let pending = email::Entity::find()
            .filter(email::Column::Status.eq("pending"))
            .order_by_asc(email::Column::Id)
            .all(&svc.db)
            .await?;
        let mut n = 0;
        for record in pending {
            let claimed = email::Entity::update_many()
                .col_expr(email::Column::Status, Expr::value("sending"))
                .filter(email::Column::Id.eq(record.id))
                .filter(email::Column::Status.eq("pending"))
                .exec(&svc.db)
                .await?;
            if claimed.rows_affected != 1 {
                continue;
            }
            let (status, error) = match &self.transport {
                None => ("recorded", None),
                Some(transport) => {
                    let mail = OutgoingEmail {
                        user_id: record.user_id,
                        to: record.to_address.clone(),
                        kind: "billing",
                        language: Language::from_db(&record.language),
                        content: Rendered {
                            subject: record.subject.clone(),
                            body: record.body_text.clone(),
                        },
                    };
                    match self.deliver(transport, &mail).await {
                        Ok(()) => ("sent", None),
                        Err(e) => {
                            tracing::warn!(email_id = record.id, error = %e, "email delivery failed");
                            ("failed", Some(e))
                        }
                    }
                }
            };
            record_outcome(svc, record.id, status, error).await?;
            tracing::info!(email_id = record.id, kind = %record.kind, status, "email");
            n += 1;
        }
        Ok(n)
    }

    async fn deliver(
        &self,
        transport: &AsyncSmtpTransport<Tokio1Executor>,
        mail: &OutgoingEmail,
    ) -> Result<(), String> {
        let to: Mailbox = mail.to.parse().map_err(|e| format!("recipient: {e}"))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(&mail.content.subject)
            .header(ContentType::TEXT_PLAIN)
            .body(mail.content.body.clone())
            .map_err(|e| format!("building message: {e}"))?;
        transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    }
}
