#!/usr/bin/env bash
# A throw-away PostgreSQL for tests, from Debian's packages, on a loopback port.
#   bash scripts/pg.sh start   # init (once) + start; prints the DATABASE_URL base
#   bash scripts/pg.sh stop
#   bash scripts/pg.sh url [db] # postgres://… for a database
# Env: CLOUDPORT_PG_DIR (default /var/tmp/cloudport-pg), CLOUDPORT_PG_PORT (default 54329).
set -euo pipefail

PGDIR=${CLOUDPORT_PG_DIR:-/var/tmp/cloudport-pg}
PORT=${CLOUDPORT_PG_PORT:-54329}
DATABASES=(cloudport_test cloudport_e2e)

bindir() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$d" ] || { echo "PostgreSQL is not installed: apt-get install -y postgresql" >&2; exit 1; }
  echo "$d"
}

# initdb and postgres refuse to run as root.
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

url() { echo "postgres://postgres@127.0.0.1:${PORT}/${1:-postgres}"; }

start() {
  local bin; bin=$(bindir)
  if [ ! -s "$PGDIR/PG_VERSION" ]; then
    mkdir -p "$PGDIR"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$PGDIR"
    chmod 700 "$PGDIR"
    as_pg "$bin/initdb" -D "$PGDIR" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    cat >>"$PGDIR/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$PGDIR'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
CONF
  fi
  if ! as_pg "$bin/pg_ctl" -D "$PGDIR" status >/dev/null 2>&1; then
    as_pg "$bin/pg_ctl" -D "$PGDIR" -l "$PGDIR/server.log" -w -t 60 start >/dev/null
  fi
  for db in "${DATABASES[@]}"; do
    if ! psql "$(url)" -tAc "select 1 from pg_database where datname='$db'" | grep -q 1; then
      psql "$(url)" -qc "create database $db" >/dev/null
    fi
  done
  echo "PostgreSQL running: $(url)"
}

stop() {
  local bin; bin=$(bindir)
  as_pg "$bin/pg_ctl" -D "$PGDIR" -m fast stop >/dev/null 2>&1 || true
  echo "PostgreSQL stopped"
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  url) url "${2:-postgres}" ;;
  *) echo "usage: $0 start|stop|url [db]" >&2; exit 2 ;;
esac
