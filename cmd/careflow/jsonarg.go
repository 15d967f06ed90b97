package main

import (
	"fmt"
	"os"
	"strings"
)

// readJSONArg returns inline JSON (an argument starting with { or [, or null) or the contents
// of the file it names.
func readJSONArg(arg string) ([]byte, error) {
	trimmed := strings.TrimSpace(arg)
	if strings.HasPrefix(trimmed, "{") || strings.HasPrefix(trimmed, "[") || trimmed == "null" {
		return []byte(trimmed), nil
	}
	return os.ReadFile(arg)
}

// jsonFlag reads the JSON argument of flag -name with readJSONArg and parses it; errors name
// the flag. An empty argument (the flag not given) gives the zero value and no error.
func jsonFlag[T any](name, arg string, parse func([]byte) (T, error)) (T, error) {
	var zero T
	if arg == "" {
		return zero, nil
	}
	b, err := readJSONArg(arg)
	if err != nil {
		return zero, fmt.Errorf("-%s: %w", name, err)
	}
	v, err := parse(b)
	if err != nil {
		return zero, fmt.Errorf("-%s: %w", name, err)
	}
	return v, nil
}

// rawJSON is the parse function for jsonFlag that keeps the bytes as they are.
func rawJSON(b []byte) ([]byte, error) { return b, nil }
