#!/usr/bin/env bash
# bench/same-answers.sh: whether two builds give the same facet answers on one database.
#
#   bench/same-answers.sh OLD_BIN NEW_BIN [DB]     # DB: bench/cache/bench-100000-42.sqlite by default
#
# Starts each binary in turn on DB (--no-seed, its index beside it) and asks 24 list requests with all 8
# facets (a topic, a region, a language, a type, a publisher, classification=source, a word, exclusions,
# two values, a path resource, searches sorted by date or title …), each twice (the second may use what the first kept), with
# Cache-Control: no-cache; then compares the JSON, `links` left out (they name the port). Exits 1 on a
# difference and shows it. OLD_INDEX / NEW_INDEX (optional) give each binary its own search index
# directory (--index-dir), to compare two indexes of the same data (say, before and after a merge).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[[ $# -ge 2 ]] || { sed -n '2,4p' "$0" >&2; exit 2; }
OLD=$1 NEW=$2 DB=${3:-bench/cache/bench-100000-42.sqlite}
PORT=${PORT:-18611}
OUT=$(mktemp -d)
F='facets=topic,region,author,publisher,series,type,language,year&per_page=3&fields=id'
REQUESTS=(
    'topic=security' 'topic=trade-policy' 'topic=nato&classification=source' 'region=asia'
    'region=europe&classification=source' 'language=en' 'type=commentary' 'topic=security&q=policy'
    'topic=security&series=!1' 'topic=security&author=!yoko-sakai&q=policy' 'topic=elections&region=asia'
    'topic=security,nato' '/v1/topics/security/articles?language=en' '/v1/regions/asia/articles?topic=security'
    'publisher=1' 'topic=security&language=en' 'q=policy' 'region=asia&language=en'
    'q=policy&sort=-published_at' 'q=security&sort=title' 'q=trade&sort=updated_at&classification=source'
    'q=policy&type=!news&sort=published_at' 'q=government&region=asia' 'q=%22security%20policy%22&sort=-published_at'
)
answers() {
    RUST_LOG=warn "$1" --database "$DB" --index-dir "${2:-$DB.index}" --no-seed --port "$PORT" >/dev/null 2>&1 &
    local pid=$!
    for _ in $(seq 1 600); do curl -fsS -o /dev/null "http://127.0.0.1:$PORT/healthz" 2>/dev/null && break; sleep 0.5; done
    for q in "${REQUESTS[@]}"; do
        local url="/v1/articles?$q&$F"
        [[ $q == /* ]] && url="$q&$F"
        for round in 1 2; do
            echo "== $url ($round)"
            curl -sS -H 'Cache-Control: no-cache' "http://127.0.0.1:$PORT$url" |
                python3 -c 'import json, sys; d = json.load(sys.stdin); d.pop("links", None); print(json.dumps(d, sort_keys=True))'
        done
    done
    kill "$pid"; wait "$pid" 2>/dev/null || true
}
answers "$OLD" "${OLD_INDEX:-}" > "$OUT/old.txt"
answers "$NEW" "${NEW_INDEX:-}" > "$OUT/new.txt"
if cmp -s "$OUT/old.txt" "$OUT/new.txt"; then
    echo "same answers to ${#REQUESTS[@]} requests, each asked twice ($(grep -c '"status"' "$OUT/new.txt" || true) problems)"
else
    diff "$OUT/old.txt" "$OUT/new.txt" | head -20
    exit 1
fi
