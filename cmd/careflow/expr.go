package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"careflow/expr"
)

func init() {
	register("expr", "evaluate an expression template against a JSON context: expr [flags] TEMPLATE", runExpr)
}

func runExpr(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("expr", flag.ContinueOnError)
	fs.SetOutput(stderr)
	ctxArg := fs.String("context", "", "root context as JSON, inline or a file path (\"__default__\" keys set object defaults)")
	envArg := fs.String("env", "", "environment JSON (date_format, time_format, timezone, number_format, default_country, ...), inline or a file path")
	nowArg := fs.String("now", "", "RFC 3339 time for now() (default: the current time)")
	tz := fs.String("timezone", "", "IANA timezone (overrides -env)")
	dateFormat := fs.String("date-format", "", "date format: YYYY-MM-DD, MM-DD-YYYY or DD-MM-YYYY (overrides -env)")
	timeFormat := fs.String("time-format", "", "time format: tt:mm, h:mm aa, tt:mm:ss or h:mm:ss aa (overrides -env)")
	country := fs.String("country", "", "default country, ISO 3166-1 alpha-2 (overrides -env)")
	asValue := fs.Bool("value", false, "evaluate as a value (print type and JSON) instead of as text")
	listFuncs := fs.Bool("functions", false, "list the functions and router tests with their signatures")
	paths := fs.Bool("paths", false, "list the context paths the template refers to")
	legacy := fs.Bool("legacy", false, "migrate a pre-13 template to current syntax and print it")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *listFuncs {
		for _, f := range expr.Functions() {
			kind := "function"
			if f.IsTest {
				kind = "test"
			}
			fmt.Fprintf(stdout, "%-8s %-50s %s\n", kind, f.Signature, f.Summary)
		}
		return nil
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("usage: careflow expr [flags] TEMPLATE")
	}
	tpl := fs.Arg(0)
	if *paths {
		for _, p := range expr.ContextPaths(tpl) {
			fmt.Fprintln(stdout, p)
		}
		return nil
	}
	if *legacy {
		out, err := expr.MigrateLegacyTemplate(tpl, expr.LegacyOptions{})
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, out)
		return nil
	}
	now := time.Now()
	if *nowArg != "" {
		t, err := time.Parse(time.RFC3339Nano, *nowArg)
		if err != nil {
			return fmt.Errorf("-now: %w", err)
		}
		now = t
	}
	envJSON, err := jsonFlag("env", *envArg, rawJSON)
	if err != nil {
		return err
	}
	env, err := expr.ParseEnvironment(envJSON, expr.ClockFunc(func() time.Time { return now }))
	if err != nil {
		return err
	}
	if *tz != "" {
		if env.Timezone, err = time.LoadLocation(*tz); err != nil {
			return fmt.Errorf("-timezone: %w", err)
		}
	}
	if *dateFormat != "" {
		env.DateFormat = *dateFormat
	}
	if *timeFormat != "" {
		env.TimeFormat = *timeFormat
	}
	if *country != "" {
		env.DefaultCountry = *country
	}
	root := expr.NewObject()
	if *ctxArg != "" {
		v, err := jsonFlag("context", *ctxArg, expr.FromJSON)
		if err != nil {
			return err
		}
		obj, ok := v.(*expr.Object)
		if !ok {
			return fmt.Errorf("-context: must be a JSON object")
		}
		root = obj
	}
	var diags expr.Diagnostics
	if *asValue {
		var v expr.Value
		v, diags = expr.EvaluateTemplateValue(env, root, tpl)
		fmt.Fprintf(stdout, "type: %s\n", expr.TypeOf(v))
		if _, isErr := v.(*expr.Error); !isErr {
			b, _ := expr.ToJSON(v)
			fmt.Fprintf(stdout, "json: %s\ntext: %s\n", b, expr.Render(env, v))
		}
	} else {
		var out string
		out, diags = expr.EvaluateTemplate(env, root, tpl, nil)
		fmt.Fprintln(stdout, out)
	}
	for _, w := range diags.Warnings {
		fmt.Fprintf(stderr, "warning: %s\n", w)
	}
	for _, e := range diags.Errors {
		fmt.Fprintf(stderr, "error: %s: %s\n", e.Expression, e.Message)
	}
	if len(diags.Errors) > 0 {
		return exitError{code: 1}
	}
	return nil
}
