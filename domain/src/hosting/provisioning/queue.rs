//! The staff queue: provisioning actions a module left for staff to do by hand.
use super::ActionKind;
use crate::{
    entities::{provisioning_action, service, user},
    error::{DomainError, DomainResult, Refused},
};
use chrono::{DateTime, Utc};
use sea_orm::{
    sea_query::Expr, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
};
use std::collections::HashMap;

/// A pending action with what staff need to find the account on the panel.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingAction {
    pub id: i32,
    pub service_id: i32,
    pub domain: String,
    pub client_name: String,
    pub client_email: String,
    pub module: String,
    pub action: ActionKind,
    /// The JSON object recorded with the action (reason, new plan, ...).
    pub detail: serde_json::Value,
    pub created_at: DateTime<Utc>,
}

/// Every pending action, oldest first (the order to work through them).
pub async fn pending_actions(db: &impl ConnectionTrait) -> DomainResult<Vec<PendingAction>> {
    let rows = provisioning_action::Entity::find()
        .filter(provisioning_action::Column::Status.eq("pending"))
        .find_also_related(service::Entity)
        .order_by_asc(provisioning_action::Column::CreatedAt)
        .order_by_asc(provisioning_action::Column::Id)
        .all(db)
        .await?;
    let client_ids: Vec<i32> = rows
        .iter()
        .filter_map(|(_, s)| s.as_ref().map(|s| s.client_id))
        .collect();
    let clients: HashMap<i32, user::Model> = user::Entity::find()
        .filter(user::Column::Id.is_in(client_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    rows.into_iter()
        .map(|(a, s)| {
            let s =
                s.ok_or_else(|| DomainError::Internal(format!("action {}: no service", a.id)))?;
            let client = clients.get(&s.client_id);
            Ok(PendingAction {
                id: a.id,
                service_id: s.id,
                domain: s.domain,
                client_name: client.map(|c| c.name.clone()).unwrap_or_default(),
                client_email: client.map(|c| c.email.clone()).unwrap_or_default(),
                action: ActionKind::parse(&a.action)
                    .ok_or_else(|| DomainError::Internal(format!("action {}: bad kind", a.id)))?,
                detail: serde_json::from_str(&a.detail).unwrap_or(serde_json::Value::Null),
                module: a.module,
                created_at: a.created_at,
            })
        })
        .collect()
}

/// Staff did a pending action by hand. `NotFound` for no such action, `Refused` when it is
/// already done (e.g. two staff members clicked at once).
pub async fn mark_action_done(
    db: &impl ConnectionTrait,
    action_id: i32,
    staff_id: i32,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    let res = provisioning_action::Entity::update_many()
        .col_expr(provisioning_action::Column::Status, Expr::value("done"))
        .col_expr(provisioning_action::Column::CompletedAt, Expr::value(now))
        .col_expr(
            provisioning_action::Column::CompletedBy,
            Expr::value(staff_id),
        )
        .filter(provisioning_action::Column::Id.eq(action_id))
        .filter(provisioning_action::Column::Status.eq("pending"))
        .exec(db)
        .await?;
    if res.rows_affected == 1 {
        return Ok(());
    }
    match provisioning_action::Entity::find_by_id(action_id)
        .one(db)
        .await?
    {
        Some(_) => Err(Refused::ActionNotPending.into()),
        None => Err(DomainError::NotFound),
    }
}
