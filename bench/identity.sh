#!/usr/bin/env bash
# Identity benchmark (issue 3): sign-in throughput against raw argon2id, and the latency of a
# cheap read while a sign-in storm runs.
#
#   bench/identity.sh            # defaults below; prints a summary and writes bench/out/identity.txt
#
# What it does, all on this machine (loopback only, bounded in time):
#   1. builds `merit` and the `argon2_verify` example in release mode (once; a no-op if built);
#   2. measures raw argon2id verifies per second with Merit's parameters on every core
#      (`cargo run --release --example argon2_verify`);
#   3. starts Merit on a fresh SQLite database in a temporary folder, with the per-client rate
#      limits lifted (the benchmark is one client), and registers ACCOUNTS applicants;
#   4. (a) runs a sign-in storm with wrk (POST /api/v1/auth/login, a random account each time)
#      and counts successful sign-ins per second; the goal is >= 0.9 x raw verifies per second;
#   5. (b) measures the p99 latency of GET /api/v1/locations idle, then again while a sign-in
#      storm runs; the goal is <= 2 x the idle p99.
#
# Needs: cargo, curl, wrk (`apt-get install -y wrk`). Tunables (environment):
#   ACCOUNTS=200  STORM_CONNECTIONS=16  READ_CONNECTIONS=4  SECONDS_PER_RUN=20  PORT=18181
# The machine is shared: numbers vary between runs; run it twice and keep both.
set -euo pipefail
cd "$(dirname "$0")/.."

ACCOUNTS=${ACCOUNTS:-200}
STORM_CONNECTIONS=${STORM_CONNECTIONS:-16}
READ_CONNECTIONS=${READ_CONNECTIONS:-4}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-20}
PORT=${PORT:-18181}
BASE="http://127.0.0.1:$PORT"
PASSWORD='Bench.Pass-2026'
OUT=bench/out
mkdir -p "$OUT"

command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 1; }

echo "==> building (release)"
cargo build --release --quiet -p merit-api --bin merit --example argon2_verify

