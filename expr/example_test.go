package expr_test

import (
	"fmt"
	"time"

	"careflow/expr"
)

func ExampleEvaluateTemplate() {
	env := expr.NewEnvironment(expr.ClockFunc(func() time.Time { return time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC) }))
	ctx := expr.NewObject().
		Set("contact", expr.NewObject().SetDefault(expr.Text("Ann Lee")).Set("first_name", expr.Text("Ann"))).
		Set("fields", expr.NewObject().Set("age", expr.NumberFromInt(41)))

	out, diags := expr.EvaluateTemplate(env, ctx, "Hi @contact.first_name, next year you'll be @(fields.age + 1)!@(1 / 0)", nil)
	fmt.Println(out)
	for _, e := range diags.Errors {
		fmt.Printf("%s: %s\n", e.Expression, e.Message)
	}
	// Output:
	// Hi Ann, next year you'll be 42!
	// @(1 / 0): division by zero
}

func ExampleCallTest() {
	env := expr.NewEnvironment(nil)
	res, err := expr.CallTest(env, "has_any_word", []expr.Value{expr.Text("YES please"), expr.Text("yes ok")})
	fmt.Println(res.Matched, expr.Render(env, res.Match), err == nil)
	// Output: true YES true
}

func ExampleMigrateLegacyTemplate() {
	out, _ := expr.MigrateLegacyTemplate("Hi @contact.name, you chose @flow.color.category", expr.LegacyOptions{})
	fmt.Println(out)
	// Output: Hi @contact.name, you chose @results.color.category_localized
}

func ExampleContextPaths() {
	fmt.Println(expr.ContextPaths("@contact.name likes @(upper(results.color.value))"))
	// Output: [contact.name results.color.value]
}
