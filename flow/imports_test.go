package flow_test

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// forbiddenImports keep flow and its subpackages pure: no I/O, clock, randomness or host layers.
var forbiddenImports = map[string]bool{
	"os": true, "net/http": true, "database/sql": true, "time": true, "math/rand": true,
	"math/rand/v2": true, "crypto/rand": true, "careflow/store": true, "careflow/engine": true,
	"careflow/runtime": true,
}

func TestPackagesStayPure(t *testing.T) {
	err := filepath.Walk(".", func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if forbiddenImports[p] || strings.HasPrefix(p, "careflow/store/") {
				t.Errorf("%s imports %s", path, p)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
