//! Departments: where a ticket goes. Staff add and edit them; a department with tickets is
//! closed to new tickets (made inactive) rather than deleted, so every ticket keeps its own.
use crate::{
    entities::ticket_department as dept,
    error::{DomainResult, Invalid},
};
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Department {
    pub id: i32,
    pub name_en: String,
    pub name_es: String,
    pub description_en: String,
    pub description_es: String,
    pub position: i32,
    pub active: bool,
}

impl From<dept::Model> for Department {
    fn from(m: dept::Model) -> Self {
        Self {
            id: m.id,
            name_en: m.name_en,
            name_es: m.name_es,
            description_en: m.description_en,
            description_es: m.description_es,
            position: m.position,
            active: m.active,
        }
    }
}

/// What the department form sends.
#[derive(Debug, Clone, Default)]
pub struct DepartmentInput {
    pub name_en: String,
    pub name_es: String,
    pub description_en: String,
    pub description_es: String,
    pub position: i32,
    pub active: bool,
}

impl DepartmentInput {
    fn checked(&self) -> Result<(), Invalid> {
        let name_ok = |s: &str| (1..=80).contains(&s.trim().chars().count());
        let desc_ok = |s: &str| (1..=2000).contains(&s.trim().chars().count());
        if name_ok(&self.name_en)
            && name_ok(&self.name_es)
            && desc_ok(&self.description_en)
            && desc_ok(&self.description_es)
        {
            Ok(())
        } else {
            Err(Invalid::Department)
        }
    }
}

/// All departments in their order (staff).
pub async fn list_all(db: &impl ConnectionTrait) -> DomainResult<Vec<Department>> {
    Ok(dept::Entity::find()
        .order_by_asc(dept::Column::Position)
        .order_by_asc(dept::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(Department::from)
        .collect())
}

/// The departments a client can open a ticket in.
pub async fn list_active(db: &impl ConnectionTrait) -> DomainResult<Vec<Department>> {
    Ok(list_all(db)
        .await?
        .into_iter()
        .filter(|d| d.active)
        .collect())
}

pub async fn create(
    db: &impl ConnectionTrait,
    input: &DepartmentInput,
    now: DateTime<Utc>,
) -> DomainResult<i32> {
    input.checked()?;
    let m = dept::ActiveModel {
        name_en: Set(input.name_en.trim().to_owned()),
        name_es: Set(input.name_es.trim().to_owned()),
        description_en: Set(input.description_en.trim().to_owned()),
        description_es: Set(input.description_es.trim().to_owned()),
        position: Set(input.position),
        active: Set(input.active),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(m.id)
}

pub async fn update(
    db: &impl ConnectionTrait,
    id: i32,
    input: &DepartmentInput,
) -> DomainResult<()> {
    input.checked()?;
    let found = dept::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(crate::DomainError::NotFound)?;
    let mut m: dept::ActiveModel = found.into();
    m.name_en = Set(input.name_en.trim().to_owned());
    m.name_es = Set(input.name_es.trim().to_owned());
    m.description_en = Set(input.description_en.trim().to_owned());
    m.description_es = Set(input.description_es.trim().to_owned());
    m.position = Set(input.position);
    m.active = Set(input.active);
    m.update(db).await?;
    Ok(())
}

/// An active department by id, for a new ticket.
pub(super) async fn active_by_id(db: &impl ConnectionTrait, id: i32) -> DomainResult<dept::Model> {
    dept::Entity::find_by_id(id)
        .filter(dept::Column::Active.eq(true))
        .one(db)
        .await?
        .ok_or(Invalid::TicketDepartment.into())
}
