#!/usr/bin/env python3
"""Generates SQL for the applications benchmark (SQLite and PostgreSQL alike).

  gen_applications.py people N NOW_ISO            N verified applicants rush{i}@example.org (their
                                                  password hash is copied afterwards from one
                                                  account registered through the API)
  gen_applications.py list N POSTING_ID NOW_ISO   N people who applied to POSTING_ID, each
                                                  with a rank band and score (80% of them) and
                                                  one `received` event, as a submission leaves them
"""

import datetime
import random
import sys


def uuid(kind, n):
    return f"0193{kind:04x}-0000-7000-8000-{n:012x}"


def ts(t):
    return t.strftime("%Y-%m-%d %H:%M:%S")


def account(out, n, kind, email, now):
    acc = uuid(kind, n)
    out.write(
        "INSERT INTO accounts (id, email, email_key, first_name, last_name, failed_login_count, "
        "email_verified_at, created_at, updated_at) "
        f"VALUES ('{acc}', '{email}', '{email}', 'Bench', 'Person{n}', 0, '{ts(now)}', '{ts(now)}', '{ts(now)}');\n"
        f"INSERT INTO account_roles (account_id, role) VALUES ('{acc}', 'applicant');\n"
    )
    return acc


def people(count, now):
    out = sys.stdout
    out.write("BEGIN;\n")
    for n in range(count):
        account(out, n, 1, f"rush{n}@example.org", now)
    out.write("COMMIT;\n")


def listed(count, posting, now):
    rng = random.Random(10)
    out = sys.stdout
    out.write("BEGIN;\n")
    for n in range(count):
        acc = account(out, n, 2, f"listed{n}@example.org", now)
        app = uuid(3, n)
        at = now - datetime.timedelta(seconds=count - n)
        if rng.random() < 0.8:
            score = rng.randrange(70, 101)
            band = next(b for floor, b in ((95, 1), (90, 2), (85, 3), (80, 4), (75, 5), (70, 6)) if score >= floor)
            key = f"{band:03}{999 - score:03}"
            band_sql, score_sql = str(band), str(score)
        else:
            key, band_sql, score_sql = "999999", "NULL", "NULL"
        micros = int(at.replace(tzinfo=datetime.timezone.utc).timestamp() * 1_000_000)
        sort_key = f"{key}{micros:020}{app}"
        status = rng.choice(["received", "received", "under_review", "eligible", "not_eligible"])
        out.write(
            "INSERT INTO applications (id, posting_id, account_id, status, version, created_at, updated_at, "
            "submitted_at, first_name, last_name, email, profile_snapshot, conditions_fit, rank_band, score, sort_key) "
            f"VALUES ('{app}', '{posting}', '{acc}', '{status}', 2, '{ts(at)}', '{ts(at)}', '{ts(at)}', 'Bench', "
            f"'Person{n}', 'listed{n}@example.org', "
            "'{\"supervisors\":\"[]\",\"conditions\":\"{}\",\"accepts_contact\":false}', "
            f"{'TRUE' if rng.random() < 0.6 else 'FALSE'}, {band_sql}, {score_sql}, '{sort_key}');\n"
            "INSERT INTO application_events (id, application_id, at, status, notice_sent) "
            f"VALUES ('{uuid(4, n)}', '{app}', '{ts(at)}', 'received', TRUE);\n"
        )
    out.write("COMMIT;\n")


def main():
    now = datetime.datetime.fromisoformat(sys.argv[-1].replace("Z", "+00:00")).replace(tzinfo=None)
    if sys.argv[1] == "people":
        people(int(sys.argv[2]), now)
    else:
        listed(int(sys.argv[2]), sys.argv[3], now)


if __name__ == "__main__":
    main()
