package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"careflow/server"
	"careflow/store"
)

func init() {
	register("schedule", "scheduled broadcasts and triggers: schedule add -repeat O|D|W|M -start TIME [-days MTWRFSU] (-flow FLOW | -text TEXT) [-groups G] [-contacts C] [-urns U] | schedule list | schedule pause|resume|delete UUID", runSchedule)
}

func runSchedule(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New("usage: careflow schedule add|list|pause|resume|delete")
	}
	switch args[0] {
	case "add":
		return runScheduleAdd(ctx, args[1:], stdout, stderr)
	case "list":
		return runScheduleList(ctx, args[1:], stdout, stderr)
	case "pause", "resume", "delete":
		return runScheduleChange(ctx, args[0], args[1:], stdout, stderr)
	}
	return fmt.Errorf("unknown schedule command %q (add, list, pause, resume, delete)", args[0])
}

// openSchedules opens the data folder's server and finds the workspace.
func openSchedules(ctx context.Context, fs *flag.FlagSet, args []string, stdout, stderr io.Writer) (*server.Server, *store.Workspace, error) {
	cfg := serverFlags(fs)
	wsRef := workspaceFlag(fs)
	if err := fs.Parse(args); err != nil {
		return nil, nil, exitError{code: 2}
	}
	srv, _, err := openServerData(ctx, cfg, stdout, stderr)
	if err != nil {
		return nil, nil, err
	}
	ws, err := findWorkspace(ctx, srv, *wsRef)
	if err != nil {
		srv.Close()
		return nil, nil, err
	}
	return srv, ws, nil
}

func runScheduleAdd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("schedule add", flag.ContinueOnError)
	fs.SetOutput(stderr)
	repeat := fs.String("repeat", "O", "O once, D daily, W weekly, M monthly")
	start := fs.String("start", "", "first time, RFC 3339 or YYYY-MM-DDTHH:MM in the workspace's timezone")
	days := fs.String("days", "", "weekly: days as letters of MTWRFSU (Monday first)")
	flowRef := fs.String("flow", "", "flow UUID or name to start (a scheduled trigger)")
	text := fs.String("text", "", "message to send (a scheduled broadcast)")
	lang := fs.String("lang", "eng", "language of -text")
	groups := fs.String("groups", "", "comma-separated group UUIDs or names")
	contacts := fs.String("contacts", "", "comma-separated contact UUIDs")
	urns := fs.String("urns", "", "comma-separated URNs")
	srv, ws, err := openSchedules(ctx, fs, args, stdout, stderr)
	if err != nil {
		return err
	}
	defer srv.Close()
	rt := srv.Runtime
	w, err := rt.Workspace(ctx, ws.ID)
	if err != nil {
		return err
	}
	loc, err := time.LoadLocation(ws.Timezone)
	if err != nil {
		loc = time.UTC
	}
	at, err := time.Parse(time.RFC3339, *start)
	if err != nil {
		if at, err = time.ParseInLocation("2006-01-02T15:04", *start, loc); err != nil {
			return fmt.Errorf("-start: want RFC 3339 or YYYY-MM-DDTHH:MM, got %q", *start)
		}
	}
	var groupUUIDs []string
	for _, g := range splitList(*groups) {
		uuid := g
		for _, sg := range w.Groups {
			if strings.EqualFold(sg.Name, g) {
				uuid = sg.UUID
			}
		}
		groupUUIDs = append(groupUUIDs, uuid)
	}
	s := &store.Schedule{WorkspaceID: ws.ID, Repeat: strings.ToUpper(*repeat), Start: at, DaysOfWeek: strings.ToUpper(*days)}
	switch {
	case *flowRef != "" && *text == "":
		uuid := *flowRef
		for _, f := range w.Flows {
			if strings.EqualFold(f.Name, *flowRef) && !f.Archived {
				uuid = f.UUID
			}
		}
		s.FlowStart = &store.FlowStart{FlowUUID: uuid, GroupUUIDs: groupUUIDs, ContactUUIDs: splitList(*contacts), URNs: splitList(*urns)}
	case *text != "" && *flowRef == "":
		trs, _ := json.Marshal(map[string]map[string]string{*lang: {"text": *text}})
		s.Broadcast = &store.Broadcast{Translations: trs, BaseLanguage: *lang, GroupUUIDs: groupUUIDs,
			ContactUUIDs: splitList(*contacts), URNs: splitList(*urns)}
	default:
		return errors.New("give exactly one of -flow and -text")
	}
	if err := rt.SaveSchedule(ctx, s); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "schedule %s created; next fire %s\n", s.UUID, fireText(s.NextFire, loc))
	return nil
}

func fireText(t *time.Time, loc *time.Location) string {
	if t == nil {
		return "never"
	}
	return t.In(loc).Format("2006-01-02 15:04 MST")
}

func runScheduleList(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("schedule list", flag.ContinueOnError)
	fs.SetOutput(stderr)
	srv, ws, err := openSchedules(ctx, fs, args, stdout, stderr)
	if err != nil {
		return err
	}
	defer srv.Close()
	list, err := srv.Runtime.Store.ListSchedules(ctx, ws.ID)
	if err != nil {
		return err
	}
	loc, err := time.LoadLocation(ws.Timezone)
	if err != nil {
		loc = time.UTC
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "UUID\tNEXT FIRE\tREPEAT\tDAYS\tPAUSED\tFIRES")
	for _, s := range list {
		what := ""
		if s.FlowStart != nil {
			what = "flow " + s.FlowStart.FlowUUID
		} else if s.Broadcast != nil {
			what = "broadcast"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%v\t%s\n", s.UUID, fireText(s.NextFire, loc), s.Repeat, s.DaysOfWeek, s.Paused, what)
	}
	return tw.Flush()
}

func runScheduleChange(ctx context.Context, cmd string, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("schedule "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	srv, ws, err := openSchedules(ctx, fs, args, stdout, stderr)
	if err != nil {
		return err
	}
	defer srv.Close()
	if fs.NArg() != 1 {
		return fmt.Errorf("usage: careflow schedule %s UUID", cmd)
	}
	uuid := fs.Arg(0)
	if cmd == "delete" {
		if err := srv.Runtime.Store.DeleteSchedule(ctx, ws.ID, uuid); err != nil {
			return fmt.Errorf("schedule %s: %w", uuid, err)
		}
		fmt.Fprintf(stdout, "schedule %s deleted\n", uuid)
		return nil
	}
	s, err := srv.Runtime.PauseSchedule(ctx, ws.ID, uuid, cmd == "pause")
	if err != nil {
		return fmt.Errorf("schedule %s: %w", uuid, err)
	}
	fmt.Fprintf(stdout, "schedule %s %sd\n", s.UUID, cmd)
	return nil
}
