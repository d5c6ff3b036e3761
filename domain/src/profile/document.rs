//! Documents people upload (résumés, transcripts, ...): their kinds, the file formats Merit
//! accepts and how a format is settled from the bytes, the file name and the declared type, safe
//! download names, and the per-person quota.

use thiserror::Error;
use unicode_normalization::UnicodeNormalization;

use crate::terms::named_enum;

named_enum!(
    /// What a document is, for the person and for postings that require documents.
    DocumentKind, "document kind", {
        /// A résumé.
        Resume => "resume",
        /// A cover letter.
        CoverLetter => "cover_letter",
        /// An academic transcript.
        Transcript => "transcript",
        /// A diploma or degree certificate.
        Diploma => "diploma",
        /// A Statement of Qualifications.
        StatementOfQualifications => "statement_of_qualifications",
        /// A licence or certificate.
        Licence => "licence",
        /// Anything else.
        Other => "other",
    }
);

/// The file formats Merit accepts, each recognised by its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocumentFormat {
    /// PDF.
    Pdf,
    /// Word (Office Open XML).
    Docx,
    /// Word 97-2003 (a compound file with a WordDocument stream).
    Doc,
    /// OpenDocument text.
    Odt,
    /// Rich Text Format.
    Rtf,
    /// Plain UTF-8 text.
    Text,
    /// PNG image.
    Png,
    /// JPEG image.
    Jpeg,
}

impl DocumentFormat {
    /// Every accepted format.
    pub const ALL: &'static [DocumentFormat] = &[
        DocumentFormat::Pdf,
        DocumentFormat::Docx,
        DocumentFormat::Doc,
        DocumentFormat::Odt,
        DocumentFormat::Rtf,
        DocumentFormat::Text,
        DocumentFormat::Png,
        DocumentFormat::Jpeg,
    ];

    /// The media type Merit stores and serves the format with.
    pub fn media_type(self) -> &'static str {
        self.media_types()[0]
    }

    /// The media types a client may declare for the format, the canonical one first.
    pub fn media_types(self) -> &'static [&'static str] {
        match self {
            DocumentFormat::Pdf => &["application/pdf", "application/x-pdf"],
            DocumentFormat::Docx => {
                &["application/vnd.openxmlformats-officedocument.wordprocessingml.document"]
            }
            DocumentFormat::Doc => &["application/msword"],
            DocumentFormat::Odt => &["application/vnd.oasis.opendocument.text"],
            DocumentFormat::Rtf => &["application/rtf", "text/rtf", "application/x-rtf"],
            DocumentFormat::Text => &["text/plain"],
            DocumentFormat::Png => &["image/png"],
            DocumentFormat::Jpeg => &["image/jpeg", "image/jpg", "image/pjpeg"],
        }
    }

    /// The file name extensions of the format, the usual one first.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            DocumentFormat::Pdf => &["pdf"],
            DocumentFormat::Docx => &["docx"],
            DocumentFormat::Doc => &["doc"],
            DocumentFormat::Odt => &["odt"],
            DocumentFormat::Rtf => &["rtf"],
            DocumentFormat::Text => &["txt", "text"],
            DocumentFormat::Png => &["png"],
            DocumentFormat::Jpeg => &["jpg", "jpeg"],
        }
    }

    /// The format with this media type (parameters such as `; charset=utf-8` ignored).
    pub fn from_media_type(media_type: &str) -> Option<Self> {
        let base = media_type
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        Self::ALL
            .iter()
            .copied()
            .find(|f| f.media_types().contains(&base.as_str()))
    }

    /// The format with this extension (any letter case).
    pub fn from_extension(extension: &str) -> Option<Self> {
        let lower = extension.to_ascii_lowercase();
        Self::ALL
            .iter()
            .copied()
            .find(|f| f.extensions().contains(&lower.as_str()))
    }
}

/// What the first bytes of a file say it is. Containers (ZIP, compound files) and text need a
/// closer look at the whole file before they are a [`DocumentFormat`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signature {
    /// `%PDF-`.
    Pdf,
    /// A ZIP archive: DOCX or ODT when its entries say so.
    Zip,
    /// An OLE2 compound file: DOC when it holds a WordDocument stream.
    CompoundFile,
    /// `{\rtf`.
    Rtf,
    /// The PNG signature.
    Png,
    /// The JPEG start-of-image marker.
    Jpeg,
    /// None of the above: plain text if every byte says so, refused otherwise.
    Other,
}

impl Signature {
    /// How many leading bytes [`Signature::of`] needs.
    pub const HEAD: usize = 8;

