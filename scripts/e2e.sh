#!/usr/bin/env bash
# make e2e: the Postman collection in postman/, run by newman (pinned in package.json)
# against the app served by gunicorn on PostgreSQL, in production mode: a stand-in
# tenant (devtools/stand_in_tenant.py) signs the staff tokens with a key made for this run and
# serves its key set over HTTP on loopback, which the app fetches as it would Auth0's.
#
# Idempotent: the database casting_e2e is recreated every run, ports are picked free,
# and gunicorn and the key server are stopped however the run ends. Extra arguments go
# to newman, e.g. `bash scripts/e2e.sh --bail`.
set -euo pipefail
cd "$(dirname "$0")/.."

# The PostgreSQL server, as libpq names it; the machine's own by default.
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
DATABASE=casting_e2e
COLLECTION=postman/casting-agency.postman_collection.json
ENVIRONMENT=postman/local.postman_environment.json
VENV=.venv/bin

if [ ! -x "$VENV/gunicorn" ] || [ ! -x "$VENV/flask" ]; then
  echo "FAIL: $VENV has no gunicorn or flask; run 'make install' first." >&2
  exit 1
fi
if ! command -v npm >/dev/null; then
  echo "FAIL: npm (Node.js) is needed to install newman." >&2
  exit 1
fi

# newman exactly as package-lock.json pins it; reinstalled only when the lock changes.
STAMP=node_modules/.e2e-package-lock.json
if [ ! -x node_modules/.bin/newman ] || ! cmp -s package-lock.json "$STAMP"; then
  echo "Installing newman from package-lock.json (npm ci) ..."
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json "$STAMP"
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/casting-e2e.XXXXXX")
TENANT_PID=
GUNICORN_PID=

# shellcheck disable=SC2317  # stop and cleanup run from the trap
stop() {
  # Polite first (gunicorn drains its workers on TERM), then certain.
  local pid
  for pid in "$GUNICORN_PID" "$TENANT_PID"; do
    if [ -n "$pid" ]; then kill -TERM "$pid" 2>/dev/null || true; fi
  done
  for pid in "$GUNICORN_PID" "$TENANT_PID"; do
    [ -z "$pid" ] && continue
    for _ in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.2
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
}
# shellcheck disable=SC2317
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  stop
  if [ "$status" -ne 0 ] && [ -s "$WORK/gunicorn.log" ]; then
    echo "--- last lines of the gunicorn log ---" >&2
    tail -n 40 "$WORK/gunicorn.log" >&2
  fi
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# PostgreSQL: started if down, as in .ci/run.
if ! pg_isready -q -h "$PGHOST" -p "$PGPORT"; then
  echo "PostgreSQL is down; starting the cluster."
  # shellcheck disable=SC2012  # one cluster version directory, as in .ci/run
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || true
  for _ in $(seq 1 30); do
    pg_isready -q -h "$PGHOST" -p "$PGPORT" && break
    sleep 1
  done
fi
if ! pg_isready -h "$PGHOST" -p "$PGPORT"; then
  echo "FAIL: PostgreSQL at $PGHOST:$PGPORT cannot be reached." >&2
  exit 1
fi
psql -h "$PGHOST" -p "$PGPORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -q \
  -c "DROP DATABASE IF EXISTS $DATABASE WITH (FORCE)" -c "CREATE DATABASE $DATABASE"

# The app's settings, production mode; nothing from the caller's environment leaks in.
unset TEST_DATABASE_URL CORS_ORIGINS FLASK_APP
export APP_ENV=production
export DATABASE_URL="postgresql://postgres@$PGHOST:$PGPORT/$DATABASE"
export AUTH0_DOMAIN=e2e.casting-agency.test
export AUTH0_ISSUER="https://$AUTH0_DOMAIN/"
export API_AUDIENCE=casting-agency-e2e
SECRET_KEY="$("$VENV/python" -c 'import secrets; print(secrets.token_urlsafe(32))')"
export SECRET_KEY
export WEB_CONCURRENCY=2

# The stand-in tenant: its key, its key set over HTTP, and a token per staff role.
KEY_FILE="$WORK/tenant-key.pem"
"$VENV/python" -m devtools.stand_in_tenant serve "$KEY_FILE" "$WORK/jwks.port" &
TENANT_PID=$!
for _ in $(seq 1 50); do
  [ -s "$WORK/jwks.port" ] && break
  kill -0 "$TENANT_PID" 2>/dev/null || { echo "FAIL: the key server did not start." >&2; exit 1; }
  sleep 0.2
done
[ -s "$WORK/jwks.port" ] || { echo "FAIL: the key server did not start in time." >&2; exit 1; }
JWKS_URL="http://127.0.0.1:$(cat "$WORK/jwks.port")/.well-known/jwks.json"
export JWKS_URL

"$VENV/flask" --app app db upgrade

# Port 0: the kernel picks a free port, and gunicorn's log says which. No control
# socket: its default path is per user, shared with any other gunicorn running here.
"$VENV/gunicorn" --bind 127.0.0.1:0 --no-control-socket 'app:create_app()' >"$WORK/gunicorn.log" 2>&1 &
GUNICORN_PID=$!
HEALTHY='import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)'
BASE_URL=
for _ in $(seq 1 100); do
  kill -0 "$GUNICORN_PID" 2>/dev/null || { echo "FAIL: gunicorn exited at start." >&2; exit 1; }
  BASE_URL=$(sed -n 's/.*Listening at: \(http:[^ ]*\).*/\1/p' "$WORK/gunicorn.log" | head -n 1)
  if [ -n "$BASE_URL" ] && "$VENV/python" -c "$HEALTHY" "$BASE_URL/health" 2>/dev/null; then
    break
  fi
  BASE_URL=
  sleep 0.2
done
if [ -z "$BASE_URL" ]; then
  echo "FAIL: gunicorn did not answer /health in time." >&2
  exit 1
fi
echo "App under gunicorn at $BASE_URL (PostgreSQL database $DATABASE, keys at $JWKS_URL)"

TOKEN_ARGS=()
for role in assistant director producer; do
  token=$("$VENV/python" -m devtools.stand_in_tenant token "$KEY_FILE" "$role")
  TOKEN_ARGS+=(--env-var "${role}_token=$token")
done

status=0
node_modules/.bin/newman run "$COLLECTION" \
  --environment "$ENVIRONMENT" \
  --env-var "base_url=$BASE_URL" \
  "${TOKEN_ARGS[@]}" \
  --timeout-request 15000 \
  --reporters cli,json \
  --reporter-json-export "$WORK/newman.json" \
  "$@" || status=$?

# One closing line CI can read, whatever newman printed above it: assertions passed,
# and failures of any kind (assertions, script errors, requests that got no answer).
if [ -s "$WORK/newman.json" ]; then
  "$VENV/python" - "$WORK/newman.json" <<'PY'
import json, sys

stats = json.load(open(sys.argv[1]))["run"]["stats"]
assertions = stats["assertions"]
failed = sum(stats[kind]["failed"] for kind in ("assertions", "testScripts", "prerequestScripts", "requests"))
print(f"e2e: {assertions['total'] - assertions['failed']} passed, {failed} failed")
PY
fi
if [ "$status" -ne 0 ]; then
  echo "FAIL: newman reported failures (exit $status)." >&2
fi
exit "$status"
