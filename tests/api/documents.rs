//! Documents: multipart upload of each accepted format, content sniffing (disguised files, zip
//! bombs), size limit, quota, checksums, downloads, deletion of the stored bytes, and ownership.

use std::{io::Write, path::Path};

use figment::providers::Serialized;
use merit_persistence::documents;
use reqwest::{
    Method,
    multipart::{Form, Part},
};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::support::{TestApp, TestResponse, TestUser, assert_problem};

const DOCUMENTS: &str = "/api/v1/me/documents";

/// Small but real files of each accepted format.
mod samples {
    use super::*;

    pub fn pdf() -> Vec<u8> {
        b"%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n".to_vec()
    }

    fn zip(entries: &[(&str, &[u8])], method: zip::CompressionMethod) -> Vec<u8> {
        let mut out = std::io::Cursor::new(Vec::new());
        let mut writer = zip::ZipWriter::new(&mut out);
        for (name, bytes) in entries {
            let options = zip::write::SimpleFileOptions::default().compression_method(method);
            writer.start_file(*name, options).unwrap();
            writer.write_all(bytes).unwrap();
        }
        writer.finish().unwrap();
        out.into_inner()
    }

    pub fn docx() -> Vec<u8> {
        zip(
            &[
                ("[Content_Types].xml", b"<Types/>"),
                (
                    "word/document.xml",
                    b"<w:document><w:body>Jane</w:body></w:document>",
                ),
            ],
            zip::CompressionMethod::Deflated,
        )
    }

    pub fn odt() -> Vec<u8> {
        zip(
            &[
                ("mimetype", b"application/vnd.oasis.opendocument.text"),
                ("content.xml", b"<office:document-content/>"),
            ],
            zip::CompressionMethod::Stored,
        )
    }

    pub fn plain_zip() -> Vec<u8> {
        zip(&[("notes.txt", b"hello")], zip::CompressionMethod::Deflated)
    }

    /// A DOCX whose entries unpack to more than 50 MiB.
    pub fn zip_bomb() -> Vec<u8> {
        let zeros = vec![0_u8; 51 * 1024 * 1024];
        zip(
            &[
                ("[Content_Types].xml", b"<Types/>"),
                ("word/document.xml", &zeros),
            ],
            zip::CompressionMethod::Deflated,
        )
    }

    /// A DOCX of more than 1000 entries.
    pub fn crowded_docx() -> Vec<u8> {
        let names: Vec<String> = (0..1001).map(|i| format!("word/media/{i}.xml")).collect();
        let mut entries: Vec<(&str, &[u8])> = vec![
            ("[Content_Types].xml", b"<Types/>"),
            ("word/document.xml", b"<w:document/>"),
        ];
        entries.extend(names.iter().map(|n| (n.as_str(), &b"x"[..])));
        zip(&entries, zip::CompressionMethod::Stored)
    }

    pub fn doc() -> Vec<u8> {
        let mut bytes = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
        bytes.resize(512, 0);
        bytes.extend("Root Entry".encode_utf16().flat_map(u16::to_le_bytes));
        bytes.resize(640, 0);
        bytes.extend("WordDocument".encode_utf16().flat_map(u16::to_le_bytes));
        bytes.resize(1024, 0);
        bytes
    }

    pub fn msi() -> Vec<u8> {
        let mut bytes = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
        bytes.resize(1024, 0);
        bytes
    }

    pub fn rtf() -> Vec<u8> {
        b"{\\rtf1\\ansi Jane Applicant\\par}".to_vec()
    }

    pub fn txt() -> Vec<u8> {
        "Jane Applicant\nRésumé\n".as_bytes().to_vec()
    }

    pub fn png() -> Vec<u8> {
        let mut bytes = b"\x89PNG\r\n\x1A\n\x00\x00\x00\x0DIHDR".to_vec();
        bytes.extend([
            0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0, 0x90, 0x77, 0x53, 0xDE,
        ]);
        bytes
    }

