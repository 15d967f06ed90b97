package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
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
