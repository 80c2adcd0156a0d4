#!/usr/bin/env bash
# The typed Python client: generated from openapi/openapi.json with
# openapi-python-client (any warning, such as a schema it cannot model, fails
# the run), installed into a venv, and driven through the README's
# integrator quickstart (tests/clients/quickstart.py) against the real server
# with the demo on a fresh SQLite database and, when SAMUDBUD_TEST_POSTGRES_URL
# is set, on a fresh PostgreSQL database as well. The client is generated into a
# temporary directory on each run and never committed.
#
# Knobs: PYTHON_CLIENT_VENV (where the generator and the client are
# installed), SAMUDBUD_BIN (a server binary to use instead of building the
# debug one).
set -euo pipefail
cd "$(dirname "$0")/../.."

version=0.29.1
venv=${PYTHON_CLIENT_VENV:-"$HOME/.cache/samudbud/python-client-$version"}

if [ ! -x "$venv/bin/openapi-python-client" ]; then
  echo "installing openapi-python-client $version into $venv" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "openapi-python-client==$version"
fi

if [ -n "${SAMUDBUD_BIN:-}" ]; then
  bin=$SAMUDBUD_BIN
else
  cargo build --quiet --bin samudbud
  bin=$PWD/target/debug/samudbud
fi

work=$(mktemp -d)
server=
database=
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null && wait "$server" 2>/dev/null; fi
  if [ -n "$database" ]; then psql "$SAMUDBUD_TEST_POSTGRES_URL" -qc "DROP DATABASE IF EXISTS $database" >/dev/null 2>&1; fi
  rm -rf "$work"
  return 0
}
trap cleanup EXIT

started=$(date +%s)
"$venv/bin/openapi-python-client" generate --path openapi/openapi.json \
  --config tests/clients/python-client.yaml --meta setup --output-path "$work/client" \
  --fail-on-warning >"$work/generate.log" 2>&1 || { cat "$work/generate.log" >&2; exit 1; }
"$venv/bin/pip" uninstall --quiet --yes samudbud-client >/dev/null 2>&1 || true
"$venv/bin/pip" install --quiet --disable-pip-version-check "$work/client"
echo "== generated and installed the Python client: $(( $(date +%s) - started )) s"

# run LABEL [DATABASE_URL [OWNER_DATABASE_URL]]: seeds the demo into a fresh
# database (a SQLite file without a URL), serves it and runs the quickstart.
run() {
  local label=$1 data="$work/$1" port status=0
  mkdir -p "$data"
  started=$(date +%s)
  export SAMUDBUD_DATA_DIR="$data"
  if [ -n "${2:-}" ]; then export SAMUDBUD_DATABASE_URL=$2; else unset SAMUDBUD_DATABASE_URL; fi
  if [ -n "${3:-}" ]; then export SAMUDBUD_OWNER_DATABASE_URL=$3; else unset SAMUDBUD_OWNER_DATABASE_URL; fi
  "$bin" demo >"$data/demo.log" 2>&1 || { cat "$data/demo.log" >&2; return 1; }
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  RUST_LOG=warn "$bin" serve --addr "127.0.0.1:$port" \
    --web-dir "$data/no-web" --webhook-allow-loopback-http --webhook-tick 200ms \
    >"$data/server.log" 2>&1 &
  server=$!
  for _ in $(seq 1 120); do
    curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
    if ! kill -0 "$server" 2>/dev/null; then cat "$data/server.log" >&2; return 1; fi
    sleep 0.5
  done
  curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null || { echo "the server did not become ready" >&2; cat "$data/server.log" >&2; return 1; }
  timeout 120 "$venv/bin/python" tests/clients/quickstart.py "http://127.0.0.1:$port/api/v1" || status=$?
  if grep -q 'ERROR\|panicked' "$data/server.log"; then
    echo "== server errors logged on $label:" >&2
    grep 'ERROR\|panicked' "$data/server.log" | head -20 >&2
    status=1
  fi
  kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
  server=
  echo "== the quickstart on $label: $(( $(date +%s) - started )) s, exit status $status"
  return $status
}

failed=0
run sqlite || failed=1
if [ -n "${SAMUDBUD_TEST_POSTGRES_URL:-}" ]; then
  # As in production: migrations as the owner, requests as the application
  # role, so that row-level security binds.
  database="samudbud_clients_$$"
  psql "$SAMUDBUD_TEST_POSTGRES_URL" -qc "CREATE DATABASE $database" >/dev/null
  owner_url="${SAMUDBUD_TEST_POSTGRES_URL%/*}/$database"
  if [ -n "${SAMUDBUD_TEST_POSTGRES_APP_URL:-}" ]; then
    run postgres "${SAMUDBUD_TEST_POSTGRES_APP_URL%/*}/$database" "$owner_url" || failed=1
  else
    run postgres "$owner_url" || failed=1
  fi
fi
exit $failed
