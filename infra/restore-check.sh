#!/usr/bin/env bash
# Backup and restore drill: fill a database through the app, dump it with pg_dump, restore the dump
# into a new database with pg_restore, start the app on the copy and compare what it serves.
#
#   infra/restore-check.sh                 # needs psql, pg_dump, pg_restore, curl, node, a built app
#
# PG_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres): where the two databases are
# created (and dropped at the end unless KEEP=1). APP_ROOT (default: this checkout): the tree whose
# api/dist/main.js runs. Exits non-zero on the first difference.
set -euo pipefail

ADMIN_URL=${PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}
APP_ROOT=${APP_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
SUFFIX=$(date +%s)
SRC=tandem_restore_src_$SUFFIX
COPY=tandem_restore_copy_$SUFFIX
WORK=$(mktemp -d)
DUMP=$WORK/tandem.dump
PORT=${PORT:-39123}
SECRET=$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=')
url_of() { echo "${ADMIN_URL%/*}/$1"; }
APP_PID=

step() { printf '\n== %s\n' "$*"; }
stop_app() { if [ -n "$APP_PID" ]; then kill -TERM "$APP_PID" 2>/dev/null || true; wait "$APP_PID" 2>/dev/null || true; APP_PID=; fi; }
cleanup() {
  stop_app
  if [ "${KEEP:-0}" != 1 ]; then
    psql "$ADMIN_URL" -qc "drop database if exists \"$SRC\" with (force)" -c "drop database if exists \"$COPY\" with (force)" || true
    rm -rf "$WORK"
  else
    echo "kept $SRC, $COPY and $WORK"
  fi
}
trap cleanup EXIT

start_app() { # database, migrate, seed
  (cd "$APP_ROOT" && NODE_ENV=production PORT=$PORT HOST=127.0.0.1 WEB_BUILD_DIR= LOG_LEVEL=warn \
    DATABASE_URL=$(url_of "$1") MIGRATE_ON_START=$2 SEED_DEMO=$3 SESSION_SECRET=$SECRET \
    exec node api/dist/main.js) > "$WORK/app-$1.log" 2>&1 &
  APP_PID=$!
  for _ in $(seq 1 120); do
    if curl -sf "http://127.0.0.1:$PORT/health/ready" > "$WORK/ready.json"; then echo "ready: $(cat "$WORK/ready.json")"; return 0; fi
    sleep 0.5
  done
  echo "the app did not become ready on $1:"; cat "$WORK/app-$1.log"; return 1
}

snapshot() { # name: what the app serves, signed in as the demo program manager
  local jar=$WORK/cookies-$1
  curl -sf -c "$jar" -H 'content-type: application/json' -H "origin: http://127.0.0.1:$PORT" \
    -d '{"email":"pm@demo.tandem","password":"demo-password"}' "http://127.0.0.1:$PORT/api/v1/auth/login" > /dev/null
  curl -sf -b "$jar" "http://127.0.0.1:$PORT/api/v1/programs" > "$WORK/$1-programs.json"
  local doc
  doc=$(psql "$(url_of "$2")" -Atc "select d.id from doc d join doc_snapshot s on s.doc_id = d.id order by d.created_at limit 1")
  curl -sf -b "$jar" "http://127.0.0.1:$PORT/api/v1/docs/$doc/export.md" > "$WORK/$1-doc.md"
  curl -sf -b "$jar" "http://127.0.0.1:$PORT/api/v1/programs/QA/milestones" > "$WORK/$1-milestones.json"
  echo "$1: $(wc -c < "$WORK/$1-programs.json") bytes of programs, $(wc -c < "$WORK/$1-milestones.json") of QA milestones, document $doc exported as $(wc -c < "$WORK/$1-doc.md") bytes of Markdown"
}

counts() { # every table's exact row count and a checksum of the document states
  psql "$(url_of "$1")" -Atc "
    select string_agg(t || '=' || n, ' ' order by t) from (
      select table_name as t, (xpath('/row/n/text()', query_to_xml(format('select count(*) as n from %I', table_name), false, true, '')))[1]::text as n
      from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE') c" \
    -c "select 'doc_snapshot md5=' || coalesce(md5(string_agg(md5(state), '' order by doc_id)), '-') from doc_snapshot"
}

step "versions"
psql --version; pg_dump --version; pg_restore --version; psql "$ADMIN_URL" -Atc 'show server_version'; node --version

step "1. a source database, filled by the app (migrations + demo organisation)"
psql "$ADMIN_URL" -qc "create database \"$SRC\""
start_app "$SRC" 1 1
snapshot source "$SRC"
stop_app

step "2. pg_dump (custom format, as the nightly backup does)"
time pg_dump --format=custom --no-owner --no-privileges --file="$DUMP" "$(url_of "$SRC")"
ls -l "$DUMP"
echo "archive entries: $(pg_restore --list "$DUMP" | grep -vc '^;')"

step "3. pg_restore into a new, empty database"
psql "$ADMIN_URL" -qc "create database \"$COPY\""
time pg_restore --no-owner --no-privileges --exit-on-error --dbname="$(url_of "$COPY")" "$DUMP"

step "4. the same rows in both"
counts "$SRC" > "$WORK/src.counts"
counts "$COPY" > "$WORK/copy.counts"
cat "$WORK/copy.counts"
diff "$WORK/src.counts" "$WORK/copy.counts" && echo "row counts and document states: identical"

step "5. the app on the restored database (MIGRATE_ON_START=0: it must find every migration applied)"
start_app "$COPY" 0 0
snapshot restored "$COPY"
stop_app
for f in programs.json milestones.json doc.md; do
  cmp "$WORK/source-$f" "$WORK/restored-$f" && echo "$f: identical"
done
step "restore drill passed"
