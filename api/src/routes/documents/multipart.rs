//! Reading the upload form (`multipart/form-data`: `kind`, `title`, `file`) with our own
//! problem answers: 415 for another content type, 413 as soon as the body is known to be too
//! large (from `Content-Length`, or while streaming the file), 400 for a broken body, 422 for
//! missing, repeated, unknown or invalid parts. The file streams to a temporary file.

use actix_multipart::{Field, Multipart, MultipartError};
use actix_web::{
    HttpMessage, HttpRequest,
    error::PayloadError,
    http::header,
    web::{self, Bytes},
};
use futures_util::StreamExt;
use merit_domain::profile::DocumentKind;

use crate::{
    error::{ApiError, Code},
    routes::documents::dto::DocumentTitle,
    services::documents::Upload,
    storage::upload::{IncomingFile, ReceivedFile},
    validation::Fields,
};

/// Room for the form's boundaries, part headers and text parts besides the file.
const FORM_OVERHEAD: u64 = 64 * 1024;
/// The most bytes a text part (`kind`, `title`) may take.
const TEXT_PART_LIMIT: usize = 4 * 1024;

fn malformed() -> ApiError {
    ApiError::new(
        Code::MalformedMultipart,
        "The body is not a readable multipart/form-data form.",
    )
}

fn multipart_error(error: MultipartError, limit: u64) -> ApiError {
    match error {
        MultipartError::Payload(PayloadError::Overflow) => ApiError::PayloadTooLarge {
            limit: usize::try_from(limit).unwrap_or(usize::MAX),
        },
        MultipartError::Payload(_) => ApiError::new(
            Code::IncompleteBody,
            "The body could not be read completely.",
        ),
        _ => malformed(),
    }
}

fn wrong_type() -> ApiError {
    ApiError::UnsupportedMediaType {
        detail: "Send the document as multipart/form-data with the parts kind, title and file."
            .into(),
    }
}

/// What arrived, before it is checked.
#[derive(Debug, Default)]
struct Parts {
    kind: Option<String>,
    title: Option<String>,
    file: Option<(ReceivedFile, String, Option<String>)>,
}

/// Reads the upload form of `req`, streaming the file (at most `max_bytes`) into `uploads_dir`.
pub async fn read(
    req: &HttpRequest,
    payload: web::Payload,
    uploads_dir: &std::path::Path,
    max_bytes: u64,
) -> Result<Upload, ApiError> {
    match req.mime_type() {
        Ok(Some(mime)) if mime.essence_str() == "multipart/form-data" => {}
        _ => return Err(wrong_type()),
    }
    let declared_length = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared_length.is_some_and(|n| n > max_bytes + FORM_OVERHEAD) {
        return Err(ApiError::PayloadTooLarge {
            limit: usize::try_from(max_bytes).unwrap_or(usize::MAX),
        });
    }
    let mut multipart = Multipart::new(req.headers(), payload);
    let mut parts = Parts::default();
    while let Some(field) = multipart.next().await {
        let mut field = field.map_err(|e| multipart_error(e, max_bytes))?;
        let name = field.name().unwrap_or_default().to_owned();
        match name.as_str() {
            "kind" | "title" => {
                let text = read_text(&mut field, &name, max_bytes).await?;
                let slot = if name == "kind" {
                    &mut parts.kind
                } else {
                    &mut parts.title
                };
                if slot.replace(text).is_some() {
                    return Err(duplicate(&name));
                }
            }
            "file" => {
                if parts.file.is_some() {
                    return Err(duplicate("file"));
                }
                let file_name = field
                    .content_disposition()
                    .and_then(|cd| cd.get_filename())
                    .unwrap_or_default()
                    .to_owned();
                let declared = field.content_type().map(ToString::to_string);
                let received = read_file(&mut field, uploads_dir, max_bytes).await?;
                parts.file = Some((received, file_name, declared));
            }
            other => {
                let shown: String = other.chars().take(64).collect();
                return Err(ApiError::invalid(
                    &shown,
                    "unknown_field",
                    "The form has only the parts kind, title and file.",
                ));
            }
        }
    }
    check(parts)
}

fn duplicate(name: &str) -> ApiError {
    ApiError::invalid(name, "duplicate_field", format!("Send {name} once."))
}

async fn read_text(field: &mut Field, name: &str, max_bytes: u64) -> Result<String, ApiError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.next().await {
        let chunk: Bytes = chunk.map_err(|e| multipart_error(e, max_bytes))?;
        if bytes.len() + chunk.len() > TEXT_PART_LIMIT {
            return Err(ApiError::invalid(
                name,
                "too_long",
                format!("{name} is far longer than allowed."),
            ));
        }
        bytes.extend_from_slice(&chunk);
    }
    String::from_utf8(bytes)
        .map_err(|_| ApiError::invalid(name, "invalid", format!("{name} must be UTF-8 text.")))
}

async fn read_file(
    field: &mut Field,
    uploads_dir: &std::path::Path,
    max_bytes: u64,
) -> Result<ReceivedFile, ApiError> {
    let mut incoming = IncomingFile::create(uploads_dir, max_bytes).await?;
    while let Some(chunk) = field.next().await {
        let chunk = chunk.map_err(|e| multipart_error(e, max_bytes))?;
        incoming.write(&chunk).await?;
    }
    incoming.finish().await
}

/// Every part present, known and valid, or 422 naming each that is not.
fn check(parts: Parts) -> Result<Upload, ApiError> {
    let mut fields = Fields::new();
    let kind = match parts.kind.as_deref() {
        None => {
            fields.push("kind", "required", "Say what the document is.");
            None
        }
        Some(raw) => fields.check(
            "kind",
            "unknown_kind",
            raw.parse::<DocumentKind>().map_err(|_| {
                "kind is one of resume, cover_letter, transcript, diploma, statement_of_qualifications, licence, other"
            }),
        ),
    };
    let title = match parts.title.as_deref() {
        None => {
            fields.push("title", "required", "Give the document a title.");
            None
        }
        Some(raw) => DocumentTitle::from(raw.to_owned()).check(&mut fields, "title"),
    };
    let file = match parts.file {
        None => {
            fields.push("file", "required", "Attach the file.");
            None
        }
        Some((received, ..)) if received.size == 0 => {
            fields.push("file", "empty_file", "The file is empty.");
            None
        }
        Some(file) => Some(file),
    };
    let upload =
        kind.zip(title)
            .zip(file)
            .map(|((kind, title), (file, file_name, declared_type))| Upload {
                kind,
                title,
                file,
                file_name,
                declared_type,
            });
    fields.into_result(upload)
}
