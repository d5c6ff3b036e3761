"""A person's journey through Merit with the Python client generated from openapi.yaml
(openapi-python-client), against a live server. Any step that fails exits non-zero.

Environment: MERIT_URL (the server), MERIT_MAIL_DIR (where it writes emails as .eml files).
"""

import email
import email.policy
import io
import os
import pathlib
import re
import sys
import time
import uuid

from merit_client import AuthenticatedClient, Client
from merit_client.api.accounts import confirm_email_verification, create_account
from merit_client.api.auth import log_in
from merit_client.api.documents import download_document, upload_document
from merit_client.api.exams import get_exam, list_exams, list_my_eligibilities, take_exam
from merit_client.api.postings import search_postings
from merit_client.api.profile import get_export, get_profile, patch_profile
from merit_client.api.saved_searches import create_saved_search, run_saved_search
from merit_client.api.templates import create_template
from merit_client.models import (
    AttemptRequest,
    DocumentUpload,
    LoginRequest,
    ProfileRequestPatch,
    RegistrationRequest,
    SavedSearchRequest,
    TemplateRequest,
    TokenConfirmation,
)
from merit_client.types import File

URL = os.environ["MERIT_URL"]
MAIL_DIR = pathlib.Path(os.environ["MERIT_MAIL_DIR"])
PASSWORD = "Tulip.Harbor7"


def fail(step, detail):
    print(f"python journey FAILED at {step}: {detail}", file=sys.stderr)
    sys.exit(1)


def expect(step, response, status):
    if int(response.status_code) != status:
        fail(step, f"status {int(response.status_code)}, wanted {status}: {response.content[:500]!r}")
    print(f"python journey: {step} ok ({status})")
    return response


def verification_token(address):
    """The token of the newest email to `address` in the mail folder (waits for delivery)."""
    for _ in range(100):
        found = []
        for path in sorted(MAIL_DIR.glob("*.eml")):
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            if address in str(message["To"]):
                text = message.get_body(("plain",)).get_content()
                match = re.search(r"[?&]token=([A-Za-z0-9_-]+)", text)
                if match:
                    found.append(match.group(1))
        if found:
            return found[-1]
        time.sleep(0.1)
    fail("read the verification email", f"no email with a link to {address} in {MAIL_DIR}")


def main():
    anonymous = Client(base_url=URL, raise_on_unexpected_status=False)

    first = expect("anonymous search", search_postings.sync_detailed(client=anonymous, limit=2), 200).parsed
    if not first.items or not isinstance(first.next_cursor, str):
        fail("anonymous search", "the demo data should give a full first page and a cursor")
    second = expect(
        "anonymous search, second page",
        search_postings.sync_detailed(client=anonymous, limit=2, cursor=first.next_cursor),
        200,
    ).parsed
    if {p.id for p in first.items} & {p.id for p in second.items}:
        fail("anonymous search, second page", "the pages overlap")

    address = f"py-{uuid.uuid4().hex[:12]}@example.org"
    registration = RegistrationRequest.from_dict(
        {"email": address, "password": PASSWORD, "first_name": "Pat", "last_name": "Python"}
    )
    expect("register", create_account.sync_detailed(client=anonymous, body=registration), 202)
    token = verification_token(address)
    confirmation = TokenConfirmation.from_dict({"token": token})
    expect("verify the email", confirm_email_verification.sync_detailed(client=anonymous, body=confirmation), 204)

    login = LoginRequest.from_dict({"login": address, "password": PASSWORD})
    tokens = expect("sign in", log_in.sync_detailed(client=anonymous, body=login), 200).parsed
    me = AuthenticatedClient(base_url=URL, token=tokens.access_token, raise_on_unexpected_status=False)

    etag = expect("read the profile", get_profile.sync_detailed(client=me), 200).headers["etag"]
    patch = ProfileRequestPatch.from_dict({"phone": "(916) 555-0100", "conditions": {"accepts_contact": True}})
    patched = expect("patch the profile", patch_profile.sync_detailed(client=me, body=patch, if_match=etag), 200)
    if patched.parsed.phone != "(916) 555-0100" or patched.parsed.first_name != "Pat":
        fail("patch the profile", "the patch was not merged into the profile")
    if patched.headers["etag"] == etag:
        fail("patch the profile", "the ETag did not change")
    stale = patch_profile.sync_detailed(client=me, body=patch, if_match=etag)
    expect("patch the profile with a stale If-Match", stale, 412)

    content = "Pat Python\nAnalyst, Sacramento\n".encode() + os.urandom(8).hex().encode()
    upload = DocumentUpload.from_dict({"kind": "resume", "title": "My resume", "file": content})
    upload.file = File(payload=io.BytesIO(content), file_name="resume.txt", mime_type="text/plain")
    document = expect("upload a document", upload_document.sync_detailed(client=me, body=upload), 201).parsed
    downloaded = expect("download the document", download_document.sync_detailed(document.id, client=me), 200)
    if downloaded.content != content:
        fail("download the document", "the bytes differ from those uploaded")

    template = TemplateRequest.from_dict({"name": "State analyst applications"})
    expect("create a template", create_template.sync_detailed(client=me, body=template), 201)

    exams = expect("find an open exam", list_exams.sync_detailed(client=me, limit=1), 200).parsed
    if not exams.items:
        fail("find an open exam", "the demo data should have an open exam")
    exam = expect("read the exam", get_exam.sync_detailed(exams.items[0].id, client=me), 200).parsed
    answers = [{"question_id": q.id, "option_id": q.options[-1].id} for q in exam.questions]
    attempt = AttemptRequest.from_dict({"answers": answers})
    expect("take the exam", take_exam.sync_detailed(exam.id, client=me, body=attempt), 201)
    standings = expect("list my eligibilities", list_my_eligibilities.sync_detailed(client=me), 200).parsed
    if standings.next_cursor is not None and not isinstance(standings.next_cursor, str):
        fail("list my eligibilities", "not a page")

    search = SavedSearchRequest.from_dict({"name": "Analyst jobs", "criteria": {"q": "analyst"}})
    saved = expect("save a search", create_saved_search.sync_detailed(client=me, body=search), 201).parsed
    expect("run the saved search", run_saved_search.sync_detailed(saved.id, client=me), 200)

    export = expect("export my data", get_export.sync_detailed(client=me), 200).parsed
    if len(export.documents) != 1 or len(export.templates) != 1 or len(export.saved_searches) != 1:
        fail("export my data", "the export does not hold what was made")
    print("python journey: every step passed")


if __name__ == "__main__":
    main()
