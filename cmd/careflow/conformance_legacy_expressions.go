package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"careflow/expr"
)

// The legacy-expressions suite runs the old expression engine's test cases through legacy
// migration, as the reference does: a template that can't be migrated must come back as the
// old engine printed it, and a case that lists errors must produce an error when its
// migrated template is evaluated. (The cases' outputs
// are what the old engine printed, which the current language deliberately formats
// differently, so they are not compared.)
func init() {
	registerSuite("legacy-expressions", "conformance/goflow/legacy/expressions/legacy_tests.json", 0, runLegacyExpressionsSuite)
}

type legacyExprCase struct {
	Template string `json:"template"`
	Context  struct {
		Variables map[string]any `json:"variables"`
		Timezone  string         `json:"timezone"`
		DateStyle string         `json:"date_style"`
	} `json:"context"`
	URLEncode bool     `json:"url_encode"`
	Output    string   `json:"output"`
	Errors    []string `json:"errors"`
}

func runLegacyExpressionsSuite(ctx context.Context, path string, args []string, out io.Writer) (int, int, error) {
	var cases []legacyExprCase
	if err := readJSONFile(path, &cases); err != nil {
		return 0, 0, err
	}
	r := newCaseRun(ctx, "legacy-expressions", out)
	for i, tc := range cases {
		if err := r.check(fmt.Sprintf("#%d %s", i, tc.Template), func() []string { return checkLegacyExpression(tc) }); err != nil {
			return r.done(err)
		}
	}
	return r.done(nil)
}

// legacyClock is the time the old engine's test cases were evaluated at.
var legacyClock = expr.ClockFunc(func() time.Time { return time.Date(2014, 10, 3, 9, 41, 12, 790000000, time.UTC) })

func checkLegacyExpression(tc legacyExprCase) []string {
	migrated, merr := expr.MigrateLegacyTemplate(tc.Template, expr.LegacyOptions{URLEncode: tc.URLEncode})
	switch {
	case merr != nil:
		// expressions that can't be migrated are kept as written, like the old engine
		// printed them when they failed
		if migrated != tc.Output {
			return []string{fmt.Sprintf("migration failed (%v) and gave %q, want %q", merr, migrated, tc.Output)}
		}
	case len(tc.Errors) > 0:
		env := expr.NewEnvironment(legacyClock)
		if tc.Context.DateStyle == "day_first" {
			env.DateFormat = "DD-MM-YYYY"
		} else if tc.Context.DateStyle == "month_first" {
			env.DateFormat = "MM-DD-YYYY"
		}
		if loc, err := time.LoadLocation(tc.Context.Timezone); err == nil {
			env.Timezone = loc
		}
		_, diags := expr.EvaluateTemplate(env, legacyRoot(tc.Context.Variables), migrated, nil)
		if len(diags.Errors) == 0 {
			return []string{fmt.Sprintf("migrated %q evaluated without error, want an error like %q", migrated, tc.Errors[0])}
		}
	}
	return nil
}

// legacyRoot builds a current root context from a legacy test's variables: contact (with
// its non-standard keys as fields), flow → results, step → input, extra → legacy_extra. A
// legacy "*" key is the object's default.
func legacyRoot(vars map[string]any) *expr.Object {
	get := func(name string) any {
		for k, v := range vars {
			if strings.EqualFold(k, name) {
				return legacyDefaults(v)
			}
		}
		return nil
	}
	contact := map[string]any{"name": "", "uuid": "", "groups": []any{}}
	fields := map[string]any{}
	if c, ok := get("contact").(map[string]any); ok {
		for k, v := range c {
			switch strings.ToLower(k) {
			case "__default__", "name", "first_name", "uuid", "language", "groups":
				contact[strings.ToLower(k)] = v
			default:
				fields[strings.ToLower(k)] = v
			}
		}
	}
	results := map[string]any{}
	if f, ok := get("flow").(map[string]any); ok {
		for k, v := range f {
			r, isObj := v.(map[string]any)
			if !isObj {
				r = map[string]any{"__default__": v, "value": v}
			}
			results[strings.ToLower(k)] = r
		}
	}
	root := map[string]any{
		"contact": contact, "fields": fields, "results": results, "urns": map[string]any{},
		"input": get("step"), "legacy_extra": get("extra"), "parent": nil, "child": nil,
		"run": map[string]any{}, "trigger": map[string]any{}, "webhook": nil, "globals": map[string]any{},
	}
	obj, _ := expr.FromGo(root).(*expr.Object)
	return obj
}

// legacyDefaults renames legacy "*" keys to the current default key, recursively.
func legacyDefaults(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, vv := range x {
			if k == "*" {
				k = expr.DefaultKey
			}
			out[k] = legacyDefaults(vv)
		}
		return out
	case []any:
		for i := range x {
			x[i] = legacyDefaults(x[i])
		}
	}
	return v
}
