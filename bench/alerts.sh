#!/usr/bin/env bash
# Job alert matching benchmark (issue 12): builds the in-memory alert index over 100,000 and
# 1,000,000 synthetic alerts and matches BENCH_POSTINGS (2,000) new postings against it: time
# per posting to find every match (p50, p99, mean), candidates checked, index memory (RSS
# growth, bytes per alert), and exactness against checking every alert on a sample.
#
# Usage: bench/alerts.sh [ALERTS...]          (default: 100000 1000000)
# Environment: BENCH_POSTINGS, BENCH_MIX (broad, the default, or narrow), BENCH_PROFILE
#              (bench-alerts: Merit's crates optimised; or release), CARGO_TARGET_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
profile="${BENCH_PROFILE:-bench-alerts}"
mkdir -p bench/results
report="bench/results/alerts-$(date -u +%Y-%m-%dT%H%MZ).md"
cargo build --profile "$profile" -p merit-api --example alerts_bench
dir="$profile"
[ "$profile" = "dev" ] && dir=debug
{
  echo "# Job alert matching, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg); profile $profile; mix ${BENCH_MIX:-broad}"
  echo
  "${CARGO_TARGET_DIR:-target}/$dir/examples/alerts_bench" "$@"
} | tee -a "$report"
