package engine_test

import (
	"os"
	"testing"
	"time"

	"careflow/engine"
	"careflow/engine/enginetest"
	"careflow/expr"
	"careflow/internal/sharedpath"
)

// TestInterrupt interrupts a waiting session: its runs and itself become interrupted, and it
// can no longer be resumed.
func TestInterrupt(t *testing.T) {
	path := sharedpath.ForTest(t, "conformance/goflow/runner/two_questions.json")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	assets, err := engine.ReadAssets(data)
	if err != nil {
		t.Fatal(err)
	}
	f, err := assets.Flow(assets.FlowUUIDs()[0])
	if err != nil {
		t.Fatal(err)
	}
	eng := enginetest.NewEngine(enginetest.Config{})
	contact := &engine.Contact{UUID: "ba96bf7f-bc2a-4873-a7c7-254d1927c4e3", Status: engine.StatusActive, Fields: map[string]*engine.FieldValue{}}
	trigger := &engine.Trigger{Type: "manual", Flow: f.Reference(false), TriggeredOn: time.Now()}
	session, _, err := eng.Start(assets, expr.NewEnvironment(nil), contact, trigger, nil)
	if err != nil {
		t.Fatal(err)
	}
	if session.Status != engine.SessionWaiting {
		t.Fatalf("session %s, want waiting", session.Status)
	}
	session.Interrupt()
	if session.Status != engine.SessionInterrupted {
		t.Errorf("session %s, want interrupted", session.Status)
	}
	for _, r := range session.Runs {
		if r.Status != engine.RunInterrupted || r.ExitedOn == nil {
			t.Errorf("run %s exited %v, want interrupted with exited_on", r.Status, r.ExitedOn)
		}
	}
	resume, err := engine.ReadResume([]byte(`{"type": "wait_timeout", "resumed_on": "2000-01-01T00:00:00Z", "event": {"type": "wait_timed_out", "uuid": "0197b335-6ded-79a4-95a6-3af85b57f108", "created_on": "2000-01-01T00:00:00Z"}}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := session.ResumeWith(resume); err == nil {
		t.Error("resuming an interrupted session succeeded")
	}
}
