// Package sharedpath finds the project's shared folder (specs, conformance fixtures, benchmark
// peers), which lives beside the repository rather than in it. Tests and default flag values use
// it; nothing in the server depends on it.
package sharedpath

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Dir returns the shared folder: $CAREFLOW_SHARED when set, else "../shared" beside the
// repository root (the folder holding go.mod), searched upwards from the working directory.
func Dir() (string, error) {
	if d := os.Getenv("CAREFLOW_SHARED"); d != "" {
		if _, err := os.Stat(d); err != nil {
			return "", errors.New("shared folder not found at $CAREFLOW_SHARED (" + d + ")")
		}
		return d, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			shared := filepath.Join(filepath.Dir(dir), "shared")
			if _, err := os.Stat(shared); err != nil {
				return "", errors.New("shared folder not found beside the repository (set CAREFLOW_SHARED)")
			}
			return shared, nil
		}
		if filepath.Dir(dir) == dir {
			return "", errors.New("repository root (go.mod) not found above the working directory")
		}
	}
}

// Path joins rel onto the shared folder.
func Path(rel ...string) (string, error) {
	d, err := Dir()
	if err != nil {
		return "", err
	}
	return filepath.Join(append([]string{d}, rel...)...), nil
}

// TB is the part of testing.TB that ForTest uses (this package stays free of "testing").
type TB interface {
	Helper()
	Name() string
	Skipf(format string, args ...any)
	Fatalf(format string, args ...any)
}

// ForTest returns the path of rel in the shared folder, for a test that reads the shared
// conformance data. A fresh clone has no shared folder: the test is then skipped with one
// line saying what it needs and how to run it, and everything else still runs. Under CI
// (CI set, as CI services set CI=true), which has the folder, a missing folder fails the
// test instead, so CI never passes by skipping. A shared folder without rel is always a failure.
func ForTest(tb TB, rel ...string) string {
	tb.Helper()
	p, err := Path(rel...)
	if err != nil {
		what := strings.Join(rel, "/")
		if ci := os.Getenv("CI"); ci != "" && ci != "false" && ci != "0" {
			tb.Fatalf("%s needs the shared conformance data (%s): %v", tb.Name(), what, err)
		}
		tb.Skipf("skipped: needs the shared conformance data (%s); put the project's shared folder beside the repository, or set CAREFLOW_SHARED, to run it", what)
	}
	if _, err := os.Stat(p); err != nil {
		tb.Fatalf("%s", fmt.Sprintf("shared folder found, but not %s in it: %v", strings.Join(rel, "/"), err))
	}
	return p
}
