//! What an uploaded file really is, from its bytes: the signature first, then a closer look
//! for containers (the entries of a ZIP, the streams of a compound file) and for plain text.
//!
//! ZIP-based formats (DOCX, ODT) are opened with bounds against zip bombs: at most
//! [`MAX_ENTRIES`] entries and [`MAX_UNPACKED`] bytes unpacked in all, counted while actually
//! inflating (declared sizes can lie), so inspecting never costs more than that.

use std::{
    fs::File,
    io::{self, BufReader, Read},
    path::Path,
};

use merit_domain::profile::{DocumentFormat, PlainTextCheck, Signature};

/// The most entries a DOCX or ODT may hold.
pub const MAX_ENTRIES: usize = 1_000;
/// The most bytes a DOCX or ODT may unpack to, all entries together.
pub const MAX_UNPACKED: u64 = 50 * 1024 * 1024;

const ODT_MEDIA_TYPE: &[u8] = b"application/vnd.oasis.opendocument.text";
/// The name of a Word 97-2003 document's main stream, as a compound file's directory holds it
/// (UTF-16LE).
const WORD_STREAM: &[u8] = b"W\0o\0r\0d\0D\0o\0c\0u\0m\0e\0n\0t\0";

/// The outcome of an inspection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The file is of this accepted format.
    Format(DocumentFormat),
    /// The file is not acceptable; the reason is safe to show.
    Refused(&'static str),
}

/// Inspects the file at `path` (blocking: run it off the async workers).
pub fn inspect(path: &Path) -> io::Result<Verdict> {
    let mut file = File::open(path)?;
    let mut head = [0_u8; Signature::HEAD];
    let read = read_up_to(&mut file, &mut head)?;
    let file = File::open(path)?;
    Ok(match Signature::of(&head[..read]) {
        Signature::Pdf => Verdict::Format(DocumentFormat::Pdf),
        Signature::Rtf => Verdict::Format(DocumentFormat::Rtf),
        Signature::Png => Verdict::Format(DocumentFormat::Png),
        Signature::Jpeg => Verdict::Format(DocumentFormat::Jpeg),
        Signature::Zip => zip_format(file),
        Signature::CompoundFile => {
            if contains(file, WORD_STREAM)? {
                Verdict::Format(DocumentFormat::Doc)
            } else {
                Verdict::Refused("The file is an Office compound file but not a Word document.")
            }
        }
        Signature::Other => {
            if is_plain_text(file)? {
                Verdict::Format(DocumentFormat::Text)
            } else {
                Verdict::Refused(
                    "The file's content is not one of the accepted formats (PDF, DOCX, DOC, ODT, RTF, plain text, PNG, JPEG).",
                )
            }
        }
    })
}

fn read_up_to(file: &mut File, buffer: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match file.read(&mut buffer[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

fn zip_format(file: File) -> Verdict {
    const NOT_A_DOCUMENT: Verdict =
        Verdict::Refused("The file is a ZIP archive but not a DOCX or ODT document.");
    const TOO_BIG: Verdict = Verdict::Refused(
        "The document unpacks to too many entries or too many bytes (at most 1000 entries and 50 MiB).",
    );
    let Ok(mut archive) = zip::ZipArchive::new(BufReader::new(file)) else {
        return NOT_A_DOCUMENT;
    };
    if archive.len() > MAX_ENTRIES {
        return TOO_BIG;
    }
    let mut declared: u64 = 0;
    for i in 0..archive.len() {
        match archive.by_index_raw(i) {
            Ok(entry) => declared = declared.saturating_add(entry.size()),
            Err(_) => return NOT_A_DOCUMENT,
        }
    }
    if declared > MAX_UNPACKED {
        return TOO_BIG;
    }
    let Ok(names) = archive
        .file_names()
        .map(|name| name.map(|n| n.into_owned()))
        .collect::<Result<Vec<String>, _>>()
    else {
        return NOT_A_DOCUMENT;
    };
    let has = |name: &str| names.iter().any(|n| n == name);
    let format = if has("[Content_Types].xml") && has("word/document.xml") {
        DocumentFormat::Docx
    } else if has("content.xml") && odt_media_type(&mut archive) {
        DocumentFormat::Odt
    } else {
        return NOT_A_DOCUMENT;
    };
    match unpacked_size(&mut archive) {
        Some(total) if total <= MAX_UNPACKED => Verdict::Format(format),
        Some(_) => TOO_BIG,
        None => NOT_A_DOCUMENT,
    }
}

/// An ODT's first entry is `mimetype`, holding the OpenDocument text media type.
fn odt_media_type(archive: &mut zip::ZipArchive<BufReader<File>>) -> bool {
    let Ok(mut first) = archive.by_index(0) else {
        return false;
    };
    if first.name().ok().as_deref() != Some("mimetype") {
        return false;
    }
    let mut content = Vec::new();
    let limit = ODT_MEDIA_TYPE.len() as u64 + 1;
    (&mut first).take(limit).read_to_end(&mut content).is_ok() && content == ODT_MEDIA_TYPE
}

/// Inflates every entry, counting bytes and stopping past [`MAX_UNPACKED`]; `None` when an
/// entry cannot be read (corrupt, encrypted, an unsupported method).
fn unpacked_size(archive: &mut zip::ZipArchive<BufReader<File>>) -> Option<u64> {
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let entry = archive.by_index(i).ok()?;
        let allowed = MAX_UNPACKED - total + 1;
        total += io::copy(&mut entry.take(allowed), &mut io::sink()).ok()?;
        if total > MAX_UNPACKED {
            return Some(total);
        }
    }
    Some(total)
}

/// Whether `needle` occurs anywhere in the file (read in chunks, overlapping by its length).
fn contains(mut file: File, needle: &[u8]) -> io::Result<bool> {
    let mut buffer = vec![0_u8; 64 * 1024];
    let mut carried = 0;
    loop {
        let read = file.read(&mut buffer[carried..])?;
        if read == 0 {
            return Ok(false);
        }
        let filled = carried + read;
        if buffer[..filled].windows(needle.len()).any(|w| w == needle) {
            return Ok(true);
        }
        carried = (needle.len() - 1).min(filled);
        buffer.copy_within(filled - carried..filled, 0);
    }
}

fn is_plain_text(mut file: File) -> io::Result<bool> {
    let mut check = PlainTextCheck::new();
    let mut buffer = vec![0_u8; 64 * 1024];
    loop {
        let read = file.read(&mut buffer)?;
        if read == 0 {
            return Ok(check.finish());
        }
        check.feed(&buffer[..read]);
    }
}