    pub fn jpeg() -> Vec<u8> {
        let mut bytes = b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01\x01".to_vec();
        bytes.extend([0; 32]);
        bytes.extend(b"\xFF\xD9");
        bytes
    }

    pub fn exe() -> Vec<u8> {
        let mut bytes = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xFF\xFF".to_vec();
        bytes.extend(b"This program cannot be run in DOS mode.\r\r\n$\x00\x00");
        bytes.resize(512, 0);
        bytes
    }
}

fn sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn form(kind: &str, title: &str, file_name: &str, declared: Option<&str>, bytes: Vec<u8>) -> Form {
    let mut part = Part::bytes(bytes).file_name(file_name.to_owned());
    if let Some(declared) = declared {
        part = part.mime_str(declared).unwrap();
    }
    Form::new()
        .text("kind", kind.to_owned())
        .text("title", title.to_owned())
        .part("file", part)
}

async fn upload_form(app: &TestApp, user: &TestUser, form: Form) -> TestResponse {
    app.send(
        app.request(Method::POST, DOCUMENTS)
            .bearer_auth(&user.token)
            .multipart(form),
    )
    .await
}

async fn upload(app: &TestApp, user: &TestUser, file_name: &str, bytes: Vec<u8>) -> TestResponse {
    upload_form(app, user, form("resume", "My file", file_name, None, bytes)).await
}

async fn uploaded(app: &TestApp, user: &TestUser, file_name: &str, bytes: Vec<u8>) -> String {
    let response = upload(app, user, file_name, bytes).await;
    response.assert_status(201);
    response.body["id"].as_str().unwrap().to_owned()
}

fn files_under(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .filter_map(Result::ok)
        .map(|e| {
            let path = e.path();
            if path.is_dir() { files_under(&path) } else { 1 }
        })
        .sum()
}

/// Stored objects and waiting uploads, to check that refused uploads leave nothing behind.
fn stored_files(app: &TestApp) -> (usize, usize) {
    let data = &app.state.settings.data_dir;
    (
        files_under(&data.join("documents")),
        files_under(&data.join("uploads")),
    )
}

async fn object_key(app: &TestApp, owner: &str, id: &str) -> Option<String> {
    let (owner, id) = (owner.to_owned(), id.parse().unwrap());
    app.db
        .read(move |conn| Ok(documents::find(conn, owner.parse().expect("an id"), id)?))
        .await
        .unwrap()
        .map(|d| d.object_key)
}

