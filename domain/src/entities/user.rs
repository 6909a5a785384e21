use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub email: String,
    pub password_hash: String,
    pub name: String,
    pub role: String,
    pub language: String,
    pub company: String,
    pub address: String,
    pub postcode: String,
    pub region: String,
    /// ISO 3166-1 alpha-2, upper case; empty when unknown.
    pub country: String,
    pub vat_id: String,
    pub phone: String,
    /// The client's customer at Stripe, created when first needed.
    pub stripe_customer_id: Option<String>,
    /// A contact acts for this client account (their own login, the account's data).
    pub parent_id: Option<i32>,
    /// A contact's permissions, comma-separated (see `accounts::Permissions`); unused for owners.
    pub permissions: String,
    /// Base32 TOTP secret; set during set-up, in force once `totp_enabled_at` is set.
    pub totp_secret: Option<String>,
    pub totp_enabled_at: Option<DateTimeUtc>,
    /// The time step of the last code accepted: a code is good once, so one seen over a
    /// shoulder or phished cannot be used again in its 90 seconds.
    pub totp_last_step: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
