package engine_test

import (
	"fmt"
	"testing"
	"time"

	"careflow/engine"
	_ "careflow/engine/builtin"
	"careflow/engine/enginetest"
	"careflow/engine/event"
	"careflow/expr"
)

// askTwice waits for a message (with a 60 s timeout) saving "Answer", then waits again.
const askTwice = `{"flows": [{"uuid": "5a3b4c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1e", "name": "Ask", "spec_version": "14.4.2",
 "language": "eng", "type": "messaging", "nodes": [
 {"uuid": "11111111-0000-4000-8000-000000000001", "router": {"type": "switch", "operand": "@input.text", "result_name": "Answer",
   "wait": {"type": "msg", "timeout": {"seconds": 60, "category_uuid": "22222222-0000-4000-8000-000000000002"}},
   "default_category_uuid": "22222222-0000-4000-8000-000000000001", "cases": [],
   "categories": [
    {"uuid": "22222222-0000-4000-8000-000000000001", "name": "All Responses", "exit_uuid": "33333333-0000-4000-8000-000000000001"},
    {"uuid": "22222222-0000-4000-8000-000000000002", "name": "No Response", "exit_uuid": "33333333-0000-4000-8000-000000000002"}]},
  "exits": [{"uuid": "33333333-0000-4000-8000-000000000001", "destination_uuid": "11111111-0000-4000-8000-000000000002"},
   {"uuid": "33333333-0000-4000-8000-000000000002"}]},
 {"uuid": "11111111-0000-4000-8000-000000000002", "router": {"type": "switch", "operand": "@input.text", "wait": {"type": "msg"},
   "default_category_uuid": "22222222-0000-4000-8000-000000000003", "cases": [],
   "categories": [{"uuid": "22222222-0000-4000-8000-000000000003", "name": "All Responses", "exit_uuid": "33333333-0000-4000-8000-000000000003"}]},
  "exits": [{"uuid": "33333333-0000-4000-8000-000000000003"}]}]}]}`

func startAsk(t *testing.T) (*engine.Session, *engine.Sprint) {
	t.Helper()
	assets, err := engine.ReadAssets([]byte(askTwice))
	if err != nil {
		t.Fatal(err)
	}
	f, err := assets.Flow(assets.FlowUUIDs()[0])
	if err != nil {
		t.Fatal(err)
	}
	eng := enginetest.NewEngine(enginetest.Config{})
	contact := &engine.Contact{UUID: "ba96bf7f-bc2a-4873-a7c7-254d1927c4e3", Status: engine.StatusActive, Fields: map[string]*engine.FieldValue{}}
	trigger := &engine.Trigger{Type: "manual", Flow: f.Reference(false), TriggeredOn: enginetest.Start}
	session, sprint, err := eng.Start(assets, expr.NewEnvironment(nil), contact, trigger, nil)
	if err != nil {
		t.Fatal(err)
	}
	return session, sprint
}

func resumeAsk(t *testing.T, s *engine.Session, resume string) *engine.Sprint {
	t.Helper()
	r, err := engine.ReadResume([]byte(resume))
	if err != nil {
		t.Fatal(err)
	}
	sprint, err := s.ResumeWith(r)
	if err != nil {
		t.Fatal(err)
	}
	return sprint
}

// lastEventTime is the created_on of the sprint's last event of a type.
func lastEventTime(t *testing.T, sp *engine.Sprint, typ string) time.Time {
	t.Helper()
	var at time.Time
	for _, e := range sp.Events {
		if e.Type() == typ {
			at = e.Common().CreatedOn
		}
	}
	if at.IsZero() {
		t.Fatalf("no %s event", typ)
	}
	return at
}

// TestWaitingStampsModifiedOn: starting to wait is a status change, so modified_on moves past
// the msg_wait event (before, it stayed at the step's arrival).
func TestWaitingStampsModifiedOn(t *testing.T) {
	s, sp := startAsk(t)
	run := s.Runs[0]
	if run.Status != engine.RunWaiting {
		t.Fatalf("run %s, want waiting", run.Status)
	}
	if wait := lastEventTime(t, sp, event.TypeMsgWait); !run.ModifiedOn.After(wait) {
		t.Errorf("modified_on %s not after msg_wait %s", run.ModifiedOn, wait)
	}
}

