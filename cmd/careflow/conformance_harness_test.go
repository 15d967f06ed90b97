package main

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
)

// TestConformanceHarnessReportsFailures checks what every suite prints for a case: nothing
// when it passes, else FAIL <suite> <case> and its differences, indented, one per line.
func TestConformanceHarnessReportsFailures(t *testing.T) {
	many := make([]string, maxDiffLines+5)
	for i := range many {
		many[i] = fmt.Sprintf("diff %d", i)
	}
	tests := []struct {
		name       string
		check      func() []string
		wantFailed int
		wantOut    string
	}{
		{"PassingCasePrintsNothing", func() []string { return nil }, 0, ""},
		{"FailingCasePrintsItsDiffs", func() []string { return []string{"a: want 1, got 2", "b: missing"} }, 1,
			"FAIL demo case 1\n    a: want 1, got 2\n    b: missing\n"},
		{"MultiLineDiffIsIndentedLineByLine", func() []string { return []string{"body\n  got  {}\n  want []"} }, 1,
			"FAIL demo case 1\n    body\n      got  {}\n      want []\n"},
		{"PanicFailsTheCase", func() []string { panic("boom") }, 1, "FAIL demo case 1\n    panic: boom\n"},
		{"LongDiffIsCut", func() []string { return many }, 1,
			"FAIL demo case 1\n    " + strings.Join(many[:maxDiffLines], "\n    ") + "\n    ... 5 more\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			r := newCaseRun(context.Background(), "demo", &out)
			if err := r.check("case 1", tc.check); err != nil {
				t.Fatal(err)
			}
			passed, failed, err := r.done(nil)
			if err != nil || failed != tc.wantFailed || passed != 1-tc.wantFailed {
				t.Errorf("counts %d passed, %d failed (%v), want %d failed", passed, failed, err, tc.wantFailed)
			}
			if out.String() != tc.wantOut {
				t.Errorf("printed\n%s\nwant\n%s", out.String(), tc.wantOut)
			}
		})
	}
}

// TestConformanceHarnessStopsWhenCancelled checks that a cancelled run checks no further case.
func TestConformanceHarnessStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := newCaseRun(ctx, "demo", &bytes.Buffer{})
	ran := false
	if err := r.check("case 1", func() []string { ran = true; return nil }); err == nil || ran {
		t.Errorf("check on a cancelled run: err %v, ran %v", err, ran)
	}
}
