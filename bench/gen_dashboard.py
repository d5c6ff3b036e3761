#!/usr/bin/env python3
"""Generates SQL for the staff dashboard benchmark (SQLite and PostgreSQL alike).

  gen_dashboard.py STAFF_ID TEMPLATE_ID ADMIN_ID OFFICE NOW_ISO CASES

One staff member's office gets CASES cases assigned to them (half individuals, each a job
seeker of their own; half employers), 70% active, 15% inactive, 15% closed, opened over the
last year; two services per case, a placement per fifth individual, an appointment per second
case (45-minute slots from 40 days ago onwards, none overlapping), a letter (with its inbox
message) per second individual, 500 messages in the staff member's inbox, 200 announcements
(every tenth read), 50 resources, 20 labour-market links and 10 open surveys (every other one
answered).
"""

import datetime
import random
import sys

CODES = ["orientation", "job_referral", "resume_assistance", "workshop", "career_counseling",
         "skills_assessment", "job_search_assistance", "follow_up"]


def uuid(kind, n):
    return f"0194{kind:04x}-0000-7000-8000-{n:012x}"


def ts(t):
    return t.strftime("%Y-%m-%d %H:%M:%S")


def main():
    staff, template, admin, office, now_iso, count = sys.argv[1:7]
    count = int(count)
    now = datetime.datetime.strptime(now_iso, "%Y-%m-%dT%H:%M:%SZ")
    rng = random.Random(13)
    out = sys.stdout
    w = out.write
    w("BEGIN;\n")
    individuals = []
    slot = 0
    for n in range(count):
        case = uuid(1, n)
        opened = now - datetime.timedelta(minutes=rng.randrange(1, 365 * 24 * 60))
        r = rng.random()
        status = "active" if r < 0.7 else ("inactive" if r < 0.85 else "closed")
        closed = (f"'{ts(opened + (now - opened) / 2)}'", "'other'", f"'{staff}'") if status == "closed" else ("NULL", "NULL", "NULL")
        if n % 2 == 0:
            person = uuid(2, n)
            email = f"seeker{n}@example.org"
            w("INSERT INTO accounts (id, email, email_key, first_name, last_name, failed_login_count, "
              "email_verified_at, created_at, updated_at) "
              f"VALUES ('{person}', '{email}', '{email}', 'Bench', 'Seeker{n}', 0, '{ts(now)}', '{ts(now)}', '{ts(now)}');\n")
            w(f"INSERT INTO account_roles (account_id, role) VALUES ('{person}', 'applicant');\n")
            subject = ("'individual'", f"'{person}'", "NULL", "NULL")
            if status != "closed":
                individuals.append((case, person))
        else:
            name = f"Bench Employer {n}"
            subject = ("'employer'", "NULL", f"'{name}'", f"'{name.lower()}'")
        w("INSERT INTO staff_cases (id, office_code, kind, person_account_id, employer_name, employer_name_key, "
          "assigned_staff_id, status, opened_at, opened_by, closed_at, close_reason, closed_by, updated_at, version) "
          f"VALUES ('{case}', '{office}', {subject[0]}, {subject[1]}, {subject[2]}, {subject[3]}, '{staff}', "
          f"'{status}', '{ts(opened)}', '{staff}', {closed[0]}, {closed[1]}, {closed[2]}, '{ts(now)}', 1);\n")
        for k in range(2):
            day = (opened + (now - opened) * rng.random()).date()
            w("INSERT INTO case_activities (id, case_id, office_code, code, provided_on, staff_id, recorded_by, recorded_at) "
              f"VALUES ('{uuid(3, n * 2 + k)}', '{case}', '{office}', '{rng.choice(CODES)}', '{day}', '{staff}', '{staff}', '{ts(now)}');\n")
        if n % 10 == 0:
            start = (opened + (now - opened) * rng.random()).date()
            w("INSERT INTO case_placements (id, case_id, office_code, employer_name, job_title, start_date, "
              "hourly_wage_cents, staff_id, recorded_by, recorded_at) "
              f"VALUES ('{uuid(4, n)}', '{case}', '{office}', 'Acme', 'Clerk', '{start}', 2200, '{staff}', '{staff}', '{ts(now)}');\n")
        if n % 2 == 1:
            starts = now - datetime.timedelta(days=40) + datetime.timedelta(minutes=45 * slot)
            slot += 1
            state = "completed" if starts < now else "scheduled"
            made = min(starts - datetime.timedelta(days=3), now)
            w("INSERT INTO appointments (id, office_code, staff_id, case_id, title, starts_at, ends_at, location, "
              "status, created_by, created_at, updated_at, version) "
              f"VALUES ('{uuid(5, n)}', '{office}', '{staff}', '{case}', 'Follow-up', '{ts(starts)}', "
              f"'{ts(starts + datetime.timedelta(minutes=30))}', 'Room 1', '{state}', '{staff}', '{ts(made)}', '{ts(made)}', 1);\n")
    for i, (case, person) in enumerate(individuals[::2]):
        at = now - datetime.timedelta(minutes=rng.randrange(1, 90 * 24 * 60))
        message = uuid(6, i)
        w("INSERT INTO messages (id, account_id, kind, subject, body, created_at) "
          f"VALUES ('{message}', '{person}', 'correspondence', 'Next steps', 'Dear Bench,', '{ts(at)}');\n")
        w("INSERT INTO correspondence (id, case_id, template_id, office_code, account_id, staff_id, subject, body, "
          "message_id, created_at) "
          f"VALUES ('{uuid(7, i)}', '{case}', '{template}', '{office}', '{person}', '{staff}', 'Next steps', "
          f"'Dear Bench,', '{message}', '{ts(at)}');\n")
    for i in range(500):
        at = now - datetime.timedelta(minutes=i * 17)
        read = f"'{ts(at)}'" if i % 3 else "NULL"
        w("INSERT INTO messages (id, account_id, kind, subject, body, created_at, read_at) "
          f"VALUES ('{uuid(8, i)}', '{staff}', 'account', 'Notice {i}', 'Text', '{ts(at)}', {read});\n")
    for i in range(200):
        at = now - datetime.timedelta(hours=i * 5 + 1)
        a = uuid(9, i)
        w("INSERT INTO announcements (id, title, body, all_offices, all_roles, publish_at, created_by, "
          "created_at, updated_at, version) "
          f"VALUES ('{a}', 'News {i}', 'Text', TRUE, TRUE, '{ts(at)}', '{admin}', '{ts(at)}', '{ts(at)}', 1);\n")
        if i % 10 == 0:
            w(f"INSERT INTO announcement_reads (announcement_id, account_id, read_at) VALUES ('{a}', '{staff}', '{ts(now)}');\n")
    for i in range(70):
        shelf, kind, region = ("resource", "'guide'", "NULL") if i < 50 else ("labor_market", "NULL", "'California'")
        mine = i % 5 == 0
        link = uuid(10, i)
        w("INSERT INTO staff_links (id, shelf, title, url, kind, region, all_offices, created_by, created_at, "
          "updated_at, version) "
          f"VALUES ('{link}', '{shelf}', 'Link {i}', 'https://example.gov/{i}', {kind}, {region}, "
          f"{'FALSE' if mine else 'TRUE'}, '{admin}', '{ts(now)}', '{ts(now)}', 1);\n")
        if mine:
            w(f"INSERT INTO staff_link_offices (link_id, office_code) VALUES ('{link}', '{office}');\n")
    for i in range(10):
        s = uuid(11, i)
        questions = '[{"prompt":"Rate","kind":"rating","options":[],"required":true}]'
        w("INSERT INTO surveys (id, title, questions, opens_at, closes_at, all_offices, created_by, created_at) "
          f"VALUES ('{s}', 'Survey {i}', '{questions}', '{ts(now - datetime.timedelta(days=1))}', "
          f"'{ts(now + datetime.timedelta(days=30))}', TRUE, '{admin}', '{ts(now)}');\n")
        if i % 2 == 0:
            w(f"INSERT INTO survey_responses (survey_id, account_id, submitted_at) VALUES ('{s}', '{staff}', '{ts(now)}');\n")
    w("COMMIT;\n")


if __name__ == "__main__":
    main()
