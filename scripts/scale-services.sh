#!/usr/bin/env bash
# A throw-away PostgreSQL and Redis on 127.0.0.1 for `make test-scale`, or for trying the scaled
# stack by hand. They live in var/scale and never touch the machine's own services.
#
#   scripts/scale-services.sh start    install if missing, create on first use, start (idempotent)
#   scripts/scale-services.sh stop     stop both (idempotent)
#   scripts/scale-services.sh status
#   scripts/scale-services.sh env      print DATABASE_URL and REDIS_URL for these services
#
# PostgreSQL: port 54329, role and database "sikim" (password "sikim", CREATEDB for the test
# databases), tuned for tests (fsync off): never keep data you care about in it.
# Redis: port 63799, no persistence.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

PG_PORT=54329
REDIS_PORT=63799
DATABASE_URL="postgres://sikim:sikim@127.0.0.1:$PG_PORT/sikim"
REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"

state_dir=$root/var/scale
redis_dir=$state_dir/redis

# PostgreSQL refuses to run as root: as root, its files belong to the "postgres" user and its
# commands run as that user. The data folder must be reachable by that user; when the checkout is
# not (e.g. under /root), it goes to /tmp instead.
if [ "$(id -u)" -eq 0 ]; then
  as_pg=(runuser -u postgres --)
else
  as_pg=()
fi

pg_bin() {
  local dir
  dir=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  [ -d "$dir" ] || dir=""
  if [ -z "$dir" ] && command -v pg_ctl >/dev/null 2>&1; then dir=$(dirname "$(command -v pg_ctl)"); fi
  echo "$dir"
}

pg_dir() {
  if [ ${#as_pg[@]} -eq 0 ] || "${as_pg[@]}" test -x "$state_dir"; then
    echo "$state_dir/pg"
  else
    echo "/tmp/sikim-scale-$(printf '%s' "$root" | cksum | cut -d' ' -f1)/pg"
  fi
}

pg_running() {
  local bin=$1 dir=$2
  [ -f "$dir/data/PG_VERSION" ] && "${as_pg[@]}" "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1
}

redis_running() {
  command -v redis-cli >/dev/null 2>&1 && [ "$(redis-cli -h 127.0.0.1 -p $REDIS_PORT ping 2>/dev/null)" = PONG ]
}

start_postgres() {
  local bin dir
  bin=$(pg_bin)
  mkdir -p "$state_dir"
  chmod 755 "$state_dir"
  dir=$(pg_dir)
  if pg_running "$bin" "$dir"; then
    echo "» PostgreSQL already running on 127.0.0.1:$PG_PORT ($dir)"
  else
    mkdir -p "$dir"
    [ ${#as_pg[@]} -eq 0 ] || chown postgres:postgres "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      echo "» creating a PostgreSQL cluster in $dir/data"
      "${as_pg[@]}" "$bin/initdb" -D "$dir/data" -U postgres -E UTF8 --locale=C \
        --auth-local=trust --auth-host=scram-sha-256 >"$dir/initdb.log"
      cat >>"$dir/data/postgresql.conf" <<EOF
# scripts/scale-services.sh: local, for tests only.
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$dir'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
    fi
    echo "» starting PostgreSQL on 127.0.0.1:$PG_PORT"
    if ! "${as_pg[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 start >/dev/null; then
      tail -n 20 "$dir/postgres.log" >&2 || true
      echo "PostgreSQL did not start (log: $dir/postgres.log)." >&2
      return 1
    fi
  fi
  local psql=("${as_pg[@]}" "$bin/psql" -h "$dir" -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA)
  if [ -z "$("${psql[@]}" -c "SELECT 1 FROM pg_roles WHERE rolname = 'sikim'")" ]; then
    "${psql[@]}" -c "CREATE ROLE sikim LOGIN CREATEDB PASSWORD 'sikim'"
  fi
  if [ -z "$("${psql[@]}" -c "SELECT 1 FROM pg_database WHERE datname = 'sikim'")" ]; then
    "${psql[@]}" -c "CREATE DATABASE sikim OWNER sikim"
  fi
}

start_redis() {
  if redis_running; then
    echo "» Redis already running on 127.0.0.1:$REDIS_PORT"
    return 0
  fi
  mkdir -p "$redis_dir"
  echo "» starting Redis on 127.0.0.1:$REDIS_PORT"
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes \
    --pidfile "$redis_dir/redis.pid" --dir "$redis_dir" --logfile "$redis_dir/redis.log" \
    --save "" --appendonly no
  for _ in $(seq 100); do
    redis_running && return 0
    sleep 0.1
  done
  tail -n 20 "$redis_dir/redis.log" >&2 || true
  echo "Redis did not start (log: $redis_dir/redis.log)." >&2
  return 1
}

stop_postgres() {
  local bin dir
  bin=$(pg_bin)
  [ -n "$bin" ] || return 0
  dir=$(pg_dir)
  if pg_running "$bin" "$dir"; then
    echo "» stopping PostgreSQL"
    "${as_pg[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
  fi
}

stop_redis() {
  if redis_running; then
    echo "» stopping Redis"
    redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
    for _ in $(seq 100); do
      redis_running || return 0
      sleep 0.1
    done
    echo "Redis did not stop." >&2
    return 1
  fi
}

case ${1:-} in
  start)
    if [ -z "$(pg_bin)" ] || ! command -v redis-server >/dev/null 2>&1; then
      scripts/install-system-deps.sh scale
    fi
    start_postgres
    start_redis
    ;;
  stop)
    status=0
    stop_postgres || status=1
    stop_redis || status=1
    exit $status
    ;;
  status)
    if pg_running "$(pg_bin)" "$(pg_dir)"; then echo "PostgreSQL: running"; else echo "PostgreSQL: stopped"; fi
    if redis_running; then echo "Redis: running"; else echo "Redis: stopped"; fi
    ;;
  env)
    echo "DATABASE_URL=$DATABASE_URL"
    echo "REDIS_URL=$REDIS_URL"
    ;;
  *)
    echo "usage: $0 start|stop|status|env" >&2
    exit 2
    ;;
esac