    /// Reads the signature from the first bytes of a file.
    pub fn of(head: &[u8]) -> Signature {
        const SIGNATURES: &[(&[u8], Signature)] = &[
            (b"%PDF-", Signature::Pdf),
            (b"PK\x03\x04", Signature::Zip),
            (b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", Signature::CompoundFile),
            (b"{\\rtf", Signature::Rtf),
            (b"\x89PNG\r\n\x1A\n", Signature::Png),
            (b"\xFF\xD8\xFF", Signature::Jpeg),
        ];
        SIGNATURES
            .iter()
            .find(|(magic, _)| head.starts_with(magic))
            .map_or(Signature::Other, |(_, signature)| *signature)
    }
}

/// Checks, chunk by chunk, that a file is plain text: UTF-8 without control characters other
/// than tab, line breaks and form feed.
#[derive(Debug, Clone, Default)]
pub struct PlainTextCheck {
    pending: Vec<u8>,
    failed: bool,
    seen: bool,
}

impl PlainTextCheck {
    /// A check that has seen nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Looks at the next bytes of the file.
    pub fn feed(&mut self, chunk: &[u8]) {
        if self.failed || chunk.is_empty() {
            return;
        }
        self.seen = true;
        let mut bytes = std::mem::take(&mut self.pending);
        bytes.extend_from_slice(chunk);
        let (valid, rest) = match std::str::from_utf8(&bytes) {
            Ok(text) => (text, &[][..]),
            Err(e) if e.error_len().is_none() => {
                let (head, tail) = bytes.split_at(e.valid_up_to());
                (std::str::from_utf8(head).unwrap_or_default(), tail)
            }
            Err(_) => {
                self.failed = true;
                return;
            }
        };
        let allowed = |c: char| !c.is_control() || matches!(c, '\t' | '\n' | '\r' | '\x0C');
        if !valid.chars().all(allowed) {
            self.failed = true;
            return;
        }
        self.pending = rest.to_vec();
    }

    /// Whether everything fed was plain text (and something was fed).
    pub fn finish(&self) -> bool {
        self.seen && !self.failed && self.pending.is_empty()
    }
}

/// Why an upload's format was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DocumentTypeError {
    /// The bytes are none of the accepted formats.
    #[error(
        "the file's content is not one of the accepted formats (PDF, DOCX, DOC, ODT, RTF, plain text, PNG, JPEG)"
    )]
    NotAccepted,
    /// The file name's extension says another format than the content.
    #[error("the file's content is {content} but its name ends in .{extension}")]
    NameDisagrees {
        /// The format of the content.
        content: &'static str,
        /// The extension of the name.
        extension: String,
    },
    /// The declared media type says another format than the content.
    #[error("the file's content is {content} but it was sent as {declared}")]
    DeclaredDisagrees {
        /// The format of the content.
        content: &'static str,
        /// The declared media type.
        declared: String,
    },
}

/// The extension of a file name: what follows the last dot, when it is 1 to 8 ASCII letters or
/// digits with at least one letter (`v2.1` has none).
fn extension_of(file_name: &str) -> Option<&str> {
    let (_, extension) = last_component(file_name).rsplit_once('.')?;
    let looks_like_one = (1..=8).contains(&extension.len())
        && extension.chars().all(|c| c.is_ascii_alphanumeric())
        && extension.chars().any(|c| c.is_ascii_alphabetic());
    looks_like_one.then_some(extension)
}

