#!/usr/bin/env bash
# Property-based API test: schemathesis against a running server, driven by
# the COMMITTED spec (openapi/openapi.json), with every check enabled.
#
#   .ci/schemathesis.sh [SERVER_BINARY]
#
# Without SERVER_BINARY it runs `cargo build --release --locked` and uses
# target/release/commentary-api. The server is started on
# a free loopback port over a fresh temporary SQLite file (seeded from the
# bundled corpus on first start) and always stopped on exit.
#
# Knobs (environment):
#   ST_VERSION       schemathesis version to install        (default 4.32.5)
#   ST_VENV          virtualenv to create/reuse             (default ${TMPDIR:-/tmp}/commentary-st-venv-$ST_VERSION)
#   ST_SEED          generation seed                        (default 42)
#   ST_MAX_EXAMPLES  examples per operation and phase       (default 50)
#   ST_WORKERS       concurrent workers                     (default 1: with more, the stateful phase and so the run vary from run to run)
#   ST_REPORT_DIR    where JUnit/NDJSON reports are written (default a temp dir, path printed)
#   PYTHON           interpreter used to create the venv    (default python3; when it is missing or
#                    cannot create one, python3 and python3-venv are apt-get installed, sudo when not root)
#
# Exit status: schemathesis's own (non-zero on any failure or error), or
# non-zero when the server could not be built or started.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD

ST_VERSION=${ST_VERSION:-4.32.5}
ST_SEED=${ST_SEED:-42}
ST_MAX_EXAMPLES=${ST_MAX_EXAMPLES:-50}
ST_WORKERS=${ST_WORKERS:-1}
PYTHON=${PYTHON:-python3}
TMP_BASE=${TMPDIR:-/tmp}
ST_VENV=${ST_VENV:-$TMP_BASE/commentary-st-venv-$ST_VERSION}
SPEC=$ROOT/openapi/openapi.json

BIN=${1:-}
if [[ -z $BIN ]]; then
    # Always (re)build: a stale binary would test old code. A no-op when up to date.
    echo "== cargo build --release --locked"
    cargo build --release --locked
    BIN=$ROOT/target/release/commentary-api
fi
if [[ ! -x $BIN ]]; then
    echo "error: server binary '$BIN' is missing or not executable" >&2
    exit 2
fi
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")

# --- schemathesis, pinned, in its own virtualenv -----------------------------
# `python3 -m venv` needs python3 and, on Debian, python3-venv: install them
# with apt-get (sudo when not root) when the interpreter is missing or cannot
# create a virtualenv.
install_python() {
    if ! command -v apt-get >/dev/null; then
        echo "error: cannot create a virtualenv with $PYTHON, and no apt-get to install python3 python3-venv with; install them by hand" >&2
        exit 2
    fi
    local sudo=
    if [[ $(id -u) != 0 ]]; then
        if ! command -v sudo >/dev/null; then
            echo "error: cannot create a virtualenv with $PYTHON; need root or sudo to apt-get install python3 python3-venv" >&2
            exit 2
        fi
        sudo=sudo
    fi
    echo "== installing python3 python3-venv (apt-get)"
    $sudo apt-get install -y python3 python3-venv ||
        { $sudo apt-get update && $sudo apt-get install -y python3 python3-venv; }
}
if [[ ! -x $ST_VENV/bin/st ]] || [[ "$("$ST_VENV/bin/st" --version 2>/dev/null)" != *" $ST_VERSION" ]]; then
    echo "== installing schemathesis $ST_VERSION into $ST_VENV"
    rm -rf "$ST_VENV"
    if ! command -v "$PYTHON" >/dev/null || ! "$PYTHON" -m venv "$ST_VENV"; then
        rm -rf "$ST_VENV"
        install_python
        "$PYTHON" -m venv "$ST_VENV"
    fi
    "$ST_VENV/bin/python" -m pip install --quiet --disable-pip-version-check "schemathesis==$ST_VERSION"
fi
"$ST_VENV/bin/st" --version

