#!/usr/bin/env bash
# bench/rss-facets.sh: the server's resident memory before and after facets of every topic and region.
#
#   bench/rss-facets.sh BIN [DB]     # DB: bench/cache/bench-100000-42.sqlite by default
#   PATTERNS='/v1/articles?q={word}&sort=title …' bench/rss-facets.sh BIN   # other requests instead
#
# Starts BIN on DB (--no-seed, its index beside it), then asks for all 8 facets of a random topic, then of
# a random region, each with and without classification=source, for 6 s each (wrk -t2 -c8, Cache-Control:
# no-cache, values picked per request from bench/cache/targets.lua, see bench/pick.lua), and prints
# VmRSS from /proc before and after. What the facets of large values keep (bitmaps/superset.rs) shows here;
# with PATTERNS (space-separated paths), what sorted searches and kept word sets keep (sorted.rs, words.rs).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[[ $# -ge 1 ]] || { sed -n '2,4p' "$0" >&2; exit 2; }
BIN=$1 DB=${2:-bench/cache/bench-100000-42.sqlite}
PORT=${PORT:-18612}
[[ -f $DB && -f bench/cache/targets.lua ]] || { echo "run bench/run.sh first (it builds $DB and targets.lua)" >&2; exit 1; }
RUST_LOG=warn "$BIN" --database "$DB" --no-seed --port "$PORT" >/dev/null 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do curl -fsS -o /dev/null "http://127.0.0.1:$PORT/healthz" 2>/dev/null && break; sleep 0.5; done
rss() { awk '/VmRSS/{print int($2 / 1024)}' "/proc/$PID/status"; }
F='facets=topic,region,author,publisher,series,type,language,year&per_page=1&fields=id'
PATTERNS=${PATTERNS:-"/v1/articles?topic={topic}&$F /v1/articles?region={region}&$F /v1/articles?topic={topic}&classification=source&$F /v1/articles?region={region}&classification=source&$F"}
before=$(rss)
for p in $PATTERNS; do
    printf '%-40s ' "$p"
    BENCH_TARGETS=bench/cache/targets.lua wrk -t2 -c8 -d6s --timeout 5s -H 'Cache-Control: no-cache' \
        -s bench/pick.lua "http://127.0.0.1:$PORT/" -- "$p" | grep Requests/sec
done
echo "$BIN: VmRSS before $before MiB, after $(rss) MiB"
