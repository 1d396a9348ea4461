#!/usr/bin/env bash
# Runs every suite (typecheck, unit, database, OpenStack integration, browser e2e) and ends
# with one line "N passed, N failed" totalling them all. Exit status is non-zero on any failure.
#
# Needs: PostgreSQL packages (started here on a loopback port) and an OpenStack cloud in the
# OS_* variables; without them the lab's openrc is used (start it: npm run lab:up).
set -uo pipefail
cd "$(dirname "$0")/.."

REPORTS=.data/reports
rm -rf "$REPORTS" && mkdir -p "$REPORTS"

bash scripts/pg.sh start || echo "could not start PostgreSQL; database and e2e tests will fail" >&2
bash scripts/ldap.sh start || echo "could not start the test slapd (apt-get install slapd ldap-utils); the LDAP tests will fail" >&2

LAB_OPENRC=${OSLAB_STATE:-/var/tmp/openstack-lab}/openrc
if [ -z "${OS_AUTH_URL:-}" ] && [ -f "$LAB_OPENRC" ]; then
  echo "OS_* not set: using the lab's openrc ($LAB_OPENRC)"
  # shellcheck disable=SC1090
  set -a && . "$LAB_OPENRC" && set +a
fi
[ -n "${OS_AUTH_URL:-}" ] || echo "No OpenStack cloud (OS_AUTH_URL unset, no lab openrc): integration tests will fail. Start one with: npm run lab:up" >&2

echo "== typecheck"
if npx tsc --noEmit -p . ; then echo '{"passed":1,"failed":0}' > "$REPORTS/typecheck.json"; else echo '{"passed":0,"failed":1}' > "$REPORTS/typecheck.json"; fi

echo "== vitest: unit, db, integration"
npx vitest run --reporter=default --reporter=json --outputFile.json="$REPORTS/vitest.json"

echo "== build"
if npx next build > "$REPORTS/build.log" 2>&1; then
  echo "== playwright e2e"
  PLAYWRIGHT_JSON_OUTPUT_NAME="$REPORTS/playwright.json" npx playwright test
else
  tail -n 40 "$REPORTS/build.log"
  echo "build failed: e2e not run" >&2
fi

node scripts/summarize-tests.mjs "$REPORTS"
