package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"
)

// TestResthookCommand makes, lists and removes resthooks and subscribers on a data folder,
// and refuses bad slugs, URLs and arguments, changing nothing.
func TestResthookCommand(t *testing.T) {
	data := t.TempDir()
	run := func(code int, want string, args ...string) string {
		t.Helper()
		var out, errOut bytes.Buffer
		full := append([]string{args[0], args[1], "-data", data}, args[2:]...)
		got := Main(context.Background(), full, &out, &errOut)
		if got != code || !strings.Contains(out.String()+errOut.String(), want) {
			t.Fatalf("%v: exit %d, want %d and %q\nstdout %s\nstderr %s", args, got, code, want, out.String(), errOut.String())
		}
		return out.String()
	}
	run(0, "resthook new-registration created", "resthook", "add", " New-Registration ")
	run(1, "already been used", "resthook", "add", "new-registration")
	run(1, "valid slug", "resthook", "add", "new registration")
	run(1, "at most 50 characters", "resthook", "add", strings.Repeat("x", 51))
	out := run(0, "subscriber ", "resthook", "subscribe", "new-registration", "https://hooks.example.com/a")
	id := regexp.MustCompile(`subscriber (\d+):`).FindStringSubmatch(out)[1]
	run(1, "no resthook with slug: nope", "resthook", "subscribe", "nope", "https://hooks.example.com/a")
	run(1, "enter a valid URL", "resthook", "subscribe", "new-registration", "hooks.example.com")
	run(1, "already subscribed", "resthook", "subscribe", "new-registration", "https://hooks.example.com/a")
	run(0, "new-registration  1 ", "resthook", "list")
	run(0, id+"   new-registration  https://hooks.example.com/a", "resthook", "subscribers", "new-registration")
	run(1, "usage", "resthook", "subscribe", "new-registration")
	run(1, "not a number", "resthook", "unsubscribe", "x")
	run(0, "subscriber "+id+" removed", "resthook", "unsubscribe", id)
	run(1, "not found", "resthook", "unsubscribe", id)
	run(0, "removed with its subscribers", "resthook", "remove", "new-registration")
	run(1, "not found", "resthook", "remove", "new-registration")
	if out := run(0, "SLUG", "resthook", "list"); strings.Contains(out, "new-registration") {
		t.Fatalf("removed resthook listed: %s", out)
	}
}
