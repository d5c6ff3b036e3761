#!/usr/bin/env bash
# Document upload benchmark (issue 5): throughput of one 10 MiB upload, and the server's peak
# memory (VmHWM) while 8 uploads of 10 MiB run at once.
#
#   bench/uploads.sh [path/to/merit]     (default: target/release/merit)
#
# Starts its own Merit on a fresh SQLite database in a temporary directory, signs in a new
# applicant, and prints the figures. Needs curl and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
MERIT=${1:-target/release/merit}
PORT=${PORT:-18190}
BASE="http://127.0.0.1:$PORT"
RUNS=${RUNS:-5}
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT

MERIT_DATABASE_URL="sqlite://$work/merit.db" MERIT_DATA_DIR="$work/data" MERIT_LISTEN="127.0.0.1:$PORT" \
    MERIT_LOG_FILTER=warn MERIT_BOOTSTRAP_ADMIN_PASSWORD='Sequoia.Gate-2026' \
    MERIT_DOCUMENTS_QUOTA_FILES=1000 MERIT_DOCUMENTS_QUOTA_BYTES=$((2 * 1024 * 1024 * 1024)) \
    "$MERIT" serve >"$work/merit.log" 2>&1 &
server=$!
for _ in $(seq 1 60); do curl -fs "$BASE/readyz" >/dev/null && break; sleep 0.5; done

curl -fs -X POST "$BASE/api/v1/accounts" -H 'content-type: application/json' \
    -d '{"email":"bench@example.org","password":"Tulip.Harbor7","first_name":"Bench","last_name":"Mark"}' >/dev/null
token=$(curl -fs -X POST "$BASE/api/v1/auth/login" -H 'content-type: application/json' \
    -d '{"login":"bench@example.org","password":"Tulip.Harbor7"}' |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')

# A 10 MiB plain-text file (text is inspected byte by byte, the slowest accepted format).
python3 -c 'import sys; sys.stdout.write(("Merit upload benchmark line.\n" * 400000)[:10*1024*1024])' >"$work/ten.txt"

upload() {
    curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -X POST "$BASE/api/v1/me/documents" \
        -H "Authorization: Bearer $token" -F kind=resume -F title=Bench -F "file=@$work/ten.txt;type=text/plain"
}
rss() { awk '/^VmRSS/ {print $2}' "/proc/$server/status"; }
hwm() { awk '/^VmHWM/ {print $2}' "/proc/$server/status"; }

echo "server idle: VmRSS $(rss) KiB, VmHWM $(hwm) KiB"
upload >/dev/null # warm-up
echo "one 10 MiB upload, $RUNS runs (status, seconds, MiB/s):"
for _ in $(seq 1 "$RUNS"); do
    read -r status seconds < <(upload)
    python3 -c "print(f'  $status {float($seconds):.3f} s  {10/float($seconds):.1f} MiB/s')"
done
echo "after sequential uploads: VmHWM $(hwm) KiB"

echo "8 uploads of 10 MiB at once:"
start=$(date +%s.%N)
pids=()
for i in $(seq 1 8); do
    upload >"$work/par.$i" &
    pids+=($!)
done
wait "${pids[@]}"
end=$(date +%s.%N)
cat "$work"/par.* | awk '{print "  " $1 " " $2 " s"}'
python3 -c "print(f'  all 8 done in {$end-$start:.2f} s: {80/($end-$start):.1f} MiB/s together')"
echo "peak memory of the server (VmHWM): $(hwm) KiB; now VmRSS $(rss) KiB"
