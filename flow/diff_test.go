package flow_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
)

// diffJSON lists the paths where two decoded JSON values differ.
func diffJSON(want, got any) string {
	var lines []string
	var walk func(path string, a, b any)
	walk = func(path string, a, b any) {
		switch av := a.(type) {
		case map[string]any:
			bv, ok := b.(map[string]any)
			if !ok {
				break
			}
			keys := map[string]bool{}
			for k := range av {
				keys[k] = true
			}
			for k := range bv {
				keys[k] = true
			}
			sorted := make([]string, 0, len(keys))
			for k := range keys {
				sorted = append(sorted, k)
			}
			sort.Strings(sorted)
			for _, k := range sorted {
				walk(path+"."+k, av[k], bv[k])
			}
			return
		case []any:
			bv, ok := b.([]any)
			if !ok || len(av) != len(bv) {
				break
			}
			for i := range av {
				walk(fmt.Sprintf("%s[%d]", path, i), av[i], bv[i])
			}
			return
		}
		if !reflect.DeepEqual(a, b) {
			aj, _ := json.Marshal(a)
			bj, _ := json.Marshal(b)
			lines = append(lines, fmt.Sprintf("  %s: want %s, got %s", path, aj, bj))
		}
	}
	walk("$", want, got)
	return strings.Join(lines, "\n")
}
