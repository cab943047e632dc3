#!/usr/bin/env bash
# The managed PostgreSQL server: the system's own PostgreSQL binaries (Debian's `postgresql`, found in
# /usr/lib/postgresql/<version>/bin or on PATH) running one server on 127.0.0.1 for this machine's
# nodes, one database per party. No Docker, no system service: the server lives in a state directory
# of the repository and stops when told. Logins need a password (SCRAM-SHA-256), generated once per
# state directory and kept there (mode 0600); nothing listens beyond 127.0.0.1 and the socket
# directory is private. As root, the server runs as the `postgres` system user (PostgreSQL refuses
# to run as root).
#
#   tools/postgres/postgres.sh available             exit 0 and print the binaries' directory if there are any
#   tools/postgres/postgres.sh start  [--port N] [--state-dir D] [--databases a,b,…]
#                                                    start (initdb on first use), wait until it serves,
#                                                    create the missing databases
#   tools/postgres/postgres.sh stop   [--port N]     fast stop (immediate after 20 s)
#   tools/postgres/postgres.sh status [--port N]
#   tools/postgres/postgres.sh reset  [--port N]     stop and delete that server's data
#
# `start` ends by printing
#   POSTGRES_DATA_DIR=<the server's data directory>
#   POSTGRES_PASSWORD_FILE=<the password of the `puente` login, mode 0600>
#   POSTGRES_URL=postgres://puente@127.0.0.1:<port>/   (always the last line; add the password and a database)
# Exit status 3 from `available` and `start`: no PostgreSQL binaries on this machine.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PORT=19432
STATE=""
DATABASES=""

die() { echo "postgres.sh: $*" >&2; exit 1; }
say() { echo "postgres.sh: $*" >&2; }

cmd="${1:-}"; shift || true
while [ $# -gt 0 ]; do
  case "$1" in
    --port) PORT="$2"; shift 2 ;;
    --state-dir) STATE="$2"; shift 2 ;;
    --databases) DATABASES="$2"; shift 2 ;;
    *) die "unknown option $1" ;;
  esac
done
[[ "$PORT" =~ ^[0-9]+$ ]] || die "--port must be a number"
STATE="${STATE:-$ROOT/.puente/postgres/$PORT}"
STATE="$(realpath -m "$STATE")"
DATA="$STATE/data"
SOCKETS="$STATE/sockets"
PASSWORD_FILE="$STATE/password"

# The newest installed server's binaries: PUENTE_POSTGRES_BIN, else Debian's layout, else PATH.
bin_dir() {
  if [ -n "${PUENTE_POSTGRES_BIN:-}" ]; then
    [ -x "$PUENTE_POSTGRES_BIN/pg_ctl" ] && echo "$PUENTE_POSTGRES_BIN" && return 0
    return 1
  fi
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  if [ -n "$dir" ] && [ -x "$dir/pg_ctl" ] && [ -x "$dir/initdb" ]; then echo "$dir"; return 0; fi
  if command -v pg_ctl >/dev/null && command -v initdb >/dev/null; then dirname "$(command -v pg_ctl)"; return 0; fi
  return 1
}

BIN="$(bin_dir || true)"
need_bin() {
  [ -n "$BIN" ] || { say "no PostgreSQL server binaries (initdb, pg_ctl): install Debian's postgresql, or set PUENTE_POSTGRES_BIN"; exit 3; }
}

# Every server command runs as the owner of the data: this user, or `postgres` when this is root.
AS=()
if [ "$(id -u)" = 0 ]; then AS=(runuser -u postgres --); fi
as_owner() { "${AS[@]}" "$@"; }

secret() { head -c 32 /dev/urandom | base64 | tr -d '/+=\n' | head -c 32; }

