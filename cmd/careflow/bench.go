package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"sort"
)

// benches holds the `careflow bench NAME` benchmarks, in the same shape as the subcommands.
var benches = map[string]command{}

// registerBench adds a benchmark; each prints one JSON line of results on stdout.
func registerBench(name, summary string, run func(ctx context.Context, args []string, stdout, stderr io.Writer) error) {
	if _, dup := benches[name]; dup {
		panic("careflow: bench registered twice: " + name)
	}
	benches[name] = command{summary: summary, run: run}
}

func init() {
	register("bench", "run a benchmark and print one JSON line: bench NAME [flags]", runBench)
}

func runBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || benches[args[0]].run == nil {
		names := make([]string, 0, len(benches))
		for n := range benches {
			names = append(names, n)
		}
		sort.Strings(names)
		fmt.Fprintln(stderr, "usage: careflow bench NAME [flags]; benchmarks:")
		for _, n := range names {
			fmt.Fprintf(stderr, "  %-12s %s\n", n, benches[n].summary)
		}
		return exitError{code: 2}
	}
	return benches[args[0]].run(ctx, args[1:], stdout, stderr)
}

// writeAllocProfile writes the allocation profile so far to path ("": none).
func writeAllocProfile(path string) error {
	if path == "" {
		return nil
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
