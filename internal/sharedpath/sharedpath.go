// Package sharedpath finds the project's shared folder (specs, conformance fixtures, benchmark
// peers), which lives beside the repository rather than in it. Tests and default flag values use
// it; nothing in the server depends on it.
package sharedpath

import (
	"errors"
	"os"
	"path/filepath"
)

// Dir returns the shared folder: $CAREFLOW_SHARED when set, else "../shared" beside the
// repository root (the folder holding go.mod), searched upwards from the working directory.
func Dir() (string, error) {
	if d := os.Getenv("CAREFLOW_SHARED"); d != "" {
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
