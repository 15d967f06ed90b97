package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"careflow/runtime"
)

func init() {
	register("export", "write a workspace's flows, campaigns, triggers, fields and groups as a RapidPro export file: export [-o FILE] [-flow UUID]... [-campaign UUID]... [-workspace W]", runExport)
}

func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := serverFlags(fs)
	wsRef := workspaceFlag(fs)
	out := fs.String("o", "", "output file (default: standard output)")
	site := fs.String("site", "", "the export's site value")
	var flows []string
	fs.Func("flow", "a flow UUID to export with its dependencies (repeatable; default: every flow)", func(v string) error {
		flows = append(flows, v)
		return nil
	})
	var campaigns []string
	fs.Func("campaign", "a campaign UUID to export with its flows (repeatable; default: every campaign)", func(v string) error {
		campaigns = append(campaigns, v)
		return nil
	})
	if err := fs.Parse(args); err != nil {
		return exitError{code: 2}
	}
	// Naming either flows or campaigns exports only what is named; naming neither, everything.
	if flows != nil && campaigns == nil {
		campaigns = []string{}
	} else if campaigns != nil && flows == nil {
		flows = []string{}
	}
	srv, _, err := openServerData(ctx, cfg, stderr, stderr)
	if err != nil {
		return err
	}
	defer srv.Close()
	ws, err := findWorkspace(ctx, srv, *wsRef)
	if err != nil {
		return err
	}
	file, err := srv.Runtime.Export(ctx, ws.ID, flows, campaigns, runtime.ExportDepsAll, *site)
	if err != nil {
		return err
	}
	data, err := json.MarshalIndent(file, "", "  ")
	if err != nil {
		return err
	}
	data = append(data, '\n')
	if *out == "" {
		_, err = stdout.Write(data)
		return err
	}
	if err := os.WriteFile(*out, data, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "exported %d flows of %q to %s\n", len(file.Flows), ws.Name, *out)
	return nil
}
