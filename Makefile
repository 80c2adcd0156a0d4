# Samudbud: `make run` serves it, `make test` tests it.

CARGO ?= cargo
WEB := web
# nextest runs each test in its own process (faster on many cores, clearer
# output); plain cargo test works the same where nextest is not installed.
TEST_RUNNER := $(shell command -v cargo-nextest >/dev/null 2>&1 && echo "nextest run --no-fail-fast" || echo "test --no-fail-fast")

.PHONY: run test check lint deploy-check rust-test reliability clients web web-deps web-check web-test e2e openapi clean

## Build the web app when needed, seed the demo and serve on http://127.0.0.1:8080/.
run: web
	$(CARGO) run --bin samudbud -- serve --demo

## Everything CI checks: formatting, lints, unit and API tests, the reliability suite, the generated
## Python client, web checks and browser tests.
## The web app's checks, unit tests and build run beside the Rust stages (they
## share nothing, and a Rust build leaves a core idle now and then); its output
## is shown when the Rust stages are done. Each stage's time is printed, so
## that a slow one shows.
RUST_STAGES := lint deploy-check rust-test reliability clients
WEB_STAGES := web-deps web-check web-test web
test:
	@weblog=$$(mktemp); \
	( for stage in $(WEB_STAGES); do \
		started=$$(date +%s); \
		$(MAKE) --no-print-directory $$stage || exit 1; \
		echo "== make $$stage: $$(( $$(date +%s) - started )) s"; \
	done ) >$$weblog 2>&1 & web=$$!; \
	status=0; \
	for stage in $(RUST_STAGES); do \
		started=$$(date +%s); \
		$(MAKE) --no-print-directory $$stage || { status=1; break; }; \
		echo "== make $$stage: $$(( $$(date +%s) - started )) s"; \
	done; \
	wait $$web || status=1; \
	echo "== the web app's stages:"; cat $$weblog; rm -f $$weblog; \
	[ $$status = 0 ] || exit 1; \
	started=$$(date +%s); \
	$(MAKE) --no-print-directory e2e || exit 1; \
	echo "== make e2e: $$(( $$(date +%s) - started )) s"

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

## The Kubernetes manifests against the Kubernetes API's schemas, and what production needs of them.
deploy-check:
	./deploy/check.sh

rust-test:
	$(CARGO) $(TEST_RUNNER) --workspace

## The reliability suite: schemathesis over every operation against the real server
## (SQLite, and PostgreSQL when SAMUDBUD_TEST_POSTGRES_URL is set).
reliability:
	./tests/schemathesis.sh

## The typed Python client generated from openapi/openapi.json (never committed),
## driven through the README's integrator quickstart against the real server.
clients:
	./tests/clients/python.sh

## Regenerate openapi/openapi.json (and the web client) from the code.
openapi:
	$(CARGO) run --quiet --bin samudbud -- openapi > openapi/openapi.json
	@if [ -f $(WEB)/package.json ]; then cd $(WEB) && npm run gen:api; fi

web-deps:
	@if [ -f $(WEB)/package.json ]; then \
		if [ ! -d $(WEB)/node_modules ] || [ $(WEB)/package-lock.json -nt $(WEB)/node_modules/.package-lock.json ]; then \
			cd $(WEB) && npm ci --no-audit --no-fund; \
		fi; \
	fi

## Build web/dist when its sources are newer than the last build.
web: web-deps
	@if [ -f $(WEB)/package.json ]; then \
		if [ ! -f $(WEB)/dist/index.html ] || [ -n "$$(find $(WEB)/src $(WEB)/index.html $(WEB)/package.json -newer $(WEB)/dist/index.html 2>/dev/null | head -1)" ]; then \
			cd $(WEB) && npm run build; \
		fi; \
	fi

web-check: web-deps
	@if [ -f $(WEB)/package.json ]; then cd $(WEB) && npm run lint && npm run typecheck && npm run check:api; fi

web-test: web-deps
	@if [ -f $(WEB)/package.json ]; then cd $(WEB) && npm test; fi

## Browser tests: the real server with the demo, driven through system Chromium.
e2e: web
	@if [ -f $(WEB)/package.json ]; then ./tests/e2e.sh; fi

clean:
	$(CARGO) clean
	rm -rf $(WEB)/dist $(WEB)/node_modules
