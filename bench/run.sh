#!/usr/bin/env bash
# make bench: needs the machine's PostgreSQL and wrk (installed here if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
# The PostgreSQL server, as libpq names it; bench.py reads the same two variables.
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432}
if ! command -v wrk >/dev/null; then
  echo "Installing wrk from Debian's packages ..."
  apt-get update -qq && apt-get install -y -qq wrk >/dev/null
fi
if ! pg_isready -q -h "$PGHOST" -p "$PGPORT"; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start
  for _ in $(seq 1 30); do pg_isready -q -h "$PGHOST" -p "$PGPORT" && break; sleep 1; done
fi
exec .venv/bin/python bench/bench.py
