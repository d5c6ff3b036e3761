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
- a new saved search gets a name of its own and room under the per-person limit;
- saved-search criteria and new staff and employer accounts name real codes, and a salary
  range runs from low to high; a new account's names hold a letter to build its username from;
- a new staff case names a real job seeker (or its employer, as its kind says) and a real
  staff member; its assignment, services and placements name a staff member of its office, a
  service is dated no later than today, and a placement names its job;
- an uploaded file is a small real PDF (random bytes are rightly 415 by content sniffing);
- a report names a real office and a period of at most 366 days that ends no earlier than it
  starts;
- a new posting's final filing date is not in the past, so it can be published;
- a password change names the caller's current password (followed across the run's changes),
  and a new password keeps the default policy (whose lookaheads the generator cannot follow);
- a department or classification code in a path is a real one (the caller's own department);
- a job alert names criteria or one of the caller's saved searches, not both; a one-click
  unsubscribe token is a real one (for a new alert of the caller, signed as the server signs
  it, from the signing secret in the data dir);
- an appointment names a real staff member (a change, the appointment's own), no case, a place,
  a free half hour (in the past when a change marks it completed or a no-show); an
  announcement real offices, each role once, and an expiry after its publication; a letter
  template a real office, a name of its own and no merge fields (unknown ones are 422);
  a dashboard each widget once; contact letters a real county; a waiver an open posting the
  caller works on and a person with a contact letter about it and no waiver on it yet (the hook
  puts a new person on the class's eligible list through its demo exam and sends the posting's
  letters first); a new alert room under the limit;
- a machine client's path names a real client of the run (made once by the admin caller; a
  revocation or a secret rotation gets a throwaway client of its own), a webhook endpoint's path a real endpoint of
  it (a deletion a throwaway endpoint); a new client names a real department and each
  permission once; an endpoint a public https address and each event type once; a token
  request the run's client and its secret; a survey closes in the future, with options for
  choice questions only; an answer goes to a fresh survey of its own, answered in order;
- an emailed link's token (email verification, password reset) is a real one, minted for the
  case: the hook registers a throwaway account and reads the link from the mail folder
  (`CI_MERIT_DATA_DIR/mail`); an Employee ID activation names the current privacy agreement.

At least one positive case of every operation is then accepted, which is what schemathesis's
"mostly rejected generated data" warning asks (the run fails on that warning).
"""

import base64
import datetime
import email
import email.policy
import json
import hashlib
import hmac
import os
import random
import re
import time
import uuid
import urllib.error
import urllib.parse
import urllib.request

import schemathesis
from schemathesis.core.parameters import ParameterLocation
from schemathesis.transport.serialization import Binary

BASE_URL = os.environ.get("CI_MERIT_URL", "http://127.0.0.1:8080")
DATA_DIR = os.environ.get("CI_MERIT_DATA_DIR")
# The signed-in caller's password, as the run changes it (PUT /me/password).
_password = {"current": os.environ.get("CI_FUZZ_PASSWORD")}
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


_saved = {"count": 0}


def _fix_saved_search(context, case) -> None:
    """A new saved search has a name of its own and room under the per-person limit (25): the
    deterministic generator repeats names, and a full list is rightly 409."""
    body = case.body
    if not isinstance(body, dict) or not isinstance(body.get("name"), str):
        return
    _saved["count"] += 1
    body["name"] = f"{body['name'][:90]} {_saved['count']}"
    headers = _auth(context, case)
    status, _, mine = _get("/api/v1/me/saved-searches?limit=100", headers)
    items = mine.get("items", []) if status == 200 and isinstance(mine, dict) else []
    if len(items) >= 25:
        request = urllib.request.Request(f"{BASE_URL}/api/v1/me/saved-searches/{items[0]['id']}",
                                         method="DELETE", headers=headers)
        try:
            urllib.request.urlopen(request, timeout=10).close()
        except urllib.error.URLError:
            pass


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
    """A case's assignment, services and placements name a staff member of the case's own
    office (its assignee), and a service is given no later than today."""
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
    if case.operation.path.endswith("/placements"):
        # A made-up posting id is rightly 422 `unknown_posting`; the job is then named.
        body.pop("posting_id", None)
        if not body.get("job_title"):
            body["job_title"] = "Office Technician"
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


def _post_json(path: str, payload: dict, headers: dict | None = None):
    """(status, JSON body or None) of POST path with a JSON payload; (None, None) when
    unreachable."""
    data = json.dumps(payload).encode()
    request = urllib.request.Request(f"{BASE_URL}{path}", data=data, method="POST",
                                     headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            raw = response.read()
            try:
                return response.status, json.loads(raw) if raw else None
            except ValueError:
                return response.status, None
    except urllib.error.HTTPError as error:
        return error.code, None
    except urllib.error.URLError:
        return None, None


def _post(path: str, payload: dict, headers: dict | None = None) -> int | None:
    """The status of POST path with a JSON payload, or None when unreachable."""
    return _post_json(path, payload, headers)[0]


# The run's machine client and webhook endpoint, made once by an admin caller. Operations that
# end one (revoke, delete) get a throwaway of their own, so the shared ones stay usable.
_integration: dict[str, dict] = {}
_HOOK_URL = "https://hooks.example.org/merit"


def _new_client(context, case) -> dict | None:
    status, body = _post_json(
        "/api/v1/admin/api-clients",
        {"name": f"Fuzz integration {uuid.uuid4().hex[:8]}",
         "department_code": (_codes("/api/v1/departments") or [None])[0],
         "permissions": ["postings:write", "applications:write", "webhooks:manage"]},
        _auth(context, case))
    return body if status == 201 and isinstance(body, dict) else None


def _new_endpoint(context, case, client_id: str) -> dict | None:
    status, body = _post_json(
        f"/api/v1/admin/api-clients/{client_id}/webhook-endpoints",
        {"url": _HOOK_URL, "event_types": ["posting.published"]}, _auth(context, case))
    return body.get("endpoint") if status == 201 and isinstance(body, dict) else None


def _client(context, case) -> dict | None:
    if "client" not in _integration:
        made = _new_client(context, case)
        if made is None:
            return None
        _integration["client"] = made
    return _integration["client"]


def _client_id(body: dict) -> str | None:
    return body.get("client_id") or (body.get("client") or {}).get("id")


def _client_secret(body: dict) -> str | None:
    return body.get("client_secret")


def _fix_integration_path(context, case) -> None:
    """`{id}` names a real client (its own throwaway for revoke), `{endpoint_id}` a real endpoint
    of it (its own throwaway for delete)."""
    parameters = case.path_parameters
    path, method = case.operation.path, case.method.upper()
    if not isinstance(parameters, dict) or "id" not in parameters:
        return
    # Revoking a client ends it; rotating its secret may end the secrets in use at once.
    ending = path.endswith(("/api-clients/{id}/revoke", "/api-clients/{id}/secret-rotations"))
    client = _new_client(context, case) if ending else _client(context, case)
    client_id = _client_id(client) if client else None
    if client_id is None:
        return
    parameters["id"] = client_id
    if "endpoint_id" in parameters:
        if method == "DELETE" and path.endswith("{endpoint_id}"):
            endpoint = _new_endpoint(context, case, client_id)
        else:
            if "endpoint" not in _integration:
                _integration["endpoint"] = _new_endpoint(context, case, client_id) or {}
            endpoint = _integration["endpoint"]
        if endpoint and endpoint.get("id"):
            parameters["endpoint_id"] = endpoint["id"]


def _fix_api_client(case) -> None:
    body = case.body
    if not isinstance(body, dict):
        return
    if body.get("department_code") is not None:
        body["department_code"] = _real_code(body["department_code"], "/api/v1/departments")
    if isinstance(body.get("permissions"), list):
        body["permissions"] = list(dict.fromkeys(body["permissions"])) or ["postings:read"]


def _fix_webhook_endpoint(case) -> None:
    body = case.body
    if not isinstance(body, dict):
        return
    body["url"] = _HOOK_URL
    if isinstance(body.get("event_types"), list):
        body["event_types"] = list(dict.fromkeys(body["event_types"])) or ["posting.published"]


def _fix_client_token(context, case) -> None:
    """The token request names the run's client and its secret (an admin caller makes it)."""
    body = case.body
    if not isinstance(body, dict):
        return
    client = _client(context, case)
    if not client or not _client_id(client) or not _client_secret(client):
        return
    body["client_id"] = _client_id(client)
    body["client_secret"] = _client_secret(client)
    body["grant_type"] = "client_credentials"
    body.pop("scope", None)
    if isinstance(case.headers, dict):
        for key in [k for k in case.headers if str(k).lower() == "authorization"]:
            case.headers.pop(key)


def _mailed_token(address: str, link: str) -> str | None:
    """The token of the newest email to `address` whose link goes to `link` (waits for it)."""
    if not DATA_DIR:
        return None
    folder = os.path.join(DATA_DIR, "mail")
    for _ in range(50):
        found = []
        for name in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
            if not name.endswith(".eml"):
                continue
            with open(os.path.join(folder, name), "rb") as handle:
                message = email.message_from_bytes(handle.read(), policy=email.policy.default)
            if address not in str(message["To"] or ""):
                continue
            body = message.get_body(("plain",))
            match = re.search(re.escape(link) + r"\?token=([A-Za-z0-9_-]+)",
                              body.get_content() if body else "")
            if match:
                found.append(match.group(1))
        if found:
            return found[-1]
        time.sleep(0.1)
    return None


def _throwaway_account() -> str | None:
    """The address of a newly registered applicant (its verification email is on its way)."""
    address = f"hook-{uuid.uuid4().hex[:12]}@example.org"
    status = _post("/api/v1/accounts", {"email": address, "password": "Willow.Creek58",
                                        "first_name": "Hook", "last_name": "Account"})
    return address if status is not None and 200 <= status < 300 else None


# The default (caljobs) policy as the schema states it. Its lookaheads are beyond the data
# generator, whose "valid" passwords then often miss a character class.
_POLICY = re.compile(r"^(?=.*[A-Z])(?=.*[a-z])(?=.*[0-9])(?=.*[!@#$%^*._])[^\x00]{8,20}$", re.S)


def _fix_new_password(body: dict) -> None:
    if not isinstance(body.get("new_password"), str) or not _POLICY.match(body["new_password"]):
        body["new_password"] = f"Kestrel.{uuid.uuid4().hex[:6]}9"


def _fix_token(case) -> None:
    """An emailed link's token, real and unused, for the confirmation the case makes."""
    body = case.body
    if not isinstance(body, dict):
        return
    address = _throwaway_account()
    if address is None:
        return
    if "/email-verifications/" in case.operation.path:
        token = _mailed_token(address, "/verify-email")
    else:
        _post("/api/v1/auth/password-resets", {"email": address})
        token = _mailed_token(address, "/reset-password")
    if token:
        body["token"] = token
    if "new_password" in body:
        _fix_new_password(body)


def _fix_activation(case) -> None:
    body = case.body
    if not isinstance(body, dict):
        return
    status, _, agreement = _get("/api/v1/privacy-agreement", {})
    if status == 200 and isinstance(agreement, dict) and "version" in agreement:
        body["privacy_agreement_version"] = agreement["version"]


def _fix_password_change(case) -> None:
    body = case.body
    if isinstance(body, dict) and _password["current"]:
        body["current_password"] = _password["current"]
        _fix_new_password(body)
        if body["new_password"] == _password["current"]:  # 422 `password_unchanged`
            body["new_password"] = f"Kestrel.{uuid.uuid4().hex[:6]}9"


def _fix_posting(case) -> None:
    """A posting's final filing date is today or later (a past one cannot be published)."""
    body = case.body
    if not isinstance(body, dict):
        return
    filing = body.get("final_filing_date")
    today = datetime.date.today()
    if isinstance(filing, str) and filing < today.isoformat():
        body["final_filing_date"] = (today + datetime.timedelta(days=30)).isoformat()


def _fix_report(case) -> None:
    """A report names a real office and at most 366 days, in order."""
    query = case.query
    if not isinstance(query, dict):
        return
    try:
        first = datetime.date.fromisoformat(str(query.get("from")))
        last = datetime.date.fromisoformat(str(query.get("to")))
    except ValueError:
        return
    if last < first:
        first, last = last, first
    if (last - first).days > 366:
        last = first + datetime.timedelta(days=366)
    query["from"], query["to"] = first.isoformat(), last.isoformat()
    query["office_code"] = _real_code("office", "/api/v1/offices")
    query.pop("staff_id", None)


def _fix_alert(context, case) -> None:
    """A new alert names exactly one of `criteria` and `saved_search_id` (the caller's own)."""
    body = case.body
    if not isinstance(body, dict):
        return
    if case.method.upper() == "POST":
        _room_for_alert(context, case)
    if case.method.upper() == "POST" and "criteria" not in body:
        status, _, mine = _get("/api/v1/me/saved-searches?limit=1", _auth(context, case))
        items = mine.get("items", []) if status == 200 and isinstance(mine, dict) else []
        if items:
            body["saved_search_id"] = items[0]["id"]
        else:
            body.pop("saved_search_id", None)
            body["criteria"] = {}
    if "criteria" in body:
        body.pop("saved_search_id", None)
        _fix_criteria(case)


def _room_for_alert(context, case) -> None:
    """Room under the per-person limit of 25 alerts (a full list is rightly 409)."""
    headers = _auth(context, case)
    status, _, mine = _get("/api/v1/me/alerts?limit=100", headers)
    items = mine.get("items", []) if status == 200 and isinstance(mine, dict) else []
    if len(items) >= 25:
        request = urllib.request.Request(f"{BASE_URL}/api/v1/me/alerts/{items[0]['id']}",
                                         method="DELETE", headers=headers)
        try:
            urllib.request.urlopen(request, timeout=10).close()
        except urllib.error.URLError:
            pass


# The demo exams' classes (each exam's id is `00000000-0000-8000-8000-` and the code padded to
# 12 digits) and the answers that score 100 on every one of them.
_EXAM_CLASSES = ("5393", "5157", "1139", "1402", "9662")
_TOP_ANSWERS = [{"question_id": f"q{n}", "option_id": option}
                for n, option in ((1, "e"), (2, "d"), (3, "d"), (4, "d"))]


def _posting_for_waivers(context, case) -> tuple[str, str] | None:
    """(id, class code) of an open posting the caller works on, in a class with a demo exam: the
    caller's own department's (an employer's), or any department's (an admin's). Searched for
    each case: the run closes, cancels and fills postings as it goes."""
    headers = _auth(context, case)
    status, _, me = _get("/api/v1/me", headers)
    department = me.get("department_code") if status == 200 and isinstance(me, dict) else None
    for code in _EXAM_CLASSES:
        query = {"classification": code, "limit": 1}
        if department:
            query["department"] = department
        status, _, page = _get(f"/api/v1/postings?{urllib.parse.urlencode(query)}", headers)
        items = page.get("items", []) if status == 200 and isinstance(page, dict) else []
        if items:
            return items[0]["id"], code
    return None


def _send(method: str, path: str, payload: dict, headers: dict) -> int | None:
    data = json.dumps(payload).encode()
    request = urllib.request.Request(f"{BASE_URL}{path}", data=data, method=method,
                                     headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except urllib.error.URLError:
        return None


def _new_candidate(code: str) -> str | None:
    """The account id of a newly registered person on the eligible list of class `code` who
    accepts contact letters (any job): they pass the class's demo exam with full marks."""
    address = _throwaway_account()
    if address is None:
        return None
    status, session = _post_json("/api/v1/auth/login",
                                 {"login": address, "password": "Willow.Creek58"})
    if status != 200 or not isinstance(session, dict) or "access_token" not in session:
        return None
    headers = {"Authorization": f"Bearer {session['access_token']}"}
    patched = _send("PATCH", "/api/v1/me/profile", {"conditions": {"accepts_contact": True}},
                    {"Content-Type": "application/merge-patch+json", "If-Match": "*", **headers})
    exam = f"00000000-0000-8000-8000-{code:0>12}"
    taken = _post(f"/api/v1/exams/{exam}/attempts", {"answers": _TOP_ANSWERS}, headers)
    status, _, me = _get("/api/v1/me", headers)
    if patched != 200 or taken != 201 or status != 200 or not isinstance(me, dict):
        return None
    return me.get("id")


def _fix_waiver(context, case) -> None:
    """A waiver names a candidate of the posting (another person is rightly 422
    `not_a_candidate`) who has none on it yet (409 `already_exists`): the posting is an open one
    the caller works on, in a class with a demo exam; a new person passes that exam and accepts
    contact letters, the caller sends the posting's letters, and the waiver names that person."""
    body = case.body
    parameters = case.path_parameters
    if not isinstance(body, dict) or not isinstance(parameters, dict) \
            or not _positive(case, ParameterLocation.PATH):
        return
    posting = _posting_for_waivers(context, case)
    if posting is None:
        return
    posting_id, code = posting
    person = _new_candidate(code)
    if person is None:
        return
    parameters["id"] = posting_id
    _post(f"/api/v1/postings/{posting_id}/contact-letters", {}, _auth(context, case))
    body["account_id"] = person


def _unsubscribe_token(context, case) -> str | None:
    """A real one-click unsubscribe token: for a new alert of the caller, signed as the server
    signs it (HMAC-SHA256 under a key derived from the signing secret in the data dir)."""
    if not DATA_DIR:
        return None
    try:
        with open(os.path.join(DATA_DIR, "jwt-secret"), encoding="utf-8") as handle:
            secret = handle.read().strip().encode()
    except OSError:
        return None
    _room_for_alert(context, case)
    data = json.dumps({"criteria": {}, "channel": "email", "frequency": "weekly"}).encode()
    request = urllib.request.Request(f"{BASE_URL}/api/v1/me/alerts", data=data, method="POST",
                                     headers={"Content-Type": "application/json",
                                              **_auth(context, case)})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            alert = json.load(response)["id"]
    except (urllib.error.URLError, ValueError, KeyError):
        return None
    key = hmac.new(secret, b"merit job alert unsubscribe key", hashlib.sha256).digest()
    mac = hmac.new(key, b"merit job alert unsubscribe v1:" + alert.encode(), hashlib.sha256)
    return f"{alert}.{base64.urlsafe_b64encode(mac.digest()).decode().rstrip('=')}"


# Hypothesis seeds the `random` module for each case it generates, so its draws repeat across
# cases; this generator is the operating system's.
_spread = random.SystemRandom()


def _free_start(past: bool = False) -> datetime.datetime:
    """A start no other appointment of the run is likely to overlap: a random quarter hour in
    the next 20 years, or the last 20 (a staff member's overlapping appointments are rightly 409
    `appointment_conflict`, and the generator repeats its boundary dates)."""
    quarter = _spread.randrange(1, 4 * 24 * 365 * 20)
    now = datetime.datetime.now(datetime.timezone.utc).replace(minute=0, second=0, microsecond=0)
    return now + datetime.timedelta(minutes=(-15 if past else 15) * quarter)


def _fix_appointment(context, case) -> None:
    """An appointment: a real staff member (on a change, the appointment's own, since another
    office's is rightly 422), a free half hour, a place; no case (a made-up one is rightly 422).
    A change to `completed` or `no_show` is dated in the past (before the start it is rightly
    422 `not_started`)."""
    body = case.body
    if not isinstance(body, dict):
        return
    staff = _an_account(context, case, "staff")
    parameters = case.path_parameters
    if case.method.upper() == "PUT" and isinstance(parameters, dict) \
            and isinstance(parameters.get("id"), str):
        target = urllib.parse.quote(parameters["id"], safe="")
        status, _, found = _get(f"/api/v1/staff/appointments/{target}", _auth(context, case))
        if status == 200 and isinstance(found, dict) and isinstance(found.get("staff_id"), str):
            staff = found["staff_id"]
    if staff:
        body["staff_id"] = staff
    body.pop("case_id", None)
    start = _free_start(past=body.get("status") in ("completed", "no_show"))
    end = start + datetime.timedelta(minutes=30)
    body["starts_at"], body["ends_at"] = start.isoformat(), end.isoformat()
    if not body.get("location") and not body.get("video_url"):
        body["location"] = "Room 2"


def _live_appointment(context, case) -> None:
    """A change names an appointment that is not cancelled: cancelling is final (409
    `appointment_cancelled`), and the stateful phase cancels the appointments it made, so a
    cancelled one is swapped for a new one."""
    parameters = case.path_parameters
    if not isinstance(parameters, dict) or not isinstance(parameters.get("id"), str):
        return
    headers = _auth(context, case)
    target = urllib.parse.quote(parameters["id"], safe="")
    status, _, found = _get(f"/api/v1/staff/appointments/{target}", headers)
    if status != 200 or not isinstance(found, dict) or found.get("status") != "cancelled":
        return
    start = _free_start()
    payload = {
        "title": "Follow-up",
        "starts_at": start.isoformat(),
        "ends_at": (start + datetime.timedelta(minutes=30)).isoformat(),
        "location": "Room 2",
    }
    staff = _an_account(context, case, "staff")
    if staff:
        payload["staff_id"] = staff
    code, made = _post_json("/api/v1/staff/appointments", payload, headers)
    if code == 201 and isinstance(made, dict) and isinstance(made.get("id"), str):
        parameters["id"] = made["id"]


def _fix_announcement(case) -> None:
    body = case.body
    if not isinstance(body, dict):
        return
    if isinstance(body.get("offices"), list):
        body["offices"] = sorted(set(_real_codes(body["offices"], "/api/v1/offices")))
    if isinstance(body.get("roles"), list):
        body["roles"] = sorted(set(body["roles"]))
    _ordered(body, "publish_at", "expire_at")
    if body.get("publish_at") is not None and body.get("publish_at") == body.get("expire_at"):
        body.pop("expire_at")


def _fix_survey(case) -> None:
    """A survey closes in the future, names real offices, and gives options to choice questions
    only (2 or more, distinct ignoring case)."""
    body = case.body
    if not isinstance(body, dict):
        return
    body.pop("opens_at", None)
    body["closes_at"] = (datetime.datetime.now(datetime.timezone.utc)
                         + datetime.timedelta(days=30)).isoformat()
    if isinstance(body.get("offices"), list):
        body["offices"] = sorted(set(_real_codes(body["offices"], "/api/v1/offices")))
    for question in body.get("questions") or []:
        if not isinstance(question, dict):
            continue
        if question.get("kind") in ("single_choice", "multiple_choice"):
            options = question.get("options")
            if not isinstance(options, list) or len({str(o).lower() for o in options}) != len(options) \
                    or len(options) < 2:
                question["options"] = ["Yes", "No"]
        else:
            question.pop("options", None)


_SURVEY = {
    "title": "Fuzz survey",
    "questions": [
        {"prompt": "Pick one", "kind": "single_choice", "options": ["Yes", "No"]},
        {"prompt": "Pick any", "kind": "multiple_choice", "options": ["Red", "Blue"]},
        {"prompt": "Rate it", "kind": "rating"},
        {"prompt": "Say more", "kind": "free_text", "required": False},
    ],
}


def _fix_survey_answers(context, case) -> None:
    """Each answer case gets a fresh survey of its own (one answer per person and survey) and
    answers it in the questions' order."""
    survey = dict(_SURVEY, closes_at=(datetime.datetime.now(datetime.timezone.utc)
                                      + datetime.timedelta(days=30)).isoformat())
    status, made = _post_json("/api/v1/staff/surveys", survey, _auth(context, case))
    if status != 201 or not isinstance(made, dict) or not isinstance(case.path_parameters, dict):
        return
    case.path_parameters["id"] = made["id"]
    case.body = {"answers": [{"choice": 0}, {"choices": [1]}, {"rating": 4}, {}]}


def _fix_letter_template(case) -> None:
    body = case.body
    if not isinstance(body, dict):
        return
    body["office_code"] = _real_code("office", "/api/v1/offices")
    _saved["count"] += 1
    if isinstance(body.get("name"), str):
        body["name"] = f"{body['name'][:90]} {_saved['count']}"
    for field in ("subject", "body"):
        if isinstance(body.get(field), str):
            body[field] = body[field].replace("{{", "{ {")


def _fix_widgets(case) -> None:
    body = case.body
    if isinstance(body, dict) and isinstance(body.get("widgets"), list):
        seen = []
        for kind in body["widgets"]:
            if kind not in seen:
                seen.append(kind)
        body["widgets"] = seen


def _fix_letters(case) -> None:
    body = case.body
    if isinstance(body, dict) and isinstance(body.get("county"), str):
        body["county"] = _real_code(body["county"], "/api/v1/locations")


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


def _real_path_code(context, case) -> None:
    """A department in the path is the caller's own (an employer's lists are their department's;
    an admin's, any), a classification a real one: made-up codes are only ever 404."""
    parameters = case.path_parameters
    if not isinstance(parameters, dict) or not isinstance(parameters.get("code"), str):
        return
    path = case.operation.path
    if path.startswith("/api/v1/departments/{code}"):
        status, _, me = _get("/api/v1/me", _auth(context, case))
        own = me.get("department_code") if status == 200 and isinstance(me, dict) else None
        parameters["code"] = own or _real_code("code", "/api/v1/departments")
    elif path.startswith("/api/v1/classifications/{code}"):
        parameters["code"] = _real_code("code", "/api/v1/classifications")


@schemathesis.hook
def before_call(context, case, **kwargs):
    # Right before sending, so the state read (ETags, the caller's email) is current.
    path, method = case.operation.path, case.method.upper()
    if _positive(case, ParameterLocation.PATH):
        _real_path_code(context, case)
        if path.startswith("/api/v1/admin/api-clients/{id}"):
            _fix_integration_path(context, case)
        if path == "/api/v1/staff/appointments/{id}" and method == "PUT":
            _live_appointment(context, case)
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
            if method == "POST":
                _fix_saved_search(context, case)
        elif path.endswith("-accounts") and method == "POST":
            _fix_account(case)
        elif path.endswith("/staff/cases") and method == "POST":
            _fix_case(context, case)
        elif path.endswith(("/staff/cases/{id}/assignment", "/staff/cases/{id}/activities",
                            "/staff/cases/{id}/placements")) \
                and method == "POST":
            _fix_case_action(context, case)
        elif path.endswith(("/email-verifications/confirm", "/password-resets/confirm")):
            _fix_token(case)
        elif path.endswith("/employee-activations"):
            _fix_activation(case)
        elif path.endswith("/me/password") and method == "PUT":
            _fix_password_change(case)
        elif path.endswith("/postings") and method == "POST":
            _fix_posting(case)
        elif "/me/alerts" in path and method in ("POST", "PUT"):
            _fix_alert(context, case)
        elif path.endswith(("/staff/appointments", "/staff/appointments/{id}")) \
                and method in ("POST", "PUT"):
            _fix_appointment(context, case)
        elif path.endswith(("/announcements", "/announcements/{id}")) and method in ("POST", "PUT"):
            _fix_announcement(case)
        elif path.endswith("/staff/correspondence/templates") and method == "POST":
            _fix_letter_template(case)
        elif path.endswith("/staff/dashboard/widgets"):
            _fix_widgets(case)
        elif path.endswith("/contact-letters") and method == "POST":
            _fix_letters(case)
        elif path.endswith("/postings/{id}/waivers") and method == "POST":
            _fix_waiver(context, case)
        elif path == "/api/v1/admin/api-clients" and method == "POST":
            _fix_api_client(case)
        elif "/webhook-endpoints" in path and method in ("POST", "PUT") \
                and not path.endswith(("/secret-rotations", "/redeliver")):
            _fix_webhook_endpoint(case)
        elif path == "/api/v1/auth/token":
            _fix_client_token(context, case)
        elif path == "/api/v1/staff/surveys" and method == "POST":
            _fix_survey(case)
        elif path == "/api/v1/staff/surveys/{id}/responses" and method == "POST" \
                and _positive(case, ParameterLocation.PATH):
            _fix_survey_answers(context, case)
    if path.endswith("/staff/report-indicators") and _positive(case, ParameterLocation.QUERY):
        _fix_report(case)
    if path.endswith("/alerts/unsubscribe") and _positive(case, ParameterLocation.QUERY) \
            and isinstance(case.query, dict):
        token = _unsubscribe_token(context, case)
        if token:
            case.query["token"] = token


@schemathesis.hook
def after_call(context, case, response):
    """Follows the caller's password when a positive case changed it."""
    if case.operation.path.endswith("/me/password") and case.method.upper() == "PUT" \
            and 200 <= response.status_code < 300 and isinstance(case.body, dict):
        _password["current"] = case.body.get("new_password", _password["current"])
