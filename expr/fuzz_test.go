package expr

import (
	"encoding/json"
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"careflow/internal/sharedpath"
)

// fuzzContext is a small root context with each kind of value.
func fuzzContext(t testing.TB) *Object {
	v, err := FromJSON([]byte(`{
		"contact": {"__default__": "Ryan", "name": "Ryan Lewis", "first_name": "Ryan", "groups": [{"uuid": "g1", "name": "Testers"}],
			"fields": {"age": 23, "gender": "Male"}},
		"fields": {"age": 23, "gender": "Male"},
		"results": {"color": {"__default__": "red", "value": "red", "category": "Red"}},
		"input": {"__default__": "Hi there", "text": "Hi there", "attachments": []},
		"nums": [3, 1, 2, 10.5], "words": ["banana", "apple"], "null_value": null
	}`))
	if err != nil {
		t.Fatal(err)
	}
	return v.(*Object)
}

// FuzzEvaluateTemplate checks that parsing and evaluating any template neither panics nor
// produces unbounded output: the complexity budget bounds the work and the text built.
func FuzzEvaluateTemplate(f *testing.F) {
	seeds := []string{
		"Hi @contact.name!", "@(1 + 2 * 3)", "@(foreach(nums, (n) => n * 2))", "@(repeat(\"ab\", 5000))",
		"@(join(foreach(split(repeat(\"a \", 5000)), upper), repeat(\"x\", 10000)))", "@((((((1))))))",
		"@(has_any_word(input, \"hi there\"))", "@(format_datetime(now(), \"YYYY-MM-DD tt:mm\"))",
		"@(", "@()", "@@", "@(\"unterminated)", "@(-------1)", "@(x.y.z[0][\"a\"](1)(2))",
	}
	if path, err := sharedpath.Path("conformance/goflow/expressions/excellent_generated.json"); err == nil {
		if data, err := os.ReadFile(path); err == nil {
			var fx struct {
				Tests []struct{ Template string } `json:"tests"`
			}
			if json.Unmarshal(data, &fx) == nil {
				for _, tc := range fx.Tests {
					seeds = append(seeds, tc.Template)
				}
			}
		}
	}
	for _, s := range seeds {
		f.Add(s)
	}
	ctx := fuzzContext(f)
	clock := ClockFunc(func() time.Time { return time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC) })
	f.Fuzz(func(t *testing.T, tpl string) {
		env := NewEnvironment(clock)
		env.Random = rand.New(rand.NewPCG(1, 2))
		env.Budget = 200_000
		out, diags := EvaluateTemplate(env, ctx, tpl, nil)
		// Every expression adds at most the budget in text beyond the template itself.
		if limit := len(tpl) + env.Budget*(1+len(diags.Errors)+countAt(tpl)); len(out) > limit {
			t.Fatalf("output of %d bytes exceeds %d", len(out), limit)
		}
		_, _ = EvaluateTemplateValue(env, ctx, tpl)
		_ = ContextPaths(tpl)
		_, _ = MigrateLegacyTemplate(tpl, LegacyOptions{})
	})
}

func countAt(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '@' {
			n++
		}
	}
	return n
}