#[actix_web::test]
async fn each_accepted_format_is_recognised_by_content_and_downloads_byte_for_byte() {
    let app = TestApp::spawn().await;
    let jane = app.applicant("jane@example.org").await;
    let cases: [(&str, Vec<u8>, &str); 8] = [
        ("cv.pdf", samples::pdf(), "application/pdf"),
        (
            "cv.docx",
            samples::docx(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("cv.doc", samples::doc(), "application/msword"),
        (
            "cv.odt",
            samples::odt(),
            "application/vnd.oasis.opendocument.text",
        ),
        ("cv.rtf", samples::rtf(), "application/rtf"),
        ("cv.txt", samples::txt(), "text/plain"),
        ("photo.png", samples::png(), "image/png"),
        ("photo.jpeg", samples::jpeg(), "image/jpeg"),
    ];
    for (name, bytes, media_type) in cases {
        let response = upload(&app, &jane, name, bytes.clone()).await;
        response.assert_status(201);
        assert_eq!(response.body["media_type"], media_type, "{name}");
        assert_eq!(response.body["size_bytes"], bytes.len(), "{name}");
        assert_eq!(response.body["sha256"], sha256(&bytes), "{name}");
        let location = response.header("location").to_owned();
        let metadata = app.get_as(&jane.token, &location).await;
        assert_eq!(metadata.body, response.body);
        let download = app
            .send(
                app.request(Method::GET, &format!("{location}/content"))
                    .bearer_auth(&jane.token),
            )
            .await;
        download.assert_status(200);
        assert_eq!(
            download.header("content-type"),
            "application/octet-stream",
            "{name}"
        );
        assert_eq!(download.header("x-content-type-options"), "nosniff");
        assert!(
            download
                .header("content-disposition")
                .starts_with("attachment;")
        );
        let bytes_back = app
            .request(Method::GET, &format!("{location}/content"))
            .bearer_auth(&jane.token)
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        assert_eq!(sha256(&bytes_back), sha256(&bytes), "{name}");
        assert_eq!(bytes_back.as_ref(), bytes.as_slice(), "{name}");
    }
    let list = app
        .get_as(&jane.token, &format!("{DOCUMENTS}?limit=100"))
        .await;
    assert_eq!(list.body["items"].as_array().unwrap().len(), 8);
    assert_eq!(list.body["items"][0]["file_name"], "photo.jpg");
}

#[actix_web::test]
async fn a_download_offers_a_safe_file_name_in_ascii_and_utf8() {
    let app = TestApp::spawn().await;
    let jane = app.applicant("jane@example.org").await;
    let response = upload(&app, &jane, "../../Résumé \"final\".pdf", samples::pdf()).await;
    response.assert_status(201);
    assert_eq!(response.body["file_name"], "Résumé _final_.pdf");
    let location = response.header("location").to_owned();
    let download = app
        .send(
            app.request(Method::GET, &format!("{location}/content"))
                .bearer_auth(&jane.token),
        )
        .await;
    assert_eq!(
        download.header("content-disposition"),
        "attachment; filename=\"Resume _final_.pdf\"; filename*=UTF-8''R%C3%A9sum%C3%A9%20_final_.pdf"
    );
    assert_eq!(
        download.header("etag"),
        format!("\"{}\"", sha256(&samples::pdf()))
    );
}

#[actix_web::test]
async fn an_executable_named_cv_pdf_is_refused_and_leaves_nothing_behind() {
    let app = TestApp::spawn().await;
    let jane = app.applicant("jane@example.org").await;
    let response = upload_form(
        &app,
        &jane,
        form(
            "resume",
            "CV",
            "cv.pdf",
            Some("application/pdf"),
            samples::exe(),
        ),
    )
    .await;
    assert_problem(&response, 415, "unsupported_document_type");
    assert_eq!(stored_files(&app), (0, 0));
    let list = app.get_as(&jane.token, DOCUMENTS).await;
    assert_eq!(list.body["items"], Value::Array(vec![]));
}

#[actix_web::test]
async fn bytes_that_disagree_with_the_name_or_declared_type_are_refused() {
    let app = TestApp::spawn().await;
    let jane = app.applicant("jane@example.org").await;
    for (name, declared, bytes) in [
        ("cv.docx", None, samples::pdf()),
        ("cv.pdf.exe", None, samples::pdf()),
        ("cv.pdf", Some("image/png"), samples::pdf()),
        ("photo.png", None, samples::jpeg()),
        ("archive.docx", None, samples::plain_zip()),
        ("setup.doc", None, samples::msi()),
        ("cv.txt", None, samples::exe()),
    ] {
        let response = upload_form(&app, &jane, form("resume", "CV", name, declared, bytes)).await;
        assert_problem(&response, 415, "unsupported_document_type");
    }
    assert_eq!(stored_files(&app), (0, 0));
}

#[actix_web::test]
async fn a_generic_declared_type_or_a_name_without_extension_is_settled_by_content() {
    let app = TestApp::spawn().await;
    let jane = app.applicant("jane@example.org").await;
    let response = upload_form(
        &app,
        &jane,
        form(
            "transcript",
            "Transcript",
            "transcript",
            Some("application/octet-stream"),
            samples::pdf(),
        ),
    )
    .await;
    response.assert_status(201);
    assert_eq!(response.body["media_type"], "application/pdf");
    assert_eq!(response.body["file_name"], "transcript.pdf");
    assert_eq!(response.body["kind"], "transcript");
}

#[actix_web::test]
async fn zip_bombs_and_crowded_archives_are_refused() {
    let app = TestApp::spawn_with(|f| {
        f.merge(Serialized::default("documents_max_bytes", 20 * 1024 * 1024))
    })
    .await;
    let jane = app.applicant("jane@example.org").await;
    for (name, bytes) in [
        ("bomb.docx", samples::zip_bomb()),
        ("crowd.docx", samples::crowded_docx()),
    ] {
        assert!(bytes.len() < 20 * 1024 * 1024);
        let response = upload(&app, &jane, name, bytes).await;
        assert_problem(&response, 415, "unsupported_document_type");
        assert!(response.body["detail"].as_str().unwrap().contains("50 MiB"));
    }
    assert_eq!(stored_files(&app), (0, 0));
}

#[actix_web::test]
async fn a_file_one_byte_over_ten_mib_is_413_while_it_streams_though_the_form_length_is_allowed() {
    // The whole form is about 10 MiB + 400 B, under the declared-length allowance (10 MiB plus
    // 64 KiB for the form), so it is the streaming count that refuses the file.
    let app = TestApp::spawn().await;
    let jane = app.applicant("jane@example.org").await;
    let mut big = samples::pdf();
    big.resize(10 * 1024 * 1024 + 1, b' ');
    let response = upload(&app, &jane, "big.pdf", big).await;
    assert_problem(&response, 413, "payload_too_large");
    assert_eq!(stored_files(&app), (0, 0));
}

#[actix_web::test]
async fn a_declared_length_far_over_the_limit_is_413_before_the_body_is_read() {
    use tokio::io::AsyncWriteExt;
    let app = TestApp::spawn().await;
    let jane = app.applicant("jane@example.org").await;
    let host = app.address.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(host).await.unwrap();
    let boundary = "merit-test-boundary";
    let declared: u64 = 200 * 1024 * 1024;
    let head = format!(
        "POST {DOCUMENTS} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {}\r\n\
         Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {declared}\r\n\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nresume\r\n",
        jane.token
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.flush().await.unwrap();
    // The rest of the 200 MiB is never sent (the connection stays open): an answer can only
    // come from the declared length, before any more of the body is read.
    let (status, headers, body) =
        tokio::time::timeout(std::time::Duration::from_secs(10), raw_answer(&mut stream))
            .await
            .expect("an answer while the body is still outstanding");
    assert_eq!(status, 413, "{headers}");
    assert!(
        headers
            .to_ascii_lowercase()
            .contains("content-type: application/problem+json"),
        "{headers}"
    );
    assert_eq!(body["code"], "payload_too_large");
    assert_eq!(body["status"], 413);
    assert_eq!(stored_files(&app), (0, 0));
}

/// Reads one HTTP/1.1 answer with a `Content-Length` from `stream`: its status, its header
/// lines and its JSON body.
async fn raw_answer(stream: &mut tokio::net::TcpStream) -> (u16, String, Value) {
    use tokio::io::AsyncReadExt;
    let mut received = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let n = stream.read(&mut buf).await.unwrap();
        assert!(n > 0, "the connection closed before a whole answer arrived");
        received.extend_from_slice(&buf[..n]);
        let Some(end) = received.windows(4).position(|w| w == b"\r\n\r\n") else {
            continue;
        };
        let headers = String::from_utf8_lossy(&received[..end]).into_owned();
        let length: usize = headers
            .lines()
            .find_map(|l| {
                let (name, value) = l.split_once(':')?;
                name.eq_ignore_ascii_case("content-length")
                    .then(|| value.trim().parse().ok())?
            })
            .expect("a Content-Length");
        if received.len() < end + 4 + length {
            continue;
        }
        let status = headers
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap();
        let body = serde_json::from_slice(&received[end + 4..end + 4 + length]).unwrap();
        return (status, headers, body);
    }
}

#[actix_web::test]
async fn a_streamed_file_is_cut_off_with_413_as_soon_as_it_passes_the_limit() {
    let app = TestApp::spawn().await;
    let jane = app.applicant("jane@example.org").await;
    // A body without Content-Length (chunked) that would never end: the server must answer
    // 413 once the file passes 10 MiB instead of reading on.
    let boundary = "merit-test-boundary";
    let head = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nresume\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nBig\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.txt\"\r\nContent-Type: text/plain\r\n\r\n"
    );
    let chunk = vec![b'a'; 256 * 1024];
    let stream = futures_stream(head.into_bytes(), chunk, 200);
    let response = app
        .send(
            app.request(Method::POST, DOCUMENTS)
                .bearer_auth(&jane.token)
                .header(
                    "content-type",
                    format!("multipart/form-data; boundary={boundary}"),
                )
                .body(reqwest::Body::wrap_stream(stream)),
        )
        .await;
    assert_problem(&response, 413, "payload_too_large");
    assert_eq!(stored_files(&app), (0, 0));
}

/// `head`, then `chunk` repeated `times` (50 MiB for 200 chunks of 256 KiB).
fn futures_stream(
    head: Vec<u8>,
    chunk: Vec<u8>,
    times: usize,
) -> impl futures_util::Stream<Item = Result<Vec<u8>, std::io::Error>> {
    futures_util::stream::iter(
        std::iter::once(Ok(head)).chain((0..times).map(move |_| Ok(chunk.clone()))),
    )
}

#[actix_web::test]
async fn missing_unknown_and_invalid_parts_are_422_and_other_bodies_415() {
    let app = TestApp::spawn().await;
    let jane = app.applicant("jane@example.org").await;
    let missing = upload_form(&app, &jane, Form::new().text("kind", "resume")).await;
    assert_problem(&missing, 422, "validation_failed");
    let fields: Vec<&str> = missing.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["title", "file"]);
    let invalid = upload_form(
        &app,
        &jane,
        form("poem", " ", "cv.pdf", None, samples::pdf()),
    )
    .await;
    assert_problem(&invalid, 422, "validation_failed");
    assert_eq!(invalid.body["errors"][0]["code"], "unknown_kind");
    assert_eq!(invalid.body["errors"][1]["code"], "blank");
    let empty = upload(&app, &jane, "empty.txt", Vec::new()).await;
    assert_problem(&empty, 422, "validation_failed");
    assert_eq!(empty.body["errors"][0]["code"], "empty_file");
    let unknown = upload_form(
        &app,
        &jane,
        form("resume", "CV", "cv.pdf", None, samples::pdf()).text("owner", "someone"),
    )
    .await;
    assert_problem(&unknown, 422, "validation_failed");
    let json = app
        .post_as(
            &jane.token,
            DOCUMENTS,
            &serde_json::json!({"kind": "resume"}),
        )
        .await;
    assert_problem(&json, 415, "unsupported_media_type");
    assert_eq!(stored_files(&app), (0, 0));
}

