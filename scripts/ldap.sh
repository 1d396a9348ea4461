#!/usr/bin/env bash
# A throw-away OpenLDAP server (Debian's slapd) for the LDAP tests, on loopback (the TLS twin's
# StartTLS listener on this machine's own address, TLS required there) with its own
# config and data under /var/tmp — never the system slapd service.
#   bash scripts/ldap.sh start   # (re)loads scripts/ldap/fixture.ldif; idempotent
#   bash scripts/ldap.sh stop
#   bash scripts/ldap.sh url     # ldap://127.0.0.1:3389
#   bash scripts/ldap.sh env     # LDAP_TEST_URL=… LDAP_TEST_BIND_DN=… LDAP_TEST_BIND_PASSWORD=… LDAP_TEST_BASE_DN=…
#                                #   LDAP_TEST_TLS_URL=ldaps://127.0.0.1:3636 LDAP_TEST_CA_FILE=… (the TLS twin's CA)
#                                #   LDAP_TEST_STARTTLS_URL=ldap://<own address>:3390 (the twin, StartTLS only)
# `start` also starts a TLS twin: a second slapd with the same fixture behind ldaps:// on
# LDAP_TEST_TLS_PORT (3636), its certificate from a throw-away CA (scripts/test-ca.sh). Each
# instance is started only when it is not running, so starting never restarts anything.
# Needs: apt-get install -y slapd ldap-utils (.ci/run installs them).
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${LDAP_TEST_PORT:-3389}
DIR=${LDAP_TEST_DIR:-/var/tmp/cloudport-ldap-$PORT}
SUFFIX="dc=cloudport,dc=test"
ROOTDN="cn=admin,$SUFFIX"
# The root password: LDAP_TEST_BIND_PASSWORD, or one made for this machine on first use (the
# TLS twin listens beyond loopback, so not a password everybody knows); `env` prints it.
PW_FILE=${LDAP_TEST_PW_FILE:-/var/tmp/cloudport-ldap-rootpw}
if [ -n "${LDAP_TEST_BIND_PASSWORD:-}" ]; then
  ROOTPW=$LDAP_TEST_BIND_PASSWORD
else
  if [ ! -s "$PW_FILE" ]; then
    # Written to a private temporary file and moved in place, so two first runs agree.
    tmp=$(mktemp "$PW_FILE.XXXXXX")
    head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$tmp"
    mv -n "$tmp" "$PW_FILE" 2>/dev/null || true
    rm -f "$tmp"
  fi
  # Only a file of this user's, readable by nobody else (/var/tmp is shared).
  if [ ! -O "$PW_FILE" ] || [ -n "$(find "$PW_FILE" -perm /077 2>/dev/null)" ]; then
    echo "$PW_FILE is not this user's private file: remove it, or set LDAP_TEST_BIND_PASSWORD" >&2
    exit 1
  fi
  ROOTPW=$(cat "$PW_FILE")
