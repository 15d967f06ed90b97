package expr

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// routerTestCase is one case of testdata/tests/<test>.json: the arguments (operand first) as
// JSON, and the recorded outcome.
type routerTestCase struct {
	Args    []json.RawMessage `json:"args"`
	Matched bool              `json:"matched"`
	Match   json.RawMessage   `json:"match,omitempty"`
	Extra   json.RawMessage   `json:"extra,omitempty"`
	Error   string            `json:"error,omitempty"`
}

// TestRouterTestFixtures runs every registered router test on its golden file; a test
// without one fails, so new tests come with cases.
func TestRouterTestFixtures(t *testing.T) {
	t.Parallel()
	names := make([]string, 0, len(testNames))
	for n := range testNames {
		names = append(names, n)
	}
	sort.Strings(names)
	env := mustEnv(t, `{"default_country": "US"}`)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join("testdata", "tests", name+".json")
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("router test %s has no fixture: %v", name, err)
			}
			var cases []routerTestCase
			if err := json.Unmarshal(data, &cases); err != nil {
				t.Fatal(err)
			}
			got := make([]routerTestCase, len(cases))
			for i, tc := range cases {
				args := make([]Value, len(tc.Args))
				for j, raw := range tc.Args {
					if args[j], err = FromJSON(raw); err != nil {
						t.Fatal(err)
					}
				}
				got[i] = routerTestCase{Args: tc.Args}
				res, callErr := CallTest(env, name, args)
				if callErr != nil {
					got[i].Error = callErr.Error()
					continue
				}
				got[i].Matched = res.Matched
				got[i].Match, _ = ToJSON(res.Match)
				if res.Extra != nil {
					got[i].Extra, _ = ToJSON(res.Extra)
				}
			}
			if *update {
				out, _ := json.MarshalIndent(got, "", "  ")
				if err := os.WriteFile(path, append(out, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			for i := range cases {
				if !sameCase(cases[i], got[i]) {
					w, _ := json.Marshal(cases[i])
					g, _ := json.Marshal(got[i])
					t.Errorf("case %d: got %s, want %s", i, g, w)
				}
			}
		})
	}
}

func sameCase(a, b routerTestCase) bool {
	norm := func(raw json.RawMessage) any {
		var v any
		_ = json.Unmarshal(raw, &v)
		return v
	}
	return a.Matched == b.Matched && a.Error == b.Error &&
		reflect.DeepEqual(norm(a.Match), norm(b.Match)) && reflect.DeepEqual(norm(a.Extra), norm(b.Extra))
}
