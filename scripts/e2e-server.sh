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
exec npx next start -H 127.0.0.1 -p "$PORT"
