#!/usr/bin/env bash
# Staff dashboard benchmark (issue 13), on SQLite and on PostgreSQL: the demo case manager
# LAOMCHEN gets BENCH_CASES (5,000) more cases in his office (with their services, placements,
# appointments, letters, inbox messages, announcements, resources, links and surveys: see
# bench/gen_dashboard.py), then GET /api/v1/staff/dashboard with every widget (the default
# set) is read for BENCH_DURATION (20) seconds with 1 and with 8 connections: requests/s, p50,
# p99. Merit runs on core 0 (taskset), the Python client (bench/dashboard_client.py) on core 1.
#
# Usage: bench/dashboard.sh [sqlite|postgres|both]       (default: both)
# Environment: BENCH_CASES, BENCH_DURATION,
#              BENCH_POSTGRES_URL (postgres://postgres@127.0.0.1:5432/postgres),
#              BENCH_BIN (a release `merit` already built; otherwise it is built once).
set -euo pipefail
cd "$(dirname "$0")/.."
which="${1:-both}"
cases="${BENCH_CASES:-5000}"
duration="${BENCH_DURATION:-20}"
pg_admin="${BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
port=18097
base="http://127.0.0.1:$port"
work=$(mktemp -d)
mkdir -p bench/results
report="bench/results/dashboard-$(date -u +%Y-%m-%dT%H%MZ).md"
bin="${BENCH_BIN:-}"
if [ -z "$bin" ]; then
  cargo build --release --locked --bin merit
  bin="${CARGO_TARGET_DIR:-target}/release/merit"
fi
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

{
  echo "# Staff dashboard benchmark, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB; load average before: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
} > "$report"

json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
post() { curl -fs -X POST "$base$1" -H 'content-type: application/json' "${@:3}" -d "$2"; }
get() { curl -fs "$base$1" -H "authorization: Bearer $2"; }
login() { post /api/v1/auth/login "{\"login\":\"$1\",\"password\":\"$2\"}" | json '["access_token"]'; }

start_server() {
  MERIT_LISTEN="127.0.0.1:$port" MERIT_WORKERS=1 MERIT_BOOTSTRAP_ADMIN_PASSWORD='Sequoia.Gate-2026' \
    MERIT_LOGIN_RATE_PER_MINUTE=100000000 \
    taskset -c 0 "$bin" serve >"$work/merit-$1.log" 2>&1 &
  server=$!
  for _ in $(seq 1 150); do curl -fs "$base/readyz" >/dev/null && break; sleep 0.2; done
}

run() {
  local name="$1" url="$2" sql="$3"
  export MERIT_DATABASE_URL="$url" MERIT_DATA_DIR="$work/data-$name" MERIT_LOG_FILTER=warn
  "$bin" demo --postings 0 >/dev/null
  start_server "$name"
  local token admin staff_id admin_id template
  token=$(login LAOMCHEN 'Poppy.Meadow42')
  admin=$(login admin 'Sequoia.Gate-2026')
  staff_id=$(get /api/v1/me "$token" | json '["id"]')
  admin_id=$(get /api/v1/me "$admin" | json '["id"]')
  template=$(get /api/v1/staff/correspondence/templates "$token" | json '["items"][0]["id"]')
  kill "$server"; wait "$server" 2>/dev/null || true; server=""
  python3 bench/gen_dashboard.py "$staff_id" "$template" "$admin_id" LAO "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$cases" > "$work/dashboard.sql"
  $sql "$work/dashboard.sql"
  start_server "$name"
  token=$(login LAOMCHEN 'Poppy.Meadow42')
  local one eight
  one=$(taskset -c 1 python3 bench/dashboard_client.py "$base" "$token" "$duration" 1)
  eight=$(taskset -c 1 python3 bench/dashboard_client.py "$base" "$token" "$duration" 8)
  echo "$name: $one / $eight"
  if grep -qi "internal error" "$work/merit-$name.log"; then echo "internal errors logged" >&2; fi
  {
    echo "- $name, dashboard (9 widgets) over $cases more cases, 1 connection: \`$one\`"
    echo "- $name, dashboard (9 widgets) over $cases more cases, 8 connections: \`$eight\`"
  } >> "$report"
  kill "$server"; wait "$server" 2>/dev/null || true; server=""
}

sql_sqlite() { sqlite3 "$work/bench.db" < "$1"; sqlite3 "$work/bench.db" "ANALYZE"; }
pg_url() { echo "${pg_admin%/*}/$1"; }
# VACUUM as well: the steady state autovacuum reaches a minute after a bulk load (the visibility
# map set, so the counts read their covering indexes alone), not the minute after the load.
sql_postgres() { psql -q -v ON_ERROR_STOP=1 "$(pg_url merit_bench_dashboard)" -f "$1"; psql -q "$(pg_url merit_bench_dashboard)" -c "VACUUM ANALYZE"; }

if [ "$which" = sqlite ] || [ "$which" = both ]; then
  run sqlite "sqlite://$work/bench.db" sql_sqlite
fi
if [ "$which" = postgres ] || [ "$which" = both ]; then
  psql -q "$pg_admin" -c "DROP DATABASE IF EXISTS merit_bench_dashboard WITH (FORCE)" -c "CREATE DATABASE merit_bench_dashboard"
  run postgres "$(pg_url merit_bench_dashboard)" sql_postgres
  psql -q "$pg_admin" -c "DROP DATABASE IF EXISTS merit_bench_dashboard WITH (FORCE)"
fi
echo
cat "$report"
