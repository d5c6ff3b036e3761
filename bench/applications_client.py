#!/usr/bin/env python3
"""The client side of bench/applications.sh, standard library only.

  applications_client.py rush BASE POSTING N WORKERS    signs in N applicants rush{i}@example.org,
      starts a draft for each, then submits all N (each with its own Idempotency-Key) from
      WORKERS threads as fast as the server takes them; prints submits/s, p50, p99, statuses.
  applications_client.py list BASE TOKEN POSTING SECONDS WORKERS
      reads the first page of GET /postings/{id}/applications (limit 20) for SECONDS from
      WORKERS threads; prints requests/s, p50, p99.
"""

import http.client
import json
import sys
import threading
import time
import urllib.parse
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

PASSWORD = "Tulip.Harbor7"
local = threading.local()


def conn(base):
    if getattr(local, "conn", None) is None:
        u = urllib.parse.urlparse(base)
        local.conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
    return local.conn


def call(base, method, path, body=None, headers=None):
    h = {"content-type": "application/json"} if body is not None else {}
    h.update(headers or {})
    for attempt in range(2):
        c = conn(base)
        try:
            c.request(method, path, body=json.dumps(body) if body is not None else None, headers=h)
            r = c.getresponse()
            data = r.read()
            return r.status, (json.loads(data) if data else None)
        except (http.client.HTTPException, OSError):
            c.close()
            local.conn = None
            if attempt:
                raise
    raise RuntimeError("unreachable")


def pct(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(len(s) * p))] if s else 0.0


def rush(base, posting, n, workers):
    def prepare(i):
        status, body = call(base, "POST", "/api/v1/auth/login", {"login": f"rush{i}@example.org", "password": PASSWORD})
        assert status == 200, (status, body)
        token = body["access_token"]
        status, body = call(base, "POST", "/api/v1/applications", {"posting_id": posting},
                            {"authorization": f"Bearer {token}"})
        assert status == 201, (status, body)
        return token, body["id"]

    with ThreadPoolExecutor(workers) as pool:
        ready = list(pool.map(prepare, range(n)))

    def fire(item):
        token, app = item
        start = time.perf_counter()
        status, _ = call(base, "POST", f"/api/v1/applications/{app}/submit", None,
                         {"authorization": f"Bearer {token}", "idempotency-key": str(uuid.uuid4())})
        return status, time.perf_counter() - start

    start = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        results = list(pool.map(fire, ready))
    elapsed = time.perf_counter() - start
    latencies = [t for _, t in results]
    statuses = Counter(s for s, _ in results)
    print(json.dumps({
        "submits": n, "seconds": round(elapsed, 2), "per_second": round(n / elapsed, 1),
        "p50_ms": round(pct(latencies, 0.50) * 1000, 1), "p99_ms": round(pct(latencies, 0.99) * 1000, 1),
        "statuses": dict(statuses),
    }))


def listing(base, token, posting, seconds, workers):
    path = f"/api/v1/postings/{posting}/applications?limit=20"
    headers = {"authorization": f"Bearer {token}"}
    status, body = call(base, "GET", path, None, headers)
    assert status == 200 and len(body["items"]) == 20, (status, body)
    deadline = time.perf_counter() + seconds
    latencies, statuses, lock = [], Counter(), threading.Lock()

    def loop(_):
        mine, seen = [], Counter()
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            status, _ = call(base, "GET", path, None, headers)
            mine.append(time.perf_counter() - start)
            seen[status] += 1
        with lock:
            latencies.extend(mine)
            statuses.update(seen)

    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(loop, range(workers)))
    print(json.dumps({
        "workers": workers, "requests": len(latencies), "per_second": round(len(latencies) / seconds, 1),
        "p50_ms": round(pct(latencies, 0.50) * 1000, 2), "p99_ms": round(pct(latencies, 0.99) * 1000, 2),
        "statuses": dict(statuses),
    }))


if __name__ == "__main__":
    if sys.argv[1] == "rush":
        rush(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]))
    else:
        listing(sys.argv[2], sys.argv[3], sys.argv[4], float(sys.argv[5]), int(sys.argv[6]))
