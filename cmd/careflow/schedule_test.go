package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"
)

func TestScheduleCommand(t *testing.T) {
	data := t.TempDir()
	run := func(code int, want string, args ...string) string {
		t.Helper()
		var out, errOut bytes.Buffer
		full := append([]string{args[0], args[1], "-data", data}, args[2:]...)
		got := Main(context.Background(), full, &out, &errOut)
		if got != code || !strings.Contains(out.String()+errOut.String(), want) {
			t.Fatalf("%v: exit %d\nstdout %s\nstderr %s", args, got, out.String(), errOut.String())
		}
		return out.String()
	}
	out := run(0, "next fire 2099-01-05 09:00 UTC", "schedule", "add", "-repeat", "W", "-days", "MR", "-start", "2099-01-05T09:00",
		"-text", "hello", "-urns", "tel:+250788000001")
	uuid := regexp.MustCompile(`schedule (\S+) created`).FindStringSubmatch(out)[1]
	run(0, "2099-01-05 09:00 UTC  W       MR    false   broadcast", "schedule", "list")
	run(0, "paused", "schedule", "pause", uuid)
	run(0, "true", "schedule", "list")
	run(1, "repeat_days_of_week", "schedule", "add", "-repeat", "W", "-start", "2099-01-05T09:00", "-text", "x", "-urns", "tel:+1")
	run(1, "-start", "schedule", "add", "-start", "tomorrow", "-text", "x", "-urns", "tel:+1")
	run(0, "deleted", "schedule", "delete", uuid)
	run(1, "not found", "schedule", "delete", uuid)
}
