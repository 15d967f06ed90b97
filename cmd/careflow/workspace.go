package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"careflow/server"
	"careflow/store"
)

func init() {
	register("workspace", "manage messaging workspaces: workspace add NAME [-timezone TZ] [-country CC] [-languages eng,fra] [-date-format DD-MM-YYYY] | workspace list", runWorkspace)
}

func runWorkspace(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	const usage = "usage: careflow workspace add NAME [-timezone TZ] [-country CC] [-languages eng,fra] [-date-format F] | careflow workspace list"
	if len(args) == 0 {
		return errors.New(usage)
	}
	switch args[0] {
	case "add":
		return runWorkspaceAdd(ctx, args[1:], stdout, stderr)
	case "list":
		return runWorkspaceList(ctx, args[1:], stdout, stderr)
	}
	return fmt.Errorf("unknown workspace command %q (add, list)", args[0])
}

func runWorkspaceAdd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("workspace add", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := serverFlags(fs)
	tz := fs.String("timezone", "UTC", "IANA timezone")
	country := fs.String("country", "", "default country (ISO 3166-1 alpha-2)")
	langs := fs.String("languages", "eng", "comma-separated ISO 639-3 languages; the first is the default")
	dateFormat := fs.String("date-format", "DD-MM-YYYY", "DD-MM-YYYY, MM-DD-YYYY or YYYY-MM-DD")
	var name string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return exitError{code: 2}
	}
	if name == "" {
		return errors.New("usage: careflow workspace add NAME [-timezone TZ] [-country CC] [-languages eng,fra]")
	}
	srv, _, err := openServerData(ctx, cfg, stdout, stderr)
	if err != nil {
		return err
	}
	defer srv.Close()
	ws := &store.Workspace{Name: name, Timezone: *tz, Country: *country, DateFormat: *dateFormat}
	for _, l := range strings.Split(*langs, ",") {
		if l = strings.TrimSpace(l); l != "" {
			ws.Languages = append(ws.Languages, l)
		}
	}
	if err := srv.Runtime.CreateWorkspace(ctx, ws); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return fmt.Errorf("a workspace named %q already exists", name)
		}
		return err
	}
	fmt.Fprintf(stdout, "workspace %d %s %q created\n", ws.ID, ws.UUID, ws.Name)
	return nil
}

func runWorkspaceList(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("workspace list", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := serverFlags(fs)
	if err := fs.Parse(args); err != nil {
		return exitError{code: 2}
	}
	srv, _, err := openServerData(ctx, cfg, stdout, stderr)
	if err != nil {
		return err
	}
	defer srv.Close()
	list, err := srv.Runtime.Store.ListWorkspaces(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tUUID\tNAME\tTIMEZONE\tCOUNTRY\tLANGUAGES")
	for _, ws := range list {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", ws.ID, ws.UUID, ws.Name, ws.Timezone, ws.Country, strings.Join(ws.Languages, ","))
	}
	return tw.Flush()
}

// workspaceFlag adds -workspace (ID, UUID or name; default the first workspace).
func workspaceFlag(fs *flag.FlagSet) *string {
	return fs.String("workspace", "", "workspace ID, UUID or name (default: the first)")
}

// findWorkspace resolves a -workspace value.
func findWorkspace(ctx context.Context, srv *server.Server, ref string) (*store.Workspace, error) {
	list, err := srv.Runtime.Store.ListWorkspaces(ctx)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, errors.New("there is no workspace")
	}
	if ref == "" {
		return list[0], nil
	}
	for _, ws := range list {
		if strconv.FormatInt(ws.ID, 10) == ref || ws.UUID == ref || strings.EqualFold(ws.Name, ref) {
			return ws, nil
		}
	}
	return nil, fmt.Errorf("no workspace %q (careflow workspace list shows them)", ref)
}

// openWorkspace opens the store and services as serve would and resolves a -workspace value;
// the caller closes the server.
func openWorkspace(ctx context.Context, cfg *server.Config, ref string, stdout, stderr io.Writer) (*server.Server, *store.Workspace, error) {
	srv, _, err := openServerData(ctx, cfg, stdout, stderr)
	if err != nil {
		return nil, nil, err
	}
	ws, err := findWorkspace(ctx, srv, ref)
	if err != nil {
		srv.Close()
		return nil, nil, err
	}
	return srv, ws, nil
}
