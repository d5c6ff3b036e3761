#!/usr/bin/env bash
# Applications benchmark (issue 10), on SQLite and on PostgreSQL:
#  1. a filing-deadline rush: BENCH_RUSH (2,000) verified applicants, signed in and each with a
#     draft to one open DMV posting, all submit (each with its own Idempotency-Key) from
#     BENCH_WORKERS (32) threads as fast as Merit takes them: submits/s, p50, p99, statuses;
#  2. the department's list: BENCH_LIST (20,000) submitted applications to another posting,
#     then the first page of GET /api/v1/postings/{id}/applications (limit 20) read for
#     BENCH_DURATION (20) seconds with 1 and with 8 connections: requests/s, p50, p99.
# Merit runs on core 0 (taskset), the Python client (bench/applications_client.py) on core 1.
#
# Usage: bench/applications.sh [sqlite|postgres|both]       (default: both)
# Environment: BENCH_RUSH, BENCH_WORKERS, BENCH_LIST, BENCH_DURATION,
#              BENCH_POSTGRES_URL (postgres://postgres@127.0.0.1:5432/postgres),
#              BENCH_BIN (a release `merit` already built; otherwise it is built once).
set -euo pipefail
cd "$(dirname "$0")/.."
which="${1:-both}"
rush="${BENCH_RUSH:-2000}"
workers="${BENCH_WORKERS:-32}"
listed="${BENCH_LIST:-20000}"
duration="${BENCH_DURATION:-20}"
pg_admin="${BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
port=18093
base="http://127.0.0.1:$port"
work=$(mktemp -d)
mkdir -p bench/results
report="bench/results/applications-$(date -u +%Y-%m-%dT%H%MZ).md"
bin="${BENCH_BIN:-}"
if [ -z "$bin" ]; then
  cargo build --release --locked --bin merit
  bin="${CARGO_TARGET_DIR:-target}/release/merit"
fi
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

{
  echo "# Applications benchmark, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB; load average before: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
} > "$report"

json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
post() { curl -fs -X POST "$base$1" -H 'content-type: application/json' "${@:3}" -d "$2"; }
login() { post /api/v1/auth/login "{\"login\":\"$1\",\"password\":\"$2\"}" | json '["access_token"]'; }

employer_token() {
  local admin created user temp token
  admin=$(login admin 'Sequoia.Gate-2026')
  created=$(post /api/v1/admin/employer-accounts '{"first_name":"Bench","last_name":"Employer","department_code":"DMV"}' -H "authorization: Bearer $admin")
  user=$(echo "$created" | json '["username"]'); temp=$(echo "$created" | json '["temporary_password"]')
  token=$(login "$user" "$temp")
  curl -fs -X PUT "$base/api/v1/me/password" -H "authorization: Bearer $token" -H 'content-type: application/json' \
    -d "{\"current_password\":\"$temp\",\"new_password\":\"Tulip.Harbor7\"}"
  login "$user" 'Tulip.Harbor7'
}

open_posting() {
  local id
  id=$(post /api/v1/postings '{"classification_code":"5393","title":"Associate Governmental Program Analyst","duties":"Analytical work.","county_code":"sacramento","tenure":"permanent","time_base":"full_time","shift":"day","salary_min_cents":573200,"salary_max_cents":717600,"final_filing_date":"2099-12-31","required_documents":[],"eligibility_required":false,"visibility":"public"}' \
    -H "authorization: Bearer $1" | json '["id"]')
  post "/api/v1/postings/$id/publish" '{}' -H "authorization: Bearer $1" >/dev/null
  echo "$id"
}

start_server() {
  MERIT_LISTEN="127.0.0.1:$port" MERIT_WORKERS=1 MERIT_BOOTSTRAP_ADMIN_PASSWORD='Sequoia.Gate-2026' \
    MERIT_LOGIN_RATE_PER_MINUTE=100000000 MERIT_REGISTRATION_RATE_PER_HOUR=100000000 \
    taskset -c 0 "$bin" serve >"$work/merit-$1.log" 2>&1 &
  server=$!
  for _ in $(seq 1 150); do curl -fs "$base/readyz" >/dev/null && break; sleep 0.2; done
}

run() {
  local name="$1" url="$2" sql="$3"
  export MERIT_DATABASE_URL="$url" MERIT_DATA_DIR="$work/data-$name" MERIT_LOG_FILTER=warn
  "$bin" demo --postings 0 >/dev/null
  start_server "$name"
  local token rush_posting list_posting hash_sql
  token=$(employer_token)
  rush_posting=$(open_posting "$token")
  list_posting=$(open_posting "$token")
  post /api/v1/accounts '{"email":"seed@example.org","password":"Tulip.Harbor7","first_name":"Seed","last_name":"Person"}' >/dev/null
  kill "$server"; wait "$server" 2>/dev/null || true; server=""
  local now; now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  python3 bench/gen_applications.py people "$rush" "$now" > "$work/people.sql"
  python3 bench/gen_applications.py list "$listed" "$list_posting" "$now" > "$work/list.sql"
  hash_sql="UPDATE accounts SET password_hash = (SELECT password_hash FROM accounts WHERE email_key = 'seed@example.org') WHERE email_key LIKE 'rush%';"
  $sql "$work/people.sql"; $sql "$work/list.sql"; echo "$hash_sql" > "$work/hash.sql"; $sql "$work/hash.sql"
  start_server "$name"
  local rush_out list1 list8
  rush_out=$(taskset -c 1 python3 bench/applications_client.py rush "$base" "$rush_posting" "$rush" "$workers")
  echo "$name rush: $rush_out"
  list1=$(taskset -c 1 python3 bench/applications_client.py list "$base" "$token" "$list_posting" "$duration" 1)
  list8=$(taskset -c 1 python3 bench/applications_client.py list "$base" "$token" "$list_posting" "$duration" 8)
  echo "$name list: $list1 / $list8"
  if grep -qi "internal error" "$work/merit-$name.log"; then echo "internal errors logged" >&2; fi
  {
    echo "- $name, rush of $rush submits from $workers threads: \`$rush_out\`"
    echo "- $name, list of $listed applications, 1 connection: \`$list1\`"
    echo "- $name, list of $listed applications, 8 connections: \`$list8\`"
  } >> "$report"
  kill "$server"; wait "$server" 2>/dev/null || true; server=""
}

sql_sqlite() { sqlite3 "$work/bench.db" < "$1"; }
pg_url() { echo "${pg_admin%/*}/$1"; }
sql_postgres() { psql -q "$(pg_url merit_bench_apps)" -f "$1"; psql -q "$(pg_url merit_bench_apps)" -c "ANALYZE"; }

if [ "$which" = sqlite ] || [ "$which" = both ]; then
  run sqlite "sqlite://$work/bench.db" sql_sqlite
fi
if [ "$which" = postgres ] || [ "$which" = both ]; then
  psql -q "$pg_admin" -c "DROP DATABASE IF EXISTS merit_bench_apps WITH (FORCE)" -c "CREATE DATABASE merit_bench_apps"
  run postgres "$(pg_url merit_bench_apps)" sql_postgres
  psql -q "$pg_admin" -c "DROP DATABASE IF EXISTS merit_bench_apps WITH (FORCE)"
fi
echo
cat "$report"
