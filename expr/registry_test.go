package expr

import (
	"strings"
	"testing"
)

// TestFunctionExamples runs every function's documented example that gives an output, so the
// registry's docs stay true.
func TestFunctionExamples(t *testing.T) {
	t.Parallel()
	ctx := fuzzContext(t)
	for _, f := range Functions() {
		t.Run(f.Name, func(t *testing.T) {
			if f.Signature == "" || f.Summary == "" || f.Example == "" {
				t.Fatalf("%s lacks a signature, summary or example", f.Name)
			}
			tpl, want, ok := strings.Cut(f.Example, " → ")
			if !ok {
				return // examples whose result depends on the clock, randomness or assets
			}
			want = strings.Trim(want, "`")
			got, diags := EvaluateTemplate(mustEnv(t, ""), ctx, tpl, nil)
			if got != want || len(diags.Errors) > 0 {
				t.Fatalf("%s gave %q %v, want %q", tpl, got, diags.Errors, want)
			}
		})
	}
}
