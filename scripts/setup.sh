#!/usr/bin/env bash
# Idempotent machine setup for tests and the demo (fresh Debian 12, run as root, or with sudo).
#   - Debian packages: prosody (the real XMPP server) and chromium (browser tests), only when missing
#   - node_modules: `npm ci` when missing or older than package-lock.json
# Quiet unless it has something to do.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

if ! command -v prosody >/dev/null 2>&1 || [ ! -x /usr/bin/chromium ]; then
  echo "setup: installing Debian packages prosody and chromium"
  # Keep apt from starting a system-wide Prosody (on the standard ports) after installing it:
  # tests start their own servers. policy-rc.d exit 101 = "do not start services".
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
    $SUDO chmod +x /usr/sbin/policy-rc.d
    trap '$SUDO rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prosody chromium >/dev/null
  echo "setup: $(prosodyctl about 2>/dev/null | grep -m1 '^Prosody [0-9]' || echo 'prosody installed'), $(/usr/bin/chromium --version 2>/dev/null || echo 'chromium installed')"
fi

lock_stamp=node_modules/.package-lock.json
if [ ! -d node_modules ] || [ ! -e "$lock_stamp" ] || [ package-lock.json -nt "$lock_stamp" ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
