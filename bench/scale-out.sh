#!/usr/bin/env bash
# Scale-out benchmark (issue 14): three Merit instances on one PostgreSQL database behind nginx
# (Debian package, installed if missing, on loopback), a mixed load for BENCH_DURATION (90) s,
# one instance killed with SIGKILL at a third of the run and restarted at half of it. Reports:
#  - failed requests, by kind and status (a connection cut counts as `connection_error`);
#  - lost writes: every acknowledged posting create and publish and every acknowledged
#    registration looked up in the database (must be 0);
#  - emails: each acknowledged registration sends one through the outbox to an SMTP sink
#    (bench/smtp_sink.py) that logs every message's Message-ID: duplicates (must be 0) and
#    missing after the outbox drained;
#  - propagation: after each acknowledged publish, the two instances that did not serve it are
#    searched directly until they find the posting: p50/p99 of that delay.
# The load (bench/scale_out_client.py): 3 threads searching, 1 signing in, 1 registering,
# 2 creating and publishing postings, all through nginx (keep-alive connections).
#
# Usage: bench/scale-out.sh
# The grace period of the change log is short (BENCH_GRACE, 20 s) so that the killed instance's
# position stops holding the log back within the run and pruning is exercised.
# Environment: BENCH_DURATION (90), BENCH_POSTINGS (demo postings, 2000), BENCH_GRACE (20),
#              BENCH_POSTGRES_URL (postgres://postgres@127.0.0.1:5432/postgres),
#              BENCH_BIN (a `merit` binary already built; otherwise a release build is made).
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${BENCH_DURATION:-90}"
postings="${BENCH_POSTINGS:-2000}"
pg_admin="${BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
lb_port=18100
ports=(18101 18102 18103)
smtp_port=18125
work=$(mktemp -d)
mkdir -p bench/results
report="bench/results/scale-out-$(date -u +%Y-%m-%dT%H%MZ).md"
bin="${BENCH_BIN:-}"
if [ -z "$bin" ]; then
  cargo build --release --locked --bin merit
  bin="${CARGO_TARGET_DIR:-target}/release/merit"
fi
bin=$(realpath "$bin")

if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
  echo "installing nginx (Debian package)" >&2
  if [ "$(id -u)" = 0 ]; then DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx >/dev/null
  else sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx >/dev/null; fi
fi
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)

declare -A pids=()
sink=""
nginx_pid=""
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -n "$sink" ] && kill "$sink" 2>/dev/null || true
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null || true
  psql -q "$pg_admin" -c "DROP DATABASE IF EXISTS merit_bench_scale_out WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

db_url="${pg_admin%/*}/merit_bench_scale_out"
psql -q "$pg_admin" -c "DROP DATABASE IF EXISTS merit_bench_scale_out WITH (FORCE)" -c "CREATE DATABASE merit_bench_scale_out"

# What every instance shares: the database, the signing key, the data dir (documents) and the
# mail server.
export MERIT_DATABASE_URL="$db_url" MERIT_DATA_DIR="$work/data" MERIT_LOG_FILTER=info \
  MERIT_JWT_SECRET="$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=')" \
  MERIT_SMTP_URL="smtp://127.0.0.1:$smtp_port" MERIT_BOOTSTRAP_ADMIN_PASSWORD='Sequoia.Gate-2026' \
  MERIT_LOGIN_RATE_PER_MINUTE=100000000 MERIT_REGISTRATION_RATE_PER_HOUR=100000000 \
  MERIT_CONNECTIONS_PER_CLIENT=0 MERIT_WORKERS=2 MERIT_DATABASE_POOL_SIZE=8 \
  MERIT_SEARCH_INSTANCE_GRACE_SECONDS="${BENCH_GRACE:-20}"
"$bin" demo --postings "$postings" >/dev/null

python3 bench/smtp_sink.py "$smtp_port" "$work/sink.log" &
sink=$!

