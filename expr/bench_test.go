package expr

import "testing"

// BenchmarkRenderMessage renders a typical outgoing message template: identifiers, a default,
// number and date formatting.
func BenchmarkRenderMessage(b *testing.B) {
	env := mustEnv(b, `{"date_format": "DD-MM-YYYY", "timezone": "Africa/Kigali"}`)
	ctx := fuzzContext(b)
	tpl := `Hi @contact.first_name! You said "@input.text" and picked @results.color (@results.color.category). ` +
		`Age next year: @(fields.age + 1). Today is @(format_date(today())). @(default(fields.nickname, "friend"))`
	b.ReportAllocs()
	for b.Loop() {
		if _, diags := EvaluateTemplate(env, ctx, tpl, nil); len(diags.Errors) > 0 {
			b.Fatal(diags.Errors)
		}
	}
}

// BenchmarkRouterTest runs the router tests a switch router calls for a typical reply.
func BenchmarkRouterTest(b *testing.B) {
	env := mustEnv(b, "")
	input := Text("Yes, I am 25 years old and I like the colour RED")
	b.ReportAllocs()
	for b.Loop() {
		if r, err := CallTest(env, "has_any_word", []Value{input, Text("yes ok yep")}); err != nil || !r.Matched {
			b.Fatal(err)
		}
		if r, err := CallTest(env, "has_number_between", []Value{input, NumberFromInt(18), NumberFromInt(30)}); err != nil || !r.Matched {
			b.Fatal(err)
		}
	}
}
