#!/usr/bin/env bash
# Installs what is missing (Prosody, Chromium, node_modules), then runs the demo.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec node scripts/demo.mjs "$@"
