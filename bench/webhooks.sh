#!/usr/bin/env bash
# Webhook delivery benchmark (issue 15): Merit on SQLite with the demo data and a local
# receiver on 127.0.0.1.
#
# - lag: BENCH_LAG_EVENTS postings published one after another, each giving one
#   `posting.published` event; lag = the receiver's clock when the delivery arrived minus the
#   moment the publish answer came back (the event's transaction had committed by then), p50/p99;
# - throughput: BENCH_EVENTS postings published while the receiver answers 503 to each first
#   attempt, so every delivery waits for its retry 5 s (±10 %) later; then the retries drain and
#   throughput = deliveries / (last arrival - first arrival).
#
# Usage: bench/webhooks.sh                 (BENCH_MERIT: the binary, default target/debug/merit)
# Environment: BENCH_LAG_EVENTS (200), BENCH_EVENTS (1000), BENCH_PORT (18093).
# Needs Python's `standardwebhooks` (pip) when BENCH_VERIFY=1 (each delivery is verified).
set -euo pipefail
cd "$(dirname "$0")/.."
merit="${BENCH_MERIT:-target/debug/merit}"
port="${BENCH_PORT:-18093}"
[ -x "$merit" ] || cargo build --bin merit
work=$(mktemp -d)
server=
cleanup() {
    if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
MERIT_DATABASE_URL="sqlite://$work/merit.db" MERIT_DATA_DIR="$work/data" MERIT_LISTEN="127.0.0.1:$port" \
    MERIT_LOG_FILTER=error MERIT_BOOTSTRAP_ADMIN_PASSWORD='Sequoia.Gate-2026' \
    MERIT_WEBHOOKS_ALLOW_PRIVATE=true "$merit" serve --demo >"$work/merit.log" 2>&1 &
server=$!
for _ in $(seq 1 90); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 1; done
curl -fs "http://127.0.0.1:$port/readyz" >/dev/null || { cat "$work/merit.log"; exit 1; }
mkdir -p bench/results
report="bench/results/webhooks-$(date -u +%Y-%m-%dT%H%MZ).md"
{
    echo "# Webhook delivery, $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo
    echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg); binary $merit; SQLite"
    echo
    BENCH_DB="$work/merit.db" BENCH_URL="http://127.0.0.1:$port" python3 bench/webhooks_client.py
} | tee "$report"
