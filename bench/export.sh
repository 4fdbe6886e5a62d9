#!/usr/bin/env bash
# bench/export.sh: streamed exports on the 100k-article corpus.
#
#   bench/export.sh                  # 5 runs of each
#   RUNS=9 bench/export.sh
#
# Each run is one curl of the whole export, computed afresh
# (`Cache-Control: no-cache`), over a scratch copy of the corpus (release
# build). Reports, per export: rows, time to the first byte, total time,
# rows/s (median and best of RUNS), and the server's resident memory:
# before, and its peak while the export streams (sampled every 5 ms from
# /proc; the growth is what the export costs).
#   1. every article as CSV (bylines, topics, regions joined);
#   2. every article as NDJSON (the JSON list items);
#   3. every author as CSV;
#   4. BibTeX of a search with about 1,000 hits;
#   5. formatted APA citations of the same search.
# Prints a Markdown table; raw output in bench/cache/export-YYYYmmdd-HHMMSS/.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
ARTICLES=${ARTICLES:-100000}
SEED=${SEED:-42}
RUNS=${RUNS:-5}
PORT=${PORT:-18091}
BASE=http://127.0.0.1:$PORT
CACHE=$ROOT/bench/cache
RUN=$CACHE/export-$(date +%Y%m%d-%H%M%S)
mkdir -p "$RUN"
for tool in curl jq; do
    command -v $tool >/dev/null || { echo "bench/export.sh needs $tool" >&2; exit 2; }
done
[[ ${SKIP_BUILD:-0} == 1 ]] || cargo build --release --locked >&2
BIN=$ROOT/target/release/commentary-api

corpus=$CACHE/corpus-$ARTICLES-$SEED.ndjson
if [[ ! -s $corpus ]]; then
    echo "generating $corpus" >&2
    "$BIN" gen-corpus --articles "$ARTICLES" --seed "$SEED" >"$corpus.tmp" && mv "$corpus.tmp" "$corpus"
fi
DB=$RUN/db.sqlite
echo "importing into a scratch database $DB" >&2
"$BIN" --database "$DB" import "$corpus" 2>"$RUN/import.log"

SERVER_PID=
cleanup() { [[ -n $SERVER_PID ]] && kill "$SERVER_PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$DB"*; }
trap cleanup EXIT
RUST_LOG=warn "$BIN" --database "$DB" --no-seed --port "$PORT" >"$RUN/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 600); do curl -sf "$BASE/healthz" >/dev/null && break; sleep 0.5; done
for _ in $(seq 1 600); do
    h=$(curl -s "$BASE/healthz")
    [[ $(jq .data_version <<<"$h") == $(jq .search_index_version <<<"$h") ]] && break
    sleep 1
done
sleep 2

rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$SERVER_PID/status"; }

# The search word whose hits are closest to 1,000.
best=; best_gap=999999999
for word in trade energy security nuclear climate summit sanctions alliance maritime cyber; do
    n=$(curl -s "$BASE/v1/articles?q=$word&per_page=1" | jq .meta.total)
    gap=$(( n > 1000 ? n - 1000 : 1000 - n ))
    if (( gap < best_gap )); then best=$word; best_gap=$gap; fi
done
SEARCH="q=$best"

# One export, RUNS times: "rows ttfb_ms total_ms rows_per_s rss_before_mib rss_peak_mib" per run.
measure() {
    local name=$1 path=$2 out=$RUN/$1.runs
    : >"$out"
    for _ in $(seq 1 "$RUNS"); do
        local before; before=$(rss_kib)
        local peak=$before
        ( while :; do rss_kib; sleep 0.005; done ) >"$RUN/$name.rss" 2>/dev/null &
        local sampler=$!
        local stats
        stats=$(curl -s -H 'Cache-Control: no-cache' -D "$RUN/$name.headers" -o "$RUN/$name.body" \
            -w '%{time_starttransfer} %{time_total}' "$BASE$path")
        kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null || true
        peak=$(sort -n "$RUN/$name.rss" | tail -1)
        local rows; rows=$(awk 'tolower($1)=="x-total-count:" {print $2+0}' "$RUN/$name.headers")
        read -r ttfb total <<<"$stats"
        awk -v r="$rows" -v f="$ttfb" -v t="$total" -v b="$before" -v p="${peak:-$before}" \
            'BEGIN {printf "%d %.1f %.1f %.0f %.1f %.1f\n", r, f*1000, t*1000, r/t, b/1024, p/1024}' >>"$out"
        sleep 0.5
    done
}

measure csv "/v1/articles?format=csv"
measure ndjson "/v1/articles?format=ndjson"
measure authors-csv "/v1/authors?format=csv"
measure search-bibtex "/v1/articles?$SEARCH&format=bibtex"
measure search-apa "/v1/articles?$SEARCH&format=bibliography&style=apa"

echo
echo "Command: \`bench/export.sh\` (RUNS=$RUNS), $(nproc) cores, $(date -u +%Y-%m-%d); search: \`$SEARCH\`"
echo
echo "| export | rows | first byte, median (best) | whole export, median (best) | rows/s, median | RSS before | RSS growth, max of runs |"
echo "|---|--:|--:|--:|--:|--:|--:|"
for name in csv ndjson authors-csv search-bibtex search-apa; do
    sort -n -k3 "$RUN/$name.runs" | awk -v name="$name" '
        {rows=$1; f[NR]=$2; t[NR]=$3; r[NR]=$4; b=$5; g=$6-$5; if (g>gmax) gmax=g}
        END {
            n=asort(f); asort(t); asort(r); m=int((n+1)/2)
            printf "| %s | %d | %.1f ms (%.1f) | %.0f ms (%.0f) | %.0f | %.0f MiB | %.1f MiB |\n",
                name, rows, f[m], f[1], t[m], t[1], r[m], b, gmax
        }'
done
