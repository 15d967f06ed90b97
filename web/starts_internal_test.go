package web

import (
	"testing"

	"careflow/store"
)

// TestStartProgressStates: the progress a start's page shows comes from the stored status and
// counts only, and the page reloads itself exactly while the start is not final.
func TestStartProgressStates(t *testing.T) {
	cases := []struct {
		status           string
		count, remaining int
		resolved, final  bool
		done, percent    int
	}{
		{store.StartPending, 0, 0, false, false, 0, 0},
		{"starting", 0, 0, false, false, 0, 0},
		{store.StartQueued, 40, 40, true, false, 0, 0},
		{store.StartStarted, 40, 10, true, false, 30, 75},
		{store.StartCompleted, 40, 0, true, true, 40, 100},
		{store.StartCompleted, 0, 0, true, true, 0, 100},
		{store.StartFailed, 0, 0, false, true, 0, 0},
		{store.StartInterrupted, 40, 25, true, true, 15, 37},
	}
	for _, c := range cases {
		p := progressOf(&store.FlowStart{Status: c.status, ContactCount: c.count, Remaining: c.remaining}, nil, nil)
		if p.Resolved != c.resolved || p.Final != c.final || p.Done != c.done || p.Percent != c.percent {
			t.Errorf("%s %d/%d: %+v", c.status, c.count, c.remaining, p)
		}
		if got := (startData{Start: p}).refreshAfter(); (got > 0) == c.final {
			t.Errorf("%s: refresh %d", c.status, got)
		}
	}
}
