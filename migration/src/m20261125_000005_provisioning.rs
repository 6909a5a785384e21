//! Provisioning and cancellation: which module provisions a plan (`plans.module`, "manual" until
//! a hosting-panel module is plugged in), the log of provisioning actions (the manual module's
//! actions wait there for staff), and clients' cancellation requests.
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
    Module,
}

#[derive(DeriveIden)]
enum Services {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ProvisioningActions {
    Table,
    Id,
    ServiceId,
    Module,
    Action,
    Detail,
    Status,
    ActorId,
    CreatedAt,
    CompletedAt,
    CompletedBy,
}

#[derive(DeriveIden)]
enum CancellationRequests {
    Table,
    Id,
    ServiceId,
    ClientId,
    Kind,
    Reason,
    Status,
    EffectiveOn,
    CreatedAt,
    ClosedAt,
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
        m.alter_table(
            Table::alter()
                .table(Plans::Table)
                .add_column(string_len(Plans::Module, 32).default("manual"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ProvisioningActions::Table)
                .col(pk_auto(ProvisioningActions::Id))
                .col(integer(ProvisioningActions::ServiceId))
                .col(string_len(ProvisioningActions::Module, 32))
                // create | suspend | unsuspend | terminate | change_plan
                .col(string_len(ProvisioningActions::Action, 16))
                // JSON object with what the action needs (reason, new plan, ...).
                .col(text(ProvisioningActions::Detail))
                // done | pending (waiting for staff)
                .col(string_len(ProvisioningActions::Status, 16))
                // Who asked; NULL for automation.
                .col(integer_null(ProvisioningActions::ActorId))
                .col(timestamp_with_time_zone(ProvisioningActions::CreatedAt))
                .col(timestamp_with_time_zone_null(
                    ProvisioningActions::CompletedAt,
                ))
                .col(integer_null(ProvisioningActions::CompletedBy))
                .foreign_key(&mut fk(
                    ProvisioningActions::Table,
                    ProvisioningActions::ServiceId,
                    Services::Table,
                    Services::Id,
                ))
                .foreign_key(&mut fk(
                    ProvisioningActions::Table,
                    ProvisioningActions::ActorId,
                    Users::Table,
                    Users::Id,
                ))
                .foreign_key(&mut fk(
                    ProvisioningActions::Table,
                    ProvisioningActions::CompletedBy,
                    Users::Table,
                    Users::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_provisioning_actions_status")
                .table(ProvisioningActions::Table)
                .col(ProvisioningActions::Status)
                .col(ProvisioningActions::CreatedAt)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(CancellationRequests::Table)
                .col(pk_auto(CancellationRequests::Id))
                .col(integer(CancellationRequests::ServiceId))
                .col(integer(CancellationRequests::ClientId))
                // immediate | end_of_period
                .col(string_len(CancellationRequests::Kind, 16))
                .col(text(CancellationRequests::Reason))
                // open | done | withdrawn
                .col(string_len(CancellationRequests::Status, 16))
                .col(date(CancellationRequests::EffectiveOn))
                .col(timestamp_with_time_zone(CancellationRequests::CreatedAt))
                .col(timestamp_with_time_zone_null(
                    CancellationRequests::ClosedAt,
                ))
                .foreign_key(&mut fk(
                    CancellationRequests::Table,
                    CancellationRequests::ServiceId,
                    Services::Table,
                    Services::Id,
                ))
                .foreign_key(&mut fk(
                    CancellationRequests::Table,
                    CancellationRequests::ClientId,
                    Users::Table,
                    Users::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_cancellation_requests_status_effective")
                .table(CancellationRequests::Table)
                .col(CancellationRequests::Status)
                .col(CancellationRequests::EffectiveOn)
                .to_owned(),
        )
        .await?;
        // At most one open request per service, enforced by the database. A partial unique
        // index reads the same on SQLite and PostgreSQL.
        m.get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX uq_cancellation_requests_open \
                 ON cancellation_requests (service_id) WHERE status = 'open'",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            CancellationRequests::Table.into_iden(),
            ProvisioningActions::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        // SQLite (3.35+) drops a column too; its default makes the round trip clean.
        m.alter_table(
            Table::alter()
                .table(Plans::Table)
                .drop_column(Plans::Module)
                .to_owned(),
        )
        .await
    }
}