# --- the server, on a free port over a fresh database -------------------------
WORK=$(mktemp -d "$TMP_BASE/commentary-st.XXXXXX")
REPORT_DIR=${ST_REPORT_DIR:-$WORK/report}
SERVER_PID=
ST_PID=
cleanup() {
    local status=$?
    if [[ -n $ST_PID ]] && kill -0 "$ST_PID" 2>/dev/null; then
        kill -TERM "$ST_PID" 2>/dev/null || true
        wait "$ST_PID" 2>/dev/null || true
    fi
    if [[ -n $SERVER_PID ]]; then
        if kill -0 "$SERVER_PID" 2>/dev/null; then
            kill -TERM "$SERVER_PID" 2>/dev/null || true
            for _ in $(seq 1 100); do
                kill -0 "$SERVER_PID" 2>/dev/null || break
                sleep 0.1
            done
            kill -KILL "$SERVER_PID" 2>/dev/null || true
        else
            # The server died under test: that is a failure whatever schemathesis said.
            echo "error: the server exited during the run; its log follows" >&2
            tail -n 50 "$WORK/server.log" >&2 || true
            [[ $status -ne 0 ]] || status=1
        fi
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    # The reports stay (under $REPORT_DIR); the scratch database goes.
    rm -rf "$WORK"/db.sqlite*
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

PORT=$("$ST_VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
BASE=http://127.0.0.1:$PORT

echo "== starting $BIN on $BASE (database $WORK/db.sqlite)"
RUST_LOG=${RUST_LOG:-error} "$BIN" --database "$WORK/db.sqlite" --host 127.0.0.1 --port "$PORT" \
    --workers 2 >"$WORK/server.log" 2>&1 &
SERVER_PID=$!

healthy=
for _ in $(seq 1 150); do   # up to ~30 s (first start creates, migrates and seeds the database)
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        echo "error: the server exited before answering /healthz" >&2
        cat "$WORK/server.log" >&2
        SERVER_PID=
        exit 1
    fi
    if health=$("$ST_VENV/bin/python" - "$BASE/healthz" 2>/dev/null <<'PY'
import sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=2) as r:  # raises on 4xx/5xx
    print(r.read().decode())
PY
    ); then
        healthy=1
        break
    fi
    sleep 0.2
done
if [[ -z $healthy ]]; then
    echo "error: $BASE/healthz did not answer 200 in time" >&2
    cat "$WORK/server.log" >&2
    exit 1
fi
echo "healthz: $health"
# An admin key, so that every write operation is exercised past its key check
# (`ignored_auth` still sends requests without it and expects 401).
TOKEN=$("$BIN" --database "$WORK/db.sqlite" keys create --name schemathesis --scope admin 2>/dev/null)

# --- schemathesis --------------------------------------------------------------
# Every check (`--checks all`, nothing excluded), every phase (examples,
# coverage, fuzzing, stateful), every operation of the committed spec, a fixed
# seed and no example database, so a run is reproducible from its options.
# Output sanitization is off: this API has no secrets, and sanitizing masks the
# `author` query parameter as [Filtered], which breaks the printed curl lines.
ST_ARGS=(
    run "$SPEC"
    --url "$BASE"
    --checks all
    --phases examples,coverage,fuzzing,stateful
    --mode all
    --seed "$ST_SEED"
    --max-examples "$ST_MAX_EXAMPLES"
    --generation-database none
    --workers "$ST_WORKERS"
    --request-timeout 10
    --continue-on-failure
    --report junit,ndjson
    --report-dir "$REPORT_DIR"
    --output-sanitize false
    --header "Authorization: Bearer $TOKEN"
    --no-color
)
# A repository-level schemathesis.toml, if one is ever added, is passed explicitly
# (schemathesis would otherwise look for it in its working directory).
ST_GLOBAL=()
# Hooks: make generated `cursor` values in schema-valid cases real cursors
# (see .ci/schemathesis_hooks.py for why).
export SCHEMATHESIS_HOOKS="$ROOT/.ci/schemathesis_hooks.py" ST_BASE_URL="$BASE"
if [[ -f $ROOT/schemathesis.toml ]]; then
    ST_GLOBAL=(--config-file "$ROOT/schemathesis.toml")
fi
echo "== st ${ST_GLOBAL[*]} ${ST_ARGS[*]}"
start=$SECONDS
# Run from the scratch directory, so that the caches schemathesis and Hypothesis
# write into their working directory (.schemathesis/, .hypothesis/) stay out of
# the checkout. In the background and waited for, so that a TERM/INT to this
# script runs the trap at once instead of after schemathesis finishes.
(cd "$WORK" && exec "$ST_VENV/bin/st" "${ST_GLOBAL[@]}" "${ST_ARGS[@]}") &
ST_PID=$!
status=0
wait "$ST_PID" || status=$?
ST_PID=
echo "== schemathesis exited $status after $((SECONDS - start)) s; reports in $REPORT_DIR"
exit "$status"
