#!/usr/bin/env python3
"""Reads GET /api/v1/staff/dashboard (every widget) for SECONDS from WORKERS connections.

  dashboard_client.py BASE TOKEN SECONDS WORKERS
"""

import http.client
import json
import sys
import threading
import time
import urllib.parse
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

local = threading.local()


def get(base, path, token):
    for attempt in range(2):
        if getattr(local, "conn", None) is None:
            u = urllib.parse.urlparse(base)
            local.conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
        try:
            local.conn.request("GET", path, headers={"authorization": f"Bearer {token}"})
            r = local.conn.getresponse()
            data = r.read()
            return r.status, data
        except (http.client.HTTPException, OSError):
            local.conn.close()
            local.conn = None
            if attempt:
                raise
    raise RuntimeError("unreachable")


def pct(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(len(s) * p))] if s else 0.0


def main():
    base, token, seconds, workers = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
    path = "/api/v1/staff/dashboard"
    status, data = get(base, path, token)
    body = json.loads(data)
    assert status == 200 and len(body["widgets"]) == 9, (status, body)
    deadline = time.perf_counter() + seconds
    latencies, statuses, lock = [], Counter(), threading.Lock()

    def loop(_):
        mine, seen = [], Counter()
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            status, _ = get(base, path, token)
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
    main()
