#!/usr/bin/env python3
"""The load and the checks of bench/scale-out.sh (standard library only).

  setup BASE                      -> JSON {"login", "password"} of a new DMV employer
  load BASE PORTS SECONDS LOGIN PASSWORD OUT
                                  mixed load through the balancer at BASE for SECONDS; PORTS are
                                  the instances' own ports (comma-separated), probed directly to
                                  time how long a published posting takes to be searchable on
                                  the instances that did not publish it; writes OUT (JSON)
  check OUT DATABASE_URL SINK_LOG [WAIT_SECONDS]
                                  lost writes (every acknowledged write looked up in PostgreSQL
                                  with psql), emails (duplicates and missing in the SMTP sink's
                                  log), failures by status, propagation p50/p99; prints Markdown
"""
import http.client
import json
import random
import string
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from urllib.parse import urlsplit

PASSWORD = "Tulip.Harbor7"
ADMIN_PASSWORD = "Sequoia.Gate-2026"
SEARCH_WORDS = ["analyst", "officer", "technician", "nurse", "engineer", "clerk", "specialist"]
COUNTIES = ["sacramento", "fresno", "kern", "los-angeles", "alameda"]


class Client:
    """One keep-alive connection that reconnects after any error."""

    def __init__(self, base, timeout=15):
        parts = urlsplit(base)
        self.host, self.port, self.timeout = parts.hostname, parts.port, timeout
        self.conn = None

    def request(self, method, path, body=None, token=None):
        headers = {"accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["content-type"] = "application/json"
        if token:
            headers["authorization"] = "Bearer " + token
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            self.conn.request(method, path, body=data, headers=headers)
            response = self.conn.getresponse()
            raw = response.read()
            if response.getheader("connection", "").lower() == "close":
                self.close()
            try:
                payload = json.loads(raw) if raw else None
            except ValueError:
                payload = None
            return response.status, payload, response.getheader("x-merit-upstream", "")
        except (OSError, http.client.HTTPException):
            self.close()
            return "connection_error", None, ""

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def login(client, name, password):
    status, body, _ = client.request("POST", "/api/v1/auth/login", {"login": name, "password": password})
    if status != 200:
        raise SystemExit(f"sign-in of {name} failed: {status} {body}")
    return body["access_token"]


def setup(base):
    client = Client(base)
    admin = login(client, "admin", ADMIN_PASSWORD)
    status, created, _ = client.request(
        "POST", "/api/v1/admin/employer-accounts",
        {"first_name": "Bench", "last_name": "Employer", "department_code": "DMV"}, admin)
    if status != 201:
        raise SystemExit(f"employer not created: {status} {created}")
    token = login(client, created["username"], created["temporary_password"])
    status, body, _ = client.request(
        "PUT", "/api/v1/me/password",
        {"current_password": created["temporary_password"], "new_password": PASSWORD}, token)
    if status not in (200, 204):
        raise SystemExit(f"password not set: {status} {body}")
    print(json.dumps({"login": created["username"], "password": PASSWORD}))


def word(n):
    letters = []
    for _ in range(6):
        n, r = divmod(n, 26)
        letters.append(string.ascii_lowercase[r])
    return "zq" + "".join(reversed(letters))


class Load:
    def __init__(self, base, ports, seconds, login_name, password):
        self.base, self.ports, self.seconds = base, ports, seconds
        self.login, self.password = login_name, password
        self.lock = threading.Lock()
        self.statuses = defaultdict(Counter)
        self.postings = []          # [id, word, published?]
        self.registrations = []     # emails answered 202
        self.delays = []            # seconds until another instance found a published posting
        self.unseen = 0             # (posting, instance) pairs not seen within the probe window
        self.round_trips = []       # seconds each probe search took (the delays include one)
        self.counter = 0
        self.deadline = time.time() + seconds
        self.token = None

    def count(self, kind, status):
        with self.lock:
            self.statuses[kind][str(status)] += 1

    def next_number(self):
        with self.lock:
            self.counter += 1
            return self.counter

    def searcher(self):
        client = Client(self.base)
        rng = random.Random()
        while time.time() < self.deadline:
            path = f"/api/v1/postings?q={rng.choice(SEARCH_WORDS)}&county={rng.choice(COUNTIES)}&limit=20"
            status, _, _ = client.request("GET", path)
            self.count("search", status)

    def signer(self):
        client = Client(self.base)
        while time.time() < self.deadline:
            status, _, _ = client.request("POST", "/api/v1/auth/login", {"login": self.login, "password": self.password})
            self.count("sign-in", status)
            time.sleep(0.05)

    def registrar(self):
        client = Client(self.base)
        run = random.randrange(1 << 30)
        while time.time() < self.deadline:
            email = f"scale{run}x{self.next_number()}@example.org"
            status, _, _ = client.request("POST", "/api/v1/accounts", {
                "email": email, "password": PASSWORD, "first_name": "Load", "last_name": "Tester"})
            self.count("register", status)
            if status == 202:
                with self.lock:
                    self.registrations.append(email)
            time.sleep(0.05)

    def writer(self):
        client = Client(self.base)
        probes = {port: Client(f"http://127.0.0.1:{port}", timeout=2) for port in self.ports}
        while time.time() < self.deadline:
            term = word(self.next_number())
            status, body, _ = client.request("POST", "/api/v1/postings", {
                "classification_code": "5393", "title": f"Analyst {term}", "duties": "Analytical work.",
                "county_code": "sacramento", "tenure": "permanent", "time_base": "full_time",
                "shift": "day", "salary_min_cents": 573200, "salary_max_cents": 717600,
                "final_filing_date": "2099-12-31", "required_documents": [],
                "eligibility_required": False, "visibility": "public"}, self.token)
            self.count("posting-create", status)
            if status != 201:
                continue
            entry = [body["id"], term, False]
            with self.lock:
                self.postings.append(entry)
            status, _, upstream = client.request("POST", f"/api/v1/postings/{entry[0]}/publish", {}, self.token)
            self.count("posting-publish", status)
            if status != 200:
                continue
            entry[2] = True
            self.probe(probes, entry, upstream)

    def probe(self, probes, entry, upstream):
        """Polls the instances that did not answer the publish until each finds the posting."""
        published = time.time()
        writer_port = upstream.split(",")[-1].strip().rsplit(":", 1)[-1]
        waiting = {p for p in self.ports if str(p) != writer_port}
        while waiting and time.time() - published < 5:
            for port in list(waiting):
                sent = time.time()
                status, body, _ = probes[port].request("GET", f"/api/v1/postings?q={entry[1]}")
                with self.lock:
                    self.round_trips.append(time.time() - sent)
                if status == "connection_error":
                    waiting.discard(port)  # that instance is down: nothing to time
                elif status == 200 and any(i.get("id") == entry[0] for i in body.get("items", [])):
                    with self.lock:
                        self.delays.append(time.time() - published)
                    waiting.discard(port)
            time.sleep(0.001)
        with self.lock:
            self.unseen += len(waiting)

    def run(self, out):
        self.token = login(Client(self.base), self.login, self.password)
        threads = [threading.Thread(target=t) for t in
                   [self.searcher] * 3 + [self.signer, self.registrar] + [self.writer] * 2]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        with open(out, "w", encoding="utf-8") as f:
            json.dump({"seconds": self.seconds, "statuses": self.statuses, "postings": self.postings,
                       "registrations": self.registrations, "delays": self.delays,
                       "unseen": self.unseen, "round_trips": self.round_trips}, f)


def percentile(values, p):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def psql(url, sql):
    # The statement goes on standard input: a list of every acknowledged id is longer than the
    # kernel allows one command-line argument to be (128 KiB) once a run creates thousands.
    return subprocess.run(["psql", "-At", "-v", "ON_ERROR_STOP=1", url], input=sql, check=True,
                          capture_output=True, text=True).stdout.split("\n")


def quoted(values):
    return ",".join("'" + v.replace("'", "''") + "'" for v in values) or "''"


def check(out, url, sink_log, wait):
    result = json.load(open(out, encoding="utf-8"))
    created = [p[0] for p in result["postings"]]
    published = {p[0] for p in result["postings"] if p[2]}
    stored = {}
    for line in psql(url, f"SELECT id, status FROM postings WHERE id IN ({quoted(created)})"):
        if line:
            pid, status = line.split("|")
            stored[pid] = status
    lost_postings = [p for p in created if p not in stored]
    lost_publishes = [p for p in published if stored.get(p) != "open"]
    emails = result["registrations"]
    accounts = {l for l in psql(url, f"SELECT lower(email) FROM accounts WHERE lower(email) IN ({quoted([e.lower() for e in emails])})") if l}
    lost_accounts = [e for e in emails if e.lower() not in accounts]
    # Every acknowledged registration sends one email; wait for the outbox to drain (a batch an
    # instance claimed before it was killed waits for its lease to expire), so that an email
    # sent twice (once by the killed instance, once after its lease) is seen.
    deadline = time.time() + wait
    started = time.time()
    unsent_query = ("SELECT count(*) FROM outbox_emails WHERE sent_at IS NULL AND failed_at IS NULL")
    while True:
        sent = [l.rstrip("\n").split("\t") for l in open(sink_log, encoding="utf-8") if l.strip()]
        received = Counter(r[2].lower() for r in sent if len(r) > 2)
        missing = [e for e in emails if received[e.lower()] == 0]
        if (not missing and psql(url, unsent_query)[0] == "0") or time.time() > deadline:
            break
        time.sleep(2)
    drained_after = time.time() - started
    ids = Counter(r[1] for r in sent if len(r) > 1)
    duplicate_ids = sum(n - 1 for n in ids.values() if n > 1)
    duplicate_to = sum(received[e.lower()] - 1 for e in emails if received[e.lower()] > 1)
    pending = psql(url, "SELECT count(*) FROM outbox_emails WHERE sent_at IS NULL")[0]
    unsent = [l for l in psql(url, "SELECT kind || ' to ' || to_address || ', attempts ' || attempts"
                              " || ', claimed until ' || coalesce(claimed_until::text, '-')"
                              " || ', failed ' || coalesce(failed_at::text, '-')"
                              " FROM outbox_emails WHERE sent_at IS NULL") if l]
    failures = Counter()
    totals = Counter()
    for kind, statuses in result["statuses"].items():
        for status, n in statuses.items():
            totals[kind] += n
            if not (status.isdigit() and int(status) < 400):
                failures[f"{kind} {status}"] += n
    delays = [d * 1000 for d in result["delays"]]
    trips = [d * 1000 for d in result.get("round_trips", [])]
    seconds = result["seconds"]
    print(f"- Requests in {seconds} s: " + ", ".join(f"{k} {v}" for k, v in sorted(totals.items()))
          + f" ({sum(totals.values()) / seconds:.0f}/s in all)")
    print(f"- Failed requests: {sum(failures.values())}"
          + (" (" + ", ".join(f"{k}: {v}" for k, v in sorted(failures.items())) + ")" if failures else ""))
    print(f"- Lost writes: {len(lost_postings) + len(lost_publishes) + len(lost_accounts)} "
          f"(of {len(created)} postings created, {len(published)} published, {len(emails)} registrations acknowledged)")
    registered = {e.lower() for e in emails}
    others = Counter(f"{r[3] if len(r) > 3 else '?'} (to {r[2]})" for r in sent
                     if len(r) > 2 and r[2].lower() not in registered)
    print(f"- Emails: {len(sent)} received for {len(emails)} acknowledged registrations; duplicates: "
          f"{duplicate_ids} by Message-ID, {duplicate_to} by recipient; missing: {len(missing)} "
          f"(waited {drained_after:.0f} s for the outbox); unsent outbox rows: {pending}"
          + (" (" + "; ".join(unsent) + ")" if unsent else "") + "; "
          f"to other addresses: {sum(others.values())}"
          + (" (" + "; ".join(f"{n} × {k}" for k, n in sorted(others.items())) + ")" if others else ""))
    print(f"- Propagation of a published posting to the other instances: {len(delays)} timings, "
          f"p50 {percentile(delays, 50):.1f} ms, p99 {percentile(delays, 99):.1f} ms, "
          f"max {max(delays, default=float('nan')):.1f} ms; not seen within 5 s: {result['unseen']} "
          f"(each timing includes the search that found it; those probe searches took p50 "
          f"{percentile(trips, 50):.1f} ms, p99 {percentile(trips, 99):.1f} ms)")
    if lost_postings or lost_publishes or lost_accounts:
        print(f"  - lost: postings {lost_postings[:5]}, publishes {lost_publishes[:5]}, accounts {lost_accounts[:5]}")


def main():
    command = sys.argv[1]
    if command == "setup":
        setup(sys.argv[2])
    elif command == "load":
        base, ports, seconds, login_name, password, out = sys.argv[2:8]
        Load(base, [int(p) for p in ports.split(",")], int(seconds), login_name, password).run(out)
    elif command == "check":
        check(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]) if len(sys.argv) > 5 else 240)
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
