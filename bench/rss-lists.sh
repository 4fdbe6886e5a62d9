#!/usr/bin/env bash
# bench/rss-lists.sh: the server's peak resident memory over the list scenarios, with settings to compare.
#
#   bench/rss-lists.sh                          # default settings
#   bench/rss-lists.sh RESPONSE_CACHE_MIB=1     # environment for the server (any VAR=value words)
#
# Starts the release binary on the 100k benchmark database (bench/run.sh builds it and targets.lua), runs
# five list patterns (topic, author, page, single article, RSS feed) for 5 s each, cached and with
# Cache-Control: no-cache (wrk -t2 -c32), and prints VmHWM, VmRSS, RssAnon and RssFile from /proc.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
BIN=${BIN:-target/release/commentary-api}
DB=${DB:-bench/cache/bench-100000-42.sqlite}
PORT=${PORT:-18557}
[[ -f $DB && -f bench/cache/targets.lua ]] || { echo "run bench/run.sh first (it builds $DB and targets.lua)" >&2; exit 1; }
env "$@" RUST_LOG=warn "$BIN" --database "$DB" --no-seed --port "$PORT" >/dev/null 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
    curl -fsS -o /dev/null "http://127.0.0.1:$PORT/healthz" 2>/dev/null && break
    sleep 0.5
done
for p in '/v1/articles?topic={topic}' '/v1/articles?author={author}' '/v1/articles?page={page}' \
    '/v1/articles/{article_id}' '/v1/articles?topic={topic}&format=rss'; do
    for h in 'X-Bench: cached' 'Cache-Control: no-cache'; do
        BENCH_TARGETS=bench/cache/targets.lua wrk -t2 -c32 -d5s -H "$h" -s bench/pick.lua "http://127.0.0.1:$PORT/" -- "$p" >/dev/null
    done
done
echo "${*:-defaults}: $(grep -E 'VmHWM|VmRSS|RssAnon|RssFile' "/proc/$PID/status" | tr -s ' \t' ' ' | tr '\n' ' ')"
