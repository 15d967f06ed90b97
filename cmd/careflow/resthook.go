package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"

	"careflow/server"
	"careflow/store"
)

func init() {
	register("resthook", "resthooks flows call and outside systems subscribe to: resthook add SLUG | resthook list | resthook remove SLUG | resthook subscribe SLUG URL | resthook subscribers [SLUG] | resthook unsubscribe ID", runResthook)
}

const resthookUsage = "usage: careflow resthook add SLUG | list | remove SLUG | subscribe SLUG URL | subscribers [SLUG] | unsubscribe ID"

// runResthook manages resthooks, which RapidPro makes on its resthooks page: outside systems
// subscribe to them over the API (resthook_subscribers), or here.
func runResthook(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New(resthookUsage)
	}
	cmd := args[0]
	wantArgs := map[string][2]int{"add": {1, 1}, "list": {0, 0}, "remove": {1, 1}, "subscribe": {2, 2}, "subscribers": {0, 1}, "unsubscribe": {1, 1}}
	n, ok := wantArgs[cmd]
	if !ok {
		return fmt.Errorf("unknown resthook command %q (add, list, remove, subscribe, subscribers, unsubscribe)", cmd)
	}
	fs := flag.NewFlagSet("resthook "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := serverFlags(fs)
	wsRef := workspaceFlag(fs)
	if err := fs.Parse(args[1:]); err != nil {
		return exitError{code: 2}
	}
	if fs.NArg() < n[0] || fs.NArg() > n[1] {
		return errors.New(resthookUsage)
	}
	srv, ws, err := openWorkspace(ctx, cfg, *wsRef, stdout, stderr)
	if err != nil {
		return err
	}
	defer srv.Close()
	rt := srv.Runtime
	switch cmd {
	case "add":
		h, err := rt.CreateResthook(ctx, ws.ID, fs.Arg(0))
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "resthook %s created\n", h.Slug)
	case "remove":
		if err := rt.DeleteResthook(ctx, ws.ID, fs.Arg(0)); err != nil {
			return fmt.Errorf("resthook %s: %w", fs.Arg(0), err)
		}
		fmt.Fprintf(stdout, "resthook %s removed with its subscribers\n", fs.Arg(0))
	case "subscribe":
		sub := &store.ResthookSubscriber{WorkspaceID: ws.ID, Resthook: fs.Arg(0), TargetURL: fs.Arg(1)}
		if err := rt.Subscribe(ctx, sub); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "subscriber %d: %s to %s\n", sub.ID, sub.TargetURL, sub.Resthook)
	case "unsubscribe":
		id, err := strconv.ParseInt(fs.Arg(0), 10, 64)
		if err != nil {
			return fmt.Errorf("subscriber ID %q is not a number", fs.Arg(0))
		}
		if err := rt.Unsubscribe(ctx, ws.ID, id); err != nil {
			return fmt.Errorf("subscriber %d: %w", id, err)
		}
		fmt.Fprintf(stdout, "subscriber %d removed\n", id)
	case "list":
		return listResthooks(ctx, srv, ws, stdout)
	case "subscribers":
		return listSubscribers(ctx, srv, ws, fs.Arg(0), stdout)
	}
	return nil
}

func listResthooks(ctx context.Context, srv *server.Server, ws *store.Workspace, stdout io.Writer) error {
	hooks, err := srv.Runtime.Store.ListResthooks(ctx, ws.ID)
	if err != nil {
		return err
	}
	subs, err := srv.Runtime.Store.ListResthookSubscribers(ctx, ws.ID)
	if err != nil {
		return err
	}
	count := map[string]int{}
	for _, s := range subs {
		count[s.Resthook]++
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SLUG\tSUBSCRIBERS\tCREATED\tMODIFIED")
	for _, h := range hooks {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\n", h.Slug, count[h.Slug], h.CreatedOn.UTC().Format("2006-01-02 15:04 MST"), h.ModifiedOn.UTC().Format("2006-01-02 15:04 MST"))
	}
	return tw.Flush()
}

func listSubscribers(ctx context.Context, srv *server.Server, ws *store.Workspace, slug string, stdout io.Writer) error {
	subs, err := srv.Runtime.Store.ListResthookSubscribers(ctx, ws.ID)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tRESTHOOK\tTARGET URL\tCREATED")
	for _, s := range subs {
		if slug == "" || s.Resthook == slug {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", s.ID, s.Resthook, s.TargetURL, s.CreatedOn.UTC().Format("2006-01-02 15:04 MST"))
		}
	}
	return tw.Flush()
}
