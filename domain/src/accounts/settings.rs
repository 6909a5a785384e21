//! Settings staff change in the app (not in the environment), one row per key.
use crate::{entities::setting, error::DomainResult};
use sea_orm::{sea_query::OnConflict, ConnectionTrait, EntityTrait, Set};

const STAFF_REQUIRE_TOTP: &str = "staff_require_totp";

/// Staff accounts must use two-factor sign-in before they may use staff pages.
pub async fn staff_require_totp(db: &impl ConnectionTrait) -> DomainResult<bool> {
    Ok(setting::Entity::find_by_id(STAFF_REQUIRE_TOTP)
        .one(db)
        .await?
        .is_some_and(|s| s.value == "true"))
}

pub async fn set_staff_require_totp(db: &impl ConnectionTrait, on: bool) -> DomainResult<()> {
    setting::Entity::insert(setting::ActiveModel {
        key: Set(STAFF_REQUIRE_TOTP.to_owned()),
        value: Set(on.to_string()),
    })
    .on_conflict(
        OnConflict::column(setting::Column::Key)
            .update_column(setting::Column::Value)
            .to_owned(),
    )
    .exec(db)
    .await?;
    Ok(())
}
