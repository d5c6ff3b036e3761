#!/usr/bin/env python3
"""Generates SQL for the eligible-list benchmark: N applicants, each with a profile (conditions
of employment over California counties) and a passing attempt of the demo exam for
classification 5393, granted at different times so every band and many expiry dates occur.

Usage: bench/gen_eligible_list.py N NOW_ISO > people.sql   (SQL for both SQLite and PostgreSQL)
"""

import datetime
import json
import random
import sys

COUNTIES = ["sacramento", "los-angeles", "san-francisco", "alameda", "san-diego", "fresno", "riverside",
            "san-bernardino", "orange", "santa-clara", "kern", "yolo", "placer", "shasta"]
TENURES = ["permanent", "limited_term", "temporary"]
TIME_BASES = ["full_time", "part_time", "intermittent"]


def band(score):
    for floor, number in ((95, 1), (90, 2), (85, 3), (80, 4), (75, 5), (70, 6)):
        if score >= floor:
            return number
    return 7


def main():
    count = int(sys.argv[1])
    now = datetime.datetime.fromisoformat(sys.argv[2].replace("Z", "+00:00")).replace(tzinfo=None)
    rng = random.Random(5393)
    out = sys.stdout
    out.write("BEGIN;\n")
    for n in range(count):
        account = f"bench-{n:06d}"
        attempt = f"bench-attempt-{n:06d}"
        granted = now - datetime.timedelta(days=rng.randrange(0, 700), seconds=rng.randrange(0, 86400))
        expires = granted.replace(year=granted.year + 2) if not (granted.month == 2 and granted.day == 29) else granted.replace(year=granted.year + 2, day=28)
        score = rng.randrange(70, 101)
        counties = sorted(rng.sample(COUNTIES, rng.choice([0, 1, 2, 3])))
        conditions = {
            "tenures": sorted(rng.sample(TENURES, rng.choice([0, 1, 2]))),
            "time_bases": sorted(rng.sample(TIME_BASES, rng.choice([0, 1]))),
            "counties": counties,
            "departments": [],
            "shifts": [],
        }
        accepts = "TRUE" if rng.random() < 0.7 else "FALSE"
        ts = lambda t: t.strftime("%Y-%m-%d %H:%M:%S")
        out.write(
            f"INSERT INTO accounts (id, email, email_key, first_name, last_name, failed_login_count, created_at, updated_at) "
            f"VALUES ('{account}', 'person{n}@example.org', 'person{n}@example.org', 'Person', 'Number{n}', 0, '{ts(now)}', '{ts(now)}');\n"
            f"INSERT INTO account_roles (account_id, role) VALUES ('{account}', 'applicant');\n"
            f"INSERT INTO profiles (account_id, supervisors, conditions, accepts_contact, version, updated_at) "
            f"VALUES ('{account}', '[]', '{json.dumps(conditions)}', {accepts}, 1, '{ts(now)}');\n"
            f"INSERT INTO exam_attempts (id, exam_id, account_id, classification_code, score, passed, rank_band, answers, taken_at) "
            f"VALUES ('{attempt}', '00000000-0000-8000-8000-000000005393', '{account}', '5393', {score}, TRUE, {band(score)}, '[]', '{ts(granted)}');\n"
            f"INSERT INTO eligibilities (attempt_id, account_id, classification_code, exam_id, score, rank_band, granted_at, expires_at) "
            f"VALUES ('{attempt}', '{account}', '5393', '00000000-0000-8000-8000-000000005393', {score}, {band(score)}, '{ts(granted)}', '{ts(expires)}');\n"
        )
    out.write("COMMIT;\n")


if __name__ == "__main__":
    main()
