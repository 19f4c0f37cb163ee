#!/usr/bin/env bash
# make audit: pip-audit of the service's pinned dependencies (requirements.txt)
# against the OSV advisory database. An advisory we have looked at and accept is
# listed, with its reason, in scripts/accepted-advisories.txt; any other advisory
# fails the run, and so does a dependency that could not be checked (--strict).
#
# The advisory database is online. When api.osv.dev cannot be reached the audit
# cannot run: that is reported in capitals and, with AUDIT_REQUIRED=1, fails.
set -euo pipefail
cd "$(dirname "$0")/.."

ACCEPTED=scripts/accepted-advisories.txt
AUDIT=.venv/bin/pip-audit
if [ ! -x "$AUDIT" ]; then
  echo "FAIL: $AUDIT is missing; run 'make install' first." >&2
  exit 1
fi

if ! .venv/bin/python - <<'PY'
import sys
import requests

try:
    requests.post("https://api.osv.dev/v1/query", json={}, timeout=5)
except requests.RequestException:
    sys.exit(1)
PY
then
  echo "PIP-AUDIT NOT RUN: the OSV advisory database (api.osv.dev) is unreachable from this machine." >&2
  if [ "${AUDIT_REQUIRED:-0}" = "1" ]; then
    exit 1
  fi
  exit 0
fi

ignores=()
while read -r advisory _reason; do
  ignores+=(--ignore-vuln "$advisory")
done < <(grep -Ev '^[[:space:]]*(#|$)' "$ACCEPTED")

"$AUDIT" --strict --vulnerability-service osv --progress-spinner off \
  --requirement requirements.txt "${ignores[@]}"
