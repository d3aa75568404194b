#!/usr/bin/env bash
# Remakes the real Linux captures in test/fixtures/linux, linux-profiles and linux-lessons (root needed: network
# namespaces, tracefs); names (e.g. client_close lesson:lost-fin) remake only those.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v tcpdump >/dev/null && command -v editcap >/dev/null || { echo "needs tcpdump and editcap (apt-get install tcpdump tshark)"; exit 1; }
python3 scripts/fixtures/make_fixtures.py test/fixtures/linux "$@"
