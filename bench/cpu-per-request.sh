#!/usr/bin/env bash
# bench/cpu-per-request.sh: the server's CPU time per request for one URL pattern (computed: no-cache).
#
#   bench/cpu-per-request.sh '/v1/articles?topic={topic}'
#   BIN=/tmp/other-build bench/cpu-per-request.sh '/v1/articles?topic={topic}&format=rss'
#
# Starts the release binary (or BIN) on the benchmark database that bench/run.sh built
# (bench/cache/bench-100000-42.sqlite, with bench/cache/targets.lua for the {placeholders}), warms up
# for 2 s, then runs wrk -t2 -c16 for 6 s and divides the server's utime+stime (/proc/PID/stat) by the
# requests served. Less sensitive to a noisy machine than req/s: it counts what the server spent, not
# what it managed to get.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PATTERN=${1:?usage: bench/cpu-per-request.sh URL_PATTERN}
BIN=${BIN:-target/release/commentary-api}
DB=${DB:-bench/cache/bench-100000-42.sqlite}
PORT=${PORT:-18555}
[[ -f $DB && -f bench/cache/targets.lua ]] || { echo "run bench/run.sh first (it builds $DB and targets.lua)" >&2; exit 1; }
RUST_LOG=warn "$BIN" --database "$DB" --no-seed --port "$PORT" >/dev/null 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true' EXIT
up=0
for _ in $(seq 1 120); do
    kill -0 $PID 2>/dev/null || { echo "the server exited (is port $PORT taken?)" >&2; exit 1; }
    curl -fsS -o /dev/null "http://127.0.0.1:$PORT/healthz" 2>/dev/null && { up=1; break; }
    sleep 0.5
done
[[ $up == 1 ]] || { echo "the server did not answer /healthz within 60 s" >&2; exit 1; }
load() { BENCH_TARGETS=bench/cache/targets.lua wrk -t2 -c16 -d"$1" -H 'Cache-Control: no-cache' -s bench/pick.lua "http://127.0.0.1:$PORT/" -- "$PATTERN"; }
load 2s >/dev/null
ticks() { awk '{print $14 + $15}' "/proc/$PID/stat"; }
t0=$(ticks)
out=$(load 6s)
t1=$(ticks)
requests=$(sed -n 's/^BENCH_RESULT //p' <<<"$out" | jq .requests)
hz=$(getconf CLK_TCK)
echo "$PATTERN: $requests requests, $(( (t1 - t0) * 1000000 / hz / requests )) µs of server CPU each"
