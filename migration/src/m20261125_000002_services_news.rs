//! Plans (with prices per billing cycle and allowed plan changes), clients' hosting services,
//! and news. Money is stored as integer cents: exact on every database.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Plans {
    Table,
    Id,
    Slug,
    Name,
    Description,
    Features,
    Currency,
    SetupFeeCents,
    Active,
    Hidden,
    SortOrder,
}

#[derive(DeriveIden)]
enum PlanPrices {
    Table,
    Id,
    PlanId,
    Cycle,
    AmountCents,
}

#[derive(DeriveIden)]
enum PlanChanges {
    Table,
    Id,
    FromPlanId,
    ToPlanId,
}

#[derive(DeriveIden)]
enum Services {
    Table,
    Id,
    ClientId,
    PlanId,
    Domain,
    Cycle,
    AmountCents,
    Currency,
    RegisteredOn,
    NextDueOn,
    Gateway,
    Status,
    SuspensionReason,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum News {
    Table,
    Id,
    Slug,
    Language,
    Title,
    BodyMd,
    PublishedAt,
    CreatedAt,
    UpdatedAt,
}

fn fk(
    from_tbl: impl IntoIden,
    from_col: impl IntoIden,
    to_tbl: impl IntoIden,
    to_col: impl IntoIden,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from_tbl, from_col)
        .to(to_tbl, to_col)
        .on_delete(ForeignKeyAction::Restrict)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Plans::Table)
                .col(pk_auto(Plans::Id))
                .col(string_len_uniq(Plans::Slug, 64))
                .col(string_len(Plans::Name, 120))
                .col(text(Plans::Description))
                .col(text(Plans::Features))
                .col(string_len(Plans::Currency, 3))
                .col(big_integer(Plans::SetupFeeCents).default(0))
                .col(boolean(Plans::Active).default(true))
                .col(boolean(Plans::Hidden).default(false))
                .col(integer(Plans::SortOrder).default(0))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(PlanPrices::Table)
                .col(pk_auto(PlanPrices::Id))
                .col(integer(PlanPrices::PlanId))
                .col(string_len(PlanPrices::Cycle, 16))
                .col(big_integer(PlanPrices::AmountCents))
                .foreign_key(&mut fk(
                    PlanPrices::Table,
                    PlanPrices::PlanId,
                    Plans::Table,
                    Plans::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("uq_plan_prices_plan_cycle")
                .table(PlanPrices::Table)
                .col(PlanPrices::PlanId)
                .col(PlanPrices::Cycle)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(PlanChanges::Table)
                .col(pk_auto(PlanChanges::Id))
                .col(integer(PlanChanges::FromPlanId))
                .col(integer(PlanChanges::ToPlanId))
                .foreign_key(&mut fk(
                    PlanChanges::Table,
                    PlanChanges::FromPlanId,
                    Plans::Table,
                    Plans::Id,
                ))
                .foreign_key(&mut fk(
                    PlanChanges::Table,
                    PlanChanges::ToPlanId,
                    Plans::Table,
                    Plans::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("uq_plan_changes")
                .table(PlanChanges::Table)
                .col(PlanChanges::FromPlanId)
                .col(PlanChanges::ToPlanId)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Services::Table)
                .col(pk_auto(Services::Id))
                .col(integer(Services::ClientId))
                .col(integer(Services::PlanId))
                .col(string_len(Services::Domain, 253))
                .col(string_len(Services::Cycle, 16))
                .col(big_integer(Services::AmountCents))
                .col(string_len(Services::Currency, 3))
                .col(date(Services::RegisteredOn))
                .col(date(Services::NextDueOn))
                .col(string_len(Services::Gateway, 16))
                .col(string_len(Services::Status, 16))
                .col(string_len_null(Services::SuspensionReason, 16))
                .col(timestamp_with_time_zone(Services::CreatedAt))
                .col(timestamp_with_time_zone(Services::UpdatedAt))
                .foreign_key(&mut fk(
                    Services::Table,
                    Services::ClientId,
                    Users::Table,
                    Users::Id,
                ))
                .foreign_key(&mut fk(
                    Services::Table,
                    Services::PlanId,
                    Plans::Table,
                    Plans::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_services_client_status")
                .table(Services::Table)
                .col(Services::ClientId)
                .col(Services::Status)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(News::Table)
                .col(pk_auto(News::Id))
                .col(string_len(News::Slug, 120))
                .col(string_len(News::Language, 8))
                .col(string_len(News::Title, 200))
                .col(text(News::BodyMd))
                .col(timestamp_with_time_zone_null(News::PublishedAt))
                .col(timestamp_with_time_zone(News::CreatedAt))
                .col(timestamp_with_time_zone(News::UpdatedAt))
                .to_owned(),
        )
        .await?;
        // The same slug may exist once per language (an article and its translation).
        m.create_index(
            Index::create()
                .name("uq_news_slug_language")
                .table(News::Table)
                .col(News::Slug)
                .col(News::Language)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_news_published")
                .table(News::Table)
                .col(News::Language)
                .col(News::PublishedAt)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            News::Table.into_iden(),
            Services::Table.into_iden(),
            PlanChanges::Table.into_iden(),
            PlanPrices::Table.into_iden(),
            Plans::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
