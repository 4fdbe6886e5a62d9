#!/usr/bin/env bash
# bench/writes.sh: the write path under load, on the 100k-article corpus.
#
#   bench/writes.sh                 # 10 s per phase
#   DURATION=20s bench/writes.sh
#   BACKEND=postgres PG_URL=postgres://postgres@127.0.0.1:5432/postgres bench/writes.sh  # on PostgreSQL
#                                   # (a copy of the database bench/run.sh BACKEND=postgres imported)
#
# Phases (wrk, release build, a scratch copy of the corpus so the cached
# benchmark database is never written to):
#   1. reads alone: the newest 20 (Cache-Control: no-cache), 16 connections;
#   2. PATCH alone: a random article's summary, 8 connections, as fast as answered;
#   3. reads while PATCH runs flat out (8 connections);
#   4. reads while PATCH runs at a paced ~100 writes/s (2 connections, 20 ms apart);
#   5. visibility: 20 times, PATCH an article's title with a new word and poll
#      /v1/articles?q=WORD until it is found (time from the 200 of the PATCH).
# Prints a Markdown table; raw output in bench/cache/writes-YYYYmmdd-HHMMSS/.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
DURATION=${DURATION:-10s}
PORT=${PORT:-18090}
NAME=writes
# shellcheck source=bench/lib.sh
source bench/lib.sh
scratch_server wrk curl jq
TOKEN=$("$BIN" --database "$DB" keys create --name bench --scope write 2>/dev/null)
MAX_ID=$(curl -s "$BASE/v1/articles?per_page=1" | jq .meta.total)  # a fresh import numbers articles 1..N

# Resident memory: all of it, and the part that is the process's own (not
# pages of the mmapped search index the page cache shares).
rss() { awk '/^VmRSS/ {t=$2} /^RssAnon/ {a=$2} END {printf "%.1f MiB (%.1f MiB anonymous)", t/1024, a/1024}' "/proc/$SERVER_PID/status"; }
result() { grep '^BENCH_RESULT ' "$1" | sed 's/^BENCH_RESULT //'; }
reads() { wrk -t2 -c16 -d"$DURATION" -H 'Cache-Control: no-cache' -s bench/report.lua "$BASE/v1/articles?per_page=20" >"$RUN/$1.txt" 2>&1; }
writes() { wrk -t"$1" -c"$2" -d"$DURATION" -s bench/patch.lua "$BASE" -- "$TOKEN" "$MAX_ID" "${3:-0}" >"$RUN/$4.txt" 2>&1; }

echo "1. reads alone" >&2
reads reads-alone
echo "2. PATCH alone" >&2
writes 2 8 0 patch-alone
echo "3. reads while PATCH runs flat out" >&2
writes 1 8 0 patch-with-reads &
writer=$!
reads reads-with-patch
wait "$writer"
echo "4. reads while PATCH runs at ~100 writes/s" >&2
writes 1 2 20 paced-with-reads &
writer=$!
reads reads-with-paced
wait "$writer"
echo "5. visibility in search" >&2
: >"$RUN/visibility.txt"
for i in $(seq 1 20); do
    word="vis$(date +%s%N | sha256sum | tr -dc 'a-z' | head -c 10)"
    id=$(( (RANDOM * 32768 + RANDOM) % MAX_ID + 1 ))
    curl -s -o /dev/null -X PATCH "$BASE/v1/articles/$id" -H "Authorization: Bearer $TOKEN" -H 'If-Match: *' \
        -H 'Content-Type: application/merge-patch+json' -d "{\"title\": \"Visibility $word\"}"
    t0=$(date +%s%N)
    until [[ $(curl -s -H 'Cache-Control: no-cache' "$BASE/v1/articles?q=$word&per_page=1" | jq .meta.total) == 1 ]]; do
        [[ $(( ($(date +%s%N) - t0) / 1000000 )) -gt 10000 ]] && break
    done
    echo $(( ($(date +%s%N) - t0) / 1000 )) >>"$RUN/visibility.txt"
done
peak=$(rss)

row() { # name file
    local r; r=$(result "$RUN/$2.txt")
    jq -r --arg n "$1" '"| \($n) | \((.requests / (.duration_us / 1e6)) | floor) | \(.p50_us / 1000 | . * 100 | floor / 100) ms | \(.p99_us / 1000 | . * 100 | floor / 100) ms | \(.non2xx) |"' <<<"$r"
}
sorted=$(sort -n "$RUN/visibility.txt")
median=$(sed -n 10p <<<"$sorted"); worst=$(tail -1 <<<"$sorted")
{
    echo "| phase | req/s | p50 | p99 | errors |"
    echo "|---|--:|--:|--:|--:|"
    row "reads alone (newest 20, fresh, 16 conns)" reads-alone
    row "PATCH alone (8 conns)" patch-alone
    row "reads while PATCH runs flat out" reads-with-patch
    row "PATCH, flat out, beside those reads" patch-with-reads
    row "reads while PATCH runs at ~100/s" reads-with-paced
    row "PATCH paced (2 conns, 20 ms apart)" paced-with-reads
    echo
    echo "Search visibility after a PATCH (20 tries): median $((median / 1000)) ms, worst $((worst / 1000)) ms."
    echo "Server RSS at the end: $peak. Raw output: ${RUN#"$ROOT"/}/."
} | tee "$RUN/report.md"
