//! Exports as streamed downloads: rows are read a batch at a time by an
//! async producer, written by one blocking writer (a spreadsheet of any list,
//! or an OCDS release package) and sent on as they are written. Both ends
//! are joined by small bounded channels, so a file of any size passes
//! through a few batches of memory; a client that goes away stops the work.

use std::future::Future;
use std::io::Write;

use poem::http::{HeaderValue, header};
use poem::{Body, IntoResponse, Response};
use poem_openapi::ApiResponse;
use poem_openapi::Enum;
use poem_openapi::registry::{
    MetaHeader, MetaMediaType, MetaResponse, MetaResponses, MetaSchema, MetaSchemaRef, Registry,
};
use poem_openapi::types::Type;
use samudbud_domain::exports::sheet::{Cell, Column, SheetFormat, SheetWriter};
use tokio::sync::mpsc;
use tracing::Instrument;

use super::download::content_disposition;

/// The spreadsheet formats of a list's export.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
#[oai(rename = "SheetFormat", rename_all = "lowercase")]
pub enum SheetFormatDto {
    /// An Excel workbook: typed cells, frozen header, filters.
    Xlsx,
    /// `;`-separated UTF-8 with BOM, decimal comma, dd-mm-yyyy dates.
    Csv,
}

impl From<SheetFormatDto> for SheetFormat {
    fn from(f: SheetFormatDto) -> Self {
        match f {
            SheetFormatDto::Xlsx => Self::Xlsx,
            SheetFormatDto::Csv => Self::Csv,
        }
    }
}

/// A batch of items for the writer, or why reading stopped.
pub type Batch<T> = Result<Vec<T>, String>;

/// A streamed file: its media type, download name and body.
pub struct Export {
    pub content_type: &'static str,
    pub filename: String,
    pub body: Body,
}

/// The media type of an OCDS release package.
pub const OCDS_JSON: &str = "application/json";
const CSV: &str = "text/csv; charset=utf-8";

impl IntoResponse for Export {
    fn into_response(self) -> Response {
        let mut response = Response::builder().body(self.body);
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(self.content_type),
        );
        if let Ok(value) = HeaderValue::from_str(&content_disposition(&self.filename)) {
            headers.insert(header::CONTENT_DISPOSITION, value);
        }
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        response
    }
}

impl ApiResponse for Export {
    fn meta() -> MetaResponses {
        MetaResponses {
            responses: vec![MetaResponse {
                description: "The file, streamed as it is written.",
                status: Some(200),
                status_range: None,
                content: [samudbud_domain::tender_plans::export::XLSX, CSV, OCDS_JSON]
                    .into_iter()
                    .map(|content_type| MetaMediaType {
                        content_type,
                        schema: MetaSchemaRef::Inline(Box::new(MetaSchema::new_with_format(
                            "string", "binary",
                        ))),
                    })
                    .collect(),
                headers: vec![MetaHeader {
                    name: "Content-Disposition".into(),
                    description: Some("attachment, with the file's name".into()),
                    required: true,
                    deprecated: false,
                    schema: String::schema_ref(),
                }],
            }],
        }
    }

    fn register(_registry: &mut Registry) {}
}

/// Bytes written to the response as they come, in chunks.
struct ChannelWriter {
    tx: mpsc::Sender<std::io::Result<Vec<u8>>>,
    buffer: Vec<u8>,
}

const CHUNK: usize = 64 * 1024;

impl ChannelWriter {
    fn send(&mut self) -> std::io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let chunk = std::mem::replace(&mut self.buffer, Vec::with_capacity(CHUNK));
        self.tx.blocking_send(Ok(chunk)).map_err(|_| {
            std::io::Error::new(
                std::io::ErrorKind::BrokenPipe,
                "the client stopped the download",
            )
        })
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(data);
        if self.buffer.len() >= CHUNK {
            self.send()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.send()
    }
}

/// A streamed body: `produce` reads batches and sends them on its channel
/// (an `Err` stops the file); `write` turns them into bytes on a blocking
/// thread. A failure after the first byte can only cut the download short,
/// so the caller checks everything it can before it starts one.
pub fn stream<T, P, F, W>(produce: P, write: W) -> Body
where
    T: Send + 'static,
    P: FnOnce(mpsc::Sender<Batch<T>>) -> F,
    F: Future<Output = ()> + Send + 'static,
    W: FnOnce(&mut mpsc::Receiver<Batch<T>>, &mut (dyn Write + Send)) -> std::io::Result<()>
        + Send
        + 'static,
{
    let (batches, mut batch_rx) = mpsc::channel::<Batch<T>>(2);
    let (bytes, byte_rx) = mpsc::channel::<std::io::Result<Vec<u8>>>(8);
    tokio::spawn(produce(batches).in_current_span());
    let span = tracing::Span::current();
    tokio::task::spawn_blocking(move || {
        let _request = span.enter();
        let mut out = ChannelWriter {
            tx: bytes.clone(),
            buffer: Vec::with_capacity(CHUNK),
        };
        let written = write(&mut batch_rx, &mut out).and_then(|()| out.flush());
        if let Err(e) = written {
            if e.kind() != std::io::ErrorKind::BrokenPipe {
                tracing::error!(error = %e, "an export stopped");
            }
            // The download ends as broken, never as a complete-looking file.
            bytes.blocking_send(Err(e)).ok();
        }
    });
    Body::from_bytes_stream(futures::stream::unfold(byte_rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    }))
}

/// The next batch for a blocking writer, an error when reading failed.
pub fn next_batch<T>(rx: &mut mpsc::Receiver<Batch<T>>) -> std::io::Result<Option<Vec<T>>> {
    match rx.blocking_recv() {
        None => Ok(None),
        Some(Ok(batch)) => Ok(Some(batch)),
        Some(Err(e)) => Err(std::io::Error::other(e)),
    }
}

/// Sends a batch read by `read` on; false when the writer is gone or reading failed.
pub async fn forward<T, E: std::fmt::Display>(
    tx: &mpsc::Sender<Batch<T>>,
    read: Result<Option<Vec<T>>, E>,
) -> bool {
    match read {
        Ok(Some(batch)) => tx.send(Ok(batch)).await.is_ok(),
        Ok(None) => false,
        Err(e) => {
            tx.send(Err(e.to_string())).await.ok();
            false
        }
    }
}

/// A list as a spreadsheet: `produce` sends rows of `columns`' cells.
pub fn sheet<P, F>(
    format: SheetFormat,
    sheet_name: &'static str,
    columns: Vec<Column>,
    stem: &str,
    produce: P,
) -> Export
where
    P: FnOnce(mpsc::Sender<Batch<Vec<Cell>>>) -> F,
    F: Future<Output = ()> + Send + 'static,
{
    let body = stream(produce, move |rx, out| {
        let mut writer = SheetWriter::start(format, sheet_name, &columns, out)?;
        while let Some(rows) = next_batch(rx)? {
            for row in &rows {
                writer.write_row(row)?;
            }
        }
        writer.finish()
    });
    Export {
        content_type: match format {
            SheetFormat::Xlsx => samudbud_domain::tender_plans::export::XLSX,
            SheetFormat::Csv => CSV,
        },
        filename: samudbud_domain::exports::file_name(stem, format.extension()),
        body,
    }
}