func TestResumeTimestamps(t *testing.T) {
	msg := `{"type": "msg", "resumed_on": "2025-05-04T13:00:00Z", "event": {"type": "msg_received", "uuid": "0197b335-6ded-79a4-95a6-3af85b57f108",
		"created_on": "2025-05-04T13:00:00Z", "msg": {"uuid": "9f4e2a1b-5c6d-4e7f-8a9b-0c1d2e3f4a5b", "urn": "tel:+250788123123", "text": "%s"}}}`
	t.Run("MsgThenWaitAgain", func(t *testing.T) {
		s, _ := startAsk(t)
		before := s.Runs[0].ModifiedOn
		sp := resumeAsk(t, s, fmt.Sprintf(msg, "blue"))
		run := s.Runs[0]
		res := run.Results["answer"]
		if res == nil || !res.CreatedOn.After(before) {
			t.Fatalf("result %+v not created after %s", res, before)
		}
		// input recorded, run active again, result saved: each a later tick than the last
		if wait := lastEventTime(t, sp, event.TypeMsgWait); !run.ModifiedOn.After(wait) || !wait.After(res.CreatedOn) {
			t.Errorf("result %s, msg_wait %s, modified_on %s: want increasing", res.CreatedOn, wait, run.ModifiedOn)
		}
		if run.ExitedOn != nil {
			t.Errorf("waiting run has exited_on %s", run.ExitedOn)
		}
	})
	t.Run("MsgThenComplete", func(t *testing.T) {
		s, _ := startAsk(t)
		resumeAsk(t, s, fmt.Sprintf(msg, "blue"))
		waiting := s.Runs[0].ModifiedOn
		sp := resumeAsk(t, s, fmt.Sprintf(msg, "green"))
		run := s.Runs[0]
		if run.Status != engine.RunCompleted || run.ExitedOn == nil || !run.ExitedOn.Equal(run.ModifiedOn) {
			t.Fatalf("run %s exited %v modified %s: want completed with exited_on = modified_on", run.Status, run.ExitedOn, run.ModifiedOn)
		}
		if ended := lastEventTime(t, sp, event.TypeRunEnded); !run.ExitedOn.After(waiting) || ended.Before(*run.ExitedOn) {
			t.Errorf("exited_on %s not between the wait (%s) and run_ended (%s)", run.ExitedOn, waiting, ended)
		}
	})
	t.Run("Timeout", func(t *testing.T) {
		s, _ := startAsk(t)
		before := s.Runs[0].ModifiedOn
		resumeAsk(t, s, `{"type": "wait_timeout", "resumed_on": "2025-05-04T13:00:00Z", "event": {"type": "wait_timed_out",
			"uuid": "0197b335-6ded-79a4-95a6-3af85b57f109", "created_on": "2025-05-04T13:00:00Z"}}`)
		run := s.Runs[0]
		res := run.Results["answer"]
		if res == nil || res.Category != "No Response" || !res.CreatedOn.After(before) {
			t.Fatalf("result %+v, want No Response created after %s", res, before)
		}
		if run.Status != engine.RunCompleted || run.ExitedOn == nil || !run.ExitedOn.After(res.CreatedOn) || !run.ModifiedOn.Equal(*run.ExitedOn) {
			t.Errorf("run %s exited %v modified %s, result %s", run.Status, run.ExitedOn, run.ModifiedOn, res.CreatedOn)
		}
	})
	t.Run("Expiration", func(t *testing.T) {
		s, _ := startAsk(t)
		before := s.Runs[0].ModifiedOn
		resumeAsk(t, s, `{"type": "wait_expiration", "resumed_on": "2025-05-04T13:00:00Z", "event": {"type": "wait_expired",
			"uuid": "0197b335-6ded-79a4-95a6-3af85b57f10a", "created_on": "2025-05-04T13:00:00Z"}}`)
		run := s.Runs[0]
		if run.Status != engine.RunExpired || run.ExitedOn == nil || !run.ExitedOn.After(before) || !run.ModifiedOn.Equal(*run.ExitedOn) {
			t.Errorf("run %s exited %v modified %s, want expired after %s", run.Status, run.ExitedOn, run.ModifiedOn, before)
		}
		if len(run.Results) != 0 {
			t.Errorf("expired run saved results %v", run.Results)
		}
	})
}
