# careflow: the two set-up commands are `make run` and `make test`.

.PHONY: run test build

run:
	go run ./cmd/careflow serve -demo

test:
	./scripts/test

build:
	CGO_ENABLED=0 go build -o bin/careflow ./cmd/careflow
