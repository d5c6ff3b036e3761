#!/usr/bin/env bash
# Search benchmark (issue 4). Loads 50,000 demo postings, then measures, on this machine:
#   - Merit: searches per second and p50/p99 latency of GET /api/v1/postings with keyword +
#     county + department, 20 rows (with total and facets), cycling through 20 such queries
#     (bench/search-queries.txt), on SQLite and on PostgreSQL;
#   - the same search as raw SQL through pgbench on PostgreSQL (a tsvector GIN index plus a
#     (department, county) index, created in the benchmark database only): the 20-row query
#     and its count, one pgbench transaction per search.
# The server is pinned to core 0 and the load generator to core 1 (`taskset`). Results are
# printed and written to bench/results/search-<date>.md.
#
# Usage: bench/search.sh [sqlite|postgres|both]      (default: both)
# Environment: BENCH_POSTINGS (50000), BENCH_DURATION seconds (20), BENCH_CONNECTIONS (16),
#              BENCH_POSTGRES_URL (postgres://postgres@127.0.0.1:5432/postgres).
set -euo pipefail
cd "$(dirname "$0")/.."
which="${1:-both}"
postings="${BENCH_POSTINGS:-50000}"
duration="${BENCH_DURATION:-20}"
connections="${BENCH_CONNECTIONS:-16}"
pg_admin="${BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
port=18090
work=$(mktemp -d)
mkdir -p bench/results
report="bench/results/search-$(date -u +%Y-%m-%d).md"
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 1; }

cargo build --release --locked --bin merit
bin="${CARGO_TARGET_DIR:-target}/release/merit"

server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

{
  echo "# Search benchmark, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB."
  echo "Postings: $postings; $connections connections for $duration s; server on core 0, load on core 1."
  echo
  echo "| target | searches/s | p50 | p99 | server RSS |"
  echo "| --- | --- | --- | --- | --- |"
} > "$report"

run_merit() {
  local name="$1" url="$2"
  MERIT_DATABASE_URL="$url" MERIT_DATA_DIR="$work/data-$name" MERIT_LOG_FILTER=warn "$bin" demo --postings "$postings"
  # Let the database settle after the bulk load (PostgreSQL's autovacuum would run during the
  # measurement otherwise).
  case "$url" in postgres*) psql -q "$url" -c "VACUUM ANALYZE" -c "CHECKPOINT" ;; esac
  MERIT_DATABASE_URL="$url" MERIT_DATA_DIR="$work/data-$name" MERIT_LISTEN="127.0.0.1:$port" MERIT_WORKERS=1 \
    MERIT_LOG_FILTER=warn MERIT_BOOTSTRAP_ADMIN_PASSWORD='Sequoia.Gate-2026' taskset -c 0 "$bin" serve &
  server=$!
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.2; done
  # Warm up (the first search loads the index), then measure.
  taskset -c 1 wrk -t1 -c"$connections" -d5s -s bench/search.lua "http://127.0.0.1:$port" >/dev/null
  local out; out=$(taskset -c 1 wrk -t1 -c"$connections" -d"${duration}s" --latency -s bench/search.lua "http://127.0.0.1:$port")
  echo "$out"
  local rps p50 p99 rss
  rps=$(echo "$out" | awk '/Requests\/sec/{print $2}')
  p50=$(echo "$out" | awk '$1=="50%"{print $2}')
  p99=$(echo "$out" | awk '$1=="99%"{print $2}')
  rss=$(awk '/VmRSS/{printf "%d MiB", $2/1024}' "/proc/$server/status")
  echo "| Merit on $name | $rps | $p50 | $p99 | $rss |" >> "$report"
  kill "$server"; wait "$server" 2>/dev/null || true; server=""
}

pg_url() { echo "${pg_admin%/*}/$1"; }

run_pgbench() {
  local db="$1" url; url=$(pg_url "$db")
  psql -q "$url" <<'SQL'
CREATE INDEX IF NOT EXISTS bench_postings_fts ON postings USING GIN (to_tsvector('english', title || ' ' || duties));
CREATE INDEX IF NOT EXISTS bench_postings_dept_county ON postings (department_code, county_code);
ANALYZE postings;
SQL
  local scripts=()
  local n=0
  while IFS=$'\t' read -r q county dept; do
    n=$((n + 1))
    local f="$work/q$n.sql"
    local where="status = 'open' AND visibility = 'public' AND final_filing_date >= CURRENT_DATE AND department_code = '$dept' AND county_code = '$county' AND to_tsvector('english', title || ' ' || duties) @@ plainto_tsquery('english', '$q')"
    cat > "$f" <<SQL
SELECT id, title, department_code, classification_code, county_code, tenure, time_base, shift, salary_min_cents, salary_max_cents, final_filing_date, published_at FROM postings WHERE $where ORDER BY ts_rank(to_tsvector('english', title || ' ' || duties), plainto_tsquery('english', '$q')) DESC, id DESC LIMIT 20;
SELECT count(*) FROM postings WHERE $where;
SQL
    scripts+=(-f "$f")
  done < bench/search-queries.txt
  (cd "$work" && taskset -c 1 pgbench -n -M prepared -c 8 -j 1 -T "$duration" -l --log-prefix=pgb "${scripts[@]}" "$url") | tee "$work/pgbench.out"
  local tps p50 p99
  tps=$(awk '/^tps/{print $3; exit}' "$work/pgbench.out")
  read -r p50 p99 < <(cat "$work"/pgb* | awk '{print $3}' | sort -n | awk '{a[NR]=$1} END {printf "%.2fms %.2fms\n", a[int(NR*0.5)]/1000, a[int(NR*0.99)]/1000}')
  echo "| raw SQL through pgbench (8 clients, prepared) | $tps | $p50 | $p99 | |" >> "$report"
}

if [ "$which" = sqlite ] || [ "$which" = both ]; then
  run_merit sqlite "sqlite://$work/bench.db"
fi
if [ "$which" = postgres ] || [ "$which" = both ]; then
  psql -q "$pg_admin" -c "DROP DATABASE IF EXISTS merit_bench WITH (FORCE)" -c "CREATE DATABASE merit_bench"
  run_merit postgres "$(pg_url merit_bench)"
  run_pgbench merit_bench
  psql -q "$pg_admin" -c "DROP DATABASE IF EXISTS merit_bench WITH (FORCE)"
fi
echo
cat "$report"
