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
#   4. BibTeX of a search with about 1,000 hits (`SEARCH`);
#   5. formatted APA citations of the same search.
# Prints a Markdown table; raw output in bench/cache/export-YYYYmmdd-HHMMSS/.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
RUNS=${RUNS:-5}
PORT=${PORT:-18091}
NAME=export
# shellcheck source=bench/lib.sh
source bench/lib.sh
scratch_server curl jq
sleep 2

rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$SERVER_PID/status"; }

# A search of about 1,000 hits in the 100k corpus (1,078 at seed 42).
SEARCH=${SEARCH:-q=summary%3Alaw%20OR%20summary%3Acourt%20OR%20summary%3Aregulation%20OR%20summary%3Aconstitution}

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
median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
best() { sort -n | head -1; }
for name in csv ndjson authors-csv search-bibtex search-apa; do
    runs=$RUN/$name.runs
    rows=$(awk 'NR==1 {print $1}' "$runs")
    growth=$(awk '{g=$6-$5; if (g>m) m=g} END {printf "%.1f", m}' "$runs")
    before=$(awk 'NR==1 {printf "%.0f", $5}' "$runs")
    printf '| %s | %s | %s ms (%s) | %s ms (%s) | %s | %s MiB | %s MiB |\n' "$name" "$rows" \
        "$(cut -d' ' -f2 "$runs" | median)" "$(cut -d' ' -f2 "$runs" | best)" \
        "$(cut -d' ' -f3 "$runs" | median)" "$(cut -d' ' -f3 "$runs" | best)" \
        "$(cut -d' ' -f4 "$runs" | median)" "$before" "$growth"
done
