package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"careflow/flow/flowtest"
)

// The migrations suite: every <version>.json case's original, migrated up to that version, must
// equal the expected definition (UUIDs the migrations invent compare as wildcards). All cases
// pass, so no failures are allowed.
func init() {
	registerSuite("migrations", "conformance/goflow/migrations", 0, runMigrationsSuite)
}

func runMigrationsSuite(ctx context.Context, path string, args []string, out io.Writer) (int, int, error) {
	files, err := fixtureFiles(path, func(name string) bool { return name != "" && name[0] >= '0' && name[0] <= '9' })
	if err != nil {
		return 0, 0, err
	}
	passed, failed := 0, 0
	for _, file := range files {
		if err := ctx.Err(); err != nil {
			return passed, failed, err
		}
		version := strings.TrimSuffix(filepath.Base(file), ".json")
		var cases []flowtest.MigrationCase
		if err := readJSONFile(file, &cases); err != nil {
			return passed, failed, err
		}
		for _, c := range cases {
			diffs := flowtest.CheckMigration(c, version)
			if len(diffs) == 0 {
				passed++
				continue
			}
			failed++
			reportFailure(out, version+": "+c.Description, diffs)
		}
	}
	return passed, failed, nil
}

// fixtureFiles returns path itself when it is a file, else the .json files in it whose base name
// passes keep, sorted.
func fixtureFiles(path string, keep func(name string) bool) ([]string, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return []string{path}, nil
	}
	all, err := filepath.Glob(filepath.Join(path, "*.json"))
	if err != nil {
		return nil, err
	}
	var files []string
	for _, f := range all {
		if keep(filepath.Base(f)) {
			files = append(files, f)
		}
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no fixture files in %s", path)
	}
	return files, nil
}

func readJSONFile(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	return nil
}

// reportFailure prints one failed case with its differences, expected vs actual.
func reportFailure(out io.Writer, name string, diffs []string) {
	fmt.Fprintf(out, "FAIL %s\n", name)
	for _, d := range diffs {
		fmt.Fprintf(out, "    %s\n", d)
	}
}