#[actix_web::test]
async fn the_quota_counts_files_and_bytes_per_person() {
    let app = TestApp::spawn_with(|f| {
        f.merge(Serialized::default("documents_quota_files", 3))
            .merge(Serialized::default("documents_quota_bytes", 1000))
    })
    .await;
    let jane = app.applicant("jane@example.org").await;
    let other = app.applicant("other@example.org").await;
    for i in 0..3 {
        uploaded(&app, &jane, &format!("cv{i}.txt"), vec![b'a'; 100]).await;
    }
    let over = upload(&app, &jane, "cv4.txt", vec![b'a'; 100]).await;
    assert_problem(&over, 409, "document_quota_exceeded");
    let big = upload(&app, &other, "big.txt", vec![b'a'; 1001]).await;
    assert_problem(&big, 409, "document_quota_exceeded");
    uploaded(&app, &other, "fits.txt", vec![b'a'; 1000]).await;
    assert_eq!(stored_files(&app), (4, 0));
}

#[actix_web::test]
async fn the_default_quota_is_fifty_files() {
    let app = TestApp::spawn().await;
    let jane = app.applicant("jane@example.org").await;
    for i in 0..50 {
        uploaded(
            &app,
            &jane,
            &format!("note{i}.txt"),
            format!("note {i}").into_bytes(),
        )
        .await;
    }
    let over = upload(&app, &jane, "note50.txt", b"one more".to_vec()).await;
    assert_problem(&over, 409, "document_quota_exceeded");
}

