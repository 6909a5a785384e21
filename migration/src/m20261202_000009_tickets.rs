//! Support tickets: staff-configured departments, tickets with their messages (client replies,
//! staff replies and internal notes), attachments (each file's bytes stored once, by SHA-256,
//! in the database so a message and its files commit together), canned responses and staff
//! signatures.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Services {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum TicketDepartments {
    Table,
    Id,
    NameEn,
    NameEs,
    DescriptionEn,
    DescriptionEs,
    Position,
    Active,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Tickets {
    Table,
    Id,
    ClientId,
    DepartmentId,
    ServiceId,
    Subject,
    Priority,
    Status,
    AssignedTo,
    CreatedAt,
    UpdatedAt,
    LastClientAt,
    LastStaffAt,
    ClientReadAt,
    StaffReadAt,
    ClosedAt,
}

#[derive(DeriveIden)]
enum TicketMessages {
    Table,
    Id,
    TicketId,
    AuthorId,
    FromStaff,
    Internal,
    Body,
    CreatedAt,
}

#[derive(DeriveIden)]
enum TicketFiles {
    Table,
    Sha256,
    Content,
    Size,
    CreatedAt,
}

#[derive(DeriveIden)]
enum TicketAttachments {
    Table,
    Id,
    TicketId,
    MessageId,
    FileSha256,
    Filename,
    ContentType,
    Size,
    CreatedAt,
}

#[derive(DeriveIden)]
enum CannedResponses {
    Table,
    Id,
    Title,
    Body,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum StaffSignatures {
    Table,
    UserId,
    Signature,
    UpdatedAt,
}

fn fk(
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(on_delete)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(TicketDepartments::Table)
                .col(pk_auto(TicketDepartments::Id))
                .col(string_len(TicketDepartments::NameEn, 80))
                .col(string_len(TicketDepartments::NameEs, 80))
                .col(text(TicketDepartments::DescriptionEn))
                .col(text(TicketDepartments::DescriptionEs))
                .col(integer(TicketDepartments::Position).default(0))
                .col(boolean(TicketDepartments::Active).default(true))
                .col(timestamp_with_time_zone(TicketDepartments::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Tickets::Table)
                .col(pk_auto(Tickets::Id))
                .col(integer(Tickets::ClientId))
                .col(integer(Tickets::DepartmentId))
                .col(integer_null(Tickets::ServiceId))
                .col(string_len(Tickets::Subject, 200))
                // low | medium | high | urgent
                .col(string_len(Tickets::Priority, 10))
                // open | answered | customer_reply | on_hold | closed
                .col(string_len(Tickets::Status, 20))
                .col(integer_null(Tickets::AssignedTo))
                .col(timestamp_with_time_zone(Tickets::CreatedAt))
                .col(timestamp_with_time_zone(Tickets::UpdatedAt))
                .col(timestamp_with_time_zone_null(Tickets::LastClientAt))
                .col(timestamp_with_time_zone_null(Tickets::LastStaffAt))
                .col(timestamp_with_time_zone_null(Tickets::ClientReadAt))
                .col(timestamp_with_time_zone_null(Tickets::StaffReadAt))
                .col(timestamp_with_time_zone_null(Tickets::ClosedAt))
                .foreign_key(&mut fk(
                    (Tickets::Table, Tickets::ClientId),
                    (Users::Table, Users::Id),
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    (Tickets::Table, Tickets::DepartmentId),
                    (TicketDepartments::Table, TicketDepartments::Id),
                    ForeignKeyAction::Restrict,
                ))
                .foreign_key(&mut fk(
                    (Tickets::Table, Tickets::ServiceId),
                    (Services::Table, Services::Id),
                    ForeignKeyAction::SetNull,
                ))
                .foreign_key(&mut fk(
                    (Tickets::Table, Tickets::AssignedTo),
                    (Users::Table, Users::Id),
                    ForeignKeyAction::SetNull,
                ))
                .to_owned(),
        )
        .await?;
        for (name, cols) in [
            (
                "idx_tickets_client",
                vec![Tickets::ClientId, Tickets::UpdatedAt],
            ),
            (
                "idx_tickets_status",
                vec![Tickets::Status, Tickets::UpdatedAt],
            ),
        ] {
            let mut idx = Index::create();
            idx.name(name).table(Tickets::Table);
            for c in cols {
                idx.col(c);
            }
            m.create_index(idx.to_owned()).await?;
        }
        m.create_table(
            Table::create()
                .table(TicketMessages::Table)
                .col(pk_auto(TicketMessages::Id))
                .col(integer(TicketMessages::TicketId))
                .col(integer(TicketMessages::AuthorId))
                .col(boolean(TicketMessages::FromStaff))
                // A staff note: never shown to the client, never emailed.
                .col(boolean(TicketMessages::Internal).default(false))
                .col(text(TicketMessages::Body))
                .col(timestamp_with_time_zone(TicketMessages::CreatedAt))
                .foreign_key(&mut fk(
                    (TicketMessages::Table, TicketMessages::TicketId),
                    (Tickets::Table, Tickets::Id),
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    (TicketMessages::Table, TicketMessages::AuthorId),
                    (Users::Table, Users::Id),
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_ticket_messages_ticket")
                .table(TicketMessages::Table)
                .col(TicketMessages::TicketId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(TicketFiles::Table)
                .col(string_len(TicketFiles::Sha256, 64).primary_key())
                .col(blob(TicketFiles::Content))
                .col(big_integer(TicketFiles::Size))
                .col(timestamp_with_time_zone(TicketFiles::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(TicketAttachments::Table)
                .col(pk_auto(TicketAttachments::Id))
                .col(integer(TicketAttachments::TicketId))
                .col(integer(TicketAttachments::MessageId))
                .col(string_len(TicketAttachments::FileSha256, 64))
                .col(string_len(TicketAttachments::Filename, 255))
                .col(string_len(TicketAttachments::ContentType, 100))
                .col(big_integer(TicketAttachments::Size))
                .col(timestamp_with_time_zone(TicketAttachments::CreatedAt))
                .foreign_key(&mut fk(
                    (TicketAttachments::Table, TicketAttachments::TicketId),
                    (Tickets::Table, Tickets::Id),
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    (TicketAttachments::Table, TicketAttachments::MessageId),
                    (TicketMessages::Table, TicketMessages::Id),
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    (TicketAttachments::Table, TicketAttachments::FileSha256),
                    (TicketFiles::Table, TicketFiles::Sha256),
                    ForeignKeyAction::Restrict,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_ticket_attachments_ticket")
                .table(TicketAttachments::Table)
                .col(TicketAttachments::TicketId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(CannedResponses::Table)
                .col(pk_auto(CannedResponses::Id))
                .col(string_len(CannedResponses::Title, 120))
                .col(text(CannedResponses::Body))
                .col(timestamp_with_time_zone(CannedResponses::CreatedAt))
                .col(timestamp_with_time_zone(CannedResponses::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(StaffSignatures::Table)
                .col(integer(StaffSignatures::UserId).primary_key())
                .col(text(StaffSignatures::Signature))
                .col(timestamp_with_time_zone(StaffSignatures::UpdatedAt))
                .foreign_key(&mut fk(
                    (StaffSignatures::Table, StaffSignatures::UserId),
                    (Users::Table, Users::Id),
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            StaffSignatures::Table.into_iden(),
            CannedResponses::Table.into_iden(),
            TicketAttachments::Table.into_iden(),
            TicketFiles::Table.into_iden(),
            TicketMessages::Table.into_iden(),
            Tickets::Table.into_iden(),
            TicketDepartments::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
