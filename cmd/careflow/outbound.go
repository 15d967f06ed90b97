package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"

	"careflow/cht/outbound"
	"careflow/store"
	"careflow/store/open"
)

func init() {
	register("outbound", "inspect outbound pushes: outbound list|requeue|test [flags]", runOutbound)
}

func runOutbound(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: careflow outbound list|requeue|test [flags] (-h for each)")
		return exitError{code: 2}
	}
	switch args[0] {
	case "list":
		return outboundList(ctx, args[1:], stdout, stderr)
	case "requeue":
		return outboundRequeue(ctx, args[1:], stdout, stderr)
	case "test":
		return outboundTest(ctx, args[1:], stdout, stderr)
	}
	return fmt.Errorf("unknown outbound command %q (list, requeue, test)", args[0])
}

// openStore opens the database the server's flags name, as serve does.
func openStore(ctx context.Context, fs *flag.FlagSet, args []string) (store.Store, error) {
	cfg := serverFlags(fs)
	if err := fs.Parse(args); err != nil {
		return nil, exitError{code: 2}
	}
	dsn := cfg.DB
	if dsn == "" {
		dsn = filepath.Join(cfg.DataDir, "careflow.db")
		if _, err := os.Stat(dsn); err != nil {
			return nil, fmt.Errorf("no database at %s (use -data or -db)", dsn)
		}
	}
	return open.Open(ctx, dsn)
}

type int64List []int64

func (l *int64List) String() string { return fmt.Sprint(*l) }
func (l *int64List) Set(s string) error {
	for _, part := range strings.Split(s, ",") {
		n, err := strconv.ParseInt(strings.TrimSpace(part), 10, 64)
		if err != nil {
			return fmt.Errorf("%q is not a push id", part)
		}
		*l = append(*l, n)
	}
	return nil
}

func outboundList(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("outbound list", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var q store.PushQuery
	var state string
	fs.StringVar(&state, "state", "", "only pushes in this state: pending, sent or dead")
	fs.StringVar(&q.DocID, "doc", "", "only pushes of this document")
	fs.StringVar(&q.Config, "config", "", "only pushes of this outbound config")
	fs.IntVar(&q.Limit, "limit", 50, "at most this many, newest first")
	asJSON := fs.Bool("json", false, "print JSON (with payloads) instead of a table")
	st, err := openStore(ctx, fs, args)
	if err != nil {
		return err
	}
	defer st.Close()
	q.State = store.PushState(state)
	ps, err := st.ListPushes(ctx, q)
	if err != nil {
		return err
	}
	if *asJSON {
		views := make([]outbound.PushView, len(ps))
		for i, p := range ps {
			views[i] = outbound.View(p)
		}
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(views)
	}
	tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tDOC\tCONFIG\tSTATE\tATTEMPTS\tSTATUS\tNEXT TRY\tLAST ERROR")
	for _, p := range ps {
		v := outbound.View(p)
		lastErr := v.LastError
		if len(lastErr) > 60 {
			lastErr = lastErr[:57] + "..."
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d\t%d\t%s\t%s\n", v.ID, v.DocID, v.Config, v.State, v.Attempts, v.LastStatus, v.NextTry, lastErr)
	}
	return tw.Flush()
}

func outboundRequeue(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("outbound requeue", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var q store.PushQuery
	var ids int64List
	fs.Var(&ids, "id", "dead push id(s) to re-queue (repeatable, or comma-separated)")
	fs.StringVar(&q.DocID, "doc", "", "re-queue the dead pushes of this document")
	fs.StringVar(&q.Config, "config", "", "re-queue the dead pushes of this outbound config")
	all := fs.Bool("all", false, "re-queue every dead push")
	st, err := openStore(ctx, fs, args)
	if err != nil {
		return err
	}
	defer st.Close()
	q.IDs = ids
	if len(q.IDs) == 0 && q.DocID == "" && q.Config == "" && !*all {
		return errors.New("say which dead pushes to re-queue: -id, -doc, -config or -all")
	}
	svc := outbound.NewService(st, nil, nil, outbound.Options{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	n, err := svc.Requeue(ctx, q)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "re-queued %d dead push(es); a running server sends them once their destination is not backing off\n", n)
	return nil
}

type stringList []string

func (l *stringList) String() string { return strings.Join(*l, ",") }
func (l *stringList) Set(s string) error {
	*l = append(*l, strings.Split(s, ",")...)
	return nil
}

func outboundTest(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("outbound test", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var req outbound.DryRun
	var docIDs stringList
	fs.StringVar(&req.Config, "config", "", "a saved outbound config's name")
	configFile := fs.String("config-file", "", "a proposed config: a JSON file holding one outbound entry's value")
	fs.StringVar(&req.Name, "name", "", "the push name of -config-file (default \"proposed\")")
	fs.Var(&docIDs, "doc", "stored document id(s) to evaluate (repeatable, or comma-separated)")
	docFile := fs.String("doc-file", "", "a JSON file holding one document to evaluate instead")
	fs.StringVar(&req.Type, "type", "", "else evaluate stored documents of this type")
	fs.StringVar(&req.Form, "form", "", "... and/or of this form")
	fs.IntVar(&req.Limit, "limit", 50, "at most this many stored documents")
	fs.BoolVar(&req.Matching, "matching", false, "list only documents the config is relevant to")
	st, err := openStore(ctx, fs, args)
	if err != nil {
		return err
	}
	defer st.Close()
	req.DocIDs = docIDs
	if *configFile != "" {
		if req.Proposed, err = os.ReadFile(*configFile); err != nil {
			return err
		}
	}
	if *docFile != "" {
		if req.Doc, err = os.ReadFile(*docFile); err != nil {
			return err
		}
	}
	settings := func(ctx context.Context) ([]byte, error) {
		s, err := st.GetSettings(ctx)
		if errors.Is(err, store.ErrNotFound) {
			return []byte("{}"), nil
		}
		return s.Body, err
	}
	svc := outbound.NewService(st, settings, nil, outbound.Options{}, slog.New(slog.NewTextHandler(stderr, nil)))
	res, err := svc.DryRun(ctx, req)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(res)
}
