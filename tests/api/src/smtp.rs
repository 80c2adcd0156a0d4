//! A small SMTP server for tests, run on 127.0.0.1: it takes mails and
//! keeps them, so that a test counts what the reminder digests sent, and
//! refuses recipients on demand.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// A mail as the SMTP server received it.
#[derive(Debug, Clone)]
pub struct Received {
    pub to: Vec<String>,
    pub data: String,
}

/// A small SMTP server speaking just enough of RFC 5321 (EHLO, MAIL, RCPT,
/// DATA, RSET, NOOP, QUIT) to take mails, keep them, and refuse recipients
/// on demand with a transient error.
#[derive(Clone, Default)]
pub struct SmtpServer {
    received: Arc<Mutex<Vec<Received>>>,
    /// Recipient → how many more times to refuse them.
    refusals: Arc<Mutex<HashMap<String, usize>>>,
}

impl SmtpServer {
    /// Starts listening on a free local port; the `smtp://` URL to it.
    pub async fn start(&self) -> String {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let server = self.clone();
        tokio::spawn(async move {
            loop {
                let Ok((socket, _)) = listener.accept().await else {
                    return;
                };
                let server = server.clone();
                tokio::spawn(async move { server.converse(socket).await });
            }
        });
        format!("smtp://{addr}")
    }

    pub fn refuse(&self, recipient: &str, times: usize) {
        self.refusals
            .lock()
            .unwrap()
            .insert(recipient.to_owned(), times);
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    /// How many mails `address` got.
    pub fn count_for(&self, address: &str) -> usize {
        self.received()
            .iter()
            .filter(|m| m.to.iter().any(|t| t == address))
            .count()
    }

    async fn converse(&self, socket: tokio::net::TcpStream) {
        let (read, mut write) = socket.into_split();
        let mut lines = BufReader::new(read);
        write.write_all(b"220 test.local ESMTP\r\n").await.ok();
        let mut recipients: Vec<String> = Vec::new();
        loop {
            let mut line = String::new();
            if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
                return;
            }
            let command = line.trim_end().to_owned();
            let verb = command
                .split([' ', ':'])
                .next()
                .unwrap_or("")
                .to_ascii_uppercase();
            let answer: String = match verb.as_str() {
                "EHLO" => "250-test.local\r\n250 8BITMIME\r\n".into(),
                "HELO" | "NOOP" => "250 OK\r\n".into(),
                "MAIL" => {
                    recipients.clear();
                    "250 OK\r\n".into()
                }
                "RCPT" => {
                    let address = command
                        .split('<')
                        .nth(1)
                        .and_then(|rest| rest.split('>').next())
                        .unwrap_or("")
                        .to_owned();
                    let mut refusals = self.refusals.lock().unwrap();
                    match refusals.get_mut(&address) {
                        Some(left) if *left > 0 => {
                            *left -= 1;
                            "451 4.3.0 Mailbox temporarily unavailable\r\n".into()
                        }
                        _ => {
                            recipients.push(address);
                            "250 OK\r\n".into()
                        }
                    }
                }
                "DATA" => {
                    write
                        .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                        .await
                        .ok();
                    let mut data = String::new();
                    loop {
                        let mut line = String::new();
                        if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
                            return;
                        }
                        if line == ".\r\n" || line == ".\n" {
                            break;
                        }
                        data.push_str(
                            line.strip_prefix('.')
                                .filter(|_| line.starts_with(".."))
                                .unwrap_or(&line),
                        );
                    }
                    self.received.lock().unwrap().push(Received {
                        to: std::mem::take(&mut recipients),
                        data,
                    });
                    "250 OK queued\r\n".into()
                }
                "RSET" => {
                    recipients.clear();
                    "250 OK\r\n".into()
                }
                "QUIT" => {
                    write.write_all(b"221 Bye\r\n").await.ok();
                    return;
                }
                _ => "502 Command not implemented\r\n".into(),
            };
            if write.write_all(answer.as_bytes()).await.is_err() {
                return;
            }
        }
    }
}
