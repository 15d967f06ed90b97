package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"reflect"
	"time"

	"careflow/expr"
)

// The expressions suite replays the generated reference evaluations: each template is
// evaluated as text (output and recorded errors) and as a value (type, JSON and text).
func init() {
	registerSuite("expressions", "conformance/goflow/expressions/excellent_generated.json", 0, runExpressionsSuite)
}

type exprFixture struct {
	Now          time.Time                  `json:"now"`
	Environments map[string]json.RawMessage `json:"environments"`
	Context      json.RawMessage            `json:"context"`
	Tests        []exprTest                 `json:"tests"`
}

// exprTest is one reference evaluation.
type exprTest struct {
	Env      string           `json:"env"`
	Template string           `json:"template"`
	Output   string           `json:"output"`
	Errors   []expr.EvalError `json:"errors"`
	Value    struct {
		Type string          `json:"type"`
		JSON json.RawMessage `json:"json"`
		Text string          `json:"text"`
	} `json:"value"`
}

func runExpressionsSuite(ctx context.Context, path string, args []string, out io.Writer) (int, int, error) {
	var fx exprFixture
	if err := readJSONFile(path, &fx); err != nil {
		return 0, 0, err
	}
	root, err := expr.FromJSON(fx.Context)
	if err != nil {
		return 0, 0, fmt.Errorf("read context: %w", err)
	}
	rootObj, _ := root.(*expr.Object)
	clock := expr.ClockFunc(func() time.Time { return fx.Now })
	envs := map[string]*expr.Environment{}
	for name, raw := range fx.Environments {
		env, err := expr.ParseEnvironment(raw, clock)
		if err != nil {
			return 0, 0, fmt.Errorf("environment %s: %w", name, err)
		}
		envs[name] = env
	}
	r := newCaseRun(ctx, "expressions", out)
	for i, tc := range fx.Tests {
		if err := r.check(fmt.Sprintf("#%d [%s] %s", i, tc.Env, tc.Template), func() []string {
			return checkExpression(envs[tc.Env], rootObj, tc)
		}); err != nil {
			return r.done(err)
		}
	}
	return r.done(nil)
}

// checkExpression evaluates the test's template as text (output and errors) and as a value
// (type, JSON and text), each time with the random stream the fixtures were made with.
func checkExpression(env *expr.Environment, root *expr.Object, tc exprTest) []string {
	env.Random = rand.New(rand.NewPCG(123456, 123456))
	output, diags := expr.EvaluateTemplate(env, root, tc.Template, nil)
	env.Random = rand.New(rand.NewPCG(123456, 123456))
	value, _ := expr.EvaluateTemplateValue(env, root, tc.Template)
	var problems []string
	if output != tc.Output {
		problems = append(problems, fmt.Sprintf("output %q, want %q", output, tc.Output))
	}
	gotErrs := diags.Errors
	if len(gotErrs) != len(tc.Errors) {
		problems = append(problems, fmt.Sprintf("errors %v, want %v", gotErrs, tc.Errors))
	} else {
		for j := range gotErrs {
			if gotErrs[j].Expression != tc.Errors[j].Expression || gotErrs[j].Message != tc.Errors[j].Message {
				problems = append(problems, fmt.Sprintf("error %q: %q, want %q: %q", gotErrs[j].Expression, gotErrs[j].Message, tc.Errors[j].Expression, tc.Errors[j].Message))
			}
		}
	}
	return append(problems, compareExprValue(env, value, tc.Value.Type, tc.Value.JSON, tc.Value.Text)...)
}

// compareExprValue checks a value against the fixture's type, JSON (compared as parsed JSON,
// numbers by value) and text.
func compareExprValue(env *expr.Environment, v expr.Value, wantType string, wantJSON json.RawMessage, wantText string) []string {
	var problems []string
	if got := string(expr.TypeOf(v)); got != wantType {
		problems = append(problems, fmt.Sprintf("value type %s, want %s", got, wantType))
	}
	if e, ok := v.(*expr.Error); ok {
		if e.Error() != wantText {
			problems = append(problems, fmt.Sprintf("value error %q, want %q", e.Error(), wantText))
		}
		return problems
	}
	if text := expr.Render(env, v); text != wantText {
		problems = append(problems, fmt.Sprintf("value text %q, want %q", text, wantText))
	}
	if wantJSON == nil {
		return problems
	}
	gotJSON, jerr := expr.ToJSON(v)
	if jerr != nil {
		return append(problems, "value json: "+jerr.Error())
	}
	var want, got any
	if err := json.Unmarshal(wantJSON, &want); err != nil {
		return append(problems, fmt.Sprintf("fixture json %s: %v", wantJSON, err))
	}
	if err := json.Unmarshal(gotJSON, &got); err != nil {
		return append(problems, fmt.Sprintf("value json %s is not JSON", gotJSON))
	}
	if !reflect.DeepEqual(got, want) {
		problems = append(problems, fmt.Sprintf("value json %s, want %s", gotJSON, wantJSON))
	}
	return problems
}