#[actix_web::test]
async fn deleting_a_document_removes_its_row_and_its_stored_bytes() {
    let app = TestApp::spawn().await;
    let jane = app.applicant("jane@example.org").await;
    let id = uploaded(&app, &jane, "cv.pdf", samples::pdf()).await;
    let key = object_key(&app, &jane.id, &id).await.expect("a row");
    assert!(app.state.documents.exists(&key).await.unwrap());
    let deleted = app
        .send(
            app.request(Method::DELETE, &format!("{DOCUMENTS}/{id}"))
                .bearer_auth(&jane.token),
        )
        .await;
    deleted.assert_status(204);
    assert_eq!(object_key(&app, &jane.id, &id).await, None);
    assert!(!app.state.documents.exists(&key).await.unwrap());
    assert_eq!(stored_files(&app), (0, 0));
    for path in [
        format!("{DOCUMENTS}/{id}"),
        format!("{DOCUMENTS}/{id}/content"),
    ] {
        assert_problem(&app.get_as(&jane.token, &path).await, 404, "not_found");
    }
}

#[actix_web::test]
async fn another_persons_document_is_404_for_every_operation_and_stays_whole() {
    let app = TestApp::spawn().await;
    let jane = app.applicant("jane@example.org").await;
    let mallory = app.applicant("mallory@example.org").await;
    let id = uploaded(&app, &jane, "cv.pdf", samples::pdf()).await;
    for path in [
        format!("{DOCUMENTS}/{id}"),
        format!("{DOCUMENTS}/{id}/content"),
    ] {
        assert_problem(&app.get_as(&mallory.token, &path).await, 404, "not_found");
    }
    let delete = app
        .send(
            app.request(Method::DELETE, &format!("{DOCUMENTS}/{id}"))
                .bearer_auth(&mallory.token),
        )
        .await;
    assert_problem(&delete, 404, "not_found");
    let list = app.get_as(&mallory.token, DOCUMENTS).await;
    assert_eq!(list.body["items"], Value::Array(vec![]));
    let key = object_key(&app, &jane.id, &id).await.expect("still there");
    assert!(app.state.documents.exists(&key).await.unwrap());
    app.get_as(&jane.token, &format!("{DOCUMENTS}/{id}/content"))
        .await
        .assert_status(200);
}

