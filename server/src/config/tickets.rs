//! The support-ticket keys: attachment limits, auto-close, reopening on reply, and how many
//! tickets a client may open per hour. Every key is optional; invalid values name the key.
use super::{
    billing::{days, flag, Get},
    invalid, ConfigError,
};
use domain::support::TicketSettings;

fn number(get: Get, key: &'static str, default: usize, max: usize) -> Result<usize, ConfigError> {
    match get(key) {
        None => Ok(default),
        Some(v) => v
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=max).contains(n))
            .ok_or_else(|| invalid(key, format!("{v:?} is not a number from 1 to {max}"))),
    }
}

pub(super) fn settings(get: Get) -> Result<TicketSettings, ConfigError> {
    let d = TicketSettings::default();
    let allowed_types = match get("PORTICO_TICKET_ATTACHMENT_TYPES") {
        None => d.allowed_types,
        Some(v) => {
            let types: Vec<String> = v
                .split(',')
                .map(|t| t.trim().trim_start_matches('.').to_ascii_lowercase())
                .filter(|t| !t.is_empty())
                .collect();
            // Never anything a browser would run from our origin.
            let ok = !types.is_empty()
                && types.iter().all(|t| {
                    t.chars().all(|c| c.is_ascii_alphanumeric())
                        && !matches!(t.as_str(), "html" | "htm" | "svg" | "xhtml" | "js" | "xml")
                });
            if !ok {
                return Err(invalid(
                    "PORTICO_TICKET_ATTACHMENT_TYPES",
                    "must be file extensions like png,jpg,pdf,txt (html, svg, js and xml are not allowed)",
                ));
            }
            types
        }
    };
    Ok(TicketSettings {
        max_attachment_bytes: number(get, "PORTICO_TICKET_ATTACHMENT_MAX_MB", 5, 50)? * 1024 * 1024,
        max_attachments: number(get, "PORTICO_TICKET_ATTACHMENT_MAX_FILES", 5, 20)?,
        allowed_types,
        auto_close_days: days(get, "PORTICO_TICKET_AUTO_CLOSE_DAYS", d.auto_close_days, 0)?,
        reopen_on_reply: flag(get, "PORTICO_TICKET_REOPEN_ON_REPLY", d.reopen_on_reply)?,
        max_new_per_hour: number(get, "PORTICO_TICKET_MAX_NEW_PER_HOUR", 5, 1000)? as u32,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn load(pairs: &[(&str, &str)]) -> Result<TicketSettings, ConfigError> {
        let vars: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        settings(&|k: &str| vars.get(k).cloned())
    }

    #[test]
    fn defaults_and_overrides() {
        assert_eq!(load(&[]).unwrap(), TicketSettings::default());
        let s = load(&[
            ("PORTICO_TICKET_ATTACHMENT_MAX_MB", "2"),
            ("PORTICO_TICKET_ATTACHMENT_TYPES", " .PNG, pdf "),
            ("PORTICO_TICKET_AUTO_CLOSE_DAYS", "0"),
            ("PORTICO_TICKET_REOPEN_ON_REPLY", "false"),
        ])
        .unwrap();
        assert_eq!(s.max_attachment_bytes, 2 * 1024 * 1024);
        assert_eq!(s.allowed_types, ["png", "pdf"]);
        assert_eq!((s.auto_close_days, s.reopen_on_reply), (0, false));
        for (k, v) in [
            ("PORTICO_TICKET_ATTACHMENT_MAX_MB", "0"),
            ("PORTICO_TICKET_ATTACHMENT_MAX_MB", "lots"),
            ("PORTICO_TICKET_ATTACHMENT_TYPES", "png,html"),
            ("PORTICO_TICKET_ATTACHMENT_TYPES", "../x"),
            ("PORTICO_TICKET_MAX_NEW_PER_HOUR", "-1"),
        ] {
            let e = load(&[(k, v)]).unwrap_err().to_string();
            assert!(e.contains(k), "{e}");
        }
    }
}
