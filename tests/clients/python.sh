#!/usr/bin/env bash
# The typed Python client: generated from openapi/openapi.json with
# openapi-python-client (any warning, such as a schema it cannot model, fails
# the run), installed into a venv, and driven through the README's
# integrator quickstart (tests/clients/quickstart.py) against the real server
# with the demo on a fresh SQLite database. The client is generated into a
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
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null && wait "$server" 2>/dev/null; fi
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

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$work/data"
SAMUDBUD_DATA_DIR="$work/data" RUST_LOG=warn "$bin" serve --demo --addr "127.0.0.1:$port" \
  --web-dir "$work/no-web" --webhook-allow-loopback-http --webhook-tick 200ms \
  >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 120); do
  curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
  if ! kill -0 "$server" 2>/dev/null; then cat "$work/server.log" >&2; exit 1; fi
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null || { echo "the server did not become ready" >&2; cat "$work/server.log" >&2; exit 1; }

status=0
timeout 120 "$venv/bin/python" tests/clients/quickstart.py "http://127.0.0.1:$port/api/v1" || status=$?
if grep -q 'ERROR\|panicked' "$work/server.log"; then
  echo "== server errors logged:" >&2
  grep 'ERROR\|panicked' "$work/server.log" | head -20 >&2
  status=1
fi
exit $status
