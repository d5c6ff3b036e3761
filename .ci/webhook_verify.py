"""A real webhook delivery from a running Merit, verified with the official `standardwebhooks`
package from PyPI (an implementation independent of Merit's).

Starts a receiver on 127.0.0.1, creates an API client and a webhook endpoint through the admin
API, publishes a posting as the demo employer, waits for `posting.published` and verifies its
signature (and that a tampered body or another secret fails). Merit must run with the demo data
and MERIT_WEBHOOKS_ALLOW_PRIVATE=true (the receiver is on loopback, over http).

    CI_MERIT_URL=http://127.0.0.1:18082 python .ci/webhook_verify.py

CI_WEBHOOK_CLIENT_ID names an existing API client instead of creating one. Where the admin API
for clients is missing (a branch without the machine-clients module), the client is written into
the SQLite database CI_MERIT_DB directly.
"""

import datetime
import http.server
import json
import os
import sqlite3
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

MERIT = os.environ.get("CI_MERIT_URL", "http://127.0.0.1:18082")
ADMIN = ("admin", "Sequoia.Gate-2026")
EMPLOYER = ("DMVEGARCIA", "Poppy.Meadow42")

received = []


class Receiver(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        received.append((dict(self.headers.items()), body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def client_in_database(path):
    db = sqlite3.connect(path)
    admin = db.execute("SELECT id FROM accounts WHERE username = 'admin'").fetchone()[0]
    account = db.execute("SELECT id FROM accounts WHERE username = 'DMVEGARCIA'").fetchone()[0]
    client = str(uuid.uuid4())
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
    db.execute(
        "INSERT INTO api_clients (id, name, department_code, permissions, account_id, created_at, "
        "created_by, updated_at) VALUES (?, 'CI webhook check', 'DMV', 'postings:read', ?, ?, ?, ?)",
        (client, account, now, admin, now),
    )
    db.commit()
    return client


def call(method, path, token=None, body=None, missing_ok=False):
    request = urllib.request.Request(MERIT + path, method=method)
    request.add_header("content-type", "application/json")
    if token:
        request.add_header("authorization", f"Bearer {token}")
    data = json.dumps(body).encode() if body is not None else None
    try:
        with urllib.request.urlopen(request, data) as response:
            text = response.read()
            return response.status, json.loads(text) if text else None
    except urllib.error.HTTPError as error:
        if missing_ok and error.code in (404, 405):
            return error.code, None
        sys.exit(f"{method} {path} answered {error.code}: {error.read().decode()}")


def sign_in(login, password):
    _, body = call("POST", "/api/v1/auth/login", body={"login": login, "password": password})
    return body["access_token"]


def main():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/merit"

    admin = sign_in(*ADMIN)
    client = os.environ.get("CI_WEBHOOK_CLIENT_ID")
    if not client:
        status, created = call(
            "POST",
            "/api/v1/admin/api-clients",
            admin,
            {"name": "CI webhook check", "department_code": "DMV", "permissions": ["postings:read"]},
            missing_ok=True,
        )
        if created is not None:
            client = created["client"]["id"]
        elif os.environ.get("CI_MERIT_DB"):
            client = client_in_database(os.environ["CI_MERIT_DB"])
        else:
            sys.exit(f"POST /api/v1/admin/api-clients answered {status} and CI_MERIT_DB is not set")
    status, endpoint = call(
        "POST",
        f"/api/v1/admin/api-clients/{client}/webhook-endpoints",
        admin,
        {"url": url, "event_types": ["posting.published"], "description": "CI"},
    )
    assert status == 201, status
    secret = endpoint["secret"]

    employer = sign_in(*EMPLOYER)
    filing = (datetime.date.today() + datetime.timedelta(days=60)).isoformat()
    _, posting = call(
        "POST",
        "/api/v1/postings",
        employer,
        {
            "classification_code": "5393",
            "title": "Associate Governmental Program Analyst (webhook check)",
            "duties": "Performs analytical work on program policy, budgets and legislation.",
            "county_code": "sacramento",
            "tenure": "permanent",
            "time_base": "full_time",
            "shift": "day",
            "salary_min_cents": 573200,
            "salary_max_cents": 717600,
            "final_filing_date": filing,
            "required_documents": ["resume"],
            "eligibility_required": False,
            "visibility": "public",
        },
    )
    call("POST", f"/api/v1/postings/{posting['id']}/publish", employer, {})

    deadline = time.monotonic() + 30
    while not received and time.monotonic() < deadline:
        time.sleep(0.1)
    if not received:
        sys.exit("no webhook arrived within 30 s")
    headers, body = received[0]

    payload = Webhook(secret).verify(body, headers)
    assert payload["type"] == "posting.published", payload
    assert payload["data"]["posting_id"] == posting["id"], payload
    for name, wrong_secret, wrong_body in [
        ("a tampered body", secret, body.replace(b"open", b"opex")),
        ("another secret", "whsec_" + "A" * 43 + "=", body),
    ]:
        try:
            Webhook(wrong_secret).verify(wrong_body, headers)
        except WebhookVerificationError:
            continue
        sys.exit(f"{name} verified")
    print(f"webhook {headers.get('webhook-id')} verified by standardwebhooks: {payload['type']}")


if __name__ == "__main__":
    main()
