# Shared by bench/writes.sh and bench/export.sh: source it after setting
# ROOT, NAME (the run's folder prefix) and PORT, then call
#   scratch_server TOOL...   checks the tools, builds the release binary (unless SKIP_BUILD=1),
#                            generates the corpus once (bench/cache), imports it into a scratch
#                            database under RUN, starts the server on PORT and waits until its
#                            search index has caught up; sets BIN, BASE, RUN, DB, SERVER_PID and
#                            removes the scratch database on exit. BACKEND=postgres with PG_URL (a
#                            server bench/run.sh BACKEND=postgres has imported into): the scratch
#                            database is a copy of its bench_ARTICLES_SEED (CREATE DATABASE … TEMPLATE).

scratch_server() {
    local tool
    for tool in "$@"; do
        command -v "$tool" >/dev/null || { echo "$0 needs $tool (bench/run.sh installs it)" >&2; exit 2; }
    done
    ARTICLES=${ARTICLES:-100000}
    SEED=${SEED:-42}
    BASE=http://127.0.0.1:$PORT
    CACHE=$ROOT/bench/cache
    RUN=$CACHE/$NAME-$(date +%Y%m%d-%H%M%S)
    mkdir -p "$RUN"
    [[ ${SKIP_BUILD:-0} == 1 ]] || cargo build --release --locked >&2
    BIN=$ROOT/target/release/commentary-api
    local corpus=$CACHE/corpus-$ARTICLES-$SEED.ndjson
    if [[ ! -s $corpus ]]; then
        echo "generating $corpus" >&2
        "$BIN" gen-corpus --articles "$ARTICLES" --seed "$SEED" >"$corpus.tmp" && mv "$corpus.tmp" "$corpus"
    fi
    SERVER_PID=
    if [[ ${BACKEND:-sqlite} == postgres ]]; then
        [[ -n ${PG_URL:-} ]] || { echo "BACKEND=postgres needs PG_URL" >&2; exit 2; }
        local name template=bench_${ARTICLES}_${SEED}
        name=scratch_$(date +%s)_$$
        DB=${PG_URL%/*}/$name
        if [[ $(psql "$PG_URL" -qAtc "SELECT count(*) FROM pg_database WHERE datname = '$template'") == 1 ]]; then
            echo "copying $template into a scratch database $DB" >&2
            psql "$PG_URL" -qc "CREATE DATABASE $name TEMPLATE $template"
        else
            echo "importing into a scratch database $DB" >&2
            psql "$PG_URL" -qc "CREATE DATABASE $name"
            "$BIN" --database "$DB" import "$corpus" 2>"$RUN/import.log"
        fi
        trap '[[ -n $SERVER_PID ]] && kill "$SERVER_PID" 2>/dev/null; wait 2>/dev/null; psql "$PG_URL" -qc "DROP DATABASE IF EXISTS '"$name"' WITH (FORCE)"; rm -rf "$RUN/index"' EXIT
    else
        DB=$RUN/db.sqlite
        echo "importing into a scratch database $DB" >&2
        "$BIN" --database "$DB" import "$corpus" 2>"$RUN/import.log"
        trap '[[ -n $SERVER_PID ]] && kill "$SERVER_PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$DB"* "$RUN/index"' EXIT
    fi
    RUST_LOG=warn "$BIN" --database "$DB" --index-dir "$RUN/index" --no-seed --port "$PORT" >"$RUN/server.log" 2>&1 &
    SERVER_PID=$!
    local h
    for _ in $(seq 1 600); do curl -sf "$BASE/healthz" >/dev/null && break; sleep 0.5; done
    curl -sf "$BASE/healthz" >/dev/null || { echo "the server did not start" >&2; cat "$RUN/server.log" >&2; exit 1; }
    # The search index is built at the first start: wait until it has caught up.
    for _ in $(seq 1 600); do
        h=$(curl -s "$BASE/healthz")
        [[ $(jq .data_version <<<"$h") == $(jq .search_index_version <<<"$h") ]] && break
        sleep 1
    done
}
