package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"careflow/api"
)

func init() {
	register("token", "API v2 tokens: token add USER [-workspace W] prints a new token on its last line", runToken)
}

func runToken(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) < 2 || args[0] != "add" || args[1] == "" || args[1][0] == '-' {
		return errors.New("usage: careflow token add USER [-workspace W]")
	}
	user := args[1]
	fs := flag.NewFlagSet("token", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := serverFlags(fs)
	wsRef := workspaceFlag(fs)
	if err := fs.Parse(args[2:]); err != nil {
		return exitError{code: 2}
	}
	srv, ws, err := openWorkspace(ctx, cfg, *wsRef, stdout, stderr)
	if err != nil {
		return err
	}
	defer srv.Close()
	st, ok := srv.Store.(api.Store)
	if !ok {
		return errors.New("the store does not keep API tokens")
	}
	key, err := api.CreateToken(ctx, st, ws.ID, user, time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "API token for %s in workspace %q (shown once; keep it secret):\n%s\n", user, ws.Name, key)
	return nil
}
