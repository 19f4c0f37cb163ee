#!/usr/bin/env bash
# Settings for a deployment. Source it (`source setup.sh`) after replacing the
# placeholders with your tenant's values; never commit real values.
export APP_ENV=production
export AUTH0_DOMAIN="your-tenant.us.auth0.com"
export API_AUDIENCE="https://casting-agency-api"
export DATABASE_URL="postgresql://user:password@host:5432/casting_agency"
export CORS_ORIGINS="https://your-front-end.example.com"
# Optional overrides, for a self-hosted issuer:
# export AUTH0_ISSUER="https://your-tenant.us.auth0.com/"
# export JWKS_URL="https://your-tenant.us.auth0.com/.well-known/jwks.json"
