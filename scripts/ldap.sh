#!/usr/bin/env bash
# A throw-away OpenLDAP server (Debian's slapd) for the LDAP tests, on loopback with its own
# config and data under /var/tmp — never the system slapd service.
#   bash scripts/ldap.sh start   # (re)loads scripts/ldap/fixture.ldif; idempotent
#   bash scripts/ldap.sh stop
#   bash scripts/ldap.sh url     # ldap://127.0.0.1:3389
#   bash scripts/ldap.sh env     # LDAP_TEST_URL=… LDAP_TEST_BIND_DN=… LDAP_TEST_BIND_PASSWORD=… LDAP_TEST_BASE_DN=…
# Needs: apt-get install -y slapd ldap-utils (.ci/run installs them).
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${LDAP_TEST_PORT:-3389}
DIR=${LDAP_TEST_DIR:-/var/tmp/cloudport-ldap-$PORT}
SUFFIX="dc=cloudport,dc=test"
ROOTDN="cn=admin,$SUFFIX"
ROOTPW=${LDAP_TEST_BIND_PASSWORD:-cptest-ldap-admin-password}
URL="ldap://127.0.0.1:$PORT"
SLAPD=/usr/sbin/slapd

running() { [ -s "$DIR/slapd.pid" ] && kill -0 "$(cat "$DIR/slapd.pid")" 2>/dev/null; }

case "${1:-}" in
  url) echo "$URL" ;;
  env)
    echo "LDAP_TEST_URL=$URL"
    echo "LDAP_TEST_BIND_DN=$ROOTDN"
    echo "LDAP_TEST_BIND_PASSWORD=$ROOTPW"
    echo "LDAP_TEST_BASE_DN=$SUFFIX"
    ;;
  stop)
    if running; then
      kill "$(cat "$DIR/slapd.pid")"
      for _ in $(seq 50); do running || break; sleep 0.1; done
    fi
    ;;
  start)
    [ -x "$SLAPD" ] || { echo "slapd is not installed: apt-get install -y slapd ldap-utils" >&2; exit 1; }
    if running; then echo "slapd already running at $URL"; exit 0; fi
    rm -rf "$DIR/data"
    mkdir -p "$DIR/data"
    chmod 700 "$DIR"
    hash=$(slappasswd -s "$ROOTPW")
    cat >"$DIR/slapd.conf" <<CONF
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile $DIR/slapd.pid
argsfile $DIR/slapd.args
database mdb
maxsize 10485760
suffix "$SUFFIX"
rootdn "$ROOTDN"
rootpw $hash
directory $DIR/data
index objectClass,cn,uid,member eq
access to * by dn.exact="$ROOTDN" manage by * none
CONF
    slapadd -q -f "$DIR/slapd.conf" -l scripts/ldap/fixture.ldif
    "$SLAPD" -f "$DIR/slapd.conf" -h "$URL/" -u "$(id -un)"
    for _ in $(seq 50); do
      ldapsearch -x -H "$URL" -D "$ROOTDN" -w "$ROOTPW" -b "$SUFFIX" -s base dn >/dev/null 2>&1 && { echo "slapd ready at $URL"; exit 0; }
      sleep 0.2
    done
    echo "slapd did not answer at $URL" >&2
    exit 1
    ;;
  *) echo "usage: $0 start|stop|url|env" >&2; exit 2 ;;
esac
