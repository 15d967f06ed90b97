package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"careflow/contactql"
	"careflow/expr"
)

func init() {
	register("query", "parse a contact query and show its canonical form and references: query [flags] QUERY", runQuery)
}

// queryResult is what `careflow query -json` prints.
type queryResult struct {
	Query      string                `json:"query,omitempty"`
	Short      string                `json:"short,omitempty"`
	Inspection *contactql.Inspection `json:"inspection,omitempty"`
	Matches    *bool                 `json:"matches,omitempty"`
	Error      *queryError           `json:"error,omitempty"`
}

type queryError struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Extra   map[string]string `json:"extra,omitempty"`
}

func runQuery(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("query", flag.ContinueOnError)
	fs.SetOutput(stderr)
	assetsArg := fs.String("assets", "", "assets JSON (fields, groups, flows), inline or a file path; without it fields are not checked")
	envArg := fs.String("env", "", "environment JSON (date_format, timezone, default_country, redaction_policy), inline or a file path")
	contactArg := fs.String("contact", "", "contact JSON, inline or a file path: also say whether it matches (needs -assets)")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("usage: careflow query [flags] QUERY")
	}
	envJSON, err := jsonFlag("env", *envArg, rawJSON)
	if err != nil {
		return err
	}
	now := time.Now()
	env, err := expr.ParseEnvironment(envJSON, expr.ClockFunc(func() time.Time { return now }))
	if err != nil {
		return err
	}
	var resolver contactql.Resolver
	if *assetsArg != "" {
		a, err := jsonFlag("assets", *assetsArg, contactql.ReadAssets)
		if err != nil {
			return err
		}
		resolver = a
	}
	if *contactArg != "" && resolver == nil {
		return fmt.Errorf("-contact needs -assets")
	}
	contact, err := jsonFlag("contact", *contactArg, contactql.ReadContact)
	if err != nil {
		return err
	}

	res := queryResult{}
	q, err := contactql.Parse(env, fs.Arg(0), resolver)
	if err != nil {
		qe, ok := contactql.AsError(err)
		if !ok {
			return err
		}
		res.Error = &queryError{Code: qe.Code, Message: qe.Message, Extra: qe.Extra}
	} else {
		res.Query, res.Short, res.Inspection = q.String(), q.Short(), contactql.Inspect(q)
		if contact != nil {
			m, err := contactql.Evaluate(env, contact, q)
			if err != nil {
				return err
			}
			res.Matches = &m
		}
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(res); err != nil {
			return err
		}
	} else {
		printQueryResult(stdout, stderr, res)
	}
	if res.Error != nil {
		return exitError{code: 1}
	}
	return nil
}

// printQueryResult writes the result as text: the canonical form and references, or the error
// on stderr.
func printQueryResult(stdout, stderr io.Writer, res queryResult) {
	if e := res.Error; e != nil {
		fmt.Fprintf(stderr, "error [%s]: %s\n", e.Code, e.Message)
		return
	}
	in := res.Inspection
	fmt.Fprintf(stdout, "query:      %s\n", res.Query)
	fmt.Fprintf(stdout, "short:      %s\n", res.Short)
	fmt.Fprintf(stdout, "attributes: %s\n", strings.Join(in.Attributes, ", "))
	fmt.Fprintf(stdout, "schemes:    %s\n", strings.Join(in.Schemes, ", "))
	var fields, groups []string
	for _, f := range in.Fields {
		if f.Name != "" {
			fields = append(fields, fmt.Sprintf("%s (%s)", f.Key, f.Name))
		} else {
			fields = append(fields, f.Key)
		}
	}
	for _, g := range in.Groups {
		if g.UUID != "" {
			groups = append(groups, fmt.Sprintf("%s (%s)", g.Name, g.UUID))
		} else {
			groups = append(groups, g.Name)
		}
	}
	fmt.Fprintf(stdout, "fields:     %s\n", strings.Join(fields, ", "))
	fmt.Fprintf(stdout, "groups:     %s\n", strings.Join(groups, ", "))
	fmt.Fprintf(stdout, "as group:   %v\n", in.AllowAsGroup)
	if res.Matches != nil {
		fmt.Fprintf(stdout, "matches:    %v\n", *res.Matches)
	}
}
