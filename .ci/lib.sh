# Shared by the CI scripts that check the server with tools outside Rust
# (feeds.sh, exports.sh): source it, then
#   python_venv VENV IMPORTS PACKAGE...   a virtualenv at VENV with PACKAGEs (pinned), unless
#                                         `import IMPORTS` already works there; python3 and
#                                         python3-venv are apt-get installed when missing
#   serve_seeded BIN NAME                 a server over a fresh database holding the seed corpus
#                                         plus .ci/hostile.ndjson; sets BASE, stops it on exit

PYTHON=${PYTHON:-python3}

install_python() {
    command -v apt-get >/dev/null || { echo "error: need python3 with venv, and no apt-get" >&2; exit 2; }
    local sudo=
    [[ $(id -u) == 0 ]] || sudo=sudo
    $sudo apt-get install -y python3 python3-venv || { $sudo apt-get update && $sudo apt-get install -y python3 python3-venv; }
}

python_venv() {
    local venv=$1 imports=$2
    shift 2
    if [[ -x $venv/bin/python ]] && "$venv/bin/python" -c "import $imports" 2>/dev/null; then
        return
    fi
    echo "== installing $* into $venv"
    rm -rf "$venv"
    if ! command -v "$PYTHON" >/dev/null || ! "$PYTHON" -m venv "$venv"; then
        rm -rf "$venv"
        install_python
        "$PYTHON" -m venv "$venv"
    fi
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$@"
}

serve_seeded() {
    local bin=$1 name=$2
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/commentary-$name.XXXXXX")
    SERVER_PID=
    trap 'status=$?; [[ -n $SERVER_PID ]] && { kill -TERM "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null; }; rm -rf "$WORK"; exit $status' EXIT
    local db=$WORK/db.sqlite
    local file
    for file in seed/corpus.ndjson .ci/hostile.ndjson; do
        "$bin" --database "$db" import "$file" >"$WORK/import.log" 2>&1 \
            || { echo "error: importing $file failed:" >&2; cat "$WORK/import.log" >&2; exit 1; }
    done
    local port
    port=$("$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
    RUST_LOG=error "$bin" --database "$db" --no-seed --host 127.0.0.1 --port "$port" >"$WORK/server.log" 2>&1 &
    SERVER_PID=$!
    BASE=http://127.0.0.1:$port
    for _ in $(seq 1 150); do
        if "$PYTHON" -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1], timeout=2)" "$BASE/healthz" 2>/dev/null; then
            return
        fi
        kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
        sleep 0.2
    done
    echo "error: the server did not answer /healthz" >&2
    exit 1
}
