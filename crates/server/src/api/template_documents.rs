//! A Word document as a response: the DOCX media type and a download name.

use poem::{IntoResponse, Response};
use poem_openapi::ApiResponse;
use poem_openapi::registry::{
    MetaHeader, MetaMediaType, MetaResponse, MetaResponses, MetaSchema, MetaSchemaRef, Registry,
};
use poem_openapi::types::Type;
use samudbud_domain::contracts::attachments::DOCX;
use samudbud_domain::templates::documents::WordFile;

use super::download::FileDownload;

pub struct WordDocument(WordFile);

impl From<WordFile> for WordDocument {
    fn from(file: WordFile) -> Self {
        Self(file)
    }
}

impl IntoResponse for WordDocument {
    fn into_response(self) -> Response {
        FileDownload {
            bytes: self.0.bytes,
            content_type: DOCX.to_owned(),
            filename: self.0.filename,
        }
        .into_response()
    }
}

impl ApiResponse for WordDocument {
    fn meta() -> MetaResponses {
        MetaResponses {
            responses: vec![MetaResponse {
                description: "The Word document (.docx).",
                status: Some(200),
                status_range: None,
                content: vec![MetaMediaType {
                    content_type: DOCX,
                    schema: MetaSchemaRef::Inline(Box::new(MetaSchema::new_with_format(
                        "string", "binary",
                    ))),
                }],
                headers: vec![MetaHeader {
                    name: "Content-Disposition".into(),
                    description: Some("attachment, with the document's name".into()),
                    required: true,
                    deprecated: false,
                    schema: String::schema_ref(),
                }],
            }],
        }
    }

    fn register(_registry: &mut Registry) {}
}
