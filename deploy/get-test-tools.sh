#!/usr/bin/env bash
# Makes sure the programs the integration tests drive are on this machine: Debian's chromium, in which the report of
# eval report is opened headless (EvalIT). Needs root (or passwordless sudo) for apt-get; otherwise says what to do.
# `mvn verify` runs this before the tests.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
SUDO=""
if [[ $(id -u) != 0 ]]; then
  if sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
    echo "get-test-tools.sh: chromium is missing; run 'sudo apt-get install chromium'" >&2
    exit 2
  fi
fi
echo "[get-test-tools] installing Debian package chromium (about 100 MB)..." >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get install -y -q chromium >/dev/null 2>&1 \
  || { $SUDO apt-get update -q >/dev/null 2>&1 && $SUDO apt-get install -y -q chromium >/dev/null; }
command -v chromium >/dev/null 2>&1 || { echo "get-test-tools.sh: apt-get did not install chromium" >&2; exit 1; }
