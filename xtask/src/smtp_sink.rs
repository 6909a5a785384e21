//! A tiny SMTP server for the browser tests: it accepts every message and stores it as a file
//! so the tests can read sign-in and password-reset links. It speaks just enough SMTP for the
//! `lettre` client (no STARTTLS, no AUTH), one thread per connection.

use std::fs;
use std::io::{self, BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::thread::{self, JoinHandle};
use std::time::Duration;

use crate::util::unix_millis;

/// Idle pooled client connections are dropped after this, so threads do not linger forever.
const IDLE_TIMEOUT: Duration = Duration::from_secs(600);

pub struct SmtpSink {
    port: u16,
    stop: Arc<AtomicBool>,
    acceptor: Option<JoinHandle<()>>,
}

/// Where messages go: `<unix-millis>-<counter>.eml`, written atomically (temp file + rename)
/// so a test polling the directory never reads half a message.
struct Mailbox {
    dir: PathBuf,
    counter: AtomicU64,
}

impl SmtpSink {
    /// Listens on 127.0.0.1 on a free port and stores messages into `dir`.
    pub fn start(dir: &Path) -> io::Result<SmtpSink> {
        fs::create_dir_all(dir)?;
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let port = listener.local_addr()?.port();
        let stop = Arc::new(AtomicBool::new(false));
        let mailbox = Arc::new(Mailbox {
            dir: dir.to_path_buf(),
            counter: AtomicU64::new(0),
        });
        let stopping = Arc::clone(&stop);
        let acceptor = thread::spawn(move || {
            for conn in listener.incoming() {
                if stopping.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = conn else { continue };
                let mailbox = Arc::clone(&mailbox);
                thread::spawn(move || {
                    // A client hanging up mid-conversation is not our problem.
                    let _ = session(stream, &mailbox);
                });
            }
        });
        Ok(SmtpSink {
            port,
            stop,
            acceptor: Some(acceptor),
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // `accept` blocks; one throwaway connection wakes it up to see the flag.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
        }
    }
}

impl Mailbox {
    fn store(&self, rcpts: &[String], data: &[u8]) -> io::Result<PathBuf> {
        let n = self.counter.fetch_add(1, Ordering::SeqCst);
        let name = format!("{}-{n}.eml", unix_millis());
        let tmp = self.dir.join(format!(".{name}.tmp"));
        let mut content = format!("X-Sink-Rcpt: {}\r\n", rcpts.join(",")).into_bytes();
        content.extend_from_slice(data);
        fs::write(&tmp, content)?;
        let path = self.dir.join(name);
        fs::rename(&tmp, &path)?;
        Ok(path)
    }
}

fn session(stream: TcpStream, mailbox: &Mailbox) -> io::Result<()> {
    stream.set_read_timeout(Some(IDLE_TIMEOUT))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut out = stream;
    reply(&mut out, "220 portico-sink ESMTP ready")?;
    let mut rcpts: Vec<String> = Vec::new();
    let mut has_sender = false;
    let mut line = Vec::new();
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line)? == 0 {
            return Ok(());
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        let (verb, arg) = text.split_once(' ').unwrap_or((text, ""));
        match verb.to_ascii_uppercase().as_str() {
            // No STARTTLS or AUTH: lettre then sends in plain text without credentials.
            "EHLO" => reply(&mut out, "250-portico-sink\r\n250-8BITMIME\r\n250 SMTPUTF8")?,
            "HELO" => reply(&mut out, "250 portico-sink")?,
            "MAIL" => {
                rcpts.clear();
                has_sender = true;
                reply(&mut out, "250 OK")?;
            }
            "RCPT" if !has_sender => reply(&mut out, "503 MAIL FROM first")?,
            "RCPT" => match address(arg) {
                Some(addr) => {
                    rcpts.push(addr);
                    reply(&mut out, "250 OK")?;
                }
                None => reply(&mut out, "501 syntax: RCPT TO:<address>")?,
            },
            "DATA" if rcpts.is_empty() => reply(&mut out, "503 RCPT TO first")?,
            "DATA" => {
                reply(&mut out, "354 end data with <CR><LF>.<CR><LF>")?;
                let data = read_data(&mut reader)?;
                match mailbox.store(&rcpts, &data) {
                    Ok(_) => reply(&mut out, "250 OK stored")?,
                    Err(e) => reply(&mut out, &format!("451 could not store: {e}"))?,
                }
                rcpts.clear();
                has_sender = false;
            }
            "RSET" => {
                rcpts.clear();
                has_sender = false;
                reply(&mut out, "250 OK")?;
            }
            "NOOP" => reply(&mut out, "250 OK")?,
            "VRFY" => reply(&mut out, "252 will try")?,
            "QUIT" => return reply(&mut out, "221 bye"),
            _ => reply(&mut out, "502 command not implemented")?,
        }
    }
}

fn reply(out: &mut TcpStream, text: &str) -> io::Result<()> {
    out.write_all(text.as_bytes())?;
    out.write_all(b"\r\n")?;
    out.flush()
}

/// The address in `FROM:<a@b> BODY=8BITMIME` or `TO:<a@b>` (or a bare `TO:a@b`).
fn address(arg: &str) -> Option<String> {
    let (_, rest) = arg.split_once(':')?;
    let rest = rest.trim();
    let addr = match (rest.find('<'), rest.find('>')) {
        (Some(open), Some(close)) if open < close => &rest[open + 1..close],
        _ => rest.split_whitespace().next().unwrap_or(""),
    };
    (!addr.is_empty()).then(|| addr.to_string())
}

/// Reads the DATA section up to the lone "." line, undoing dot-stuffing (RFC 5321 4.5.2).
fn read_data(reader: &mut impl BufRead) -> io::Result<Vec<u8>> {
    let mut data = Vec::new();
    let mut line = Vec::new();
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line)? == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "connection closed during DATA",
            ));
        }
        if line == b".\r\n" || line == b".\n" {
            return Ok(data);
        }
        data.extend_from_slice(unstuff(&line));
    }
}

