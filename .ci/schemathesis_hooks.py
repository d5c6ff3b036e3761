"""Schemathesis hooks for Merit's CI.

Cursors are opaque: a made-up one is rightly refused with 400 (`invalid_cursor`), which the
fuzzer would report as "schema-valid data rejected". Here a schema-valid generated cursor is
replaced by a real one, taken from the list itself with the same query, so the positive cases
exercise real paging and the negative cases (too long, wrong type) stay as generated.

The caller's profile, templates and documents have rules a schema cannot state, because they
depend on the server's state or relate two fields; the integration tests cover each of them.
Schema-valid (positive) parts of a case are made to satisfy them, the same way:

- `If-Match` carries the resource's real ETag, or `*` when there is none (a made-up tag is
  rightly 412, and an unreadable value 400);
- an application move names a status or a stage, not both, and a reason exactly when it
  closes the application;
- the profile's merge patch is fixed like its replacement (its members are the same);
- the profile keeps the caller's own email address (a new one needs the current password) and
  names real counties and departments (unknown ones are 422);
- template periods end no earlier than they start (422 `dates_out_of_order` otherwise);
- saved-search criteria and new staff and employer accounts name real codes, and a salary
  range runs from low to high; a new account's names hold a letter to build its username from;
- a new staff case names a real job seeker (or its employer, as its kind says) and a real
  staff member; its assignment and services name a staff member of its office, and a service
  is dated no later than today;
- an uploaded file is a small real PDF (random bytes are rightly 415 by content sniffing).
"""

import datetime
import json
import os
import urllib.error
import urllib.parse
import urllib.request

import schemathesis
from schemathesis.core.parameters import ParameterLocation
from schemathesis.transport.serialization import Binary

BASE_URL = os.environ.get("CI_MERIT_URL", "http://127.0.0.1:8080")
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


def _positive(case, location) -> bool:
    meta = getattr(case, "meta", None)
    if meta is None:  # explicit examples from the schema
        return True
    component = meta.components.get(location)
    mode = component.mode if component is not None else meta.generation.mode
    return mode.is_positive


def _auth(context, case) -> dict:
    headers = {}
    try:
        configured = context.operation.schema.config.headers_for(operation=context.operation)
        headers.update({str(k): str(v) for k, v in (configured or {}).items()})
    except Exception:  # noqa: BLE001 - older or newer config shapes: fall back to the case
        pass
    for key, value in dict(case.headers or {}).items():
        if str(key).lower() == "authorization":
            headers["Authorization"] = str(value)
    return {k: v for k, v in headers.items() if k.lower() == "authorization"}


