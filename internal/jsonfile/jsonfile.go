// Package jsonfile reads JSON files for the command line, so that a mistake in a file is
// reported as FILE:LINE:COLUMN: what is wrong, the way compilers and editors expect.
package jsonfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
)

// Read reads path and decodes it into v. A syntax or type error names the file, line and
// column it was found at.
func Read(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return Decode(path, data, v)
}

// Decode decodes data, read from name, into v, placing errors as Read does.
func Decode(name string, data []byte, v any) error {
	if err := json.Unmarshal(data, v); err != nil {
		return Locate(name, data, err)
	}
	return nil
}

// Locate turns a JSON decoding error for data, read from name, into one that names the line
// and column; other errors only gain the name. A nil error stays nil.
func Locate(name string, data []byte, err error) error {
	if err == nil {
		return nil
	}
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		line, col := Position(data, syn.Offset)
		return fmt.Errorf("%s:%d:%d: %s", name, line, col, syn.Error())
	case errors.As(err, &typ):
		line, col := Position(data, typ.Offset)
		what := "value"
		if typ.Field != "" {
			what = `"` + typ.Field + `"`
		}
		return fmt.Errorf("%s:%d:%d: %s should be %s, not a JSON %s", name, line, col, what, typ.Type, typ.Value)
	default:
		return fmt.Errorf("%s: %w", name, err)
	}
}

// Position converts a byte offset from encoding/json (just past the byte it stopped at) into
// the 1-based line and column of that byte; columns count bytes.
func Position(data []byte, offset int64) (line, col int) {
	if offset > int64(len(data)) {
		offset = int64(len(data))
	}
	if offset < 0 {
		offset = 0
	}
	before := data[:offset]
	line = bytes.Count(before, []byte("\n")) + 1
	col = int(offset) - (bytes.LastIndexByte(before, '\n') + 1)
	if col == 0 {
		col = 1
	}
	return line, col
}
