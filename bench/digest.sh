#!/usr/bin/env bash
# Job alert digest benchmark (issue 12): one daily digest pass for PEOPLE (100,000) people,
# each with one or two daily email alerts and 1-5 matched postings, on SQLite (a
# temporary file) and PostgreSQL (a fresh database on BENCH_POSTGRES_URL's server, dropped
# afterwards): set-up time, the whole pass, people per second, p50/p99/max per digest, the time
# spent looking up due digests, and the messages, outbox emails and digest rows written (each
# must equal the number of people; a second pass must send nothing).
#
# Usage: bench/digest.sh [PEOPLE] [sqlite|postgres|both]      (default: 100000 both)
# Environment: BENCH_POSTGRES_URL (postgres://postgres@127.0.0.1:5432/postgres),
#              BENCH_SQLITE_DIR (where the SQLite file goes; default the temporary directory;
#              /dev/shm shows what fsync costs), BENCH_POSTGRES_SYNCHRONOUS_COMMIT=off (set on
#              the benchmark database: what waiting for the WAL flush costs),
#              BENCH_PROFILE (bench-alerts: Merit's crates optimised; or release).
set -euo pipefail
cd "$(dirname "$0")/.."
profile="${BENCH_PROFILE:-bench-alerts}"
mkdir -p bench/results
report="bench/results/digest-$(date -u +%Y-%m-%dT%H%MZ).md"
cargo build --profile "$profile" -p merit-api --example digest_bench
dir="$profile"
[ "$profile" = "dev" ] && dir=debug
{
  echo "# Job alert digest run, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg); profile $profile"
  echo
  "${CARGO_TARGET_DIR:-target}/$dir/examples/digest_bench" "$@"
  echo
  echo "Load after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee -a "$report"
