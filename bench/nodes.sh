#!/usr/bin/env bash
# bench/nodes.sh: read throughput of two API nodes against one, on the cluster `bench/cluster.sh up`
# started (a PostgreSQL primary, a hot standby, two nodes reading the standby).
#
#   bench/cluster.sh up && bench/nodes.sh && bench/cluster.sh down
#   DURATION=10s CONNECTIONS=16 PATHS='/v1/articles /v1/articles?topic=the-korean-peninsula' bench/nodes.sh
#
# For each path, computed (`Cache-Control: no-cache`) and as clients get it (the response cache on):
# one node with CONNECTIONS clients, then both nodes at once with CONNECTIONS/2 clients each (the same
# load in all), with wrk. Prints a Markdown table of req/s. On one machine both nodes, the standby and
# wrk share its cores: this measures what a second node adds there, not on a second machine.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
CLUSTER_DIR=${CLUSTER_DIR:-/tmp/commentary-cluster}
# shellcheck disable=SC1091 # written by bench/cluster.sh up
[[ -f $CLUSTER_DIR/cluster.env ]] && source "$CLUSTER_DIR/cluster.env"
NODE1_PORT=${NODE1_PORT:-8091}
NODE2_PORT=${NODE2_PORT:-8092}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-16}
PATHS=${PATHS:-/v1/articles /v1/articles?topic=the-korean-peninsula /v1/articles?q=korea}
command -v wrk >/dev/null || { echo "bench/nodes.sh needs wrk (apt-get install wrk)" >&2; exit 2; }
for port in "$NODE1_PORT" "$NODE2_PORT"; do
    curl -sf "http://127.0.0.1:$port/healthz" >/dev/null || { echo "no node on :$port: run bench/cluster.sh up" >&2; exit 2; }
done

rps() { awk '/^Requests\/sec:/ { print $2 }'; }

# wrk against `port` with `conns` clients; prints req/s.
load() {
    local port=$1 conns=$2 path=$3 fresh=$4
    local headers=()
    [[ $fresh == 1 ]] && headers=(-H "Cache-Control: no-cache")
    wrk -t1 -c"$conns" -d"$DURATION" "${headers[@]}" "http://127.0.0.1:$port$path" | rps
}

echo "| path | answers | one node, $CONNECTIONS clients: req/s | two nodes, $((CONNECTIONS / 2)) clients each: req/s | two / one |"
echo "|---|---|--:|--:|--:|"
for path in $PATHS; do
    for fresh in 1 0; do
        one=$(load "$NODE1_PORT" "$CONNECTIONS" "$path" "$fresh")
        load "$NODE1_PORT" $((CONNECTIONS / 2)) "$path" "$fresh" >"$CLUSTER_DIR/nodes-1.out" &
        load "$NODE2_PORT" $((CONNECTIONS / 2)) "$path" "$fresh" >"$CLUSTER_DIR/nodes-2.out" &
        wait
        two=$(awk '{ s += $1 } END { printf "%.0f", s }' "$CLUSTER_DIR/nodes-1.out" "$CLUSTER_DIR/nodes-2.out")
        kind=$([[ $fresh == 1 ]] && echo computed || echo cached)
        awk -v p="$path" -v k="$kind" -v a="$one" -v b="$two" \
            'BEGIN { printf "| `%s` | %s | %.0f | %.0f | %.2f× |\n", p, k, a, b, b / a }'
    done
done
