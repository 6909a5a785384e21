//! Full-text search over knowledge-base articles, one interface over two engines: SQLite FTS5
//! (bm25 ranking) and PostgreSQL full-text search (`ts_rank`). Text is accent-folded and
//! lowercased in Rust before it is indexed and before it is searched, so "facturacion" finds
//! "facturación" on both databases without the `unaccent` extension. Words match as prefixes
//! ("factur" finds "facturas") and all words must match.
use crate::error::DomainResult;
use sea_orm::{ConnectionTrait, DatabaseBackend, Statement, Value};
use unicode_normalization::UnicodeNormalization;

/// Lowercase, without accents (NFD, combining marks dropped): "Facturación" → "facturacion".
pub fn fold(text: &str) -> String {
    text.nfd()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The searchable words of a query: folded, letters and digits only, at most 8, each at least
/// one character. Anything else a user types (quotes, operators) is dropped, so no query can
/// be malformed for either engine.
pub fn query_terms(query: &str) -> Vec<String> {
    fold(query)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(8)
        .map(String::from)
        .collect()
}

/// The text of one article as the index keeps it.
pub struct Document<'a> {
    pub article_id: i32,
    pub title: &'a str,
    pub tags: &'a str,
    pub body: &'a str,
}

fn stmt(db: &impl ConnectionTrait, sql: &str, values: Vec<Value>) -> Statement {
    Statement::from_sql_and_values(db.get_database_backend(), sql, values)
}

/// Adds or replaces an article in the index (call inside the transaction that writes it).
pub async fn index(db: &impl ConnectionTrait, doc: Document<'_>) -> DomainResult<()> {
    let (title, tags, body) = (fold(doc.title), fold(doc.tags), fold(doc.body));
    let id = doc.article_id;
    match db.get_database_backend() {
        DatabaseBackend::Sqlite => {
            remove(db, id).await?;
            db.execute_raw(stmt(
                db,
                "INSERT INTO kb_search (rowid, title, tags, body) VALUES (?, ?, ?, ?)",
                vec![id.into(), title.into(), tags.into(), body.into()],
            ))
            .await?;
        }
        _ => {
            db.execute_raw(stmt(
                db,
                "INSERT INTO kb_search (article_id, document) VALUES ($1, \
                 setweight(to_tsvector('simple', $2), 'A') || \
                 setweight(to_tsvector('simple', $3), 'B') || \
                 setweight(to_tsvector('simple', $4), 'C')) \
                 ON CONFLICT (article_id) DO UPDATE SET document = EXCLUDED.document",
                vec![id.into(), title.into(), tags.into(), body.into()],
            ))
            .await?;
        }
    }
    Ok(())
}

pub async fn remove(db: &impl ConnectionTrait, article_id: i32) -> DomainResult<()> {
    let sql = match db.get_database_backend() {
        DatabaseBackend::Sqlite => "DELETE FROM kb_search WHERE rowid = ?",
        _ => "DELETE FROM kb_search WHERE article_id = $1",
    };
    db.execute_raw(stmt(db, sql, vec![article_id.into()]))
        .await?;
    Ok(())
}

/// Ids of published articles in `language` matching every term, best match first.
pub async fn search_ids(
    db: &impl ConnectionTrait,
    language: &str,
    terms: &[String],
    limit: u64,
) -> DomainResult<Vec<i32>> {
    if terms.is_empty() {
        return Ok(Vec::new());
    }
    let limit = limit as i64;
    let statement = match db.get_database_backend() {
        DatabaseBackend::Sqlite => {
            // Each term quoted (it is alphanumeric already) and matched as a prefix.
            let expr = terms
                .iter()
                .map(|t| format!("\"{t}\"*"))
                .collect::<Vec<_>>()
                .join(" ");
            stmt(
                db,
                "SELECT a.id FROM kb_search s JOIN kb_articles a ON a.id = s.rowid \
                 WHERE kb_search MATCH ? AND a.language = ? AND a.published \
                 ORDER BY bm25(kb_search, 10.0, 5.0, 1.0), a.id LIMIT ?",
                vec![expr.into(), language.into(), limit.into()],
            )
        }
        _ => {
            let expr = terms
                .iter()
                .map(|t| format!("{t}:*"))
                .collect::<Vec<_>>()
                .join(" & ");
            stmt(
                db,
                "SELECT a.id FROM kb_search s JOIN kb_articles a ON a.id = s.article_id \
                 WHERE s.document @@ to_tsquery('simple', $1) AND a.language = $2 AND a.published \
                 ORDER BY ts_rank(s.document, to_tsquery('simple', $1)) DESC, a.id LIMIT $3",
                vec![expr.into(), language.into(), limit.into()],
            )
        }
    };
    let rows = db.query_all_raw(statement).await?;
    rows.iter()
        .map(|r| r.try_get_by_index::<i32>(0).map_err(Into::into))
        .collect()
}
