#!/usr/bin/env bash
# Starts the built app for Playwright on a freshly recreated e2e database.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${1:-3100}
: "${DATABASE_URL:?DATABASE_URL must point at the e2e database}"
db=${DATABASE_URL##*/}
admin_url=${DATABASE_URL%/*}/postgres
psql "$admin_url" -qc "drop database if exists \"$db\" with (force)" -c "create database \"$db\"" >/dev/null
[ -f "${NEXT_DIST_DIR:-.next}/BUILD_ID" ] || { echo "No production build in ${NEXT_DIST_DIR:-.next}: run npm run build first" >&2; exit 1; }
# Trust the test OpenID provider's throw-away CA (besides any NODE_EXTRA_CA_CERTS already set).
if [ -n "${E2E_EXTRA_CA:-}" ]; then
  [ -s "$E2E_EXTRA_CA" ] || { echo "E2E_EXTRA_CA=$E2E_EXTRA_CA does not exist (the test OpenID provider makes it)" >&2; exit 1; }
  bundle="$(dirname "$E2E_EXTRA_CA")/trust-bundle.pem"
  { if [ -n "${NODE_EXTRA_CA_CERTS:-}" ] && [ -s "$NODE_EXTRA_CA_CERTS" ]; then cat "$NODE_EXTRA_CA_CERTS"; echo; fi; cat "$E2E_EXTRA_CA"; } >"$bundle"
  export NODE_EXTRA_CA_CERTS="$PWD/$bundle"
  [[ "$bundle" = /* ]] && export NODE_EXTRA_CA_CERTS="$bundle"
fi
exec npx next start -H 127.0.0.1 -p "$PORT"
