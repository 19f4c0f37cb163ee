#!/usr/bin/env bash
# Installs Debian's chromium and chromium-driver for tests/test_docs_browser.py, only if missing.
# Idempotent and quiet: prints nothing when both are present, apt's log only on failure.
set -euo pipefail

if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1; then
  SUDO=(sudo)
else
  echo "FAIL: chromium and chromium-driver are missing; installing them needs root." >&2
  exit 1
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
echo "Installing Debian's chromium and chromium-driver..."
if ! { "${SUDO[@]}" apt-get update -qq &&
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends chromium chromium-driver; } >"$log" 2>&1; then
  cat "$log" >&2
  echo "FAIL: apt-get could not install chromium and chromium-driver." >&2
  exit 1
fi
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  echo "FAIL: /usr/bin/chromium or /usr/bin/chromedriver still missing after install." >&2
  exit 1
fi
/usr/bin/chromedriver --version
