#!/usr/bin/env bash
# Search benchmark (issues 4 and 14). For each corpus size (50,000, 200,000 and 500,000 demo
# postings by default; about 95% of demo postings are open) it loads the demo postings, starts
# the release build pinned to core 0 with one HTTP worker, and measures:
#   - startup-to-ready: from launching `merit serve` until `/readyz` answers 200 (the search
#     index is loaded by then);
#   - the server's RSS once ready, and that RSS divided by the open postings indexed
#     (`merit_search_index_postings` in `/metrics`): bytes per posting, all of the process; and
#     the index's own estimate of its heap (`merit_search_index_heap_bytes`), per posting too;
#   - searches per second and p50/p99 latency of GET /api/v1/postings with keyword + county +
#     department, 20 rows (with total and facets), cycling through 20 such queries
#     (bench/search-queries.txt), driven by `wrk` from core 1;
#   - the server's CPU time per search during that run (user + system time from
#     /proc/<pid>/stat, divided by the requests `wrk` counted), which says what a search costs
#     even when the machine is busy and the server does not have its core to itself.
# On PostgreSQL it also runs the same search as raw SQL through pgbench (a tsvector GIN index
# plus a (department, county) index, created in the benchmark database only): the 20-row query
# and its count, one pgbench transaction per search. Results are printed and written to
# bench/results/search-<UTC date and time>.md (one file a run: a second run the same day no longer overwrites the first).
#
# Usage: bench/search.sh [sqlite|postgres|both]      (default: sqlite)
# Environment: BENCH_SIZES ("50000 200000 500000"), BENCH_DURATION seconds (20),
#              BENCH_CONNECTIONS (16), BENCH_POSTGRES_URL (postgres://postgres@127.0.0.1:5432/postgres),
#              BENCH_BIN (a `merit` binary already built; otherwise a release build is made).
set -euo pipefail
cd "$(dirname "$0")/.."
which="${1:-sqlite}"
sizes="${BENCH_SIZES:-50000 200000 500000}"
duration="${BENCH_DURATION:-20}"
connections="${BENCH_CONNECTIONS:-16}"
pg_admin="${BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
port=18090
work=$(mktemp -d)
mkdir -p bench/results
report="bench/results/search-$(date -u +%Y-%m-%dT%H%MZ).md"
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 1; }

bin="${BENCH_BIN:-}"
if [ -z "$bin" ]; then
  cargo build --release --locked --bin merit
  bin="${CARGO_TARGET_DIR:-target}/release/merit"
fi

server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

{
  echo "# Search benchmark, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "Machine: $(nproc) cores, $(lscpu | awk -F: '/Model name/{print $2; exit}' | xargs), $(free -g | awk '/Mem:/{print $2}') GiB; load average before: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "$connections connections for $duration s after a 5 s warm-up; server on core 0 (one worker), load on core 1."
  echo
  echo "| target | postings (open) | ready after | RSS | bytes/posting | index heap (bytes/posting) | searches/s | p50 | p99 | server CPU per search |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
} > "$report"