work=$(mktemp -d)
server=""
cleanup() {
    [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

echo "==> raw argon2id verifies per second ($(nproc) threads, ${SECONDS_PER_RUN}s)"
raw_line=$(target/release/examples/argon2_verify "$SECONDS_PER_RUN" "$(nproc)")
echo "    $raw_line"
raw=$(sed -E 's/.*verifies_per_second=([0-9.]+).*/\1/' <<<"$raw_line")

echo "==> starting Merit on $BASE (SQLite in $work)"
MERIT_DATABASE_URL="sqlite://$work/merit.db" MERIT_DATA_DIR="$work/data" MERIT_LISTEN="127.0.0.1:$PORT" \
    MERIT_LOG_FILTER=warn MERIT_BOOTSTRAP_ADMIN_PASSWORD='Bench.Keeper-2026' \
    MERIT_LOGIN_RATE_PER_MINUTE=100000000 MERIT_REGISTRATION_RATE_PER_HOUR=100000000 \
    target/release/merit serve >"$work/merit.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do curl -fs "$BASE/readyz" >/dev/null && break; sleep 0.2; done
curl -fs "$BASE/readyz" >/dev/null || { cat "$work/merit.log"; exit 1; }

echo "==> registering $ACCOUNTS accounts"
seq 1 "$ACCOUNTS" | xargs -P 4 -I{} curl -fs -o /dev/null -X POST "$BASE/api/v1/accounts" \
    -H 'content-type: application/json' \
    -d "{\"email\":\"bench{}@example.org\",\"password\":\"$PASSWORD\",\"first_name\":\"Bench\",\"last_name\":\"User{}\"}"
curl -fs -o /dev/null -X POST "$BASE/api/v1/auth/login" -H 'content-type: application/json' \
    -d "{\"login\":\"bench$ACCOUNTS@example.org\",\"password\":\"$PASSWORD\"}" \
    || { echo "the benchmark accounts cannot sign in" >&2; exit 1; }

cat >"$work/login.lua" <<LUA
-- POST /api/v1/auth/login as a random benchmark account; counts 200s across threads.
local accounts = $ACCOUNTS
local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("seed", #threads)
end
function init(args)
  ok = 0
  other = 0
  math.randomseed(os.time() + seed * 7919)
end
function request()
  local body = string.format('{"login":"bench%d@example.org","password":"$PASSWORD"}',
    math.random(1, accounts))
  return wrk.format("POST", "/api/v1/auth/login", {["Content-Type"] = "application/json"}, body)
end
function response(status, headers, body)
  if status == 200 then ok = ok + 1 else other = other + 1 end
end
function done(summary, latency, requests)
  local total_ok, total_other = 0, 0
  for _, thread in ipairs(threads) do
    total_ok = total_ok + thread:get("ok")
    total_other = total_other + thread:get("other")
  end
  io.write(string.format("signins_ok=%d other=%d seconds=%.2f signins_per_second=%.1f\n",
    total_ok, total_other, summary.duration / 1e6, total_ok / (summary.duration / 1e6)))
end
LUA

# The p99 of a wrk --latency report, in milliseconds.
p99_ms() {
    awk '$1 == "99%" {
        v = $2; unit = v; sub(/[0-9.]+/, "", unit); sub(/[a-z]+$/, "", v);
        if (unit == "us") v = v / 1000; else if (unit == "s") v = v * 1000; else if (unit == "m") v = v * 60000;
        printf "%.2f", v }' "$1"
}

echo "==> (a) sign-in storm: $STORM_CONNECTIONS connections, ${SECONDS_PER_RUN}s"
wrk -t2 -c"$STORM_CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency -s "$work/login.lua" \
    "$BASE/api/v1/auth/login" >"$OUT/signin-storm.txt"
storm_line=$(grep signins_ok "$OUT/signin-storm.txt")
echo "    $storm_line"
signins=$(sed -E 's/.*signins_per_second=([0-9.]+).*/\1/' <<<"$storm_line")
storm_p99=$(p99_ms "$OUT/signin-storm.txt")

echo "==> (b) GET /api/v1/locations idle: $READ_CONNECTIONS connections, ${SECONDS_PER_RUN}s"
wrk -t1 -c"$READ_CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency "$BASE/api/v1/locations" >"$OUT/locations-idle.txt"
idle_p99=$(p99_ms "$OUT/locations-idle.txt")
idle_rps=$(awk '/Requests\/sec/ {print $2}' "$OUT/locations-idle.txt")
echo "    p99 ${idle_p99} ms, ${idle_rps} requests/s"

echo "==> (b) GET /api/v1/locations during a sign-in storm"
storm_seconds=$((SECONDS_PER_RUN + 6))
wrk -t1 -c"$STORM_CONNECTIONS" -d"${storm_seconds}s" -s "$work/login.lua" \
    "$BASE/api/v1/auth/login" >"$OUT/signin-background.txt" &
storm=$!
sleep 3
wrk -t1 -c"$READ_CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency "$BASE/api/v1/locations" >"$OUT/locations-storm.txt"
wait "$storm"
busy_p99=$(p99_ms "$OUT/locations-storm.txt")
busy_rps=$(awk '/Requests\/sec/ {print $2}' "$OUT/locations-storm.txt")
background=$(grep signins_ok "$OUT/signin-background.txt")
echo "    p99 ${busy_p99} ms, ${busy_rps} requests/s (storm: $background)"

ratio=$(awk -v s="$signins" -v r="$raw" 'BEGIN { printf "%.2f", s / r }')
slowdown=$(awk -v b="$busy_p99" -v i="$idle_p99" 'BEGIN { printf "%.2f", b / i }')
met() { awk -v v="$1" -v g="$2" -v op="$3" 'BEGIN { if ((op == "ge" && v >= g) || (op == "le" && v <= g)) print "met"; else print "NOT met" }'; }

summary="date: $(date -u +%Y-%m-%dT%H:%MZ)
machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)
load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)
accounts: $ACCOUNTS; storm connections: $STORM_CONNECTIONS; read connections: $READ_CONNECTIONS; ${SECONDS_PER_RUN}s per run
raw argon2id verifies/s ($(nproc) threads): $raw
sign-ins/s: $signins (sign-in p99 ${storm_p99} ms)
ratio sign-ins / raw verifies: $ratio (goal >= 0.9: $(met "$ratio" 0.9 ge))
GET /api/v1/locations p99 idle: ${idle_p99} ms (${idle_rps} req/s)
GET /api/v1/locations p99 during the storm: ${busy_p99} ms (${busy_rps} req/s)
slowdown: ${slowdown}x (goal <= 2x: $(met "$slowdown" 2 le))"
echo
echo "$summary" | tee "$OUT/identity.txt"
