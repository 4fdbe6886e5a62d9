#!/usr/bin/env bash
# bench/run.sh: load-benchmark the commentary API with wrk and write BENCHMARKS.md.
#
# Usage (from any directory):
#
#   bench/run.sh                                   # full run: 100k-article synthetic corpus, 10 s per scenario
#   QUICK=1 bench/run.sh                           # smoke test: 3 s per scenario, a subset of scenarios
#   CORPUS=seed/corpus.ndjson QUICK=1 bench/run.sh # use an existing NDJSON corpus instead of gen-corpus
#   ARTICLES=1000000 SEED=7 bench/run.sh           # another synthetic corpus (generated and imported once, cached)
#   SCENARIOS='topic|healthz' bench/run.sh         # only scenarios whose name matches the (ERE) regex
#   SCALE='10k 100k 1M' bench/run.sh               # the same scenarios at each corpus size (each generated,
#                                                  # imported and indexed once, cached), then a table of how
#                                                  # each one's cost grows (bench/cache/BENCHMARKS-scale.md)
#   BACKEND=postgres PG_URL=postgres://postgres@127.0.0.1:5432/postgres bench/run.sh
#                                                  # the same on PostgreSQL (a database bench_<corpus> on
#                                                  # that server, imported once; report in
#                                                  # bench/cache/BENCHMARKS-postgres.md)
#
# What it does:
#   1. installs wrk, curl, jq and /usr/bin/time (Debian package `time`) if missing (apt-get; sudo when
#      not root);
#   2. builds the release binary (cargo build --release --locked);
#   3. generates the corpus once (commentary-api gen-corpus) into bench/cache/corpus-ARTICLES-SEED.ndjson
#      and imports it once into bench/cache/bench-ARTICLES-SEED.sqlite (import timings kept next to it in
#      bench-ARTICLES-SEED.import.txt); later runs reuse both;
#   4. starts the server on 127.0.0.1:PORT (--no-seed, RUST_LOG=warn), waits for /healthz, kills it on exit;
#   5. discovers real topics, regions, authors, article ids/slugs, years and the page count from the API
#      and writes them to bench/cache/targets.lua for the wrk scripts;
#   6. runs each scenario with wrk (a warm-up, then a timed run) and samples the server's RSS; then (full
#      runs) the contention phase: a cheap list alone, and again while clients send the worst-case search;
#   7. prints a Markdown table and writes OUTPUT (BENCHMARKS.md at the repo root) with the machine, the
#      commit, the exact commands, the import timings, the results, the peak RSS and the targets, keeping
#      the text between <!-- notes --> and <!-- /notes --> of a previous OUTPUT.
#
# Environment (all optional):
#   ARTICLES=100000   SEED=42        synthetic corpus size and seed (gen-corpus)
#   CORPUS=FILE                      use this NDJSON corpus instead of generating one (its database is
#                                    cached as bench/cache/bench-custom-NAME-SHA.sqlite)
#   REBUILD=1                        regenerate the corpus (unless CORPUS is set) and re-import the database
#   PORT=18080                       server port (on 127.0.0.1); must be free
#   DURATION=10s  WARMUP=2s          timed run and warm-up per scenario (wrk -d syntax)
#   CONNECTIONS=32  THREADS=2        wrk -c / -t
#   TIMEOUT=5s                       wrk --timeout (slower responses count as errors)
#   QUICK=1                          DURATION=3s, WARMUP=1s, fewer scenarios, OUTPUT defaults to
#                                    bench/cache/BENCHMARKS-quick.md (so a smoke test does not replace the
#                                    recorded BENCHMARKS.md; set OUTPUT=BENCHMARKS.md to override)
#   SCENARIOS=REGEX                  run only the scenarios whose names match
#   OUTPUT=BENCHMARKS.md             the Markdown report (relative to the repo root)
#   SKIP_BUILD=1                     do not run cargo build (use the binary that is there)
#   BACKEND=sqlite|postgres          the store; postgres needs PG_URL (any database on the server: the
#                                    benchmark creates its own, bench_ARTICLES_SEED, beside it)
#   SERVER_ARGS='--workers 4'        extra flags for the server (recorded in the report)
#   SCALE='10k 100k 1M'              run once per corpus size (ARTICLES for each; k and M suffixes), each
#                                    report in bench/cache/BENCHMARKS-ARTICLES.md, then the growth table
#                                    (requests per second and server CPU per request at each size, and the
#                                    growth of the CPU per request from the smallest size to the largest)
#                                    in SCALE_OUTPUT (default bench/cache/BENCHMARKS-scale.md). SCENARIOS
#                                    defaults to the growth set below (SCALE_SCENARIOS).
#   HOSTILE_CONNECTIONS=4            clients sending the worst-case search in the contention phase (full runs
#                                    only; SCENARIOS=contention runs just that phase)
#
# Raw output of every run (wrk output, server log, RSS samples, results.ndjson) is kept in
# bench/cache/runs/YYYYmmdd-HHMMSS/. bench/cache/ is git-ignored.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# ---------------------------------------------------------------------------------------------- settings

QUICK=${QUICK:-0}
OUTPUT_GIVEN=${OUTPUT:-}
[[ $QUICK == 0 || $QUICK == false || $QUICK == no ]] && QUICK=0 || QUICK=1
ARTICLES=${ARTICLES:-100000}
SEED=${SEED:-42}
CORPUS=${CORPUS:-}
REBUILD=${REBUILD:-0}
[[ $REBUILD == 0 || $REBUILD == false || $REBUILD == no ]] && REBUILD=0 || REBUILD=1
BENCH_PORT=${PORT:-18080}
if [[ $QUICK == 1 ]]; then
    DURATION=${DURATION:-3s}
    WARMUP=${WARMUP:-1s}
    OUTPUT=${OUTPUT:-bench/cache/BENCHMARKS-quick.md}
else
    DURATION=${DURATION:-10s}
    WARMUP=${WARMUP:-2s}
    OUTPUT=${OUTPUT:-BENCHMARKS.md}
fi
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
TIMEOUT=${TIMEOUT:-5s}
SCENARIOS=${SCENARIOS:-}
SKIP_BUILD=${SKIP_BUILD:-0}
SERVER_ARGS=${SERVER_ARGS:-}
BACKEND=${BACKEND:-sqlite}
PG_URL=${PG_URL:-}
case $BACKEND in
sqlite) ;;
postgres)
    [[ -n $PG_URL ]] || { echo "BACKEND=postgres needs PG_URL=postgres://user@host:port/db" >&2; exit 2; }
    [[ -n $OUTPUT_GIVEN || $QUICK == 1 ]] || OUTPUT=bench/cache/BENCHMARKS-postgres.md
    ;;
*) echo "BACKEND is sqlite or postgres" >&2; exit 2 ;;
esac

# The server (and reindex) also read these from the environment (src/config.rs); the flags below take
# precedence, but keep stray values (e.g. a DATABASE_URL meant for another run, or a WORKERS or
# RESPONSE_CACHE_MIB that would change what is measured) out of its way. SERVER_ARGS sets them instead.
unset DATABASE_URL INDEX_DIR HOST PORT WORKERS DB_POOL_SIZE DB_CACHE_MIB RESPONSE_CACHE_MIB CACHE_MAX_AGE \
    DATA_VERSION_TTL_MS NO_SEED LOG_FORMAT

BIN="${CARGO_TARGET_DIR:-target}/release/commentary-api"

# ---------------------------------------------------------------------------------------------- SCALE