#[actix_web::test]
async fn documents_need_a_signed_in_person() {
    let app = TestApp::spawn().await;
    assert_problem(&app.get(DOCUMENTS).await, 401, "unauthenticated");
    let anonymous = app
        .send(app.request(Method::POST, DOCUMENTS).multipart(form(
            "resume",
            "CV",
            "cv.pdf",
            None,
            samples::pdf(),
        )))
        .await;
    assert_problem(&anonymous, 401, "unauthenticated");
}

#[actix_web::test]
async fn a_failed_store_write_is_503_and_leaves_no_row() {
    let app = TestApp::spawn().await;
    let jane = app.applicant("jane@example.org").await;
    // Break the store: its root becomes a plain file, so no object can be written under it.
    let root = app.state.settings.documents_dir();
    std::fs::remove_dir_all(&root).unwrap();
    std::fs::write(&root, b"not a directory").unwrap();
    let response = upload(&app, &jane, "cv.pdf", samples::pdf()).await;
    assert_problem(&response, 503, "storage_unavailable");
    assert!(!response.header("retry-after").is_empty());
    let list = app.get_as(&jane.token, DOCUMENTS).await;
    assert_eq!(list.body["items"], Value::Array(vec![]));
    assert_eq!(files_under(&app.state.settings.data_dir.join("uploads")), 0);
}

