package main

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"careflow/engine/enginetest"
	"careflow/internal/sharedpath"
)

// TestRunnerStampsExact holds the runner sessions to the reference's exact timestamps and UUIDs,
// not just wildcards: with the reference's ticking clock and seeded UUIDs, a timestamp or UUID
// differs only if careflow reads the clock or draws a UUID where the reference doesn't (a run
// that starts waiting, input recorded, a date parsed, a sprint begun). Sessions of legacy
// flows are left out: their conversion draws UUIDs from its own generator.
func TestRunnerStampsExact(t *testing.T) {
	dir, err := sharedpath.Path("conformance/goflow/runner")
	if err != nil {
		t.Skip(err)
	}
	files, err := fixtureFiles(dir, isRunnerTest)
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range files {
		play, err := playRunnerTest(file, harnessEngine{})
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(file), err)
			continue
		}
		if bytes.Contains(play.assets, []byte(`"action_sets"`)) {
			continue
		}
		var diffs []string
		for i, raw := range play.test.Outputs {
			if i >= len(play.outputs) {
				break
			}
			want, err := enginetest.Decode(raw)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := enginetest.Decode(mustJSON(play.outputs[i]))
			stampDiffs(fmt.Sprintf("output[%d]", i), want, got, &diffs)
		}
		if len(diffs) > 0 {
			if len(diffs) > 5 {
				diffs = append(diffs[:5], fmt.Sprintf("... %d more", len(diffs)-5))
			}
			t.Errorf("%s:\n  %s", filepath.Base(file), strings.Join(diffs, "\n  "))
		}
	}
}

// stampDiffs lists the "…_on" and "…uuid" strings of want that got doesn't have at the same place.
func stampDiffs(path string, want, got any, out *[]string) {
	switch w := want.(type) {
	case map[string]any:
		g, _ := got.(map[string]any)
		for k, v := range w {
			stampDiffs(path+"."+k, v, g[k], out)
		}
	case []any:
		g, _ := got.([]any)
		for i, v := range w {
			if i < len(g) {
				stampDiffs(fmt.Sprintf("%s[%d]", path, i), v, g[i], out)
			}
		}
	case string:
		if strings.HasSuffix(path, "_on") || strings.HasSuffix(path, "uuid") {
			if g, _ := got.(string); !sameStamp(w, g) {
				*out = append(*out, fmt.Sprintf("%s: want %s, got %v", path, w, got))
			}
		}
	}
}

// sameStamp compares timestamps by instant and anything else as text.
func sameStamp(want, got string) bool {
	if want == got {
		return true
	}
	a, errA := time.Parse(time.RFC3339Nano, want)
	b, errB := time.Parse(time.RFC3339Nano, got)
	return errA == nil && errB == nil && a.Equal(b)
}
