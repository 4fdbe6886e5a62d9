#!/usr/bin/env bash
# Validate the feeds with parsers outside Rust that feed readers use:
# feedparser (and Python's strict XML parser), against a server over a fresh
# database holding the seed corpus plus an article of hostile text.
#
#   .ci/feeds.sh [SERVER_BINARY]     (default: target/debug/commentary-api)
#
# Installs feedparser (pinned) into a virtualenv under $TMPDIR; python3 and
# python3-venv are apt-get installed first when missing. Fails on any problem
# feedparser notices in any feed.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

FEEDPARSER_VERSION=${FEEDPARSER_VERSION:-6.0.11}
VENV=${FEEDS_VENV:-${TMPDIR:-/tmp}/commentary-feeds-venv-$FEEDPARSER_VERSION}
BIN=${1:-$ROOT/target/debug/commentary-api}
[[ -x $BIN ]] || { echo "error: $BIN is missing; build it first" >&2; exit 2; }

# shellcheck source=.ci/lib.sh
source .ci/lib.sh
python_venv "$VENV" "feedparser" "feedparser==$FEEDPARSER_VERSION"
serve_seeded "$BIN" feeds
echo "== feedparser $FEEDPARSER_VERSION against $BASE"
"$VENV/bin/python" .ci/check_feeds.py "$BASE"
