//! A file as a response: its own content type, and a download name.

use poem::http::{HeaderValue, header};
use poem::{IntoResponse, Response};
use poem_openapi::ApiResponse;
use poem_openapi::registry::{
    MetaHeader, MetaMediaType, MetaResponse, MetaResponses, MetaSchema, MetaSchemaRef, Registry,
};
use poem_openapi::types::Type;
use samudbud_domain::contracts::attachments::{DOCX, PDF, XLSX};

pub struct FileDownload {
    pub bytes: Vec<u8>,
    pub content_type: String,
    pub filename: String,
}

/// `Content-Disposition` for a download named `filename` (RFC 6266): an
/// ASCII fallback name and the real one, percent-encoded.
pub fn content_disposition(filename: &str) -> String {
    let ascii: String = filename
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_ ".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = filename
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b".-_".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

impl IntoResponse for FileDownload {
    fn into_response(self) -> Response {
        let disposition = content_disposition(&self.filename);
        let mut response = Response::builder().body(self.bytes);
        let headers = response.headers_mut();
        if let Ok(value) = HeaderValue::from_str(&self.content_type) {
            headers.insert(header::CONTENT_TYPE, value);
        }
        if let Ok(value) = HeaderValue::from_str(&disposition) {
            headers.insert(header::CONTENT_DISPOSITION, value);
        }
        response
    }
}

impl ApiResponse for FileDownload {
    fn meta() -> MetaResponses {
        MetaResponses {
            responses: vec![MetaResponse {
                description: "The file, with its own content type.",
                status: Some(200),
                status_range: None,
                // The types an attachment can have: what the upload accepts.
                content: [PDF, DOCX, XLSX]
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
