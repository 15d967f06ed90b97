package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"careflow/runtime"
)

func init() {
	register("import", "import a RapidPro/TextIt export file (flows, fields, groups, triggers): import FILE [-workspace W]", runImport)
}

func runImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := serverFlags(fs)
	wsRef := workspaceFlag(fs)
	var file string
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		file, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return exitError{code: 2}
	}
	if file == "" && fs.NArg() > 0 {
		file = fs.Arg(0)
	}
	if file == "" {
		return errors.New("usage: careflow import FILE [-workspace W]")
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	srv, ws, err := openWorkspace(ctx, cfg, *wsRef, stdout, stderr)
	if err != nil {
		return err
	}
	defer srv.Close()
	res, err := srv.Runtime.Import(ctx, ws.ID, data, "cli")
	var ie *runtime.ImportError
	if errors.As(err, &ie) {
		for _, p := range ie.Problems {
			fmt.Fprintf(stderr, "%s: %s\n", file, p)
		}
		return exitError{code: 1}
	}
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	out, _ := json.Marshal(res)
	fmt.Fprintf(stdout, "%s: imported into %q: %s\n", file, ws.Name, out)
	return nil
}
