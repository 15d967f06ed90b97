// Package enginetest provides deterministic services for running the engine in tests,
// conformance suites and benchmarks: a ticking clock, seeded UUID v4/v7 and random streams
// (the scheme the reference fixtures were made with), and mock webhook, email, LLM and
// airtime services. It must not import os, net/http or database/sql.
package enginetest
