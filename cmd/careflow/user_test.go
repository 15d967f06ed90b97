package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"careflow/cht"
	"careflow/server"
)

func TestUserCommand(t *testing.T) {
	data := t.TempDir()
	steps := []struct {
		name     string
		args     []string
		code     int
		out, err string
	}{
		{"AddGeneratesPassword", []string{"user", "add", "rapidpro", "--role", "gateway", "-data", data}, 0, `created user "rapidpro" with password `, ""},
		{"FirstStartMadeAdmin", []string{"user", "list", "-data", data}, 0, "admin     admin", ""},
		{"AddWithPassword", []string{"user", "add", "-data", data, "--role", "data_entry,gateway", "--password", "Tq9!vRapid-Pro-2026", "entry"}, 0, `created user "entry"`, ""},
		{"ListShowsOnlineMarker", []string{"user", "list", "-data", data}, 0, "rapidpro  gateway,mm-online", ""},
		{"NameTaken", []string{"user", "add", "rapidpro", "--role", "gateway", "-data", data}, 1, "", `Username "rapidpro" already taken.`},
		{"WeakPassword", []string{"user", "add", "weak", "--role", "gateway", "--password", "aaaaaaaaaa", "-data", data}, 1, "", "too easy to guess"},
		{"RoleRequired", []string{"user", "add", "norole", "-data", data}, 1, "", "usage"},
		{"PasswdSetsPassword", []string{"user", "passwd", "entry", "-data", data, "--password", "An0ther!Password-2026"}, 0, `password of user "entry" changed`, ""},
		{"PasswdGenerates", []string{"user", "passwd", "rapidpro", "-data", data}, 0, `new password for user "rapidpro": `, ""},
		{"PasswdWeak", []string{"user", "passwd", "entry", "-data", data, "--password", "aaaaaaaaaa"}, 1, "", "too easy to guess"},
		{"PasswdUnknownUser", []string{"user", "passwd", "nobody", "-data", data, "--password", "An0ther!Password-2026"}, 1, "", `no user "nobody"`},
		{"UnknownSubcommand", []string{"user", "remove", "x"}, 1, "", "unknown user command"},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := Main(context.Background(), st.args, &out, &errOut)
			if code != st.code || !strings.Contains(out.String(), st.out) || !strings.Contains(errOut.String(), st.err) {
				t.Fatalf("exit %d\nstdout %s\nstderr %s", code, out.String(), errOut.String())
			}
		})
	}
}

// TestUserPasswdLogsIn: the password set from the command line is the one that logs in, and
// the old one no longer does.
func TestUserPasswdLogsIn(t *testing.T) {
	data := t.TempDir()
	run := func(args ...string) string {
		var out, errOut bytes.Buffer
		if code := Main(context.Background(), append(args, "-data", data), &out, &errOut); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errOut.String())
		}
		return out.String()
	}
	run("user", "add", "gw", "--role", "gateway", "--password", "Tq9!vRapid-Pro-2026")
	run("user", "passwd", "gw", "--password", "An0ther!Password-2026")
	srv, users, err := openServerData(context.Background(), &server.Config{DataDir: data}, io.Discard, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	if _, err := users.Authenticate(context.Background(), "gw", "An0ther!Password-2026"); err != nil {
		t.Fatalf("new password: %v", err)
	}
	if _, err := users.Authenticate(context.Background(), "gw", "Tq9!vRapid-Pro-2026"); !errors.Is(err, cht.ErrBadCredentials) {
		t.Fatalf("old password: %v", err)
	}
}
