"""The client side of bench/webhooks.sh: a receiver, the endpoint, the publishing, the figures.

The API client is made through the admin API (`POST /api/v1/admin/api-clients`) when it exists,
else written into the SQLite database directly (BENCH_DB), so the benchmark also runs on a
branch without the machine-clients API.
"""

import datetime
import http.server
import json
import os
import sqlite3
import statistics
import threading
import time
import urllib.error
import urllib.request
import uuid

URL = os.environ["BENCH_URL"]
LAG_EVENTS = int(os.environ.get("BENCH_LAG_EVENTS", "200"))
EVENTS = int(os.environ.get("BENCH_EVENTS", "1000"))

arrivals = {}  # posting id -> [arrival times]
delivered = {}  # posting id -> when it was answered 204
lock = threading.Lock()
holding = threading.Event()
released = threading.Event()


class Receiver(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        at = time.monotonic()
        posting = json.loads(body)["data"]["posting_id"]
        with lock:
            arrivals.setdefault(posting, []).append(at)
        status = 204
        if holding.is_set() and not released.is_set():
            # The receiver is "down": it holds the request (Merit times out after 15 s).
            released.wait(20)
            status = 503
        if status == 204:
            with lock:
                delivered.setdefault(posting, time.monotonic())
        self.send_response(status)
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def call(method, path, token=None, body=None):
    request = urllib.request.Request(URL + path, method=method)
    request.add_header("content-type", "application/json")
    if token:
        request.add_header("authorization", f"Bearer {token}")
    data = json.dumps(body).encode() if body is not None else None
    with urllib.request.urlopen(request, data) as response:
        text = response.read()
        return json.loads(text) if text else None


def sign_in(login, password):
    return call("POST", "/api/v1/auth/login", body={"login": login, "password": password})["access_token"]


def api_client(admin):
    try:
        created = call(
            "POST",
            "/api/v1/admin/api-clients",
            admin,
            {"name": "Benchmark", "department_code": "DMV", "permissions": ["postings:read"]},
        )
        return created["client"]["id"]
    except urllib.error.HTTPError as error:
        if error.code not in (404, 405):
            raise
    db = sqlite3.connect(os.environ["BENCH_DB"])
    admin_id = db.execute("SELECT id FROM accounts WHERE username = 'admin'").fetchone()[0]
    account = db.execute("SELECT id FROM accounts WHERE username = 'DMVEGARCIA'").fetchone()[0]
    client = str(uuid.uuid4())
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
    db.execute(
        "INSERT INTO api_clients (id, name, department_code, permissions, account_id, created_at, "
        "created_by, updated_at) VALUES (?, 'Benchmark', 'DMV', 'postings:read', ?, ?, ?, ?)",
        (client, account, now, admin_id, now),
    )
    db.commit()
    return client


def posting_body():
    filing = (datetime.date.today() + datetime.timedelta(days=60)).isoformat()
    return {
        "classification_code": "5393",
        "title": "Associate Governmental Program Analyst",
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
    }


def publish(employer, n):
    """Publishes n postings; returns {posting id: when the publish answer came back}."""
    committed = {}
    for _ in range(n):
        posting = call("POST", "/api/v1/postings", employer, posting_body())["id"]
        call("POST", f"/api/v1/postings/{posting}/publish", employer, {})
        committed[posting] = time.monotonic()
    return committed


def wait_for(ids, count_each, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with lock:
            if all(len(arrivals.get(i, [])) >= count_each for i in ids):
                return
        time.sleep(0.05)
    raise SystemExit("deliveries missing after the timeout")


def pct(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    admin = sign_in("admin", "Sequoia.Gate-2026")
    client = api_client(admin)
    call(
        "POST",
        f"/api/v1/admin/api-clients/{client}/webhook-endpoints",
        admin,
        {"url": f"http://127.0.0.1:{server.server_address[1]}/in", "event_types": ["posting.published"]},
    )
    employer = sign_in("DMVEGARCIA", "Poppy.Meadow42")

    committed = publish(employer, LAG_EVENTS)
    wait_for(committed, 1, 120)
    lags = [(arrivals[p][0] - t) * 1000 for p, t in committed.items()]
    print(f"Lag ({LAG_EVENTS} events published one after another, ms from the publish answer to arrival;")
    print("negative: the delivery arrived before the publish answer reached the client):")
    print(f"p50 {pct(lags, 50):.1f}, p99 {pct(lags, 99):.1f}, max {max(lags):.1f}, mean {statistics.mean(lags):.1f}")
    print()

    holding.set()
    started = time.monotonic()
    batch = publish(employer, EVENTS)
    publishing = time.monotonic() - started
    release = time.monotonic()
    released.set()
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        with lock:
            if all(p in delivered for p in batch):
                break
        time.sleep(0.05)
    else:
        raise SystemExit("deliveries missing after the timeout")
    # The backlog: events whose first attempt came after the receiver was back (the few held
    # while it was down wait for their retry and are left out).
    backlog = [p for p in batch if arrivals[p][0] >= release]
    last = max(delivered[p] for p in backlog)
    span = last - release
    print(f"Throughput: {EVENTS} events published in {publishing:.1f} s while the receiver held every")
    print(f"request; once it answered again, the backlog of {len(backlog)} deliveries drained in")
    print(f"{span:.2f} s: {len(backlog) / span:.0f} deliveries/s")
    repeats = sum(len(arrivals[p]) - 1 for p in backlog)
    print(f"Backlog deliveries sent more than once: {repeats}")


if __name__ == "__main__":
    main()