/// A line the client started with an extra "." (because it began with one) loses it.
fn unstuff(line: &[u8]) -> &[u8] {
    line.strip_prefix(b".").unwrap_or(line)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::util::TempDir;
    use std::io::{BufRead, Cursor};

    #[test]
    fn dot_unstuffing() {
        assert_eq!(unstuff(b"..hidden\r\n"), b".hidden\r\n");
        assert_eq!(unstuff(b"plain\r\n"), b"plain\r\n");
        let mut input = Cursor::new(&b"a\r\n..b\r\n.\r\nafter\r\n"[..]);
        assert_eq!(read_data(&mut input).unwrap(), b"a\r\n.b\r\n");
        let mut rest = String::new();
        input.read_line(&mut rest).unwrap();
        assert_eq!(rest, "after\r\n");
        assert!(read_data(&mut Cursor::new(&b"no end\r\n"[..])).is_err());
    }

    #[test]
    fn addresses() {
        assert_eq!(
            address("FROM:<a@x.test> BODY=8BITMIME").as_deref(),
            Some("a@x.test")
        );
        assert_eq!(address("TO: <b@y.test>").as_deref(), Some("b@y.test"));
        assert_eq!(address("TO:c@z.test").as_deref(), Some("c@z.test"));
        assert_eq!(address("TO:<>"), None);
        assert_eq!(address("nonsense"), None);
    }

    /// Reads one (possibly multi-line) reply and returns its last line.
    fn expect(reader: &mut impl BufRead, code: &str) -> String {
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            assert!(line.starts_with(code), "expected {code}, got {line:?}");
            if line.as_bytes().get(3) != Some(&b'-') {
                return line;
            }
        }
    }

    #[test]
    fn stores_a_message_from_a_client_conversation() {
        let dir = TempDir::new("xtask-smtp-test").unwrap();
        let sink = SmtpSink::start(dir.path()).unwrap();
        let stream = TcpStream::connect(("127.0.0.1", sink.port())).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut w = stream;
        expect(&mut reader, "220");
        let mut say = |cmd: &str, code: &str, reader: &mut BufReader<TcpStream>| {
            w.write_all(cmd.as_bytes()).unwrap();
            expect(reader, code)
        };
        let ehlo = say("EHLO client.test\r\n", "250", &mut reader);
        assert!(!ehlo.contains("STARTTLS") && !ehlo.contains("AUTH"));
        say("NOOP\r\n", "250", &mut reader);
        say("RCPT TO:<early@x.test>\r\n", "503", &mut reader);
        say("MAIL FROM:<from@x.test>\r\n", "250", &mut reader);
        say("RCPT TO:<ana@example.com>\r\n", "250", &mut reader);
        say("RCPT TO:<ben@example.com>\r\n", "250", &mut reader);
        say("DATA\r\n", "354", &mut reader);
        let body = "Subject: Reset\r\n\r\n..starts with a dot\r\nhttp://x/reset/abc\r\n.\r\n";
        say(body, "250", &mut reader);
        say("QUIT\r\n", "221", &mut reader);
        drop(sink);

        let files: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert_eq!(files.len(), 1, "{files:?}");
        let name = files[0].file_name().unwrap().to_string_lossy().into_owned();
        assert!(name.ends_with("-0.eml"), "{name}");
        assert_eq!(
            fs::read_to_string(&files[0]).unwrap(),
            "X-Sink-Rcpt: ana@example.com,ben@example.com\r\n\
             Subject: Reset\r\n\r\n.starts with a dot\r\nhttp://x/reset/abc\r\n"
        );
    }
}