# The scenarios whose growth with the corpus size matters: lists and items (should stay flat), searches,
# facets and histograms (should grow sub-linearly), and the floor.
SCALE_SCENARIOS='^(newest|topic-random-fresh|author-random-fresh|article-id-random-fresh|page-2500-fresh|cursor-2500-fresh|search-common-random-fresh|search-phrase-fresh|facets-filtered-fresh|facets-region-year-fresh|facets-all-fresh|histogram-month-fresh|feed-rss-random-fresh|livez)$'
if [[ -n ${SCALE:-} && -z ${SCALE_CHILD:-} ]]; then
    sizes=()
    for size in $SCALE; do
        case $size in
        *k | *K) sizes+=($((${size%[kK]} * 1000))) ;;
        *m | *M) sizes+=($((${size%[mM]} * 1000000))) ;;
        *[!0-9]* | '') echo "SCALE: $size is not a number of articles (e.g. 10k, 100000, 1M)" >&2; exit 2 ;;
        *) sizes+=("$size") ;;
        esac
    done
    [[ -z $CORPUS ]] || { echo "SCALE generates its corpora; unset CORPUS" >&2; exit 2; }
    if [[ $SKIP_BUILD != 1 ]]; then cargo build --release --locked; fi
    scale_dir="bench/cache/scale-$(date +%Y%m%d-%H%M%S)"
    mkdir -p "$scale_dir"
    for n in "${sizes[@]}"; do
        echo "==> SCALE: $n articles" >&2
        SCALE_CHILD=1 ARTICLES=$n SKIP_BUILD=1 SCENARIOS=${SCENARIOS:-$SCALE_SCENARIOS} \
            OUTPUT=bench/cache/BENCHMARKS-$n.md RESULTS_COPY="$scale_dir/results-$n.ndjson" "$0"
        cp "bench/cache/bench-$n-$SEED.import.txt" "$scale_dir/import-$n.txt"
    done
    out=${SCALE_OUTPUT:-bench/cache/BENCHMARKS-scale.md}
    {
        echo "# How the cost grows with the corpus"
        echo
        echo "Commit $(git rev-parse --short HEAD), $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPUs."
        echo
        echo "\`\`\`"
        echo "SCALE='$SCALE' DURATION=$DURATION CONNECTIONS=$CONNECTIONS${SCENARIOS:+ SCENARIOS='$SCENARIOS'} bench/run.sh"
        echo "\`\`\`"
        echo
        echo "Each cell: requests per second / server CPU per request (user + system time of the server"
        echo "during the timed run, divided by the requests it answered). Growth: CPU per request at"
        echo "${sizes[-1]} articles over that at ${sizes[0]}."
        echo
        header="| scenario |"
        rule="|---|"
        for n in "${sizes[@]}"; do header+=" $n |"; rule+="--:|"; done
        echo "$header growth |"
        echo "$rule--:|"
        jq -rs --argjson sizes "$(printf '%s\n' "${sizes[@]}" | jq -s .)" '
            (map(select(.name != null)) | group_by(.name)) as $groups
            | ($groups | map(.[0].name)) as $names
            | [ $names[] as $name
                | [ $sizes[] as $n | (map(select(.name == $name and .articles == $n))[0]) ] as $row
                | ($row | map(if . == null or .failed then "–" else "\(.rps | floor) / \(.cpu_ms_per_request * 1000 | round / 1000) ms" end)) as $cells
                | ($row[0].cpu_ms_per_request // null) as $first
                | ($row[-1].cpu_ms_per_request // null) as $last
                | "| \($name) | \($cells | join(" | ")) | \(if $first and $last and $first > 0 then "\($last / $first * 10 | round / 10)×" else "–" end) |"
              ] | .[]' < <(for n in "${sizes[@]}"; do jq -c --argjson n "$n" '. + {articles: $n}' "$scale_dir/results-$n.ndjson"; done)
        echo
        echo "Peak server RSS during the scenarios, and the import:"
        echo
        for n in "${sizes[@]}"; do
            rss=$(jq -s 'map(.rss_peak_kib // 0) | max / 1024 | floor' "$scale_dir/results-$n.ndjson")
            imported=$(grep -m1 'written in' "$scale_dir/import-$n.txt" | sed 's/^ *//')
            indexed=$(grep -m1 '^wall time' <(sed -n '/search index built/,$p' "$scale_dir/import-$n.txt") || true)
            echo "- $n articles: peak RSS $rss MiB; import: $imported; search index: ${indexed:-?}"
        done
    } >"$out"
    cat "$out"
    exit 0
fi
CACHE=bench/cache
STAMP=$(date +%Y%m%d-%H%M%S)
RUN_DIR="$CACHE/runs/$STAMP"
BASE="http://127.0.0.1:$BENCH_PORT"
TARGETS_FILE="$CACHE/targets.lua"

mkdir -p "$RUN_DIR"

git_commit() {
    local c
    c=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
    # GIT_OPTIONAL_LOCKS=0: do not take the index lock (others may be using git in this tree).
    if [[ -n $(GIT_OPTIONAL_LOCKS=0 git status --porcelain 2>/dev/null) ]]; then c="$c+dirty"; fi
    echo "$c"
}

log() { printf '\033[1m==>\033[0m %s\n' "$*" >&2; }
die() { printf 'bench/run.sh: error: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------------------------------------- cleanup

SERVER_PID=
SAMPLER_PID=
TMP_FILES=()
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [[ -n ${WRK_PID:-} ]]; then
        kill "$WRK_PID" 2>/dev/null || true
        wait "$WRK_PID" 2>/dev/null || true
    fi
    if [[ -n $SAMPLER_PID ]]; then
        kill "$SAMPLER_PID" 2>/dev/null || true
        wait "$SAMPLER_PID" 2>/dev/null || true
    fi
    if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        # The server drains requests in flight for up to 10 s; do not wait longer than that.
        for _ in $(seq 1 60); do
            kill -0 "$SERVER_PID" 2>/dev/null || break
            sleep 0.2
        done
        if kill -0 "$SERVER_PID" 2>/dev/null; then
            kill -KILL "$SERVER_PID" 2>/dev/null || true
        fi
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    if ((${#TMP_FILES[@]})); then rm -f "${TMP_FILES[@]}"; fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------------------------------------- 1. tools

install_packages() {
    command -v apt-get >/dev/null || die "missing $*, and no apt-get to install it with; install it by hand"
    local sudo=
    if [[ $(id -u) != 0 ]]; then
        command -v sudo >/dev/null || die "missing $*; need root or sudo to apt-get install it"
        sudo=sudo
    fi
    log "installing $* (apt-get)"
    $sudo apt-get install -y "$@" || { $sudo apt-get update && $sudo apt-get install -y "$@"; }
}
missing=()
for tool in wrk curl jq; do
    command -v "$tool" >/dev/null || missing+=("$tool")
done
# GNU time (not the shell keyword) measures the peak RSS of reindex.
[[ -x /usr/bin/time ]] || missing+=(time)
if ((${#missing[@]})); then install_packages "${missing[@]}"; fi
command -v cargo >/dev/null || [[ $SKIP_BUILD == 1 ]] || die "cargo not found (install a Rust toolchain)"

# ---------------------------------------------------------------------------------------------- 2. build

if [[ $SKIP_BUILD != 1 ]]; then
    log "building the release binary (cargo build --release --locked)"
    cargo build --release --locked
fi
[[ -x $BIN ]] || die "$BIN not found (build it, or unset SKIP_BUILD)"

# ---------------------------------------------------------------------------------------------- 3. corpus, database

mkdir -p "$CACHE"
migrations_sha=$(find migrations -type f -name '*.sql' | LC_ALL=C sort | xargs cat | sha256sum | cut -c1-16)

if [[ -n $CORPUS ]]; then
    [[ -f $CORPUS ]] || die "CORPUS=$CORPUS: no such file"
    corpus=$CORPUS
    corpus_name=$(basename "$CORPUS")
    corpus_name=${corpus_name%%.*}
    corpus_sha=$(sha256sum "$corpus" | cut -c1-12)
    tag="custom-$corpus_name-$corpus_sha"
    corpus_cmd="(given: CORPUS=$CORPUS)"
    corpus_record=
else
    corpus="$CACHE/corpus-$ARTICLES-$SEED.ndjson"
    corpus_record="$CACHE/corpus-$ARTICLES-$SEED.gen.txt"
    tag="$ARTICLES-$SEED"
    corpus_cmd="$BIN gen-corpus --articles $ARTICLES --seed $SEED > $corpus"
    if [[ $REBUILD == 1 || ! -s $corpus ]]; then
        if ! "$BIN" gen-corpus --help >/dev/null 2>&1; then
            die "this build has no \`gen-corpus\` subcommand yet; pass an existing corpus, e.g. CORPUS=seed/corpus.ndjson"
        fi
        log "generating the corpus: $corpus_cmd"
        TMP_FILES+=("$corpus.tmp")
        t0=$(date +%s.%N)
        if ! "$BIN" gen-corpus --articles "$ARTICLES" --seed "$SEED" >"$corpus.tmp" 2>"$RUN_DIR/gen-corpus.log"; then
            cat "$RUN_DIR/gen-corpus.log" >&2
            die "gen-corpus failed"
        fi
        t1=$(date +%s.%N)
        cat "$RUN_DIR/gen-corpus.log" >&2
        mv "$corpus.tmp" "$corpus"
        {
            echo "generated on $(date -u +%Y-%m-%dT%H:%M:%SZ) at commit $(git_commit)"
            echo "\$ $corpus_cmd"
            awk -v a="$t0" -v b="$t1" -v l="$(wc -l <"$corpus")" -v c="$(wc -c <"$corpus")" \
                'BEGIN { printf "wall time: %.2f s; %d lines, %.1f MiB\n", b - a, l, c / 1048576 }'
            if [[ -s $RUN_DIR/gen-corpus.log ]]; then
                echo "gen-corpus output:"
                sed 's/^/    /' "$RUN_DIR/gen-corpus.log"
            fi
        } >"$corpus_record"
    fi
    corpus_sha=$(sha256sum "$corpus" | cut -c1-12)
fi

if [[ $BACKEND == postgres ]]; then
    pg_name="bench_${tag//[^a-zA-Z0-9]/_}"
    db="${PG_URL%/*}/$pg_name"
    db_stamp="$CACHE/bench-$tag.postgres.stamp"
    import_record="$CACHE/bench-$tag.postgres.import.txt"
    pg_admin() { psql "$PG_URL" -qAtc "$1"; }
    db_missing() { [[ $(pg_admin "SELECT count(*) FROM pg_database WHERE datname = '$pg_name'") == 0 ]]; }
    db_size() { pg_admin "SELECT pg_database_size('$pg_name')"; }
else
    db="$CACHE/bench-$tag.sqlite"
    db_stamp="$CACHE/bench-$tag.stamp"
    import_record="$CACHE/bench-$tag.import.txt"
    db_missing() { [[ ! -s $db ]]; }
    db_size() { wc -c <"$db" | tr -d ' '; }
fi
want_stamp="corpus=$corpus_sha migrations=$migrations_sha"
import_cmd="RUST_LOG=warn $BIN --database $db --no-seed import $corpus"

reimport=0
if [[ $REBUILD == 1 ]]; then
    reimport=1
elif db_missing; then
    reimport=1
elif [[ ! -f $db_stamp || $(cat "$db_stamp") != "$want_stamp" ]]; then
    log "the cached database was built from another corpus or schema; re-importing"
    reimport=1
fi

if [[ $reimport == 1 ]]; then
    log "importing: $import_cmd"
    rm -f "$db_stamp"
    if [[ $BACKEND == postgres ]]; then
        # The stamp is written only after a complete import, so an interrupted one is redone.
        pg_admin "DROP DATABASE IF EXISTS $pg_name WITH (FORCE)"
        pg_admin "CREATE DATABASE $pg_name"
        import_into=$db
    else
        TMP_FILES+=("$db.tmp" "$db.tmp-wal" "$db.tmp-shm")
        rm -f "$db" "$db-wal" "$db-shm" "$db.tmp" "$db.tmp-wal" "$db.tmp-shm"
        # Import into a temporary file so that an interrupted import never leaves a database that a later
        # run would take for complete.
        import_into=$db.tmp
    fi
    t0=$(date +%s.%N)
    if ! RUST_LOG=warn "$BIN" --database "$import_into" --no-seed import "$corpus" >"$RUN_DIR/import.log" 2>&1; then
        cat "$RUN_DIR/import.log" >&2
        die "import failed"
    fi
    t1=$(date +%s.%N)
    if [[ $BACKEND == sqlite ]]; then
        for suffix in "" -wal -shm; do
            if [[ -e "$db.tmp$suffix" ]]; then mv "$db.tmp$suffix" "$db$suffix"; fi
        done
    fi
    {
        echo "imported on $(date -u +%Y-%m-%dT%H:%M:%SZ) at commit $(git_commit)"
        echo "\$ $import_cmd"
        awk -v a="$t0" -v b="$t1" 'BEGIN { printf "wall time: %.2f s\n", b - a }'
        printf 'database: %s bytes\n' "$(db_size)"
        echo "import output:"
        sed 's/^/    /' "$RUN_DIR/import.log"
    } >"$import_record"
    echo "$want_stamp" >"$db_stamp"
    cat "$import_record" >&2
    import_reused=0
else
    log "reusing the cached database $db (REBUILD=1 to re-import)"
    import_reused=1
fi

# The search index beside the database, built once by `reindex` (so that the server does not build it at
# start and its peak RSS is that of serving); its build time and memory are added to the import record.
if [[ $BACKEND == postgres ]]; then index_dir="$CACHE/bench-$tag.postgres.index"; else index_dir="$db.index"; fi
index_cmd="RUST_LOG=warn $BIN --database $db --index-dir $index_dir reindex"
# The index is rebuilt when the code that decides its contents (or its segments) changed (a stale index would be rebuilt by
# the server at start instead, inside the time the benchmark gives it to come up).
index_want=$(cat src/search/schema.rs src/search/tokenizer.rs src/search/documents.rs src/search/leftovers.rs | sha256sum | cut -c1-16)
index_stamp="$index_dir.stamp"
if [[ $reimport == 1 || ! -d $index_dir || ! -f $index_stamp || $(cat "$index_stamp") != "$index_want" ]]; then
    log "building the search index: $index_cmd"
    rm -f "$index_stamp"
    rm -rf "$index_dir"
    t0=$(date +%s.%N)
    if ! RUST_LOG=warn /usr/bin/time -f "%M" -o "$RUN_DIR/reindex.rss" "$BIN" --database "$db" --index-dir "$index_dir" reindex >"$RUN_DIR/reindex.log" 2>&1; then
        cat "$RUN_DIR/reindex.log" >&2
        die "reindex failed"
    fi
    t1=$(date +%s.%N)
    {
        echo
        echo "search index built at commit $(git_commit)"
        echo "\$ $index_cmd"
        awk -v a="$t0" -v b="$t1" 'BEGIN { printf "wall time: %.2f s\n", b - a }'
        awk '{ printf "peak RSS of reindex: %.1f MiB\n", $1 / 1024 }' "$RUN_DIR/reindex.rss"
        printf 'index size: %s\n' "$(du -sh "$index_dir" | cut -f1)"
        sed 's/^/    /' "$RUN_DIR/reindex.log"
    } >>"$import_record"
    echo "$index_want" >"$index_stamp"
fi

# ---------------------------------------------------------------------------------------------- 4. server

if (exec 3<>"/dev/tcp/127.0.0.1/$BENCH_PORT") 2>/dev/null; then
    die "something already listens on 127.0.0.1:$BENCH_PORT; stop it or set PORT"
fi

# shellcheck disable=SC2206 # SERVER_ARGS is meant to be split into words
server_extra=($SERVER_ARGS)
server_cmd="RUST_LOG=warn $BIN --database $db --index-dir $index_dir --no-seed --host 127.0.0.1 --port $BENCH_PORT${SERVER_ARGS:+ $SERVER_ARGS}"
log "starting the server: $server_cmd"
RUST_LOG=warn "$BIN" --database "$db" --index-dir "$index_dir" --no-seed --host 127.0.0.1 --port "$BENCH_PORT" ${server_extra[@]+"${server_extra[@]}"} \
    >"$RUN_DIR/server.log" 2>&1 &
SERVER_PID=$!

up=0
for _ in $(seq 1 300); do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        tail -n 30 "$RUN_DIR/server.log" >&2
        SERVER_PID=
        die "the server exited during startup (log above, full log in $RUN_DIR/server.log)"
    fi
    if curl -fsS -o /dev/null --max-time 2 "$BASE/healthz" 2>/dev/null; then
        up=1
        break
    fi
    sleep 0.2
done
[[ $up == 1 ]] || die "the server did not answer /healthz within 60 s (log: $RUN_DIR/server.log)"

# The server's CPU time so far (user + system), in clock ticks (/proc/PID/stat fields 14 and 15).
CLK_TCK=$(getconf CLK_TCK)
cpu_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$SERVER_PID/stat"; }

rss_kib() { awk -v k="$2" '$1 == k ":" { print $2 }' "/proc/$1/status" 2>/dev/null || true; }
rss_idle_kib=$(rss_kib "$SERVER_PID" VmRSS)

# Sample VmRSS twice a second: "epoch_ms kib" lines.
(
    while kill -0 "$SERVER_PID" 2>/dev/null; do
        kib=$(awk '$1 == "VmRSS:" { print $2 }' "/proc/$SERVER_PID/status" 2>/dev/null) || break
        printf '%s %s\n' "$(date +%s%3N)" "$kib"
        sleep 0.5
    done
) >"$RUN_DIR/rss.log" 2>/dev/null &
SAMPLER_PID=$!

# ---------------------------------------------------------------------------------------------- 5. discovery

api() { curl -fsS --max-time 30 "$BASE$1"; }

# collect PATH JQ MAX_PAGES: values (one a line) from up to MAX_PAGES pages of a list, spread evenly
# over all its pages. PATH has a query string and no page parameter.
collect() {
    local path=$1 filter=$2 max_pages=$3 first total_pages pages p
    first=$(api "$path&page=1") || die "GET $path failed"
    total_pages=$(jq -r '.meta.total_pages' <<<"$first")
    jq -r "$filter" <<<"$first"
    if ((total_pages > 1 && max_pages > 1)); then
        pages=$(awk -v n="$total_pages" -v m="$max_pages" 'BEGIN {
            k = (n < m) ? n : m
            for (i = 1; i < k; i++) { p = 1 + int(i * (n - 1) / (k - 1) + 0.5); if (!(p in seen)) { seen[p] = 1; print p } }
        }')
        for p in $pages; do
            api "$path&page=$p" | jq -r "$filter"
        done
    fi
}

log "discovering ids and slugs from the API"
api /healthz >/dev/null || die "GET /healthz failed"
article_total=$(api '/v1/articles?per_page=1' | jq -r '.meta.total')
((article_total > 0)) || die "the database has no articles"

mapfile -t topics < <(collect '/v1/topics?per_page=100&sort=-article_count' '.data[] | select(.article_count > 0) | .slug' 20)
mapfile -t regions < <(collect '/v1/regions?type=region&per_page=100&sort=-article_count' '.data[] | select(.article_count > 0) | .slug' 20)
top_region=$(api '/v1/regions?type=region&per_page=100&sort=-article_count' |
    jq -r '[.data[] | select(.parent == null and .article_count > 0)][0].slug // empty')
mapfile -t authors < <(collect '/v1/authors?per_page=100&sort=-article_count' '.data[] | select(.article_count > 0) | .slug' 20)
mapfile -t article_rows < <(collect '/v1/articles?per_page=100' '.data[] | "\(.id) \(.slug)"' 20)
articles_meta=$(api '/v1/articles?per_page=20')
last_page=$(jq -r '.meta.total_pages' <<<"$articles_meta")
newest_year=$(jq -r '.data[0].published_at[0:4]' <<<"$articles_meta")
oldest_year=$(api '/v1/articles?per_page=1&sort=published_at' | jq -r '.data[0].published_at[0:4]')

((${#topics[@]})) || die "no topic with articles"
((${#regions[@]})) || die "no region (type=region) with articles"
((${#authors[@]})) || die "no author with articles"
((${#article_rows[@]})) || die "no articles listed"
[[ -n $top_region ]] || top_region=${regions[0]}

# Years that have articles, and the busiest one (the "same year" scenario).
years=()
best_year=
best_year_count=-1
for ((y = oldest_year; y <= newest_year; y++)); do
    n=$(api "/v1/articles?per_page=1&published_after=$y-01-01&published_before=$y-12-31" | jq -r '.meta.total')
    if ((n > 0)); then
        years+=("$y")
        if ((n > best_year_count)); then best_year=$y best_year_count=$n; fi
    fi
done
((${#years[@]})) || die "no year with articles"

article_ids=()
article_slugs=()
for row in "${article_rows[@]}"; do
    article_ids+=("${row%% *}")
    article_slugs+=("${row#* }")
done
# The "same article" scenarios use one from the middle of the discovered ones.
mid=$((${#article_rows[@]} / 2))
same_id=${article_ids[$mid]}
same_slug=${article_slugs[$mid]}
same_topic=${topics[0]}
same_author=${authors[0]}

# A cursor for page 2,500 of the newest-first list (the next cursor of page 2,499). A smaller corpus has
# none: the cursor-2500-fresh scenario is then left out.
cursor_2500=$(api '/v1/articles?page=2499' | jq -r '.meta.next_cursor // empty') || cursor_2500=

# {page} picks among pages 1..N; the API answers 400 above page 10,000 (MAX_PAGE in src/pagination.rs).
pick_last_page=$((last_page < 10000 ? last_page : 10000))

lua_strings() { printf '%s\n' "$@" | jq -R . | paste -sd, -; }
lua_numbers() { printf '%s\n' "$@" | paste -sd, -; }
{
    echo "-- Generated by bench/run.sh on $(date -u +%Y-%m-%dT%H:%M:%SZ) from $BASE ($db)."
    echo "-- Read by bench/pick.lua: a table of values per {placeholder}, or a number N for 1..N."
    echo "return {"
    echo "  topic = { $(lua_strings "${topics[@]}") },"
    echo "  region = { $(lua_strings "${regions[@]}") },"
    echo "  author = { $(lua_strings "${authors[@]}") },"
    echo "  article_id = { $(lua_numbers "${article_ids[@]}") },"
    echo "  article_slug = { $(lua_strings "${article_slugs[@]}") },"
    echo "  year = { $(lua_numbers "${years[@]}") },"
    echo "  word = { \"policy\", \"security\", \"government\", \"economic\", \"alliance\", \"trade\", \"minister\", \"regional\" },"
    echo "  prefix = { \"pol\", \"sec\", \"gov\", \"eco\", \"all\", \"tra\", \"min\", \"reg\", \"jap\", \"chi\" },"
    echo "  page = $pick_last_page,"
    echo "}"
} >"$TARGETS_FILE"
cp "$TARGETS_FILE" "$RUN_DIR/targets.lua"
export BENCH_TARGETS="$ROOT/$TARGETS_FILE"
log "targets: ${#topics[@]} topics, ${#regions[@]} regions, ${#authors[@]} authors, ${#article_ids[@]} articles, years ${years[0]}-${years[-1]}, $last_page pages ($TARGETS_FILE)"

# ---------------------------------------------------------------------------------------------- 6. scenarios

# name | group | path (literal: the same request every time; with {placeholders}: picked per request by
# bench/pick.lua) | "quick": in QUICK mode | "fresh": sends Cache-Control: no-cache | connections (empty:
# CONNECTIONS).
# Groups: list, single, search, facets, feed, trivial, service, repeated. The 5th field is "fresh" (send
# Cache-Control: no-cache) or "revalidate" (send the answer's own ETag in If-None-Match). The targets check the list and single
# groups as a whole, and compare some scenarios by name (page-1-fresh, page-2500-fresh, cursor-2500-fresh,
# search-common*-fresh, facets-filtered-fresh, repeated, livez).
y=$best_year
scenario_defs=(
    "newest|list|/v1/articles|quick"
    "topic-same|list|/v1/articles?topic=$same_topic|quick"
    "topic-random|list|/v1/articles?topic={topic}|quick"
    "topic-random-fresh|list|/v1/articles?topic={topic}||fresh"
    "topic-scoped-random|list|/v1/topics/{topic}/articles|"
    "region-same|list|/v1/articles?region=$top_region|"
    "region-random|list|/v1/articles?region={region}|quick"
    "author-same|list|/v1/articles?author=$same_author|"
    "author-random|list|/v1/articles?author={author}|quick"
    "author-random-fresh|list|/v1/articles?author={author}||fresh"
    "year-same|list|/v1/articles?published_after=$y-01-01&published_before=$y-12-31|"
    "year-random|list|/v1/articles?published_after={year}-01-01&published_before={year}-12-31|quick"
    "page-1|list|/v1/articles?page=1|quick"
    "page-2500|list|/v1/articles?page=2500|quick"
    "page-1-fresh|list|/v1/articles?page=1|quick|fresh"
    "page-2500-fresh|list|/v1/articles?page=2500|quick|fresh"
    "page-random|list|/v1/articles?page={page}|quick"
    "authors-list|list|/v1/authors|"
    "topics-list|list|/v1/topics?sort=-article_count|"
    "article-id-same|single|/v1/articles/$same_id|quick"
    "article-slug-same|single|/v1/articles/$same_slug|"
    "article-id-random|single|/v1/articles/{article_id}|"
    "article-id-random-fresh|single|/v1/articles/{article_id}||fresh"
    "article-slug-random|single|/v1/articles/{article_slug}|quick"
    "search-common-fresh|search|/v1/articles?q=policy|quick|fresh|2"
    "search-common-random-fresh|search|/v1/articles?q={word}|quick|fresh|2"
    "search-common-c32-fresh|search|/v1/articles?q={word}||fresh"
    "search-phrase-fresh|search|/v1/articles?q=%22security%20policy%22||fresh|2"
    "facets-filtered-fresh|facets|/v1/articles?topic={topic}&facets=topic,region,author,publisher,series,type,language,year&per_page=1&fields=id|quick|fresh|2"
    "facets-region-year-fresh|facets|/v1/articles?region={region}&published_after={year}-01-01&published_before={year}-12-31&facets=topic&per_page=1&fields=id||fresh|2"
    "facets-all-fresh|facets|/v1/articles?facets=topic,region,author,publisher,series,type,language,year&per_page=1&fields=id||fresh|2"
    "histogram-month-fresh|facets|/v1/articles?topic={topic}&histogram=month&per_page=1&fields=id||fresh|2"
    "cursor-2500-fresh|list|/v1/articles?cursor=$cursor_2500|quick|fresh"
    "suggest-random|search|/v1/suggest?q={prefix}||fresh"
    "feed-rss-random-fresh|feed|/v1/articles?topic={topic}&format=rss|quick|fresh"
    "feed-atom-random-fresh|feed|/v1/articles?topic={topic}&format=atom||fresh"
    "feed-jsonfeed-random-fresh|feed|/v1/articles?topic={topic}&format=jsonfeed||fresh"
    "feed-rss-random|feed|/v1/articles?topic={topic}&format=rss|quick"
    "feed-atom-random|feed|/v1/articles?topic={topic}&format=atom|"
    "feed-jsonfeed-random|feed|/v1/articles?topic={topic}&format=jsonfeed|"
    "feed-rss-304|feed|/v1/articles?topic=$same_topic&format=rss|quick|revalidate"
    "livez|trivial|/livez|quick"
    "healthz|service|/healthz|"
    "repeated|repeated|/v1/articles?topic=$same_topic&region=$top_region|quick"
)

# run_wrk DURATION OUTFILE ARGS...: wrk in the background and `wait`, so that INT/TERM reach the traps
# (and the cleanup) at once rather than when wrk ends.
WRK_PID=
run_wrk() {
    local duration=$1 out=$2
    shift 2
    local conns=${CONNS:-$CONNECTIONS}
    # wrk needs at least one connection per thread.
    wrk -t"$(( THREADS < conns ? THREADS : conns ))" -c"$conns" -d"$duration" --timeout "$TIMEOUT" "$@" >"$out" 2>&1 &
    WRK_PID=$!
    wait "$WRK_PID" || true
    WRK_PID=
}

wrk_flags="-t$THREADS -c$CONNECTIONS -d$DURATION --timeout $TIMEOUT"
wrk_flags_c2="-t$(( THREADS < 2 ? THREADS : 2 )) -c2 -d$DURATION --timeout $TIMEOUT"
RESULTS="$RUN_DIR/results.ndjson"
: >"$RESULTS"

selected=()
for def in "${scenario_defs[@]}"; do
    IFS='|' read -r name group path quick _ _ <<<"$def"
    [[ $QUICK == 1 && $quick != quick ]] && continue
    [[ -n $SCENARIOS && ! $name =~ $SCENARIOS ]] && continue
    if [[ $name == cursor-2500-fresh && -z $cursor_2500 ]]; then
        log "leaving out $name: the list has no page 2,500 ($last_page pages), so no cursor for it"
        continue
    fi
    selected+=("$def")
done
((${#selected[@]})) || [[ contention =~ ${SCENARIOS:-^$} ]] || die "no scenario matches SCENARIOS=$SCENARIOS"

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
log "running ${#selected[@]} scenarios: wrk $wrk_flags (warm-up $WARMUP each) against $BASE"
i=0
for def in "${selected[@]}"; do
    IFS='|' read -r name group path quick fresh conns <<<"$def"
    i=$((i + 1))
    CONNS=${conns:-$CONNECTIONS}
    # "fresh" scenarios send Cache-Control: no-cache, which makes the server compute every answer instead
    # of serving it from its response cache (ETag checks and the count/anchor caches still apply).
    headers=()
    [[ $fresh == fresh ]] && headers=(-H "Cache-Control: no-cache")
    # "revalidate" scenarios send the answer's own ETag back: every answer is a 304.
    if [[ $fresh == revalidate ]]; then
        tag=$(curl -s -D - -o /dev/null --max-time 30 "$BASE$path" | tr -d '\r' | awk -F': ' 'tolower($1) == "etag" { print $2 }')
        [[ -n $tag ]] || log "warning: $name: GET $path has no ETag"
        headers=(-H "If-None-Match: $tag")
    fi
    if [[ $path == *"{"* ]]; then
        script=("${headers[@]}" -s bench/pick.lua "$BASE/" -- "$path")
    else
        script=("${headers[@]}" -s bench/report.lua "$BASE$path")
    fi
    # Sanity check: one request with curl, so that a 4xx/5xx shows up with its body.
    if [[ $path != *"{"* ]]; then
        status=$(curl -s -o "$RUN_DIR/$name.sample.json" -w '%{http_code}' --max-time 30 "$BASE$path" || echo 000)
        if [[ $status != 2* ]]; then
            log "warning: $name: GET $path answered $status: $(head -c 300 "$RUN_DIR/$name.sample.json")"
        fi
    fi
    run_wrk "$WARMUP" "$RUN_DIR/$name.warmup.txt" "${script[@]}"
    start_ms=$(date +%s%3N)
    cpu_before=$(cpu_ticks)
    run_wrk "$DURATION" "$RUN_DIR/$name.txt" "${script[@]}"
    cpu_after=$(cpu_ticks)
    end_ms=$(date +%s%3N)
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        tail -n 30 "$RUN_DIR/server.log" >&2
        SERVER_PID=
        die "the server died during scenario $name (log above; $RUN_DIR/server.log)"
    fi
    peak_kib=$(awk -v a="$start_ms" -v b="$end_ms" '$1 >= a && $1 <= b && $2 > m { m = $2 } END { print m + 0 }' "$RUN_DIR/rss.log")
    result=$(sed -n 's/^BENCH_RESULT //p' "$RUN_DIR/$name.txt" | tail -n 1)
    if [[ -z $result ]]; then
        log "warning: $name: wrk produced no result; its output:"
        cat "$RUN_DIR/$name.txt" >&2
        result='{"failed":true}'
    fi
    cpu_ms=$(awk -v t=$((cpu_after - cpu_before)) -v hz="$CLK_TCK" 'BEGIN { printf "%.3f", t * 1000 / hz }')
    jq -c --arg name "$name" --arg group "$group" --arg path "$path" --argjson rss "$peak_kib" --argjson conns "$CONNS" \
        --argjson cpu_ms "$cpu_ms" '
        . + {name: $name, group: $group, path: $path, rss_peak_kib: $rss, connections: $conns}
        | if .failed then . else
            . + { rps: (.requests / (.duration_us / 1e6)),
                  cpu_ms_per_request: (if .requests > 0 then $cpu_ms / .requests else null end),
                  bytes_per_response: (if .requests > 0 then .bytes / .requests else 0 end),
                  socket_errors: (.connect + .read + .write + .timeout) }
          end' <<<"$result" >>"$RESULTS"
    jq -r --arg n "$i/${#selected[@]}" '
        if .failed then "[\($n)] \(.name): FAILED" else
        "[\($n)] \(.name): \(.rps | floor) req/s, CPU \((.cpu_ms_per_request // 0) * 1000 | floor / 1000) ms/req, p50 \(.p50_us / 1000) ms, p99 \(.p99_us / 1000) ms, \(.bytes_per_response | floor) B/resp, non-2xx \(.non2xx), socket errors \(.socket_errors)"
        end' <<<"$(tail -n 1 "$RESULTS")" >&2
done

# ---------------------------------------------------------------------------------------------- 6b. contention

# Cheap lists while hostile searches run. First the cheap list alone at CONNECTIONS, then the same with
# HOSTILE_CONNECTIONS clients sending the most expensive request the API accepts, over and over: a `q` of
# two-word phrases of common words joined by OR (as many as the 500 characters and the caps allow), all
# eight facets, a monthly histogram, filters, 100 items with bodies, `no-cache`. The server must keep the
# cheap lists' throughput and latency; the hostile requests may only get 200 or the documented 503s.
contention_ran=0
if [[ $QUICK != 1 && ( -z $SCENARIOS || contention =~ $SCENARIOS ) ]]; then
    contention_ran=1
    words=(policy security government economic alliance trade minister regional)
    phrases=()
    for a in "${words[@]}"; do
        for b in "${words[@]}"; do
            [[ $a != "$b" ]] && phrases+=("\"$a $b\"")
        done
    done
    # Parts of up to 6 alternatives, as many parts as fit in 500 characters.
    hostile_q=
    part=
    n=0
    for p in "${phrases[@]}"; do
        if ((n == 6)); then
            hostile_q+="${hostile_q:+ }$part"
            part=
            n=0
        fi
        candidate="${part:+$part OR }$p"
        whole="${hostile_q:+$hostile_q }$candidate"
        ((${#whole} <= 500)) || break
        part=$candidate
        n=$((n + 1))
    done
    [[ -n $part ]] && hostile_q+="${hostile_q:+ }$part"
    hostile_path="/v1/articles?q=$(jq -rn --arg q "$hostile_q" '$q | @uri')&facets=topic,region,author,publisher,series,type,language,year&histogram=month&language=en&type=!event&published_after=2000-01-01&per_page=100&include=body"
    HOSTILE_CONNECTIONS=${HOSTILE_CONNECTIONS:-4}
    cheap_path='/v1/articles?topic={topic}'
    status=$(curl -s -o "$RUN_DIR/hostile.sample.json" -w '%{http_code}' --max-time 30 -H 'Cache-Control: no-cache' "$BASE$hostile_path" || echo 000)
    log "contention: the hostile request (${#hostile_q} characters of q) answers $status alone"
    secs() { case $1 in *ms) echo 1 ;; *s) echo "${1%s}" ;; *m) echo $((${1%m} * 60)) ;; *) echo "$1" ;; esac; }
    cheap_script=(-H "Cache-Control: no-cache" -s bench/pick.lua "$BASE/" -- "$cheap_path")

    log "contention: cheap list alone ($cheap_path, no-cache, $CONNECTIONS connections)"
    CONNS=$CONNECTIONS run_wrk "$WARMUP" "$RUN_DIR/contention-alone.warmup.txt" "${cheap_script[@]}"
    CONNS=$CONNECTIONS run_wrk "$DURATION" "$RUN_DIR/contention-alone.txt" "${cheap_script[@]}"

    heavy_before=$(api /healthz | jq -c .heavy)
    errors_before=$(grep -c 'request failed' "$RUN_DIR/server.log" || true)
    hostile_secs=$(($(secs "$WARMUP") + $(secs "$DURATION") + 2))
    log "contention: the same with $HOSTILE_CONNECTIONS hostile clients for ${hostile_secs}s"
    wrk -t1 -c"$HOSTILE_CONNECTIONS" -d"${hostile_secs}s" --timeout 10s -H 'Cache-Control: no-cache' \
        -s bench/report.lua "$BASE$hostile_path" >"$RUN_DIR/contention-hostile.txt" 2>&1 &
    HOSTILE_PID=$!
    sleep "$(secs "$WARMUP")"
    CONNS=$CONNECTIONS run_wrk "$DURATION" "$RUN_DIR/contention-loaded.txt" "${cheap_script[@]}"
    wait "$HOSTILE_PID" || true
    heavy_after=$(api /healthz | jq -c .heavy)
    errors_after=$(grep -c 'request failed' "$RUN_DIR/server.log" || true)

    result_of() { sed -n 's/^BENCH_RESULT //p' "$1" | tail -n 1; }
    contention_json=$(jq -n \
        --argjson alone "$(result_of "$RUN_DIR/contention-alone.txt")" \
        --argjson loaded "$(result_of "$RUN_DIR/contention-loaded.txt")" \
        --argjson hostile "$(result_of "$RUN_DIR/contention-hostile.txt")" \
        --argjson before "$heavy_before" --argjson after "$heavy_after" \
        --argjson logged "$((errors_after - errors_before))" \
        'def rps: .requests / (.duration_us / 1e6);
         {alone: ($alone + {rps: ($alone | rps)}), loaded: ($loaded + {rps: ($loaded | rps)}),
          hostile: ($hostile + {rps: ($hostile | rps)}),
          heavy: {completed: ($after.completed - $before.completed), refused: ($after.refused - $before.refused),
                  timed_out: ($after.timed_out - $before.timed_out), cancelled: ($after.cancelled - $before.cancelled),
                  failed: ($after.failed - $before.failed)},
          logged_failures: $logged}')
    echo "$contention_json" >"$RUN_DIR/contention.json"
    log "contention: $(jq -c '{alone: (.alone.rps | floor), loaded: (.loaded.rps | floor), p99_loaded_ms: (.loaded.p99_us / 1000), heavy}' <<<"$contention_json")"
fi

[[ -z ${RESULTS_COPY:-} ]] || cp "$RESULTS" "$RESULTS_COPY"

# ---------------------------------------------------------------------------------------------- 7. memory

hwm_kib=$(rss_kib "$SERVER_PID" VmHWM)
rss_end_kib=$(rss_kib "$SERVER_PID" VmRSS)
rss_anon_kib=$(rss_kib "$SERVER_PID" RssAnon)
rss_file_kib=$(rss_kib "$SERVER_PID" RssFile)
rss_sampled_peak_kib=$(awk '$2 > m { m = $2 } END { print m + 0 }' "$RUN_DIR/rss.log")
rss_samples=$(wc -l <"$RUN_DIR/rss.log" | tr -d ' ')

# ---------------------------------------------------------------------------------------------- 8. report

# shellcheck disable=SC2016 # jq, not shell
JQ_LIB='
def commas: floor | tostring | explode | reverse | [_nwise(3) | reverse | implode] | reverse | join(",");
def ms: . / 1000 | if . >= 100 then (. | floor | tostring) elif . >= 10 then ((. * 10 | round) / 10 | tostring)
        else ((. * 100 | round) / 100 | tostring) end | . + " ms";
def mib: . / 1024 | (. * 10 | round) / 10 | tostring + " MiB";
def ratio: (. * 100 | round) / 100 | tostring + "×";
def code: "`" + . + "`";
def errs: if .failed then "wrk failed"
          elif (.non2xx + .socket_errors) == 0 then "0"
          else "**\(.non2xx + .socket_errors)** (non-2xx \(.non2xx), connect \(.connect), read \(.read), write \(.write), timeout \(.timeout))"
          end;
'

results_table=$(jq -rs "$JQ_LIB"'
    "| scenario | URL pattern | conns | req/s | p50 | p99 | bytes/resp | errors |",
    "|---|---|--:|--:|--:|--:|--:|---|",
    (.[] | if .failed then "| \(.name) | \(.path | code) | \(.connections) | – | – | – | – | wrk failed |" else
        "| \(.name) | \(.path | code) | \(.connections) | \(.rps | commas) | \(.p50_us | ms) | \(.p99_us | ms) | \(.bytes_per_response | commas) | \(errs) |"
    end)' "$RESULTS")

rss_table=$(jq -rs "$JQ_LIB"'
    "| scenario | peak sampled RSS |", "|---|--:|",
    (.[] | "| \(.name) | \(.rss_peak_kib | mib) |")' "$RESULTS")

# Targets. Each row: target | measured | ratio | met/missed.
targets_table=$(jq -rs --argjson hwm "${hwm_kib:-0}" --arg cursor_2500 "$cursor_2500" "$JQ_LIB"'
    def by($n): map(select(.name == $n and (.failed | not)))[0];
    def mark($ok): if $ok then "met" else "**missed**" end;
    (map(select(.group == "list" and (.failed | not)))) as $lists
    | (map(select(.group == "single" and (.failed | not)))) as $singles
    | "| target | measured | ratio | result |", "|---|---|--:|---|",
      ( if ($lists | length) > 0 then
          ($lists | min_by(.rps)) as $w
          | [$lists[] | select(.rps < 5000) | .name] as $miss
          | "| every list endpoint ≥ 5,000 req/s | slowest: \($w.name) \($w.rps | commas) req/s\(if ($miss | length) > 0 then "; below: " + ($miss | join(", ")) else "" end) | \($w.rps / 5000 | ratio) | \(mark(($miss | length) == 0)) |",
          ( ($lists | max_by(.p99_us)) as $w
          | [$lists[] | select(.p99_us > 20000) | .name] as $miss
          | "| every list endpoint p99 ≤ 20 ms | worst: \($w.name) \($w.p99_us | ms)\(if ($miss | length) > 0 then "; above: " + ($miss | join(", ")) else "" end) | \($w.p99_us / 20000 | ratio) of the limit | \(mark(($miss | length) == 0)) |" )
        else "| every list endpoint ≥ 5,000 req/s, p99 ≤ 20 ms | not measured | – | – |" end ),
      ( if ($singles | length) > 0 then
          ($singles | min_by(.rps)) as $w
          | [$singles[] | select(.rps < 10000) | .name] as $miss
          | "| single article ≥ 10,000 req/s | slowest: \($w.name) \($w.rps | commas) req/s\(if ($miss | length) > 0 then "; below: " + ($miss | join(", ")) else "" end) | \($w.rps / 10000 | ratio) | \(mark(($miss | length) == 0)) |"
        else "| single article ≥ 10,000 req/s | not measured | – | – |" end ),
      ( by("repeated") as $r | by("livez") as $h
        | if $r and $h then
            "| repeated identical request ≥ 0.5× the trivial /livez | \($r.rps | commas) vs \($h.rps | commas) req/s | \($r.rps / $h.rps | ratio) (target ≥ 0.5×) | \(mark($r.rps >= 0.5 * $h.rps)) |"
          else "| repeated identical request ≥ 0.5× /livez | not measured | – | – |" end ),
      ( by("page-1-fresh") as $a | by("page-2500-fresh") as $b
        | if $a and $b then
            "| page 2,500 no slower than 1.5× page 1 (both computed, `no-cache`) | page 2,500: \($b.rps | commas) req/s, p50 \($b.p50_us | ms); page 1: \($a.rps | commas) req/s, p50 \($a.p50_us | ms) | page 1 ÷ page 2,500 req/s = \($a.rps / $b.rps | ratio) (target ≤ 1.5×) | \(mark($a.rps <= 1.5 * $b.rps)) |"
          else "| page 2,500 no slower than 1.5× page 1 | not measured | – | – |" end ),
      ( by("page-1-fresh") as $a | by("cursor-2500-fresh") as $b
        | if $a and $b then
            "| cursor page 2,500 no slower than page 1 (both computed) | cursor 2,500: \($b.rps | commas) req/s, p50 \($b.p50_us | ms); page 1: \($a.rps | commas) req/s, p50 \($a.p50_us | ms) | page 1 ÷ cursor 2,500 req/s = \($a.rps / $b.rps | ratio) (target ≤ 1×, within noise) | \(mark($a.rps <= 1.1 * $b.rps)) |"
          elif $cursor_2500 == "" then "| cursor page 2,500 no slower than page 1 | not run (the corpus has no page 2,500) | – | – |"
          else "| cursor page 2,500 no slower than page 1 | not measured | – | – |" end ),
      ( [by("search-common-fresh"), by("search-common-random-fresh")] | map(select(. != null)) as $s
        | if ($s | length) > 0 then
            ($s | max_by(.p99_us)) as $w
            | "| ranked search top-20 for a common word, with highlights, p99 ≤ 20 ms (2 connections) | worst: \($w.name) p99 \($w.p99_us | ms), p50 \($w.p50_us | ms) | \($w.p99_us / 20000 | ratio) of the limit | \(mark($w.p99_us <= 20000)) |"
          else "| search p99 ≤ 20 ms | not measured | – | – |" end ),
      ( by("facets-filtered-fresh") as $f
        | if $f then
            "| facets for all dimensions on a filtered set p99 ≤ 10 ms (2 connections) | p99 \($f.p99_us | ms), p50 \($f.p50_us | ms) | \($f.p99_us / 10000 | ratio) of the limit | \(mark($f.p99_us <= 10000)) |"
          else "| facets p99 ≤ 10 ms | not measured | – | – |" end ),
      ( by("topic-random-fresh") as $j
        | [by("feed-rss-random-fresh"), by("feed-atom-random-fresh"), by("feed-jsonfeed-random-fresh")] | map(select(. != null)) as $f
        | if $j and ($f | length) > 0 then
            ($f | min_by(.rps)) as $w
            | "| a computed feed ≥ 0.8× the computed JSON list of the same slice (`topic-random-fresh`) | slowest: \($w.name) \($w.rps | commas) req/s vs JSON \($j.rps | commas) req/s | \($w.rps / $j.rps | ratio) (target ≥ 0.8×) | \(mark($w.rps >= 0.8 * $j.rps)) |"
          else "| a computed feed ≥ 0.8× the computed JSON list | not measured | – | – |" end ),
      ( by("feed-rss-304") as $r | by("livez") as $h
        | if $r and $h then
            "| a feed revalidated with its ETag (304) ≥ 0.8× the trivial /livez | \($r.rps | commas) vs \($h.rps | commas) req/s | \($r.rps / $h.rps | ratio) (target ≥ 0.8×) | \(mark($r.rps >= 0.8 * $h.rps)) |"
          else "| a 304 revalidation ≥ 0.8× /livez | not measured | – | – |" end ),
      ( if $hwm > 0 then
          "| server RSS ≤ 100 MiB (lists) / ≤ 150 MiB (with search) | peak (VmHWM) \($hwm | mib) | \($hwm / 102400 | ratio) of 100 MiB, \($hwm / 153600 | ratio) of 150 MiB | \(mark($hwm <= 102400)) / \(mark($hwm <= 153600)) |"
        else "| server RSS | not measured | – | – |" end ),
      ( [.[] | select(.failed or (.non2xx + .socket_errors) > 0) | .name] as $bad
        | "| no errors in any scenario | \(if ($bad | length) > 0 then "errors in: " + ($bad | join(", ")) else "none" end) | – | \(mark(($bad | length) == 0)) |" )
' "$RESULTS")

echo
echo "$results_table"
echo
echo "$targets_table"
echo

contention_section=
if [[ $contention_ran == 1 ]]; then
    contention_section=$(jq -r --arg cheap "$cheap_path" --arg hostile "$hostile_path" --arg hc "$HOSTILE_CONNECTIONS"         --arg conns "$CONNECTIONS" "$JQ_LIB"'
        def mark($ok): if $ok then "met" else "**missed**" end;
        (.loaded.rps / .alone.rps) as $keep
        | (.hostile.requests) as $sent
        | (.heavy.refused + .heavy.timed_out + .heavy.cancelled) as $refused
        | "",
          "### Cheap lists under hostile search load",
          "",
          "The cheap list \($cheap | code) (computed: `no-cache`) at \($conns) connections, alone and then while \($hc) clients send, over and over, the most expensive search the API accepts:",
          "",
          "```",
          "GET \($hostile)",
          "```",
          "",
          "| | cheap list alone | cheap list under hostile load |",
          "|---|--:|--:|",
          "| req/s | \(.alone.rps | commas) | \(.loaded.rps | commas) |",
          "| p50 | \(.alone.p50_us | ms) | \(.loaded.p50_us | ms) |",
          "| p99 | \(.alone.p99_us | ms) | \(.loaded.p99_us | ms) |",
          "| non-2xx, socket errors | \(.alone.non2xx), \(.alone.connect + .alone.read + .alone.write + .alone.timeout) | \(.loaded.non2xx), \(.loaded.connect + .loaded.read + .loaded.write + .loaded.timeout) |",
          "",
          "Hostile requests: \(.hostile.requests) answered (\(.hostile.rps * 100 | round / 100) req/s, p50 \(.hostile.p50_us | ms)); the heavy pool counted \(.heavy.completed) completed (200), \(.heavy.timed_out) stopped at the deadline (503), \(.heavy.refused) refused as overloaded (503), \(.heavy.cancelled) cancelled, \(.heavy.failed) failed; \(.logged_failures) server errors logged.",
          "",
          "| target | measured | result |",
          "|---|---|---|",
          "| cheap lists keep ≥ 80% of their throughput | \($keep * 100 | round)% | \(mark($keep >= 0.8)) |",
          "| cheap lists p99 < 50 ms under load | \(.loaded.p99_us | ms) | \(mark(.loaded.p99_us < 50000)) |",
          "| no error on the cheap lists | \(.loaded.non2xx + .loaded.connect + .loaded.read + .loaded.write + .loaded.timeout) | \(mark((.loaded.non2xx + .loaded.connect + .loaded.read + .loaded.write + .loaded.timeout) == 0)) |",
          "| hostile requests get only 200 or the documented 503s | non-2xx \(.hostile.non2xx) = 503s \($refused)? failed \(.heavy.failed), logged \(.logged_failures) | \(mark(.heavy.failed == 0 and .logged_failures == 0 and .hostile.non2xx <= $refused and (.hostile.connect + .hostile.read + .hostile.write) == 0)) |"
        ' "$RUN_DIR/contention.json")
fi

# Machine and build.
cpu_model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
[[ -n $cpu_model ]] || cpu_model=$(uname -m)
mem_total=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
os_name=$(awk -F= '$1 == "PRETTY_NAME" { gsub(/"/, "", $2); print $2 }' /etc/os-release 2>/dev/null || true)
commit=$(git_commit)
load_end=$(cut -d' ' -f1-3 /proc/loadavg)
rustc_version=$(rustc --version 2>/dev/null || echo unknown)
wrk_version=$(wrk --version 2>&1 | head -n 1 | awk '{ print $2 }' || true)
mode=$([[ $QUICK == 1 ]] && echo "quick (smoke test: short runs, fewer scenarios — not for comparison)" || echo full)

if [[ $import_reused == 1 ]]; then
    import_note="The database was imported by an earlier run and reused (\`REBUILD=1\` re-imports); recorded then:"
else
    import_note="Imported by this run:"
fi
if [[ -n $corpus_record && -f $corpus_record ]]; then
    corpus_block=$(cat "$corpus_record")
else
    corpus_block="$corpus_cmd"
fi

random_desc="{topic}: ${#topics[@]} topics with articles; {region}: ${#regions[@]} regions of type region; {author}: ${#authors[@]} authors (the most prolific first, pages spread over the list); {article_id}/{article_slug}: ${#article_ids[@]} articles spread over the list; {year}: ${#years[@]} years with articles (${years[0]}–${years[-1]}); {page}: 1–$pick_last_page$(if ((pick_last_page < last_page)); then echo " (of $last_page: the API stops at page 10,000)"; fi)"

# Keep the Notes of the previous report.
notes=
if [[ -f $OUTPUT ]] && grep -q '<!-- notes -->' "$OUTPUT"; then
    notes=$(awk '/<!-- \/notes -->/ { inside = 0 } inside { print } /<!-- notes -->/ { inside = 1 }' "$OUTPUT")
fi
[[ -n ${notes//[[:space:]]/} ]] || notes="_TODO (a human): what the numbers mean, what changed since the last run, what to look at next._"

mkdir -p "$(dirname "$OUTPUT")"
{
    cat <<EOF
# Benchmarks

Generated by \`bench/run.sh\` — rerun it to refresh this file (see the top of the script for options).
Everything outside the Notes section is overwritten on each run.

- **Date:** $(date -u '+%Y-%m-%d %H:%M UTC')
- **Commit:** \`$commit\`
- **Mode:** $mode
- **Machine:** $(nproc) CPUs ($cpu_model), $mem_total RAM, Linux $(uname -r)${os_name:+, $os_name}
- **Toolchain:** $rustc_version; wrk $wrk_version
- **Corpus:** $article_total articles (\`$corpus\`, sha256 \`$corpus_sha…\`); database \`$db\`
- **Load average** (1/5/15 min) before the scenarios: $load_start; after: $load_end (wrk and the server
  share these CPUs; anything else running skews the numbers)
- **Load:** wrk on the same machine, 127.0.0.1, $THREADS threads, $CONNECTIONS connections, $DURATION per scenario after a $WARMUP warm-up, timeout $TIMEOUT

## Commands

\`\`\`sh
# corpus
$corpus_cmd
# import
$import_cmd
# server
$server_cmd
# load, per scenario (the same request every time)
wrk $wrk_flags -s bench/report.lua '$BASE/v1/articles'
# load, per scenario (a random pick per request from bench/cache/targets.lua)
BENCH_TARGETS=$TARGETS_FILE wrk $wrk_flags -s bench/pick.lua '$BASE/' -- '/v1/articles?topic={topic}'
# -fresh scenarios add this header (the server computes every answer instead of serving its response cache)
wrk $wrk_flags -H 'Cache-Control: no-cache' -s bench/report.lua '$BASE/v1/articles?page=1'
# search, facet and histogram scenarios with 2 connections (the conns column)
BENCH_TARGETS=$TARGETS_FILE wrk $wrk_flags_c2 -H 'Cache-Control: no-cache' -s bench/pick.lua '$BASE/' -- '/v1/articles?q={word}'
\`\`\`

Each scenario is preceded by a warm-up of $WARMUP with the same flags.

## Import

$import_note

\`\`\`
$corpus_block

$(cat "$import_record" 2>/dev/null || echo "(no import record: $import_record is missing)")
\`\`\`

## Results

$results_table

- URL patterns with \`{name}\` pick a value at random per request (\`bench/pick.lua\`) among: $random_desc.
- The "same" scenarios use the topic and author with the most articles, the top-level region with the most
  articles (\`$top_region\`, with its descendants), the busiest year ($best_year, $best_year_count articles),
  and one article from the middle of the list.
- \`repeated\` sends one identical, non-trivial list request every time (compare with the trivial \`livez\`).
- p50/p99 are wrk's latency percentiles; bytes/resp is wrk's bytes read ÷ requests (headers included);
  errors are responses with status ≥ 400 (wrk's "Non-2xx or 3xx responses") plus socket errors
  (connect, read, write, timeout).
- Raw output: \`$RUN_DIR/\` (git-ignored).

## Server memory

- RSS after startup: $(awk -v k="${rss_idle_kib:-0}" 'BEGIN { printf "%.1f MiB", k / 1024 }')
- Peak RSS (VmHWM, read at the end): **$(awk -v k="${hwm_kib:-0}" 'BEGIN { printf "%.1f MiB", k / 1024 }')**
- Peak of $rss_samples VmRSS samples (every 0.5 s): $(awk -v k="$rss_sampled_peak_kib" 'BEGIN { printf "%.1f MiB", k / 1024 }'); RSS at the end: $(awk -v k="${rss_end_kib:-0}" -v a="${rss_anon_kib:-0}" -v f="${rss_file_kib:-0}" \
    'BEGIN { printf "%.1f MiB (anonymous %.1f MiB, file-backed %.1f MiB)", k / 1024, a / 1024, f / 1024 }')

<details><summary>Peak sampled RSS per scenario</summary>

$rss_table

</details>

## Targets

$targets_table
$contention_section

## Notes

<!-- notes -->
$notes
<!-- /notes -->
EOF
} >"$OUTPUT.tmp"
TMP_FILES+=("$OUTPUT.tmp")
mv "$OUTPUT.tmp" "$OUTPUT"
cp "$OUTPUT" "$RUN_DIR/"
log "wrote $OUTPUT (raw output in $RUN_DIR)"
