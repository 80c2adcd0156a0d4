#!/usr/bin/env bash
# Browser tests: starts the real server with a fresh demo database and the
# built web app, then runs the web app's Playwright tests in system Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
  echo "chromium is not installed (apt-get install -y chromium)" >&2
  exit 1
fi

cargo build --quiet --bin samudbud
data=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
log="$data/server.log"
SAMUDBUD_DATA_DIR="$data" SAMUDBUD_WEB_DIR=web/dist RUST_LOG=warn \
  ./target/debug/samudbud serve --demo --addr "127.0.0.1:$port" >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$data"' EXIT

for _ in $(seq 1 60); do
  curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
  if ! kill -0 "$server" 2>/dev/null; then cat "$log" >&2; exit 1; fi
  sleep 0.5
done

cd web
SAMUDBUD_BASE_URL="http://127.0.0.1:$port" npm run test:e2e
