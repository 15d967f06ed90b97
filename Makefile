# careflow: the two set-up commands are `make run` and `make test`.

.PHONY: run test build

run: web/static/vendor
	go run ./cmd/careflow serve -demo

# The flow editor's npm packages, pinned; npm ci copies them where the build embeds them.
web/static/vendor: web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund
	touch web/static/vendor

test:
	./scripts/test

build: web/static/vendor
	CGO_ENABLED=0 go build -o bin/careflow ./cmd/careflow
