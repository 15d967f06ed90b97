package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"careflow/store"
)

func init() {
	register("trigger", "manage triggers: trigger add -type keyword -keywords a,b -flow FLOW [-match only_word] [-groups G] [-exclude-groups G] [-channel UUID] [-referrer ID] | trigger list", runTrigger)
}

func runTrigger(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New("usage: careflow trigger add -type TYPE -flow FLOW [...] | careflow trigger list")
	}
	switch args[0] {
	case "add":
		return runTriggerAdd(ctx, args[1:], stdout, stderr)
	case "list":
		return runTriggerList(ctx, args[1:], stdout, stderr)
	}
	return fmt.Errorf("unknown trigger command %q (add, list)", args[0])
}

func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

func runTriggerAdd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("trigger add", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := serverFlags(fs)
	wsRef := workspaceFlag(fs)
	typ := fs.String("type", "keyword", "keyword, catch_all, new_conversation, referral, missed_call, incoming_call, closed_ticket")
	flowRef := fs.String("flow", "", "flow UUID or name")
	keywords := fs.String("keywords", "", "comma-separated keywords (keyword triggers)")
	match := fs.String("match", "first_word", "first_word or only_word")
	groups := fs.String("groups", "", "comma-separated group UUIDs the contact must be in")
	exclude := fs.String("exclude-groups", "", "comma-separated group UUIDs the contact must not be in")
	channel := fs.String("channel", "", "channel UUID")
	referrer := fs.String("referrer", "", "referrer id (referral triggers)")
	if err := fs.Parse(args); err != nil {
		return exitError{code: 2}
	}
	srv, ws, err := openWorkspace(ctx, cfg, *wsRef, stdout, stderr)
	if err != nil {
		return err
	}
	defer srv.Close()
	t := &store.Trigger{WorkspaceID: ws.ID, Type: *typ, FlowUUID: *flowRef, Keywords: splitList(*keywords),
		GroupUUIDs: splitList(*groups), ExcludeGroups: splitList(*exclude), ChannelUUID: *channel, ReferrerID: *referrer}
	if t.Type == "keyword" {
		t.MatchType = *match
	}
	if err := srv.Runtime.SaveTrigger(ctx, t); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "trigger %s (%s) created\n", t.UUID, t.Type)
	return nil
}

func runTriggerList(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("trigger list", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := serverFlags(fs)
	wsRef := workspaceFlag(fs)
	if err := fs.Parse(args); err != nil {
		return exitError{code: 2}
	}
	srv, ws, err := openWorkspace(ctx, cfg, *wsRef, stdout, stderr)
	if err != nil {
		return err
	}
	defer srv.Close()
	list, err := srv.Runtime.Store.ListTriggers(ctx, ws.ID, false)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "UUID\tTYPE\tKEYWORDS\tMATCH\tFLOW")
	for _, t := range list {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", t.UUID, t.Type, strings.Join(t.Keywords, ","), t.MatchType, t.FlowUUID)
	}
	return tw.Flush()
}
