package main

import (
	"context"
	"fmt"
	"io"
	"sort"

	"careflow/engine/enginetest"
)

// suite runs one conformance suite over the fixture file or folder at path. It prints what it
// likes (a readable diff per failure) and returns the counts; the harness prints the closing
// "N passed, M failed" line so every suite ends the same way.
type suite func(ctx context.Context, path string, args []string, out io.Writer) (passed, failed int, err error)

// suiteEntry is a registered suite with the shared fixtures it runs on in the test suite.
type suiteEntry struct {
	run suite
	// fixture is the default fixture file or folder, relative to the shared folder
	// (e.g. "conformance/cht/records_cases.json"); TestConformance runs every suite on it.
	fixture string
	// knownFailures is how many cases are allowed to fail in TestConformance. It must only
	// ever go down; each suite's file says why any case cannot pass yet.
	knownFailures int
}

var suites = map[string]suiteEntry{}

// registerSuite adds a conformance suite under its command-line name.
func registerSuite(name, fixture string, knownFailures int, s suite) {
	if _, dup := suites[name]; dup {
		panic("careflow: conformance suite registered twice: " + name)
	}
	suites[name] = suiteEntry{run: s, fixture: fixture, knownFailures: knownFailures}
}

func init() {
	register("conformance", "run a conformance suite against shared fixtures: conformance [-exact] SUITE PATH", runConformance)
}

// exactStamps makes the suites compare generated UUIDs and timestamps literally
// (conformance -exact): the harness then checks that careflow reads the clock and draws UUIDs
// exactly where the reference does.
var exactStamps bool

// newComparer is the comparer of a case: wildcards for generated values, or exact ones.
func newComparer(inputs ...[]byte) *enginetest.Comparer {
	if exactStamps {
		return enginetest.NewExactComparer(inputs...)
	}
	return enginetest.NewComparer(inputs...)
}

func runConformance(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "-exact" {
		exactStamps = true
		defer func() { exactStamps = false }()
		args = args[1:]
	}
	if len(args) < 2 {
		names := make([]string, 0, len(suites))
		for n := range suites {
			names = append(names, n)
		}
		sort.Strings(names)
		return fmt.Errorf("usage: careflow conformance [-exact] SUITE PATH (suites: %v)", names)
	}
	s, ok := suites[args[0]]
	if !ok {
		return fmt.Errorf("unknown suite %q", args[0])
	}
	passed, failed, err := s.run(ctx, args[1], args[2:], stdout)
	if err != nil {
		return fmt.Errorf("%s: %w", args[0], err)
	}
	fmt.Fprintf(stdout, "%d passed, %d failed\n", passed, failed)
	if failed > 0 {
		return exitError{code: 1}
	}
	return nil
}
