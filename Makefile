# Cairn — run `make help` for the targets.
GO ?= go

.PHONY: help build run demo test test-go node-deps ui-check test-console bench fmt vet

help: ## list targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

build: ## build ./cairn
	$(GO) build -o cairn ./cmd/cairn

demo: ## run the server with the NTO demo data
	$(GO) run ./cmd/cairn serve --demo

test: node-deps ui-check test-go test-console ## run every test (the command CI runs): Node SDKs, the console build, Go, the console in Chromium

test-go: ## Go tests with the race detector (PostgreSQL tests skip unless reachable; CI requires them)
	$(GO) vet ./...
	$(GO) test -race -count=1 -shuffle=on -timeout 15m ./...

node-deps: ## install the pinned Node SDKs that test/e2e drives against the real binary
	cd test/sdk-node && npm ci --no-audit --no-fund --loglevel=error

ui-check: ## console: typecheck, component tests, rebuild; fails when the committed build in internal/console/dist is stale
	cd ui && npm ci --no-audit --no-fund --loglevel=error && npm run typecheck && npm test && npm run build
	@test -z "$$(git status --porcelain -- internal/console/dist)" || { git status --short -- internal/console/dist; \
		echo "internal/console/dist is stale: run 'cd ui && npm run build' and commit it"; exit 1; }

test-console: ## console end to end: headless Chromium (playwright-core) against a real cairn serve --demo
	$(GO) build -o ui/e2e/.cairn ./cmd/cairn
	cd ui && CAIRN_BIN=$(CURDIR)/ui/e2e/.cairn node --test e2e/

bench: ## hot-path Go benchmarks (figures go to BENCHMARKS.md)
	$(GO) test -run '^$$' -bench . -benchmem ./internal/...

fmt: ## gofmt the tree
	gofmt -w $$(git ls-files '*.go')
