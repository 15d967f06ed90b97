package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"careflow/channel"
)

func init() {
	register("channel", "manage channels: channel add TYPE -address A [-country CC] [-tps N|unlimited] [-roles send,receive] [-schemes tel] [-config key=value ...] | channel claim CODE | channel list | channel types", runChannel)
}

func runChannel(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New("usage: careflow channel add TYPE [...] | careflow channel claim CODE | careflow channel list | careflow channel types")
	}
	switch args[0] {
	case "add":
		return runChannelAdd(ctx, args[1:], stdout, stderr)
	case "list":
		return runChannelList(ctx, args[1:], stdout, stderr)
	case "claim":
		return runChannelClaim(ctx, args[1:], stdout, stderr)
	case "types":
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "TYPE\tNAME\tRECEIVES AT\tCONFIG (required; secret)")
		for _, t := range channel.Types() {
			fmt.Fprintf(tw, "%s\t%s\t/c/%s/<uuid>/...\t%s; %s\n", t.Code, t.Name, t.Path, strings.Join(t.Required, ","), strings.Join(t.Secrets, ","))
		}
		return tw.Flush()
	}
	return fmt.Errorf("unknown channel command %q (add, claim, list, types)", args[0])
}

func runChannelAdd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return errors.New("usage: careflow channel add TYPE -address A [flags]; careflow channel types lists the types")
	}
	typ := args[0]
	fs := flag.NewFlagSet("channel add", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := serverFlags(fs)
	wsRef := workspaceFlag(fs)
	name := fs.String("name", "", "channel name (default: the type's name and the address)")
	address := fs.String("address", "", "the channel's number, short code or account")
	country := fs.String("country", "", "ISO country code numbers are read in")
	tps := fs.String("tps", "", "sends per second: a number, or unlimited (default 10)")
	roles := fs.String("roles", "send,receive", "send, receive or both")
	schemes := fs.String("schemes", "", "URN schemes the channel reaches (default: the type's)")
	conf := channel.Config{}
	fs.Func("config", "a type setting KEY=VALUE, repeatable (secrets among them are stored encrypted)", func(v string) error {
		k, val, ok := strings.Cut(v, "=")
		if !ok || k == "" {
			return fmt.Errorf("want KEY=VALUE, got %q", v)
		}
		conf[k] = val
		return nil
	})
	fs.Func("config-json", "type settings as a JSON object (for nested ones such as headers)", func(v string) error {
		var m map[string]any
		if err := json.Unmarshal([]byte(v), &m); err != nil {
			return fmt.Errorf("not a JSON object: %w", err)
		}
		for k, x := range m {
			conf[k] = x
		}
		return nil
	})
	if err := fs.Parse(args[1:]); err != nil {
		return exitError{code: 2}
	}
	spec := channel.ChannelSpec{Type: strings.ToUpper(typ), Name: *name, Address: *address, Country: *country,
		Roles: splitList(*roles), Schemes: splitList(*schemes), Config: conf}
	switch *tps {
	case "":
	case "unlimited":
		spec.TPS = channel.Unlimited
	default:
		n, err := strconv.Atoi(*tps)
		if err != nil || n <= 0 {
			return fmt.Errorf("-tps must be a positive number or unlimited")
		}
		spec.TPS = n
	}
	srv, ws, err := openWorkspace(ctx, cfg, *wsRef, stdout, stderr)
	if err != nil {
		return err
	}
	defer srv.Close()
	spec.WorkspaceID = ws.ID
	ch, err := srv.Channels.AddChannel(ctx, spec)
	if err != nil {
		return err
	}
	t := channel.Lookup(ch.Type)
	fmt.Fprintf(stdout, "channel %s (%s) created; providers call /c/%s/%s/<action>\n", ch.UUID, ch.Type, t.Path, ch.UUID)
	return nil
}

func runChannelList(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("channel list", flag.ContinueOnError)
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
	list, err := srv.Runtime.Store.ListChannels(ctx, ws.ID)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "UUID\tTYPE\tNAME\tADDRESS\tCOUNTRY\tTPS\tROLES")
	for _, c := range list {
		tps := strconv.Itoa(channel.TPS(c))
		if tps == "0" {
			tps = "unlimited"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", c.UUID, c.Type, c.Name, c.Address, c.Country, tps, strings.Join(c.Roles, ","))
	}
	return tw.Flush()
}

// runChannelClaim moves an Android phone that registered (and shows CODE) into the workspace.
func runChannelClaim(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return errors.New("usage: careflow channel claim CODE [flags]: CODE is the claim code the Android relayer app shows")
	}
	fs := flag.NewFlagSet("channel claim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := serverFlags(fs)
	wsRef := workspaceFlag(fs)
	if err := fs.Parse(args[1:]); err != nil {
		return exitError{code: 2}
	}
	srv, ws, err := openWorkspace(ctx, cfg, *wsRef, stdout, stderr)
	if err != nil {
		return err
	}
	defer srv.Close()
	ch, err := srv.Channels.ClaimAndroid(ctx, ws.ID, args[0])
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "channel %s (A, %s) claimed; the phone now syncs with /relayers/relayer/sync/%d/\n", ch.UUID, ch.Name, ch.ID)
	return nil
}