fn last_component(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// Settles an upload's format: the content's format must be accepted, the file name's
/// extension (if it has one) must name that format, and so must the declared media type (unless
/// it is absent or the generic `application/octet-stream`). Any disagreement, as with an
/// executable named `cv.pdf`, is refused.
pub fn settle_format(
    content: Option<DocumentFormat>,
    file_name: &str,
    declared: Option<&str>,
) -> Result<DocumentFormat, DocumentTypeError> {
    let content = content.ok_or(DocumentTypeError::NotAccepted)?;
    let label = content.media_type();
    if let Some(extension) = extension_of(file_name)
        && DocumentFormat::from_extension(extension) != Some(content)
    {
        return Err(DocumentTypeError::NameDisagrees {
            content: label,
            extension: extension.to_ascii_lowercase(),
        });
    }
    let declared = declared.map(str::trim).filter(|d| {
        let base = d.split(';').next().unwrap_or_default().trim();
        !base.is_empty() && !base.eq_ignore_ascii_case("application/octet-stream")
    });
    if let Some(declared) = declared
        && DocumentFormat::from_media_type(declared) != Some(content)
    {
        return Err(DocumentTypeError::DeclaredDisagrees {
            content: label,
            declared: declared.chars().take(100).collect(),
        });
    }
    Ok(content)
}

/// A file name safe to keep and to offer on download: the last path component, normalised
/// (NFC), with anything but letters, digits, spaces and `. - _ ( )` replaced by `_`, without
/// leading dots, at most 100 characters before an extension that names the file's format.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SafeFileName(String);

impl SafeFileName {
    /// The longest stem kept.
    pub const MAX_STEM: usize = 100;

    /// Cleans a client's file name for a file of `format`.
    pub fn sanitise(raw: &str, format: DocumentFormat) -> Self {
        let cleaned: String = last_component(raw)
            .nfc()
            .filter(|c| !c.is_control())
            .map(|c| {
                if c.is_alphanumeric() || " .-_()".contains(c) {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let cleaned = collapse_spaces(&cleaned);
        let cleaned = cleaned.trim_matches(|c: char| c == ' ' || c == '.' || c == '_');
        let stem = match extension_of(cleaned) {
            Some(ext) if DocumentFormat::from_extension(ext) == Some(format) => {
                &cleaned[..cleaned.len() - ext.len() - 1]
            }
            _ => cleaned,
        };
        let stem: String = stem.chars().take(Self::MAX_STEM).collect();
        let stem = stem.trim_matches(|c: char| c == ' ' || c == '.');
        let stem = if stem.is_empty() { "document" } else { stem };
        SafeFileName(format!("{stem}.{}", format.extensions()[0]))
    }

    /// Wraps a name that was sanitised before (read back from storage).
    pub fn from_stored(name: String) -> Self {
        SafeFileName(name)
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The name in ASCII, for clients that cannot read the UTF-8 form: accents dropped,
    /// other characters replaced by `_`.
    pub fn ascii_fallback(&self) -> String {
        self.0
            .nfd()
            .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
            .map(|c| if c.is_ascii() { c } else { '_' })
            .collect()
    }
}

fn collapse_spaces(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let c = if c.is_whitespace() { ' ' } else { c };
        if !(c == ' ' && out.ends_with(' ')) {
            out.push(c);
        }
    }
    out
}

/// How many documents a person keeps and how many bytes they take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DocumentUsage {
    /// Number of documents.
    pub files: u64,
    /// Their total size in bytes.
    pub bytes: u64,
}

/// Why an upload would exceed the quota.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum QuotaExceeded {
    /// Too many documents.
    #[error("you may keep at most {max} documents; delete one first")]
    Files {
        /// The most documents allowed.
        max: u64,
    },
    /// Too many bytes.
    #[error("your documents may take at most {max} bytes in all; delete one first")]
    Bytes {
        /// The most bytes allowed.
        max: u64,
    },
}

/// The most documents, and bytes of documents, one person keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DocumentQuota {
    /// The most documents.
    pub max_files: u64,
    /// The most bytes, all documents together.
    pub max_bytes: u64,
}

impl DocumentQuota {
    /// 50 files and 100 MiB.
    pub const DEFAULT: DocumentQuota = DocumentQuota {
        max_files: 50,
        max_bytes: 100 * 1024 * 1024,
    };

    /// Whether a person using `usage` may add a document of `size` bytes.
    pub fn admits(&self, usage: DocumentUsage, size: u64) -> Result<(), QuotaExceeded> {
        if usage.files.saturating_add(1) > self.max_files {
            return Err(QuotaExceeded::Files {
                max: self.max_files,
            });
        }
        if usage.bytes.saturating_add(size) > self.max_bytes {
            return Err(QuotaExceeded::Bytes {
                max: self.max_bytes,
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn signatures_are_read_from_the_first_bytes() {
        assert_eq!(Signature::of(b"%PDF-1.7\n"), Signature::Pdf);
        assert_eq!(Signature::of(b"PK\x03\x04\x14\x00"), Signature::Zip);
        assert_eq!(Signature::of(b"\x89PNG\r\n\x1A\n"), Signature::Png);
        assert_eq!(Signature::of(b"\xFF\xD8\xFF\xE0"), Signature::Jpeg);
        assert_eq!(Signature::of(b"{\\rtf1\\ansi"), Signature::Rtf);
        assert_eq!(Signature::of(b"MZ\x90\x00"), Signature::Other);
    }

    #[test]
    fn an_executable_named_cv_pdf_is_not_accepted() {
        // An executable's bytes are no accepted format, whatever its name says.
        assert_eq!(
            settle_format(None, "cv.pdf", Some("application/pdf")),
            Err(DocumentTypeError::NotAccepted)
        );
    }

    #[test]
    fn a_pdf_named_as_a_word_file_disagrees_with_its_name() {
        let error = settle_format(Some(DocumentFormat::Pdf), "cv.docx", None).unwrap_err();
        assert!(matches!(error, DocumentTypeError::NameDisagrees { .. }));
        let error = settle_format(Some(DocumentFormat::Pdf), "cv.pdf.exe", None).unwrap_err();
        assert!(matches!(error, DocumentTypeError::NameDisagrees { .. }));
    }

    #[test]
    fn a_declared_type_must_name_the_content_unless_it_is_generic() {
        let pdf = Some(DocumentFormat::Pdf);
        assert!(settle_format(pdf, "cv.pdf", Some("application/octet-stream")).is_ok());
        assert!(settle_format(pdf, "cv.PDF", Some("Application/PDF")).is_ok());
        assert!(settle_format(pdf, "cv", None).is_ok());
        assert!(matches!(
            settle_format(pdf, "cv.pdf", Some("image/png")),
            Err(DocumentTypeError::DeclaredDisagrees { .. })
        ));
        assert!(
            settle_format(
                Some(DocumentFormat::Text),
                "notes.txt",
                Some("text/plain; charset=utf-8")
            )
            .is_ok()
        );
    }

    #[test]
    fn plain_text_is_utf8_without_control_characters_even_split_across_chunks() {
        let mut check = PlainTextCheck::new();
        let text = "Résumé\r\n\tJane".as_bytes();
        check.feed(&text[..2]);
        check.feed(&text[2..]);
        assert!(check.finish());
        let mut binary = PlainTextCheck::new();
        binary.feed(b"MZ\x90\x00\x03");
        assert!(!binary.finish());
        let mut cut = PlainTextCheck::new();
        cut.feed(&"é".as_bytes()[..1]);
        assert!(!cut.finish());
        assert!(!PlainTextCheck::new().finish());
    }

    #[test]
    fn file_names_lose_paths_and_unsafe_characters_and_keep_a_true_extension() {
        let name = |raw, format| SafeFileName::sanitise(raw, format).as_str().to_owned();
        assert_eq!(name("../../etc/passwd", DocumentFormat::Text), "passwd.txt");
        assert_eq!(
            name("C:\\Users\\jane\\My CV.pdf", DocumentFormat::Pdf),
            "My CV.pdf"
        );
        assert_eq!(name("a\"b;c\r\nd.pdf", DocumentFormat::Pdf), "a_b_cd.pdf");
        assert_eq!(name("...", DocumentFormat::Png), "document.png");
        assert_eq!(name("photo.jpeg", DocumentFormat::Jpeg), "photo.jpg");
        assert_eq!(name("report.pdf", DocumentFormat::Docx), "report.pdf.docx");
    }

    #[test]
    fn the_ascii_fallback_drops_accents() {
        let name = SafeFileName::sanitise("Résumé – Łukasz.pdf", DocumentFormat::Pdf);
        assert_eq!(name.as_str(), "Résumé _ Łukasz.pdf");
        assert_eq!(name.ascii_fallback(), "Resume _ _ukasz.pdf");
    }

    #[test]
    fn the_quota_counts_files_and_bytes() {
        let quota = DocumentQuota {
            max_files: 2,
            max_bytes: 100,
        };
        assert!(
            quota
                .admits(
                    DocumentUsage {
                        files: 1,
                        bytes: 50
                    },
                    50
                )
                .is_ok()
        );
        assert_eq!(
            quota.admits(DocumentUsage { files: 2, bytes: 0 }, 1),
            Err(QuotaExceeded::Files { max: 2 })
        );
        assert_eq!(
            quota.admits(
                DocumentUsage {
                    files: 1,
                    bytes: 60
                },
                41
            ),
            Err(QuotaExceeded::Bytes { max: 100 })
        );
    }

    proptest! {
        #[test]
        fn a_safe_name_never_holds_a_path_separator_quote_or_control(raw in "\\PC{0,150}") {
            let name = SafeFileName::sanitise(&raw, DocumentFormat::Pdf);
            let text = name.as_str();
            prop_assert!(!text.contains(['/', '\\', '"', '\'']));
            prop_assert!(!text.chars().any(char::is_control));
            prop_assert!(!text.starts_with('.'));
            prop_assert!(text.ends_with(".pdf"));
            prop_assert!(text.chars().count() <= SafeFileName::MAX_STEM + 4);
        }

        #[test]
        fn the_ascii_fallback_is_ascii(raw in "\\PC{0,60}") {
            let name = SafeFileName::sanitise(&raw, DocumentFormat::Text);
            prop_assert!(name.ascii_fallback().is_ascii());
        }
    }
}