#[actix_web::test]
async fn a_document_id_that_is_not_a_canonical_uuid_is_not_found() {
    let app = TestApp::spawn().await;
    let jane = app.applicant("jane@example.org").await;
    for bad in ["x", "0190A000-0000-7000-8000-000000000000"] {
        for path in [
            format!("/api/v1/me/documents/{bad}"),
            format!("/api/v1/me/documents/{bad}/content"),
        ] {
            assert_problem(&app.get_as(&jane.token, &path).await, 404, "not_found");
        }
    }
}

#[actix_web::test]
async fn the_sweeper_removes_crash_leftovers_but_never_bytes_a_row_names() {
    use chrono::{TimeDelta, Utc};
    use merit_api::{
        storage::DocumentStore,
        sweeper::{self, Swept},
    };

    let app = TestApp::spawn().await;
    let jane = app.applicant("jane@example.org").await;
    let id = uploaded(&app, &jane, "cv.pdf", samples::pdf()).await;
    let kept = object_key(&app, &jane.id, &id).await.unwrap();
    let orphan = DocumentStore::new_key();
    let foreign = "backups/not-merit.tar".to_owned();
    for key in [&orphan, &foreign] {
        app.state
            .documents
            .put_bytes(key, b"left by a crash".to_vec())
            .await
            .unwrap();
    }
    let data = app.state.settings.data_dir.clone();
    let stale_upload = data.join("uploads").join("upload-crashed");
    std::fs::write(&stale_upload, b"half an upload").unwrap();
    let staging = data.join("documents").join(format!("{kept}#1"));
    std::fs::write(&staging, b"half a copy").unwrap();

    let now = sweeper::sweep(&app.state, Utc::now()).await.unwrap();
    assert_eq!(now, Swept::default(), "nothing is old enough yet");
    assert!(app.state.documents.exists(&orphan).await.unwrap());
    assert!(stale_upload.exists() && staging.exists());

    // Two instances sweeping at once, two days on.
    let later = Utc::now() + TimeDelta::days(2);
    let (first, second) = futures_util::join!(
        sweeper::sweep(&app.state, later),
        sweeper::sweep(&app.state, later)
    );
    let (first, second) = (first.unwrap(), second.unwrap());
    // Both may have found the orphan before either deleted it; deleting it twice is fine.
    assert!((1..=2).contains(&(first.orphans + second.orphans)));
    assert_eq!(first.uploads + second.uploads, 1);
    assert_eq!(first.staged + second.staged, 1);
    assert!(!app.state.documents.exists(&orphan).await.unwrap());
    assert!(!stale_upload.exists() && !staging.exists());

    assert!(app.state.documents.exists(&kept).await.unwrap());
    assert!(
        app.state.documents.exists(&foreign).await.unwrap(),
        "objects not shaped like a document key are left alone"
    );
    let download = app
        .send(
            app.request(Method::GET, &format!("{DOCUMENTS}/{id}/content"))
                .bearer_auth(&jane.token),
        )
        .await;
    download.assert_status(200);
    assert_eq!(download.text.as_bytes(), samples::pdf());
    assert_eq!(
        sweeper::sweep(&app.state, later).await.unwrap(),
        Swept::default(),
        "a second sweep finds nothing"
    );
}