fi
# The password goes to ldapsearch and slappasswd in a file, not on their command lines.
PW_ARG_FILE=$(mktemp)
trap 'rm -f "$PW_ARG_FILE"' EXIT
printf '%s' "$ROOTPW" >"$PW_ARG_FILE"
URL="ldap://127.0.0.1:$PORT"
TLS_PORT=${LDAP_TEST_TLS_PORT:-3636}
TLS_DIR=${LDAP_TEST_TLS_DIR:-/var/tmp/cloudport-ldaps-$TLS_PORT}
TLS_URL="ldaps://127.0.0.1:$TLS_PORT"
# StartTLS: Cloudport upgrades ldap:// to anything but loopback, so the twin also answers plain
# ldap:// on this machine's own address, where it refuses every operation until the client has
# upgraded (security ssf=128). Empty where the machine has no address besides loopback.
STARTTLS_PORT=${LDAP_TEST_STARTTLS_PORT:-3390}
OWN_IP=${LDAP_TEST_OWN_IP-$(hostname -I 2>/dev/null | tr ' ' '\n' | grep -E '^[0-9]+(\.[0-9]+){3}$' | grep -v '^127\.' | head -n 1 || true)}
STARTTLS_URL=${OWN_IP:+ldap://$OWN_IP:$STARTTLS_PORT}
SLAPD=/usr/sbin/slapd

# Running: the pid file names a live slapd (not a process that reused a dead slapd's pid).
running() {
  local pidfile="${1:-$DIR}/slapd.pid"
  [ -s "$pidfile" ] && [ "$(cat "/proc/$(cat "$pidfile")/comm" 2>/dev/null)" = slapd ]
}

# Writes $1/slapd.conf for a directory under $1 (extra lines in $2) and loads the fixture.
prepare() {
  local dir=$1 extra=${2:-}
  rm -rf "$dir/data"
  mkdir -p "$dir/data"
  chmod 700 "$dir"
  local hash
  hash=$(slappasswd -T "$PW_ARG_FILE")
  cat >"$dir/slapd.conf" <<CONF
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile $dir/slapd.pid
argsfile $dir/slapd.args
$extra
database mdb
maxsize 10485760
suffix "$SUFFIX"
rootdn "$ROOTDN"
rootpw $hash
directory $dir/data
index objectClass,cn,uid,member eq
access to * by dn.exact="$ROOTDN" manage by * none
CONF
  slapadd -q -f "$dir/slapd.conf" -l scripts/ldap/fixture.ldif
}

# Waits until $1 answers a bind (with LDAPTLS_CACERT for ldaps).
wait_ready() {
  for _ in $(seq 50); do
    ldapsearch -x -H "$1" -D "$ROOTDN" -y "$PW_ARG_FILE" -b "$SUFFIX" -s base dn >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  return 1
}

start_tls() {
  local listeners="$TLS_URL/${STARTTLS_URL:+ $STARTTLS_URL/}"
  if running "$TLS_DIR"; then
    # Started by an older script, or when this machine had another address: start it again.
    if [ "$(cat "$TLS_DIR/listeners" 2>/dev/null)" = "$listeners" ] &&
      LDAPTLS_CACERT="$TLS_DIR/ca/ca.pem" ldapsearch -x -H "$TLS_URL" -D "$ROOTDN" -y "$PW_ARG_FILE" -b "$SUFFIX" -s base dn >/dev/null 2>&1; then
      echo "slapd (TLS) already running at $listeners"
      return 0
    fi
    kill "$(cat "$TLS_DIR/slapd.pid")"
    for _ in $(seq 50); do running "$TLS_DIR" || break; sleep 0.1; done
  fi
  mkdir -p "$TLS_DIR"
  TEST_CA_EXTRA_SAN=${OWN_IP:+IP:$OWN_IP} bash scripts/test-ca.sh "$TLS_DIR/ca" >/dev/null
  prepare "$TLS_DIR" "TLSCACertificateFile $TLS_DIR/ca/ca.pem
TLSCertificateFile $TLS_DIR/ca/server.pem
TLSCertificateKeyFile $TLS_DIR/ca/server-key.pem
security ssf=128"
  "$SLAPD" -f "$TLS_DIR/slapd.conf" -h "$listeners" -u "$(id -un)"
  echo "$listeners" >"$TLS_DIR/listeners"
  if LDAPTLS_CACERT="$TLS_DIR/ca/ca.pem" wait_ready "$TLS_URL"; then echo "slapd (TLS) ready at $TLS_URL${STARTTLS_URL:+ and $STARTTLS_URL (StartTLS)}"; else echo "slapd (TLS) did not answer at $TLS_URL" >&2; return 1; fi
}

case "${1:-}" in
  url) echo "$URL" ;;
  env)
    echo "LDAP_TEST_URL=$URL"
    echo "LDAP_TEST_BIND_DN=$ROOTDN"
    echo "LDAP_TEST_BIND_PASSWORD=$ROOTPW"
    echo "LDAP_TEST_BASE_DN=$SUFFIX"
    echo "LDAP_TEST_TLS_URL=$TLS_URL"
    echo "LDAP_TEST_CA_FILE=$TLS_DIR/ca/ca.pem"
    echo "LDAP_TEST_STARTTLS_URL=$STARTTLS_URL"
    ;;
  stop)
    for d in "$DIR" "$TLS_DIR"; do
      if running "$d"; then
        kill "$(cat "$d/slapd.pid")"
        for _ in $(seq 50); do running "$d" || break; sleep 0.1; done
      fi
    done
    ;;
  start)
    [ -x "$SLAPD" ] || { echo "slapd is not installed: apt-get install -y slapd ldap-utils" >&2; exit 1; }
    if running && ! ldapsearch -x -H "$URL" -D "$ROOTDN" -y "$PW_ARG_FILE" -b "$SUFFIX" -s base dn >/dev/null 2>&1; then
      # Started with another root password (an older script): start it again with this one.
      kill "$(cat "$DIR/slapd.pid")"
      for _ in $(seq 50); do running || break; sleep 0.1; done
    fi
    if running; then
      echo "slapd already running at $URL"
    else
      prepare "$DIR"
      "$SLAPD" -f "$DIR/slapd.conf" -h "$URL/" -u "$(id -un)"
      if wait_ready "$URL"; then echo "slapd ready at $URL"; else echo "slapd did not answer at $URL" >&2; exit 1; fi
    fi
    start_tls
    ;;
  *) echo "usage: $0 start|stop|url|env" >&2; exit 2 ;;
esac
