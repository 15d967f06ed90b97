package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"text/tabwriter"

	"careflow/cht"
	"careflow/server"
)

func init() {
	register("user", "manage users: user add NAME --role ROLE [--password P] | user passwd NAME [--password P] | user list", runUser)
}

func runUser(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New("usage: careflow user add NAME --role ROLE [--password P] | careflow user passwd NAME [--password P] | careflow user list")
	}
	switch args[0] {
	case "add":
		return runUserAdd(ctx, args[1:], stdout, stderr)
	case "passwd":
		return runUserPasswd(ctx, args[1:], stdout, stderr)
	case "list":
		return runUserList(ctx, args[1:], stdout, stderr)
	}
	return fmt.Errorf("unknown user command %q (add, passwd, list)", args[0])
}

// roleList collects --role values, repeated or comma-separated.
type roleList []string

func (r *roleList) String() string { return strings.Join(*r, ",") }

func (r *roleList) Set(v string) error {
	for _, x := range strings.Split(v, ",") {
		if x = strings.TrimSpace(x); x != "" {
			*r = append(*r, x)
		}
	}
	return nil
}

// openServerData opens the store and services as serve would, without listening.
func openServerData(ctx context.Context, cfg *server.Config, stdout, stderr io.Writer) (*server.Server, *cht.Users, error) {
	cfg.Out = stdout
	cfg.Logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	srv, err := server.New(ctx, *cfg)
	if err != nil {
		return nil, nil, err
	}
	users := cht.NewUsers(srv.Store, srv.Settings, cht.NewContacts(srv.Docs, srv.Settings), srv.SigningKey)
	return srv, users, nil
}

func runUserAdd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := serverFlags(fs)
	var roles roleList
	fs.Var(&roles, "role", "role to give (repeat or comma-separate; e.g. gateway)")
	password := fs.String("password", "", "password; a random one is generated and printed when empty")
	var name string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return exitError{code: 2}
	}
	if name == "" && fs.NArg() > 0 {
		name = fs.Arg(0)
	}
	if name == "" || len(roles) == 0 {
		return errors.New("usage: careflow user add NAME --role ROLE [--password P]")
	}
	srv, users, err := openServerData(ctx, cfg, stdout, stderr)
	if err != nil {
		return err
	}
	defer srv.Close()
	generated := *password == ""
	if generated {
		*password = cht.RandomPassword()
	}
	if err := users.AddOperator(ctx, name, *password, roles); err != nil {
		var ce *cht.Error
		if errors.As(err, &ce) {
			return errors.New(ce.Message)
		}
		return err
	}
	if generated {
		fmt.Fprintf(stdout, "created user %q with password %s\n", name, *password)
	} else {
		fmt.Fprintf(stdout, "created user %q\n", name)
	}
	return nil
}

func runUserList(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("user list", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := serverFlags(fs)
	if err := fs.Parse(args); err != nil {
		return exitError{code: 2}
	}
	srv, users, err := openServerData(ctx, cfg, stdout, stderr)
	if err != nil {
		return err
	}
	defer srv.Close()
	list, err := users.List(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tROLES")
	for _, u := range list {
		fmt.Fprintf(tw, "%s\t%s\n", u.Name, strings.Join(u.Roles, ","))
	}
	return tw.Flush()
}

// runUserPasswd resets a password, for an operator whose admin password is lost or a gateway
// whose password leaked; the user's sessions end with the old password.
func runUserPasswd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("user passwd", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := serverFlags(fs)
	password := fs.String("password", "", "new password; a random one is generated and printed when empty")
	var name string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return exitError{code: 2}
	}
	if name == "" && fs.NArg() > 0 {
		name = fs.Arg(0)
	}
	if name == "" {
		return errors.New("usage: careflow user passwd NAME [--password P]")
	}
	srv, users, err := openServerData(ctx, cfg, stdout, stderr)
	if err != nil {
		return err
	}
	defer srv.Close()
	generated := *password == ""
	if generated {
		*password = cht.RandomPassword()
	}
	if err := users.SetPassword(ctx, name, *password); err != nil {
		var ce *cht.Error
		if errors.As(err, &ce) {
			return errors.New(ce.Message)
		}
		return err
	}
	if generated {
		fmt.Fprintf(stdout, "new password for user %q: %s\n", name, *password)
	} else {
		fmt.Fprintf(stdout, "password of user %q changed\n", name)
	}
	return nil
}
