package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// The shared harness of the conformance suites. A suite finds its cases (fixtureFiles,
// readJSONFile, eachCase) and hands each one to a caseRun, which counts it and prints every
// failing case the same way:
//
//	FAIL <suite> <case>
//	    <one difference per line, expected against actual>
//
// The suite then returns the counts with caseRun.done; runConformance prints the closing
// "N passed, M failed" line.

// maxDiffLines is how many lines of differences a failing case prints at most.
const maxDiffLines = 40

// caseRun counts the cases of one suite run and reports the failing ones.
type caseRun struct {
	ctx            context.Context
	suite          string
	out            io.Writer
	passed, failed int
}

func newCaseRun(ctx context.Context, suite string, out io.Writer) *caseRun {
	return &caseRun{ctx: ctx, suite: suite, out: out}
}

// check runs one case, named as a reader should find it in the fixtures; check returns its
// differences, none when it passes. A panic fails the case rather than the suite. The error is
// the context's, once it is done.
func (r *caseRun) check(name string, check func() []string) error {
	if err := r.ctx.Err(); err != nil {
		return err
	}
	diffs := recoverCase(check)
	if len(diffs) == 0 {
		r.passed++
		return nil
	}
	r.failed++
	fmt.Fprintf(r.out, "FAIL %s %s\n", r.suite, name)
	var lines []string
	for _, d := range diffs {
		lines = append(lines, strings.Split(strings.TrimRight(d, "\n"), "\n")...)
	}
	for i, l := range lines {
		if i == maxDiffLines {
			fmt.Fprintf(r.out, "    ... %d more\n", len(lines)-i)
			break
		}
		fmt.Fprintf(r.out, "    %s\n", l)
	}
	return nil
}

// done returns the counts with err, in the shape of a suite's result.
func (r *caseRun) done(err error) (passed, failed int, _ error) {
	return r.passed, r.failed, err
}

func recoverCase(check func() []string) (diffs []string) {
	defer func() {
		if p := recover(); p != nil {
			diffs = append(diffs, fmt.Sprintf("panic: %v", p))
		}
	}()
	return check()
}

// problem is the differences of a case checked into one message, none when msg is empty.
func problem(msg string) []string {
	if msg == "" {
		return nil
	}
	return []string{msg}
}

// describedCase is a fixture case with a description to name it by.
type describedCase interface{ describe() string }

// eachCase reads every file as a JSON array of cases and checks them in order, naming each
// "<file>[<index>] <description>".
func eachCase[C describedCase](r *caseRun, files []string, check func(c C) []string) error {
	for _, file := range files {
		var cases []C
		if err := readJSONFile(file, &cases); err != nil {
			return err
		}
		for i, c := range cases {
			name := fmt.Sprintf("%s[%d] %s", filepath.Base(file), i, c.describe())
			if err := r.check(name, func() []string { return check(c) }); err != nil {
				return err
			}
		}
	}
	return nil
}

// eachFile checks every file as one case named after it.
func eachFile(r *caseRun, files []string, check func(file string) []string) error {
	for _, file := range files {
		if err := r.check(filepath.Base(file), func() []string { return check(file) }); err != nil {
			return err
		}
	}
	return nil
}

// fixtureFiles returns path itself when it is a file, else the .json files in it whose base name
// passes keep, sorted. A folder without any is an error.
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

// isCaseFile keeps the case files of a folder, leaving out the shared ones ("_assets.json").
func isCaseFile(name string) bool { return !strings.HasPrefix(name, "_") }

// fixtureDir is path when it is a folder, else the folder holding the file.
func fixtureDir(path string) string {
	if st, err := os.Stat(path); err == nil && !st.IsDir() {
		return filepath.Dir(path)
	}
	return path
}

// readJSONFile reads a JSON file into v.
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