def _get(path: str, headers: dict):
    """(status, ETag, JSON body) of GET path, or (None, None, None) when unreachable."""
    request = urllib.request.Request(f"{BASE_URL}{path}", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers.get("ETag"), json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, None, None
    except (urllib.error.URLError, ValueError):
        return None, None, None


_reference: dict[str, list[str]] = {}


def _codes(path: str) -> list[str]:
    if path not in _reference:
        status, _, body = _get(f"{path}?limit=100", {})
        items = body.get("items", []) if status == 200 and isinstance(body, dict) else []
        _reference[path] = [item["code"] for item in items if "code" in item]
    return _reference[path]


def _real_codes(values, path: str):
    codes = _codes(path)
    if not isinstance(values, list) or not codes:
        return values
    return [codes[i % len(codes)] for i in range(len(values))]


def _ordered(item: dict, start: str, end: str) -> None:
    first, last = item.get(start), item.get(end)
    if isinstance(first, str) and isinstance(last, str) and last < first:
        item[start], item[end] = last, first


_PERIODS = (("education", "start_date", "end_date"), ("work_experience", "start_date", "end_date"),
            ("licences", "issued_on", "expires_on"))

_PDF = b"%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"


def _fix_profile(context, case) -> None:
    body = case.body
    if not isinstance(body, dict):
        return
    status, _, current = _get("/api/v1/me/profile", _auth(context, case))
    if status == 200 and isinstance(current, dict):
        body["email"] = current.get("email")
    conditions = body.get("conditions")
    if isinstance(conditions, dict):
        if "counties" in conditions:
            conditions["counties"] = _real_codes(conditions["counties"], "/api/v1/locations")
        if "departments" in conditions:
            conditions["departments"] = _real_codes(conditions["departments"], "/api/v1/departments")


def _real_code(value, path: str):
    codes = _codes(path)
    return codes[0] if isinstance(value, str) and codes else value


def _fix_criteria(case) -> None:
    body = case.body
    criteria = body.get("criteria") if isinstance(body, dict) else None
    if not isinstance(criteria, dict):
        return
    for field, path in (("classification", "/api/v1/classifications"),
                        ("department", "/api/v1/departments"), ("county", "/api/v1/locations")):
        if field in criteria:
            criteria[field] = _real_codes(criteria[field], path)
    low, high = criteria.get("salary_min_cents"), criteria.get("salary_max_cents")
    if isinstance(low, int) and isinstance(high, int) and high < low:
        criteria["salary_min_cents"], criteria["salary_max_cents"] = high, low


def _with_letter(name):
    """A name the username can be built from: it needs a letter (`no_username` otherwise)."""
    if isinstance(name, str) and not any(c.isascii() and c.isalpha() for c in name):
        return ("A" + name)[:100]
    return name


def _fix_account(case) -> None:
    body = case.body
    if not isinstance(body, dict):
        return
    for field in ("first_name", "last_name"):
        if field in body:
            body[field] = _with_letter(body[field])
    if "office_code" in body:
        body["office_code"] = _real_code(body["office_code"], "/api/v1/offices")
    if "department_code" in body:
        body["department_code"] = _real_code(body["department_code"], "/api/v1/departments")


_account_ids: dict[str, str | None] = {}


def _an_account(context, case, role: str) -> str | None:
    """The id of some account holding `role` (read once, as the admin sees the accounts)."""
    if role not in _account_ids:
        status, _, body = _get(f"/api/v1/admin/accounts?role={role}&limit=1", _auth(context, case))
        items = body.get("items", []) if status == 200 and isinstance(body, dict) else []
        _account_ids[role] = items[0]["id"] if items else None
    return _account_ids[role]


def _fix_case(context, case) -> None:
    """A case names its person or its employer as its kind says, and staff of an office."""
    body = case.body
    if not isinstance(body, dict):
        return
    if body.get("kind") == "employer":
        body.pop("person_id", None)
        if not isinstance(body.get("employer"), dict):
            body["employer"] = {"name": "Acme Staffing"}
    else:
        body["kind"] = "individual"
        body.pop("employer", None)
        person = _an_account(context, case, "applicant")
        if person:
            body["person_id"] = person
    staff = _an_account(context, case, "staff")
    if staff:
        body["assigned_staff_id"] = staff


def _fix_case_action(context, case) -> None:
    """A case's assignment and services name a staff member of the case's own office (its
    assignee), and a service is given no later than today."""
    body = case.body
    case_id = (case.path_parameters or {}).get("id")
    if not isinstance(body, dict) or not isinstance(case_id, str):
        return
    status, _, current = _get(f"/api/v1/staff/cases/{urllib.parse.quote(case_id, safe='')}",
                              _auth(context, case))
    if status != 200 or not isinstance(current, dict):
        return
    assignee = (current.get("assigned_staff") or {}).get("id")
    field = "assigned_staff_id" if case.operation.path.endswith("/assignment") else "staff_id"
    if assignee:
        body[field] = assignee
    provided_on = body.get("provided_on")
    today = datetime.date.today().isoformat()
    if isinstance(provided_on, str) and provided_on > today:
        body["provided_on"] = today


def _fix_template(case) -> None:
    body = case.body
    if not isinstance(body, dict):
        return
    for section, start, end in _PERIODS:
        for item in body.get(section) or []:
            if isinstance(item, dict):
                _ordered(item, start, end)


# The path whose GET answers the ETag that an operation's `If-Match` is checked against: the
# resource itself, or for an action on it (`/applications/{id}/status`) the resource it acts on.
_ACTIONS = ("/status", "/withdraw", "/submit", "/publish", "/close", "/cancel", "/fill",
            "/assignment")


def _etag_source(path: str) -> str | None:
    if path.endswith("/me/profile"):
        return path
    for action in _ACTIONS:
        if path.endswith("{id}" + action):
            return path[: -len(action)]
    return path if path.endswith("{id}") else None


def _real_etag(context, case) -> None:
    headers = case.headers
    if not headers or not isinstance(headers.get("If-Match"), str):
        return
    source = _etag_source(case.operation.path)
    if source is None:
        return
    parameters = {
        name: urllib.parse.quote(value, safe="")
        for name, value in (case.path_parameters or {}).items()
        if isinstance(value, str)
    }
    try:
        target = source.format(**parameters)
    except (KeyError, IndexError, ValueError):
        return
    status, etag, _ = _get(target, _auth(context, case))
    # The real tag when there is one; otherwise `*`, a well-formed value (the generator does
    # not always follow the header's pattern, and an unreadable If-Match is rightly 400).
    headers["If-Match"] = etag if status == 200 and etag else "*"


# Public statuses that close an application without a hire: a department's move to one needs a
# reason, and a move to any other refuses one.
_CLOSING = {"not_considered", "not_eligible", "not_referred", "not_selected"}


def _fix_move(case) -> None:
    """A move names exactly one of `status` and `stage`, and a reason exactly when it closes.

    The demo departments define no stages, so a positive case moves to a status."""
    body = case.body
    if not isinstance(body, dict):
        return
    status = body.get("status")
    if body.get("stage") is not None or status is None:
        body.pop("stage", None)
        if not isinstance(status, str):
            status = body["status"] = "under_review"
    if status in _CLOSING:
        if body.get("reason") is None:
            body["reason"] = "we_declined"
    else:
        body.pop("reason", None)


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
    # At generation, not before the call: schemathesis re-checks a multipart body edited later
    # and, unable to validate binary parts, would take the case for a negative one.
    path, method = case.operation.path, case.method.upper()
    if path.endswith("/me/documents") and method == "POST" and isinstance(case.body, dict):
        if _positive(case, ParameterLocation.BODY) and isinstance(case.body.get("file"), Binary):
            case.body["file"] = Binary(_PDF)
    return case


@schemathesis.hook
def before_call(context, case, **kwargs):
    # Right before sending, so the state read (ETags, the caller's email) is current.
    path, method = case.operation.path, case.method.upper()
    if _positive(case, ParameterLocation.HEADER):
        _real_etag(context, case)
    if _positive(case, ParameterLocation.BODY):
        if path.endswith("/me/profile") and method in ("PUT", "PATCH"):
            _fix_profile(context, case)
        elif "/me/templates" in path and method in ("POST", "PUT"):
            _fix_template(case)
        elif path.endswith("/status") or path.endswith("/application-status-changes"):
            _fix_move(case)
        elif "/me/saved-searches" in path and method in ("POST", "PUT"):
            _fix_criteria(case)
        elif path.endswith("-accounts") and method == "POST":
            _fix_account(case)
        elif path.endswith("/staff/cases") and method == "POST":
            _fix_case(context, case)
        elif path.endswith(("/staff/cases/{id}/assignment", "/staff/cases/{id}/activities")) \
                and method == "POST":
            _fix_case_action(context, case)
