//! `/news/feed.xml`: an Atom feed of the published news, in `?lang=es|en` or the reader's
//! browser language.
use crate::AppState;
use app::i18n::Locale;
use axum::{
    extract::{Query, State},
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct FeedQuery {
    lang: Option<String>,
}

const FEED_ITEMS: u64 = 20;

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

pub async fn news_feed(
    State(state): State<AppState>,
    Query(q): Query<FeedQuery>,
    headers: HeaderMap,
) -> Response {
    let locale = q
        .lang
        .as_deref()
        .and_then(Locale::from_code)
        .or_else(|| {
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|h| h.to_str().ok())
                .and_then(Locale::from_accept_language)
        })
        .unwrap_or_default();
    let svc = &state.services;
    let page =
        match domain::content::news::list(&svc.db, locale.code(), svc.now(), 1, FEED_ITEMS).await {
            Ok(p) => p,
            Err(e) => {
                tracing::error!(error = %e, "news feed");
                return (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "The news feed is unavailable; try again later.",
                )
                    .into_response();
            }
        };
    let base = &svc.base_url;
    let updated = page
        .items
        .first()
        .map(|n| n.published_at)
        .unwrap_or_else(|| svc.now())
        .to_rfc3339();
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{lang}\">\n\
         <title>{title}</title>\n<id>{base}/news/feed.xml?lang={lang}</id>\n\
         <link rel=\"self\" href=\"{base}/news/feed.xml?lang={lang}\"/>\n<link href=\"{base}/news\"/>\n<updated>{updated}</updated>\n",
        lang = locale.code(),
        title = xml_escape(&format!("{} · {}", locale.texts().nav_news, locale.texts().app_name)),
    );
    for n in &page.items {
        let url = format!("{base}/news/{}", n.slug);
        xml.push_str(&format!(
            "<entry>\n<title>{}</title>\n<id>{url}?lang={}</id>\n<link href=\"{url}\"/>\n<updated>{}</updated>\n\
             <summary>{}</summary>\n<content type=\"html\">{}</content>\n<author><name>{}</name></author>\n</entry>\n",
            xml_escape(&n.title),
            locale.code(),
            n.published_at.to_rfc3339(),
            xml_escape(&n.excerpt),
            xml_escape(&n.body_html),
            xml_escape(locale.texts().app_name),
        ));
    }
    xml.push_str("</feed>\n");
    (
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        xml,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markup() {
        assert_eq!(
            super::xml_escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&apos;"
        );
    }
}
