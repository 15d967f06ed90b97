package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"careflow/flow"
	"careflow/internal/jsonfile"
)

// careflow flow inspect|migrate|validate FILE
//
// FILE is a flow definition (any spec version, or legacy), an assets document or a RapidPro
// export (both with a "flows" list). inspect prints dependencies, results, locals and issues of
// each flow (checked against the other assets in the same file); migrate prints each flow
// rewritten at the current spec version; validate reads each flow and reports errors.
func init() {
	register("flow", "flow definitions: flow inspect|migrate|validate [-flow UUID] FILE", runFlow)
}

func runFlow(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) < 1 {
		return errors.New("usage: careflow flow inspect|migrate|validate [-flow UUID] FILE")
	}
	verb := args[0]
	fs := flag.NewFlagSet("flow "+verb, flag.ContinueOnError)
	fs.SetOutput(stderr)
	only := fs.String("flow", "", "only the flow with this UUID")
	mediaURL := fs.String("media-url", "", "base URL for relative media in legacy definitions")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("usage: careflow flow %s [-flow UUID] FILE", verb)
	}
	data, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return err
	}
	defs, assets, err := flowDefinitions(data)
	if err != nil {
		return jsonfile.Locate(fs.Arg(0), data, err)
	}
	rc := flow.ReadConfig{BaseMediaURL: *mediaURL}

	type outcome struct {
		UUID       string           `json:"uuid,omitempty"`
		Name       string           `json:"name,omitempty"`
		Error      string           `json:"error,omitempty"`
		Inspection *flow.Inspection `json:"inspection,omitempty"`
		Definition *flow.Flow       `json:"definition,omitempty"`
	}
	var outs []outcome
	failed := false
	for _, def := range defs {
		f, err := rc.Read(def)
		if err != nil {
			var head struct {
				UUID string `json:"uuid"`
				Name string `json:"name"`
			}
			_ = json.Unmarshal(def, &head)
			if *only != "" && head.UUID != *only {
				continue
			}
			failed = true
			outs = append(outs, outcome{UUID: head.UUID, Name: head.Name, Error: err.Error()})
			continue
		}
		if *only != "" && string(f.UUID) != *only {
			continue
		}
		o := outcome{UUID: string(f.UUID), Name: f.Name}
		switch verb {
		case "inspect":
			o.Inspection = f.Inspect(assets)
		case "migrate":
			o.Definition = f
		case "validate":
		default:
			return fmt.Errorf("unknown flow command %q (inspect, migrate or validate)", verb)
		}
		outs = append(outs, o)
	}
	if *only != "" && len(outs) == 0 {
		return fmt.Errorf("no flow %s in %s", *only, fs.Arg(0))
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	var v any = outs
	if len(outs) == 1 && verb == "migrate" && outs[0].Definition != nil {
		v = outs[0].Definition // a single flow migrates to a plain definition
	}
	if err := enc.Encode(v); err != nil {
		return err
	}
	if failed {
		return exitError{code: 1}
	}
	return nil
}

// flowDefinitions returns the flow definitions in a file and, for assets documents and exports,
// an index of the assets they hold (nil for a bare definition).
func flowDefinitions(data []byte) ([]json.RawMessage, flow.Assets, error) {
	// an export older than legacy 11.12 is first migrated as RapidPro imports it
	data, err := flow.MigrateExport(data)
	if err != nil {
		return nil, nil, err
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, nil, err
	}
	raw, ok := doc["flows"]
	if !ok {
		return []json.RawMessage{data}, nil, nil
	}
	var defs []json.RawMessage
	if err := json.Unmarshal(raw, &defs); err != nil {
		return nil, nil, fmt.Errorf("flows: %w", err)
	}
	idx, err := flow.ReadAssetIndex(data)
	if err != nil {
		return nil, nil, err
	}
	return defs, idx, nil
}
