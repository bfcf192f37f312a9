# Cairn — run `make help` for the targets.
GO ?= go

.PHONY: help build run demo test test-go node-deps bench fmt vet

help: ## list targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

build: ## build ./cairn
	$(GO) build -o cairn ./cmd/cairn

demo: ## run the server with the NTO demo data
	$(GO) run ./cmd/cairn serve --demo

test: node-deps test-go ## run every test (the command CI runs): Node SDKs first, then Go

test-go: ## Go tests with the race detector (PostgreSQL tests skip unless reachable; CI requires them)
	$(GO) vet ./...
	$(GO) test -race -count=1 -shuffle=on -timeout 15m ./...

node-deps: ## install the pinned Node SDKs that test/e2e drives against the real binary
	cd test/sdk-node && npm ci --no-audit --no-fund --loglevel=error

bench: ## hot-path Go benchmarks (figures go to BENCHMARKS.md)
	$(GO) test -run '^$$' -bench . -benchmem ./internal/...

fmt: ## gofmt the tree
	gofmt -w $$(git ls-files '*.go')
