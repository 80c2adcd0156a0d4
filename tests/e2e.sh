#!/usr/bin/env bash
# Browser tests: starts the real server with a fresh demo database and the
# built web app, then runs the web app's Playwright tests in system Chromium.
# On SQLite, and on a fresh PostgreSQL database as well when
# SAMUDBUD_TEST_POSTGRES_URL is set (the two runs side by side, each with its
# own server, database and log; the logs are shown when both are done).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
  echo "chromium is not installed (apt-get install -y chromium)" >&2
  exit 1
fi

cargo build --quiet --bin samudbud
bin=$PWD/target/debug/samudbud
work=$(mktemp -d)
servers=()
databases=()
cleanup() {
  for pid in "${servers[@]:-}"; do
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  done
  for db in "${databases[@]:-}"; do
    [ -n "$db" ] && psql "$SAMUDBUD_TEST_POSTGRES_URL" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1
  done
  rm -rf "$work"
  return 0
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# serve LABEL [DATABASE_URL [OWNER_DATABASE_URL]]: starts the demo server on
# a free port with its own data directory; adds its label, port and pid to
# the lists (not in a subshell, so that the lists keep them).
serve() {
  local label=$1 database_url=${2:-} owner_database_url=${3:-} port data
  data="$work/$label"
  mkdir -p "$data"
  port=$(free_port)
  (
    export SAMUDBUD_DATA_DIR="$data" SAMUDBUD_WEB_DIR=web/dist RUST_LOG=warn
    if [ -n "$database_url" ]; then export SAMUDBUD_DATABASE_URL="$database_url"; else unset SAMUDBUD_DATABASE_URL; fi
    if [ -n "$owner_database_url" ]; then export SAMUDBUD_OWNER_DATABASE_URL="$owner_database_url"; else unset SAMUDBUD_OWNER_DATABASE_URL; fi
    exec "$bin" serve --demo --addr "127.0.0.1:$port"
  ) >"$data/server.log" 2>&1 &
  servers+=($!)
  labels+=("$label")
  ports+=("$port")
}

wait_ready() {
  local label=$1 port=$2 pid=$3
  for _ in $(seq 1 120); do
    curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && return 0
    if ! kill -0 "$pid" 2>/dev/null; then cat "$work/$label/server.log" >&2; return 1; fi
    sleep 0.5
  done
  echo "the $label server did not become ready" >&2
  cat "$work/$label/server.log" >&2
  return 1
}

labels=()
ports=()
serve sqlite

if [ -n "${SAMUDBUD_TEST_POSTGRES_URL:-}" ]; then
  db="samudbud_e2e_$$"
  psql "$SAMUDBUD_TEST_POSTGRES_URL" -qc "CREATE DATABASE $db" >/dev/null
  databases+=("$db")
  owner_url="${SAMUDBUD_TEST_POSTGRES_URL%/*}/$db"
  if [ -n "${SAMUDBUD_TEST_POSTGRES_APP_URL:-}" ]; then
    app_url="${SAMUDBUD_TEST_POSTGRES_APP_URL%/*}/$db"
  else
    app_url=$owner_url
    owner_url=
  fi
  serve postgres "$app_url" "$owner_url"
fi

for i in "${!labels[@]}"; do
  wait_ready "${labels[$i]}" "${ports[$i]}" "${servers[$i]}"
done

pids=()
for i in "${!labels[@]}"; do
  (
    cd web
    started=$(date +%s)
    status=0
    SAMUDBUD_BASE_URL="http://127.0.0.1:${ports[$i]}" npm run --silent test:e2e || status=$?
    echo "== browser tests on ${labels[$i]}: $(( $(date +%s) - started )) s, exit status $status"
    exit $status
  ) >"$work/${labels[$i]}.log" 2>&1 &
  pids+=($!)
done

failed=0
for i in "${!pids[@]}"; do
  wait "${pids[$i]}" || failed=1
  cat "$work/${labels[$i]}.log"
  if grep -q ' ERROR \|panicked' "$work/${labels[$i]}/server.log"; then
    echo "== server errors logged on ${labels[$i]}:" >&2
    grep ' ERROR \|panicked' "$work/${labels[$i]}/server.log" | head -20 >&2
  fi
done
exit $failed
