#!/usr/bin/env bash
# Prints the `heroku config:set ...` command that gives a Heroku app its settings:
#
#   bash setup.sh                      # check the line it prints, then run it
#   bash setup.sh | bash               # or run it straight away
#
# Replace the placeholders below (or set the variables before running it) first; never
# commit real values. DATABASE_URL is not here: the heroku-postgresql add-on sets it.
# SECRET_KEY is generated on your machine when the printed command runs, so no secret is
# ever written into this file. Locally, `make run` needs none of this (local mode).
set -euo pipefail

# What every deployment on Heroku sets.
APP_ENV=production
AUTH0_DOMAIN=${AUTH0_DOMAIN:-your-tenant.us.auth0.com}
API_AUDIENCE=${API_AUDIENCE:-https://casting-agency-api}
# Heroku's router is one proxy hop; two workers of eight threads suit a 512 MB dyno.
TRUSTED_PROXY_HOPS=1
WEB_CONCURRENCY=${WEB_CONCURRENCY:-2}
WEB_THREADS=${WEB_THREADS:-8}
# For /login (the API itself starts without them): the Auth0 application's client id and
# the app's address, which `heroku create` prints. And the origin of your front end.
AUTH0_CLIENT_ID=${AUTH0_CLIENT_ID:-your-auth0-application-client-id}
PUBLIC_URL=${PUBLIC_URL:-https://your-app.herokuapp.com}
CORS_ORIGINS=${CORS_ORIGINS:-https://your-front-end.example.com}

# Optional: printed only when set. AUTH0_CLIENT_SECRET only for a Regular Web Application.
OPTIONAL=(AUTH0_CLIENT_SECRET WRITE_RATE_LIMIT RATE_LIMIT_STORAGE_URI
  JWT_MAX_LIFETIME_SECONDS AUTH0_ISSUER JWKS_URL LOG_LEVEL)

line="heroku config:set"
for name in APP_ENV AUTH0_DOMAIN API_AUDIENCE TRUSTED_PROXY_HOPS WEB_CONCURRENCY \
  WEB_THREADS AUTH0_CLIENT_ID PUBLIC_URL CORS_ORIGINS; do
  line+=" $name=$(printf '%q' "${!name}")"
done
for name in "${OPTIONAL[@]}"; do
  if [ -n "${!name:-}" ]; then line+=" $name=$(printf '%q' "${!name}")"; fi
done
# Single-quoted on purpose: the key is made when the printed command runs, not here.
line+=' SECRET_KEY="$(python3 -c '\''import secrets; print(secrets.token_hex(32))'\'')"'
echo "$line"

if [[ "$line" == *your-* ]]; then
  echo "setup.sh: replace the your-... placeholders with your tenant's and app's values." >&2
fi
