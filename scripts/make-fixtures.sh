#!/usr/bin/env bash
# Remakes the real Linux captures in test/fixtures/linux (root needed: network namespaces, tracefs).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v tcpdump >/dev/null && command -v editcap >/dev/null || { echo "needs tcpdump and editcap (apt-get install tcpdump tshark)"; exit 1; }
python3 scripts/fixtures/make_fixtures.py test/fixtures/linux "$@"
