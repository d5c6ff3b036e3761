"""Schemathesis hooks for Merit's CI.

Cursors are opaque: a made-up one is rightly refused with 400 (`invalid_cursor`), which the
fuzzer would report as "schema-valid data rejected". Here a schema-valid generated cursor is
replaced by a real one, taken from the list itself with the same query, so the positive cases
exercise real paging and the negative cases (too long, wrong type) stay as generated.
"""

import json
import os
import urllib.error
import urllib.parse
import urllib.request

import schemathesis

BASE_URL = os.environ.get("MERIT_BASE_URL", "http://127.0.0.1:8080")
_cursors: dict[str, str | None] = {}


def _real_cursor(path: str, query: dict, headers: dict) -> str | None:
    params = {k: v for k, v in query.items() if k not in ("cursor", "limit")}
    params["limit"] = 1
    url = f"{BASE_URL}{path}?{urllib.parse.urlencode(params, doseq=True)}"
    headers = {str(k): str(v) for k, v in dict(headers or {}).items()}
    key = url + json.dumps(headers, sort_keys=True)
    if key not in _cursors:
        request = urllib.request.Request(url, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                _cursors[key] = json.load(response).get("next_cursor")
        except (urllib.error.URLError, ValueError):
            _cursors[key] = None
    return _cursors[key]


@schemathesis.hook
def map_case(context, case):
    query = case.query or {}
    cursor = query.get("cursor")
    if isinstance(cursor, str) and len(cursor) <= 512:
        try:
            path = case.operation.path.format(**(case.path_parameters or {}))
        except (KeyError, IndexError, ValueError):
            return case
        real = _real_cursor(path, query, case.headers)
        if real is None:
            query.pop("cursor")
        else:
            query["cursor"] = real
    return case