start_instance() {
  local i="$1"
  MERIT_LISTEN="127.0.0.1:${ports[$i]}" "$bin" serve >>"$work/merit-$i.log" 2>&1 &
  pids[$i]=$!
}
wait_ready() {
  for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:${ports[$1]}/readyz" >/dev/null && return 0; sleep 0.1; done
  echo "instance $1 not ready" >&2; return 1
}
start=$(date +%s.%N)
for i in 0 1 2; do start_instance "$i"; done
for i in 0 1 2; do wait_ready "$i"; done
echo "three instances ready in $(echo "$(date +%s.%N) - $start" | bc) s" >&2

mkdir -p "$work/nginx"
cat > "$work/nginx/nginx.conf" <<EOF
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
daemon off;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  upstream merit {
    server 127.0.0.1:${ports[0]} max_fails=1 fail_timeout=2s;
    server 127.0.0.1:${ports[1]} max_fails=1 fail_timeout=2s;
    server 127.0.0.1:${ports[2]} max_fails=1 fail_timeout=2s;
    keepalive 32;
  }
  server {
    listen 127.0.0.1:$lb_port;
    location / {
      proxy_pass http://merit;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      # Connection failures go to the next instance (for every method: nothing was sent);
      # a request already sent to an instance that dies is retried only if idempotent, and so
      # is one a starting instance answers 503 (nginx has no active health checks: a restarted
      # instance gets requests as soon as it listens, before /readyz says it is ready).
      proxy_next_upstream error timeout http_503;
      proxy_connect_timeout 1s;
      add_header X-Merit-Upstream \$upstream_addr always;
    }
  }
}
EOF
"$nginx_bin" -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log" 2>>"$work/nginx/error.log" &
nginx_pid=$!
for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$lb_port/healthz" >/dev/null && break; sleep 0.1; done

base="http://127.0.0.1:$lb_port"
employer=$(python3 bench/scale_out_client.py setup "$base")
login=$(echo "$employer" | python3 -c 'import json,sys; print(json.load(sys.stdin)["login"])')
password=$(echo "$employer" | python3 -c 'import json,sys; print(json.load(sys.stdin)["password"])')

kill_at=$((duration / 3))
restart_at=$((duration / 2))
(
  sleep "$kill_at"
  kill -9 "${pids[1]}"
  echo "killed instance 1 (pid ${pids[1]}) with SIGKILL at ${kill_at} s" >&2
  sleep $((restart_at - kill_at))
  restarted=$(date +%s.%N)
  MERIT_LISTEN="127.0.0.1:${ports[1]}" "$bin" serve >>"$work/merit-1.log" 2>&1 &
  echo $! > "$work/restarted.pid"
  wait_ready 1
  echo "restarted instance 1 at ${restart_at} s, ready after $(echo "$(date +%s.%N) - $restarted" | bc) s" >&2
) &
chaos=$!
python3 bench/scale_out_client.py load "$base" "$(IFS=,; echo "${ports[*]}")" "$duration" "$login" "$password" "$work/result.json"
wait "$chaos"
pids[1]=$(cat "$work/restarted.pid")

figures=$(python3 bench/scale_out_client.py check "$work/result.json" "$db_url" "$work/sink.log" 240)
changes=$(psql -At "$db_url" -c "SELECT count(*) FROM posting_changes")
positions=$(psql -At "$db_url" -c "SELECT count(*) FROM search_instances")
reloads=$(cat "$work"/merit-*.log | grep -c "reloading the search index" || true)
listen_lost=$(cat "$work"/merit-*.log | grep -c "lost the connection listening" || true)
errors=$(cat "$work"/merit-*.log | grep -ci "internal error\|panicked" || true)

{
  echo "# Scale-out benchmark, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB; load average before: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "Three instances ($bin), PostgreSQL $(psql -At "$pg_admin" -c 'SHOW server_version' | cut -d' ' -f1), nginx $("$nginx_bin" -v 2>&1 | cut -d/ -f2), $postings demo postings; ${duration} s of load; instance 1 killed (SIGKILL) at ${kill_at} s and restarted at ${restart_at} s."
  echo
  echo "$figures"
  echo "- Change log after the run (grace ${MERIT_SEARCH_INSTANCE_GRACE_SECONDS} s): $changes rows, $positions instance positions recorded; full reloads after falling behind the pruned log: $reloads; listening connections lost: $listen_lost; internal errors logged: $errors"
} > "$report"
echo
cat "$report"