running() { [ -n "$BIN" ] && [ -f "$DATA/PG_VERSION" ] && as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# A statement as the `puente` login over the private socket (the password from the environment, never a command line).
sql() {
  PGPASSWORD="$(cat "$PASSWORD_FILE")" "${AS[@]}" "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$SOCKETS" -p "$PORT" -U puente -d postgres -tA -c "$1"
}

init() {
  [ -f "$DATA/PG_VERSION" ] && return 0
  say "creating a PostgreSQL server in $DATA ($("$BIN/postgres" --version 2>/dev/null || echo "$BIN"))"
  mkdir -p "$STATE"; chmod 700 "$STATE"
  mkdir -p "$SOCKETS"; chmod 700 "$SOCKETS"
  (umask 077; secret >"$PASSWORD_FILE")
  if [ "$(id -u)" = 0 ]; then
    # The server's user must reach the state directory; it owns the data and the sockets. Inside the
    # repository's .puente (made 0700 by the key tools), it gets passage only (o+x: no listing; the
    # directories with secrets keep their own 0700).
    local d="$(dirname "$STATE")"
    while [ "$d" != / ] && [[ "$STATE" == "$ROOT/.puente/"* ]] && [[ "$d" == "$ROOT/.puente"* ]]; do
      as_owner test -x "$d" || chmod o+x "$d"
      d="$(dirname "$d")"
    done
    as_owner test -x "$(dirname "$STATE")" || die "the postgres user cannot reach $STATE; choose another --state-dir"
    chown postgres:postgres "$STATE" "$SOCKETS"
  fi
  local pwfile; pwfile="$(as_owner mktemp)"
  cat "$PASSWORD_FILE" | as_owner tee "$pwfile" >/dev/null
  as_owner "$BIN/initdb" -D "$DATA" -U puente --pwfile="$pwfile" -A scram-sha-256 -E UTF8 --locale=C.UTF-8 \
    >"$STATE/initdb.log" 2>&1 || { as_owner rm -f "$pwfile"; tail -n 20 "$STATE/initdb.log" >&2; die "initdb failed"; }
  as_owner rm -f "$pwfile"
  # Small and local: a handful of nodes with small connection pools; nothing beyond the loopback.
  as_owner tee -a "$DATA/postgresql.conf" >/dev/null <<CONF

# tools/postgres/postgres.sh
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$SOCKETS'
unix_socket_permissions = 0700
max_connections = 200
shared_buffers = 64MB
logging_collector = off
CONF
}

ensure_databases() {
  [ -n "$DATABASES" ] || return 0
  local db
  for db in ${DATABASES//,/ }; do
    [[ "$db" =~ ^[a-z_][a-z0-9_]*$ ]] || die "database name \"$db\" must be lower-case letters, digits or _"
    if [ "$(sql "select 1 from pg_database where datname = '$db'")" != 1 ]; then
      sql "create database \"$db\"" || die "could not create database $db"
      say "created database $db"
    fi
  done
}

start() {
  need_bin
  if running; then
    say "PostgreSQL already running on 127.0.0.1:$PORT (data $DATA)"
  else
    port_busy "$PORT" && die "port $PORT is in use by another process; choose another with --port"
    init
    local started=$SECONDS
    touch "$STATE/server.log"
    if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$STATE" "$STATE/server.log"; fi
    as_owner "$BIN/pg_ctl" -D "$DATA" -l "$STATE/server.log" -w -t 60 start >/dev/null \
      || { tail -n 20 "$STATE/server.log" >&2; die "the server did not start (log: $STATE/server.log)"; }
    say "PostgreSQL serving on 127.0.0.1:$PORT after $((SECONDS - started)) s (data $DATA)"
  fi
  ensure_databases
  echo "POSTGRES_DATA_DIR=$DATA"
  echo "POSTGRES_PASSWORD_FILE=$PASSWORD_FILE"
  echo "POSTGRES_URL=postgres://puente@127.0.0.1:$PORT/"
}

stop() {
  if ! running; then say "no PostgreSQL running on port $PORT"; return 0; fi
  as_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w -t 20 stop >/dev/null \
    || { say "fast stop took over 20 s: immediate stop"; as_owner "$BIN/pg_ctl" -D "$DATA" -m immediate -w stop >/dev/null; }
  say "PostgreSQL on port $PORT stopped"
}

case "$cmd" in
  available) need_bin; echo "$BIN" ;;
  start) start ;;
  stop) stop ;;
  status)
    if running; then echo "running on 127.0.0.1:$PORT (data $DATA)"; else echo "not running (port $PORT)"; exit 1; fi ;;
  reset) stop; rm -rf "$STATE"; say "deleted $STATE" ;;
  *) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
