#!/usr/bin/env bash
# Spec conformance: schemathesis generates requests for every operation of
# openapi/openapi.json and sends them to the real server, logged in as the
# admin of a seeded municipality (the demo's Sorø). It fails on any 5xx and
# on any answer the spec does not describe: an undocumented status, content
# type or header, a body that does not match its schema, a 405 without the
# right Allow. Runs on SQLite and, when SAMUDBUD_TEST_POSTGRES_URL is set,
# on a fresh PostgreSQL database as well.
#
# Knobs: SCHEMATHESIS_MAX_EXAMPLES (cases per operation and phase, default
# 10), SCHEMATHESIS_SEED (default fixed, so that CI runs are reproducible),
# SCHEMATHESIS_VENV (where schemathesis is installed).
set -euo pipefail
cd "$(dirname "$0")/.."

version=4.32.5
venv=${SCHEMATHESIS_VENV:-"$HOME/.cache/samudbud/schemathesis-$version"}
max_examples=${SCHEMATHESIS_MAX_EXAMPLES:-10}
seed=${SCHEMATHESIS_SEED:-20261201}
checks=not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance,unsupported_method,allow_header_conformance

if [ ! -x "$venv/bin/schemathesis" ]; then
  echo "installing schemathesis $version into $venv" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$version"
fi

cargo build --quiet --bin samudbud
bin=$PWD/target/debug/samudbud

workdirs=()
servers=()
databases=()
cleanup() {
  for pid in "${servers[@]:-}"; do
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  done
  for db in "${databases[@]:-}"; do
    [ -n "$db" ] && psql "$SAMUDBUD_TEST_POSTGRES_URL" -qc "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1
  done
  for dir in "${workdirs[@]:-}"; do
    [ -n "$dir" ] && rm -rf "$dir"
  done
  return 0
}
trap cleanup EXIT

json_field() {
  python3 -c "import json, sys; print(json.load(sys.stdin)[sys.argv[1]])" "$1"
}

# run LABEL [DATABASE_URL [OWNER_DATABASE_URL]]: seeds, serves and tests
# one database (without a URL, a SQLite file in a fresh data directory; with
# an owner URL, migrations and cross-municipality work run as the owner and
# requests as the application role, as in production).
run() {
  local label=$1 database_url=${2:-} owner_database_url=${3:-}
  local data port log server token own_id started
  data=$(mktemp -d)
  workdirs+=("$data")
  log="$data/server.log"
  export SAMUDBUD_DATA_DIR="$data"
  if [ -n "$database_url" ]; then
    export SAMUDBUD_DATABASE_URL="$database_url"
  else
    unset SAMUDBUD_DATABASE_URL
  fi
  if [ -n "$owner_database_url" ]; then
    export SAMUDBUD_OWNER_DATABASE_URL="$owner_database_url"
  else
    unset SAMUDBUD_OWNER_DATABASE_URL
  fi
  "$bin" demo >"$data/demo.log" 2>&1 || { cat "$data/demo.log" >&2; return 1; }
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  RUST_LOG=warn "$bin" serve --addr "127.0.0.1:$port" --web-dir "$data/no-web" >"$log" 2>&1 &
  server=$!
  servers+=("$server")
  for _ in $(seq 1 120); do
    curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
    if ! kill -0 "$server" 2>/dev/null; then cat "$log" >&2; return 1; fi
    sleep 0.5
  done
  local base="http://127.0.0.1:$port/api/v1"
  token=$(curl -fsS -H 'content-type: application/json' \
    -d '{"email":"admin@soroe.dk","password":"Demo-adgangskode-1"}' \
    "$base/auth/login" | json_field access_token)
  own_id=$(curl -fsS -H "authorization: Bearer $token" "$base/me" | json_field id)

  echo "== schemathesis on $label ($max_examples examples per operation, seed $seed)"
  started=$(date +%s)
  local status=0
  # One worker: with two, schemathesis 4.32.5's examples phase fails inside
  # Hypothesis now and then (a KeyError while drawing), which is not ours.
  PYTHONPATH="$PWD/tests/schemathesis" SCHEMATHESIS_HOOKS=hooks SAMUDBUD_OWN_USER_ID="$own_id" \
    "$venv/bin/schemathesis" run openapi/openapi.json \
    --url "$base" \
    --header "Authorization: Bearer $token" \
    --checks "$checks" \
    --max-examples "$max_examples" \
    --seed "$seed" \
    --generation-database none \
    --workers 1 \
    --request-timeout 30 \
    --no-color \
    --suppress-health-check all || status=$?
  echo "== $label: $(( $(date +%s) - started )) s, exit status $status"
  if grep -q ' ERROR \|panicked' "$log"; then
    echo "== server errors logged on $label:" >&2
    grep ' ERROR \|panicked' "$log" | head -20 >&2
    status=1
  fi
  kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
  return $status
}

# The two databases are tested side by side (each run is one Python worker
# and one server), each writing to its own log, shown when both are done.
logs=$(mktemp -d)
workdirs+=("$logs")
pids=()
labels=()
( trap cleanup EXIT; servers=(); workdirs=(); databases=(); run sqlite ) >"$logs/sqlite" 2>&1 &
pids+=($!)
labels+=(sqlite)

if [ -n "${SAMUDBUD_TEST_POSTGRES_URL:-}" ]; then
  db="samudbud_schemathesis_$$"
  psql "$SAMUDBUD_TEST_POSTGRES_URL" -qc "CREATE DATABASE $db" >/dev/null
  databases+=("$db")
  owner_url="${SAMUDBUD_TEST_POSTGRES_URL%/*}/$db"
  if [ -n "${SAMUDBUD_TEST_POSTGRES_APP_URL:-}" ]; then
    app_url="${SAMUDBUD_TEST_POSTGRES_APP_URL%/*}/$db"
  else
    app_url=$owner_url
    owner_url=
  fi
  ( trap cleanup EXIT; servers=(); workdirs=(); databases=(); run postgres "$app_url" "$owner_url" ) >"$logs/postgres" 2>&1 &
  pids+=($!)
  labels+=(postgres)
fi

failed=0
for i in "${!pids[@]}"; do
  wait "${pids[$i]}" || failed=1
  cat "$logs/${labels[$i]}"
done
exit $failed
