#!/usr/bin/env bash
# Sourced by .ci/run. Starts a throwaway PostgreSQL bound to 127.0.0.1 (installing it with apt-get when the
# machine has none), exports INTEGRATIONS_SDK_POSTGRES with its connection string, and registers pg_stop.
# When INTEGRATIONS_SDK_POSTGRES is already set and answers, that server is used and nothing is started.
# It also exports INTEGRATIONS_SDK_POSTGRES_BIN (the directory of initdb and pg_ctl) and, when running as root,
# INTEGRATIONS_SDK_POSTGRES_RUN_AS (the user the server binaries must run as): the database fault tests start a
# private server of their own from these, to restart it and end its connections without disturbing other tests.

pg_port="${INTEGRATIONS_SDK_PG_PORT:-}"
pg_dir=""
pg_bin=""
pg_user=""

pg_log() { echo "postgres: $*"; }

pg_find_bin() {
  local candidate
  for candidate in /usr/lib/postgresql/*/bin; do
    if [ -x "$candidate/initdb" ] && [ -x "$candidate/pg_ctl" ]; then pg_bin="$candidate"; fi
  done
  [ -n "$pg_bin" ]
}

pg_as() {
  # initdb and postgres refuse to run as root: run them as the postgres user then.
  if [ "$(id -u)" -eq 0 ]; then runuser -u "$pg_user" -- "$@"; else "$@"; fi
}

pg_start() {
  if [ -n "${INTEGRATIONS_SDK_POSTGRES:-}" ]; then
    pg_log "using INTEGRATIONS_SDK_POSTGRES from the environment"
    # The fault tests still need the binaries for a private server.
    if [ -z "${INTEGRATIONS_SDK_POSTGRES_BIN:-}" ] && pg_find_bin; then
      export INTEGRATIONS_SDK_POSTGRES_BIN="$pg_bin"
      if [ "$(id -u)" -eq 0 ] && id -u postgres >/dev/null 2>&1; then export INTEGRATIONS_SDK_POSTGRES_RUN_AS=postgres; fi
    fi
    return 0
  fi
  if ! pg_find_bin; then
    pg_log "no server binaries found; installing with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    (apt-get install -y -q postgresql >/dev/null 2>&1 || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q postgresql >/dev/null 2>&1; }) \
      || { pg_log "apt-get install postgresql failed"; return 1; }
    pg_find_bin || { pg_log "installed, but no initdb found under /usr/lib/postgresql"; return 1; }
  fi
  if [ "$(id -u)" -eq 0 ]; then
    pg_user=postgres
    id -u "$pg_user" >/dev/null 2>&1 || useradd --system --no-create-home "$pg_user"
    export INTEGRATIONS_SDK_POSTGRES_RUN_AS="$pg_user"
  fi
  export INTEGRATIONS_SDK_POSTGRES_BIN="$pg_bin"
  if [ -z "$pg_port" ]; then
    # The first free port from 55432 on: another server (a developer's, or a second run) may hold one.
    for candidate in $(seq 55432 55480); do
      if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then pg_port=$candidate; break; fi
    done
    [ -n "$pg_port" ] || { pg_log "no free port between 55432 and 55480"; return 1; }
  fi
  pg_dir="$(mktemp -d /tmp/integrations-pg.XXXXXX)"
  [ -n "$pg_user" ] && chown "$pg_user" "$pg_dir"
  chmod 700 "$pg_dir"
  pg_as "$pg_bin/initdb" -D "$pg_dir/data" -U postgres -A trust -E UTF8 --no-instructions >"$pg_dir/initdb.log" 2>&1 \
    || { pg_log "initdb failed:"; cat "$pg_dir/initdb.log"; return 1; }
  pg_as "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $pg_dir -c max_connections=400 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null || { pg_log "the server did not start:"; cat "$pg_dir/server.log"; return 1; }
  pg_as "$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres integrations_ci || { pg_log "createdb failed"; return 1; }
  export INTEGRATIONS_SDK_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=integrations_ci"
  pg_log "started on 127.0.0.1:$pg_port (data in $pg_dir)"
}

pg_stop() {
  if [ -n "$pg_dir" ] && [ -d "$pg_dir/data" ]; then
    pg_as "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$pg_dir"
    pg_log "stopped"
  fi
}
