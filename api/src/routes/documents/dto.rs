//! Shapes of documents: the multipart upload form, the metadata, and the downloaded bytes.

use chrono::{DateTime, Utc};
use merit_domain::profile as domain;
use merit_persistence::documents::StoredDocument;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::routes::{terms::api_enum, text::Line};

/// A document's title.
pub type DocumentTitle = Line<200>;

api_enum!(
    /// What a document is.
    DocumentKind => domain::DocumentKind {
        /// A résumé.
        Resume,
        /// A cover letter.
        CoverLetter,
        /// An academic transcript.
        Transcript,
        /// A diploma or degree certificate.
        Diploma,
        /// A Statement of Qualifications.
        StatementOfQualifications,
        /// A licence or certificate.
        Licence,
        /// Anything else.
        Other,
    }
);

/// Upload a document, as `multipart/form-data` with these three parts.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(
    dead_code,
    reason = "documents the multipart form; the parts are read by hand"
)]
pub struct DocumentUpload {
    /// What the document is.
    pub kind: DocumentKind,
    /// A title for the document. Inline rather than a `$ref`: a form part is text, and fuzzers
    /// treat a referenced schema in a form as if a number sent as text broke it.
    #[schema(schema_with = <DocumentTitle as utoipa::PartialSchema>::schema)]
    pub title: DocumentTitle,
    /// The file, at most 10 MiB by default: PDF, DOCX, DOC, ODT, RTF, plain UTF-8 text, PNG or
    /// JPEG. Its content decides its type; the file name's extension and the part's declared
    /// `Content-Type`, when given, must agree with it (415 otherwise). Declare the type
    /// (`application/pdf`, `application/vnd.openxmlformats-officedocument.wordprocessingml.document`,
    /// `application/msword`, `application/vnd.oasis.opendocument.text`, `application/rtf`,
    /// `text/plain`, `image/png`, `image/jpeg`) or send `application/octet-stream`.
    #[schema(
        value_type = String,
        format = Binary,
        content_media_type = "application/octet-stream"
    )]
    pub file: Vec<u8>,
}

/// A document's metadata.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)] // closes the schema: additionalProperties: false
pub struct DocumentResponse {
    /// Opaque id.
    pub id: String,
    /// What it is.
    pub kind: DocumentKind,
    /// Its title.
    pub title: String,
    /// A safe version of the uploaded file's name, used on download.
    #[schema(example = "Resume 2026.pdf")]
    pub file_name: String,
    /// Its media type, settled from its content.
    #[schema(example = "application/pdf")]
    pub media_type: String,
    /// Its size in bytes.
    pub size_bytes: u64,
    /// SHA-256 of its bytes, lower-case hex.
    #[schema(pattern = "^[0-9a-f]{64}$")]
    pub sha256: String,
    /// When it was uploaded.
    pub created_at: DateTime<Utc>,
}

impl DocumentResponse {
    /// The response for a stored document.
    pub fn new(d: StoredDocument) -> Self {
        DocumentResponse {
            id: d.id.to_string(),
            kind: d.kind.into(),
            title: d.title,
            file_name: d.file_name.as_str().to_owned(),
            media_type: d.media_type,
            size_bytes: d.size_bytes,
            sha256: d.sha256,
            created_at: d.created_at,
        }
    }
}

/// The bytes of a document, as uploaded.
#[derive(Debug, ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct DocumentContent(pub Vec<u8>);

/// List my documents.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DocumentQuery {
    /// Items per page, 1 to 100.
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub limit: Option<u64>,
    /// The `next_cursor` of the previous page.
    #[param(max_length = 512)]
    pub cursor: Option<String>,
}
