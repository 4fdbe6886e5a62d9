#!/usr/bin/env bash
# bench/import.sh: time the import of a cached corpus into a fresh store, several rounds, alternating
# binaries so that two builds are compared on the same machine state.
#
#   bench/import.sh                                   # target/release/commentary-api, 3 rounds
#   bench/import.sh /tmp/old-bin target/release/commentary-api
#   ROUNDS=5 CORPUS=bench/cache/corpus-10000-42.ndjson bench/import.sh
#   PG_URL=postgres://postgres@127.0.0.1:55434/postgres bench/import.sh   # into a fresh PostgreSQL database
#
# The corpus comes from bench/run.sh (or `commentary-api gen-corpus`). Each import goes into a new SQLite
# file under $TMPDIR (or a new PostgreSQL database, dropped afterwards), with the corpus read once before
# so that it is in the page cache. Prints the import's own "checked in / written in" line, the write rate,
# and /usr/bin/time's wall, user and system seconds.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
CORPUS=${CORPUS:-bench/cache/corpus-100000-42.ndjson}
ROUNDS=${ROUNDS:-3}
PG_URL=${PG_URL:-}
[[ -f $CORPUS ]] || { echo "no corpus at $CORPUS: run bench/run.sh first (it generates and caches it)" >&2; exit 1; }
bins=("$@")
[[ ${#bins[@]} -gt 0 ]] || bins=(target/release/commentary-api)
articles=$(grep -c '"kind":"article"' "$CORPUS" || true)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "corpus: $CORPUS ($articles articles); commit $(git rev-parse --short HEAD)$(git diff --quiet || echo +dirty)"
for ((round = 1; round <= ROUNDS; round++)); do
    for bin in "${bins[@]}"; do
        if [[ -n $PG_URL ]]; then
            name="import_bench_$$"
            PGOPTIONS="-c client_min_messages=warning" psql "$PG_URL" -qAtc "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name"
            target="${PG_URL%/*}/$name"
        else
            rm -f "$work"/import.sqlite*
            target="$work/import.sqlite"
        fi
        cat "$CORPUS" >/dev/null
        out=$(/usr/bin/time -f 'time: %e s wall, %U s user, %S s sys' \
            env RUST_LOG=warn "$bin" --database "$target" --no-seed import "$CORPUS" 2>&1)
        written=$(sed -n 's/.*written in \([0-9.]*\)\(m\?s\).*/\1 \2/p' <<<"$out")
        rate=$(awk -v n="$articles" '{ s = ($2 == "ms") ? $1 / 1000 : $1; if (s > 0) printf "%.0f articles/s written", n / s }' <<<"$written")
        echo "round $round, $bin: $(grep -o 'checked in .*' <<<"$out"); $rate; $(grep '^time:' <<<"$out")"
        [[ -z $PG_URL ]] || PGOPTIONS="-c client_min_messages=warning" psql "$PG_URL" -qAtc "DROP DATABASE IF EXISTS $name"
    done
done
