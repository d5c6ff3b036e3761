#!/usr/bin/env bash
# Eligible-list benchmark (issue 6). Puts 20,000 people with an active eligibility for
# classification 5393 (each with a profile whose conditions of employment name 0 to 3 counties)
# into a fresh database, then measures, with an employer's token, the first page of
# GET /api/v1/classifications/5393/eligible-list?county=sacramento&limit=20 with wrk
# (server on core 0, wrk on core 1), on SQLite and on PostgreSQL.
#
# Usage: bench/eligible-list.sh [sqlite|postgres|both]      (default: both)
# Environment: BENCH_PEOPLE (20000), BENCH_DURATION seconds (20), BENCH_CONNECTIONS (8),
#              BENCH_POSTGRES_URL (postgres://postgres@127.0.0.1:5432/postgres).
set -euo pipefail
cd "$(dirname "$0")/.."
which="${1:-both}"
people="${BENCH_PEOPLE:-20000}"
duration="${BENCH_DURATION:-20}"
connections="${BENCH_CONNECTIONS:-8}"
pg_admin="${BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
port=18091
work=$(mktemp -d)
mkdir -p bench/results
report="bench/results/eligible-list-$(date -u +%Y-%m-%dT%H%MZ).md"
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 1; }

cargo build --release --locked --bin merit
bin="${CARGO_TARGET_DIR:-target}/release/merit"
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

{
  echo "# Eligible-list benchmark, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB."
  echo "$people people on the list; county=sacramento, first page of 20; $connections connections for $duration s."
  echo
  echo "| backend | connections | requests/s | p50 | p99 |"
  echo "| --- | --- | --- | --- | --- |"
} > "$report"

json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

run() {
  local name="$1" url="$2" load="$3"
  export MERIT_DATABASE_URL="$url" MERIT_DATA_DIR="$work/data-$name" MERIT_LOG_FILTER=warn
  "$bin" demo --postings 0
  python3 bench/gen_eligible_list.py "$people" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" > "$work/people.sql"
  $load "$work/people.sql"
  MERIT_LISTEN="127.0.0.1:$port" MERIT_WORKERS=1 MERIT_BOOTSTRAP_ADMIN_PASSWORD='Sequoia.Gate-2026' \
    MERIT_LOGIN_RATE_PER_MINUTE=1000 taskset -c 0 "$bin" serve &
  server=$!
  local base="http://127.0.0.1:$port"
  for _ in $(seq 1 100); do curl -fs "$base/readyz" >/dev/null && break; sleep 0.2; done
  local admin created user temp token
  admin=$(curl -fs -X POST "$base/api/v1/auth/login" -H 'content-type: application/json' \
    -d '{"login":"admin","password":"Sequoia.Gate-2026"}' | json '["access_token"]')
  created=$(curl -fs -X POST "$base/api/v1/admin/employer-accounts" -H "authorization: Bearer $admin" \
    -H 'content-type: application/json' -d '{"first_name":"Bench","last_name":"Employer","department_code":"DMV"}')
  user=$(echo "$created" | json '["username"]'); temp=$(echo "$created" | json '["temporary_password"]')
  token=$(curl -fs -X POST "$base/api/v1/auth/login" -H 'content-type: application/json' \
    -d "{\"login\":\"$user\",\"password\":\"$temp\"}" | json '["access_token"]')
  curl -fs -X PUT "$base/api/v1/me/password" -H "authorization: Bearer $token" -H 'content-type: application/json' \
    -d "{\"current_password\":\"$temp\",\"new_password\":\"Tulip.Harbor7\"}"
  token=$(curl -fs -X POST "$base/api/v1/auth/login" -H 'content-type: application/json' \
    -d "{\"login\":\"$user\",\"password\":\"Tulip.Harbor7\"}" | json '["access_token"]')
  local path="/api/v1/classifications/5393/eligible-list?county=sacramento&limit=20"
  curl -fs "$base$path" -H "authorization: Bearer $token" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d["items"]), "on the first page")'
  taskset -c 1 wrk -t1 -c"$connections" -d5s -H "Authorization: Bearer $token" "$base$path" >/dev/null
  # One connection gives the latency of a request on its own; several, the latency under load.
  for c in 1 "$connections"; do
    local out; out=$(taskset -c 1 wrk -t1 -c"$c" -d"${duration}s" --latency -H "Authorization: Bearer $token" "$base$path")
    echo "$out"
    echo "| $name | $c | $(echo "$out" | awk '/Requests\/sec/{print $2}') | $(echo "$out" | awk '$1=="50%"{print $2}') | $(echo "$out" | awk '$1=="99%"{print $2}') |" >> "$report"
  done
  kill "$server"; wait "$server" 2>/dev/null || true; server=""
}

load_sqlite() { sqlite3 "$work/bench.db" < "$1"; }
pg_url() { echo "${pg_admin%/*}/$1"; }
load_postgres() { psql -q "$(pg_url merit_bench_list)" -f "$1"; psql -q "$(pg_url merit_bench_list)" -c "VACUUM ANALYZE"; }

if [ "$which" = sqlite ] || [ "$which" = both ]; then
  run sqlite "sqlite://$work/bench.db" load_sqlite
fi
if [ "$which" = postgres ] || [ "$which" = both ]; then
  psql -q "$pg_admin" -c "DROP DATABASE IF EXISTS merit_bench_list WITH (FORCE)" -c "CREATE DATABASE merit_bench_list"
  run postgres "$(pg_url merit_bench_list)" load_postgres
  psql -q "$pg_admin" -c "DROP DATABASE IF EXISTS merit_bench_list WITH (FORCE)"
fi
echo
cat "$report"
