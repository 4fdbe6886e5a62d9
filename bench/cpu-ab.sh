#!/usr/bin/env bash
# bench/cpu-ab.sh: server CPU per request of computed requests, two binaries alternating on one database.
#
#   bench/cpu-ab.sh OLD_BIN NEW_BIN PATTERN...
#   ROUNDS=3 DB=bench/cache/bench-1000000-42.sqlite bench/cpu-ab.sh /tmp/old target/release/commentary-api \
#       '/v1/articles?q={word}'
#
# For each round and each binary in turn: starts the server on DB (--no-seed, 127.0.0.1:PORT), then per
# pattern a 2 s warm-up and a DURATION run of wrk (-t2 -cCONNECTIONS, Cache-Control: no-cache, so every
# answer is computed; placeholders such as {word} are picked per request from bench/cache/targets.lua, see
# bench/pick.lua; a pattern without one is requested as it is), and prints req/s and the server's CPU time (user + system, from /proc) per request.
# OLD_INDEX / NEW_INDEX (optional) give each binary its own search index directory (--index-dir), for a
# change to what the index holds; by default both use the one beside DB.
# Alternating the binaries lets both meet the same machine state; compare within one run only.
# Needs bench/run.sh to have built DB and targets.lua.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[[ $# -ge 3 ]] || { sed -n '2,5p' "$0" >&2; exit 2; }
OLD=$1 NEW=$2
shift 2
ROUNDS=${ROUNDS:-3}
DB=${DB:-bench/cache/bench-100000-42.sqlite}
PORT=${PORT:-18558}
DURATION=${DURATION:-8s}
CONNECTIONS=${CONNECTIONS:-2}
[[ -f $DB && -f bench/cache/targets.lua ]] || { echo "run bench/run.sh first (it builds $DB and targets.lua)" >&2; exit 1; }
TICKS=$(getconf CLK_TCK)
PID=
stop() { [[ -z $PID ]] || { kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; PID=; }; }
trap stop EXIT
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
for round in $(seq 1 "$ROUNDS"); do
    for bin in "$OLD" "$NEW"; do
        index=${OLD_INDEX:-$DB.index}
        [[ $bin == "$OLD" ]] || index=${NEW_INDEX:-$DB.index}
        RUST_LOG=warn "$bin" --database "$DB" --index-dir "$index" --no-seed --port "$PORT" >/dev/null 2>&1 &
        PID=$!
        for _ in $(seq 1 600); do
            curl -fsS -o /dev/null "http://127.0.0.1:$PORT/healthz" 2>/dev/null && break
            sleep 0.5
        done
        for pattern in "$@"; do
            run() {
                if [[ $pattern == *'{'* ]]; then
                    BENCH_TARGETS=bench/cache/targets.lua wrk -t2 -c"$CONNECTIONS" -d"$1" --timeout 5s \
                        -H 'Cache-Control: no-cache' -s bench/pick.lua "http://127.0.0.1:$PORT/" -- "$pattern"
                else
                    wrk -t2 -c"$CONNECTIONS" -d"$1" --timeout 5s -H 'Cache-Control: no-cache' \
                        "http://127.0.0.1:$PORT$pattern"
                fi
            }
            run 2s >/dev/null
            before=$(cpu_ticks "$PID")
            out=$(run "$DURATION")
            after=$(cpu_ticks "$PID")
            requests=$(awk '/requests in/ {print $1}' <<<"$out")
            rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
            bad=$(grep -E 'Non-2xx|Socket errors' <<<"$out" | tr -s ' ' | tr '\n' ' ' || true)
            cpu=$(awk -v t=$((after - before)) -v n="$requests" -v hz="$TICKS" 'BEGIN {printf "%.2f", t * 1000 / hz / n}')
            printf 'round %s  %-40s %-45s %8s req/s  %6s ms CPU/request %s\n' "$round" "$bin" "$pattern" "$rps" "$cpu" "$bad"
        done
        stop
    done
done
