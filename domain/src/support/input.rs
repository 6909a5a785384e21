//! Ticket input, parsed once: a subject, a message body, attached files.
use super::TicketSettings;
use crate::error::Invalid;

pub const SUBJECT_MAX: usize = 200;
pub const BODY_MAX: usize = 20_000;

/// Control characters other than line breaks and tabs have no place in text people write.
fn has_stray_controls(s: &str) -> bool {
    s.chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject(String);

impl Subject {
    /// 3 to 200 characters on one line.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let s = raw.trim();
        let n = s.chars().count();
        if !(3..=SUBJECT_MAX).contains(&n) || s.contains(['\n', '\r']) || has_stray_controls(s) {
            return Err(Invalid::TicketSubject);
        }
        Ok(Self(s.to_owned()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A message as written: shown as text (never as HTML), line breaks kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageBody(String);

impl MessageBody {
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let s = raw.replace("\r\n", "\n");
        let s = s.trim();
        if s.is_empty() || s.chars().count() > BODY_MAX || has_stray_controls(s) {
            return Err(Invalid::TicketBody);
        }
        Ok(Self(s.to_owned()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    pub(super) fn with_signature(self, signature: Option<&str>) -> Self {
        match signature.map(str::trim).filter(|s| !s.is_empty()) {
            Some(sig) => Self(format!("{}\n\n-- \n{sig}", self.0)),
            None => self,
        }
    }
}

/// A file as uploaded. Its type is decided here from its name, not taken from the browser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAttachment {
    pub filename: String,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

impl NewAttachment {
    pub fn parse(filename: &str, bytes: Vec<u8>, s: &TicketSettings) -> Result<Self, Invalid> {
        // Browsers may send a path; only the last part is the name.
        let base = filename.rsplit(['/', '\\']).next().unwrap_or_default();
        let clean: String = base
            .chars()
            .filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>'))
            .collect::<String>()
            .trim()
            .chars()
            .take(200)
            .collect();
        let ext = clean
            .rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase())
            .unwrap_or_default();
        if clean.is_empty() || ext.is_empty() || !s.allowed_types.contains(&ext) {
            return Err(Invalid::AttachmentType);
        }
        if bytes.is_empty() {
            return Err(Invalid::AttachmentEmpty);
        }
        if bytes.len() > s.max_attachment_bytes {
            return Err(Invalid::AttachmentTooLarge);
        }
        Ok(Self {
            content_type: content_type(&ext),
            filename: clean,
            bytes,
        })
    }
}

/// The type a download is served with. Anything not known is plain bytes.
fn content_type(ext: &str) -> &'static str {
    match ext {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "pdf" => "application/pdf",
        "txt" | "log" => "text/plain; charset=utf-8",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

/// Checks a message's files together: how many, each as above.
pub fn attachments(
    files: Vec<(String, Vec<u8>)>,
    s: &TicketSettings,
) -> Result<Vec<NewAttachment>, Invalid> {
    if files.len() > s.max_attachments {
        return Err(Invalid::TooManyAttachments);
    }
    files
        .into_iter()
        .map(|(name, bytes)| NewAttachment::parse(&name, bytes, s))
        .collect()
}