run_merit() {
  local name="$1" url="$2" postings="$3"
  MERIT_DATABASE_URL="$url" MERIT_DATA_DIR="$work/data-$name" MERIT_LOG_FILTER=warn "$bin" demo --postings "$postings"
  # Let the database settle after the bulk load (PostgreSQL's autovacuum would run during the
  # measurement otherwise).
  case "$url" in postgres*) psql -q "$url" -c "VACUUM ANALYZE" -c "CHECKPOINT" ;; esac
  local start ready
  start=$(date +%s.%N)
  MERIT_DATABASE_URL="$url" MERIT_DATA_DIR="$work/data-$name" MERIT_LISTEN="127.0.0.1:$port" MERIT_WORKERS=1 \
    MERIT_LOG_FILTER=warn MERIT_BOOTSTRAP_ADMIN_PASSWORD='Sequoia.Gate-2026' taskset -c 0 "$bin" serve &
  server=$!
  for _ in $(seq 1 6000); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
  curl -fs "http://127.0.0.1:$port/readyz" >/dev/null || { echo "not ready after 600 s" >&2; exit 1; }
  ready=$(echo "$(date +%s.%N) - $start" | bc)
  local open rss_kib heap metrics
  metrics=$(curl -fs "http://127.0.0.1:$port/metrics")
  open=$(echo "$metrics" | awk '/^merit_search_index_postings /{print $2}')
  heap=$(echo "$metrics" | awk '/^merit_search_index_heap_bytes /{printf "%d", $2}')
  rss_kib=$(awk '/VmRSS/{print $2}' "/proc/$server/status")
  taskset -c 1 wrk -t1 -c"$connections" -d5s -s bench/search.lua "http://127.0.0.1:$port" >/dev/null
  local ticks_before ticks_after
  ticks_before=$(awk '{print $14 + $15}' "/proc/$server/stat")
  local out; out=$(taskset -c 1 wrk -t1 -c"$connections" -d"${duration}s" --latency -s bench/search.lua "http://127.0.0.1:$port")
  ticks_after=$(awk '{print $14 + $15}' "/proc/$server/stat")
  echo "$out"
  if echo "$out" | grep -q "Non-2xx"; then echo "some searches failed" >&2; exit 1; fi
  local rps p50 p99
  rps=$(echo "$out" | awk '/Requests\/sec/{printf "%d", $2}')
  p50=$(echo "$out" | awk '$1=="50%"{print $2}')
  p99=$(echo "$out" | awk '$1=="99%"{print $2}')
  local requests cpu_ms
  requests=$(echo "$out" | awk '/requests in/{print $1}')
  cpu_ms=$(echo "scale=3; ($ticks_after - $ticks_before) * 1000 / $(getconf CLK_TCK) / $requests" | bc)
  printf '| Merit on %s | %s (%s) | %.1f s | %d MiB | %d | %d MiB (%d) | %s | %s | %s | %s ms |\n' "$name" "$postings" "$open" "$ready" \
    $((rss_kib / 1024)) $((rss_kib * 1024 / open)) $((heap / 1048576)) $((heap / open)) "$rps" "$p50" "$p99" "$cpu_ms" >> "$report"
  kill "$server"; wait "$server" 2>/dev/null || true; server=""
}

pg_url() { echo "${pg_admin%/*}/$1"; }

run_pgbench() {
  local db="$1" postings="$2" url; url=$(pg_url "$db")
  psql -q "$url" <<'SQL'
CREATE INDEX IF NOT EXISTS bench_postings_fts ON postings USING GIN (to_tsvector('english', title || ' ' || duties));
CREATE INDEX IF NOT EXISTS bench_postings_dept_county ON postings (department_code, county_code);
ANALYZE postings;
SQL
  local scripts=()
  local n=0
  rm -f "$work"/pgb*
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
  tps=$(awk '/^tps/{printf "%d", $3; exit}' "$work/pgbench.out")
  read -r p50 p99 < <(cat "$work"/pgb* | awk '{print $3}' | sort -n | awk '{a[NR]=$1} END {printf "%.2fms %.2fms\n", a[int(NR*0.5)]/1000, a[int(NR*0.99)]/1000}')
  echo "| raw SQL through pgbench (8 clients, prepared) | $postings | | | | | $tps | $p50 | $p99 | |" >> "$report"
}

for postings in $sizes; do
  if [ "$which" = sqlite ] || [ "$which" = both ]; then
    run_merit "sqlite-$postings" "sqlite://$work/bench-$postings.db" "$postings"
    rm -f "$work/bench-$postings.db"*
  fi
  if [ "$which" = postgres ] || [ "$which" = both ]; then
    psql -q "$pg_admin" -c "DROP DATABASE IF EXISTS merit_bench WITH (FORCE)" -c "CREATE DATABASE merit_bench"
    run_merit "postgres-$postings" "$(pg_url merit_bench)" "$postings"
    run_pgbench merit_bench "$postings"
    psql -q "$pg_admin" -c "DROP DATABASE IF EXISTS merit_bench WITH (FORCE)"
  fi
done
echo
cat "$report"
