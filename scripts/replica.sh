#!/usr/bin/env bash
# A streaming read replica of a local PostgreSQL, for the tests (tests/production/test_replica.py) and
# for trying the replica router by hand. Not for production: there, the replica is the hosting's job.
#
#   scripts/replica.sh allow                 let 127.0.0.1 open replication connections to the primary
#                                            (one pg_hba.conf line, then a reload; .ci/run does this)
#   scripts/replica.sh start PORT DATADIR    pg_basebackup -R into DATADIR (when it is empty), then start
#                                            a hot standby on 127.0.0.1:PORT and wait until it streams
#   scripts/replica.sh stop PORT DATADIR     stop it (the data directory stays: `start` again resumes)
#   scripts/replica.sh status PORT DATADIR   "streaming" (exit 0), or what is wrong (exit 1)
#
# The primary is PRIMARY_HOST:PRIMARY_PORT (127.0.0.1:5432), user postgres, trust authentication, as on
# the development and CI machines. PostgreSQL refuses to run as root: as root, the server commands run as
# the postgres user (who must own DATADIR's parent; start creates DATADIR for it).
set -euo pipefail

PRIMARY_HOST="${PRIMARY_HOST:-127.0.0.1}"
PRIMARY_PORT="${PRIMARY_PORT:-5432}"
WAIT_SECONDS="${REPLICA_WAIT_SECONDS:-60}"
HBA_LINE="host replication postgres 127.0.0.1/32 trust"

die() { echo "replica.sh: $*" >&2; exit 1; }

primary_sql() { psql -X -q -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U postgres -d postgres -Atc "$1"; }

# The server binaries of the primary's major version (Debian keeps them off PATH).
bindir() {
  local major
  major="$(primary_sql "SELECT current_setting('server_version_num')::int / 10000")"
  if [[ -x "/usr/lib/postgresql/$major/bin/pg_ctl" ]]; then
    echo "/usr/lib/postgresql/$major/bin"
  else
    dirname "$(command -v pg_ctl || die "no pg_ctl for PostgreSQL $major")"
  fi
}

as_postgres() {
  if [[ "$(id -u)" == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

replica_sql() { psql -X -q -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -Atc "$1" 2>/dev/null; }

status() {
  [[ "$(replica_sql "SELECT pg_is_in_recovery()")" == t ]] || { echo "not running as a standby on port $PORT"; return 1; }
  local state
  state="$(replica_sql "SELECT status FROM pg_stat_wal_receiver")"
  [[ "$state" == streaming ]] || { echo "standby on port $PORT, not streaming (${state:-no WAL receiver})"; return 1; }
  echo streaming
}

allow() {
  local hba
  hba="$(primary_sql "SHOW hba_file")"
  if ! grep -qxF "$HBA_LINE" "$hba"; then
    # Replication connections match only lines whose database is "replication", never "all".
    printf '%s\n' "$HBA_LINE" >>"$hba"
    primary_sql "SELECT pg_reload_conf()" >/dev/null
    echo "added to $hba: $HBA_LINE"
  fi
}

start() {
  local bin
  bin="$(bindir)"
  if [[ ! -f "$DATADIR/PG_VERSION" ]]; then
    as_postgres mkdir -p -m 700 "$DATADIR"
    as_postgres "$bin/pg_basebackup" -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U postgres -D "$DATADIR" \
      --write-recovery-conf --wal-method=stream --checkpoint=fast --no-sync \
      || die "pg_basebackup failed: does pg_hba.conf allow replication from 127.0.0.1? ($0 allow)"
    # Debian keeps postgresql.conf and pg_hba.conf in /etc, so the copy has none: the replica's own.
    # Hot standby needs max_connections and the like at least as high as the primary's: the defaults.
    as_postgres tee "$DATADIR/postgresql.conf" >/dev/null <<EOF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = ''
hot_standby = on
hba_file = '$DATADIR/pg_hba.conf'
ident_file = '$DATADIR/pg_ident.conf'
fsync = off
logging_collector = off
EOF
    as_postgres tee "$DATADIR/pg_hba.conf" >/dev/null <<EOF
host all all 127.0.0.1/32 trust
EOF
    as_postgres touch "$DATADIR/pg_ident.conf"
  fi
  as_postgres "$bin/pg_ctl" -D "$DATADIR" -l "$DATADIR/server.log" -w -t "$WAIT_SECONDS" start >/dev/null \
    || { tail -20 "$DATADIR/server.log" >&2; die "the replica did not start"; }
  for _ in $(seq $((WAIT_SECONDS * 5))); do
    status >/dev/null && { echo "streaming on 127.0.0.1:$PORT from $PRIMARY_HOST:$PRIMARY_PORT"; return 0; }
    sleep 0.2
  done
  status >&2 || true
  die "the replica on port $PORT did not start streaming within $WAIT_SECONDS s"
}

stop() {
  [[ -f "$DATADIR/postmaster.pid" ]] || return 0
  as_postgres "$(bindir)/pg_ctl" -D "$DATADIR" -m fast -w stop >/dev/null
}

command="${1:-}"
case "$command" in
  allow) allow ;;
  start | stop | status)
    [[ $# == 3 ]] || die "usage: $0 $command PORT DATADIR"
    PORT="$2"
    DATADIR="$(realpath -m "$3")"
    "$command"
    ;;
  *) die "usage: $0 allow | start PORT DATADIR | stop PORT DATADIR | status PORT DATADIR" ;;
esac
