package web_test

import (
	"encoding/json"
	"strings"
	"testing"

	"careflow/internal/testserver"
)

type simAnswer struct {
	Session  json.RawMessage  `json:"session"`
	Contact  json.RawMessage  `json:"contact"`
	Events   []map[string]any `json:"events"`
	Segments []map[string]any `json:"segments"`
	Context  map[string]any   `json:"context"`
	Error    string           `json:"error"`
}

func (a *simAnswer) texts() []string {
	var out []string
	for _, e := range a.Events {
		if e["type"] == "msg_created" {
			out = append(out, e["msg"].(map[string]any)["text"].(string))
		}
	}
	return out
}

func (a *simAnswer) status() string {
	var s struct {
		Status string `json:"status"`
	}
	_ = json.Unmarshal(a.Session, &s)
	return s.Status
}

var simContact = map[string]any{"uuid": "fe2a5a2c-0f7e-4c0a-9d2b-6a7f9f1ac111", "urns": []string{"tel:+12065551212"},
	"status": "active", "fields": map[string]any{}, "groups": []any{}, "created_on": "2026-01-01T00:00:00Z"}

// simulate runs the simulator through the conversation as the React editor's phone does:
// start, then resume with the reply, sending back the session it got.
func simulate(t *testing.T, s *testserver.Server, f *testserver.Flow, def any) (*simAnswer, *simAnswer) {
	t.Helper()
	start := map[string]any{"contact": simContact, "flow": def, "trigger": map[string]any{"type": "manual",
		"flow": map[string]string{"uuid": f.UUID, "name": f.Name}, "params": map[string]any{}, "triggered_on": "2026-01-01T00:00:00Z"}}
	var a1 simAnswer
	if st := post(t, s, "/flow/simulate/"+f.UUID+"/", "application/javascript", mustJSON(start), &a1); st != 200 {
		t.Fatalf("start: %d %+v", st, a1)
	}
	resume := map[string]any{"flow": def, "session": a1.Session, "contact": a1.Contact, "resume": map[string]any{"type": "msg",
		"event": map[string]any{"uuid": testserver.UUID(), "type": "msg_received", "created_on": "2026-01-01T00:01:00Z",
			"msg": map[string]any{"text": "Bob", "urn": "tel:+12065551212", "attachments": []string{}}},
		"resumed_on": "2026-01-01T00:01:00Z"}}
	var a2 simAnswer
	if st := post(t, s, "/flow/simulate/"+f.UUID+"/", "application/javascript", mustJSON(resume), &a2); st != 200 {
		t.Fatalf("resume: %d %+v", st, a2)
	}
	return &a1, &a2
}

// TestSimulator runs a conversation with a wait and a real webhook (marked as simulation,
// under the workspace's address policy) and @globals, storing nothing.
func TestSimulator(t *testing.T) {
	testserver.Backends(t, func(t *testing.T, backend string) {
		s, f, hits, mode := setup(t, backend, true)
		a1, a2 := simulate(t, s, f, f.Definition())
		if a1.status() != "waiting" || strings.Join(a1.texts(), "|") != "Hi! What is your name?" || len(a1.Segments) != 1 {
			t.Fatalf("start: %s %q %v", a1.status(), a1.texts(), a1.Segments)
		}
		if a2.status() != "completed" || strings.Join(a2.texts(), "|") != "Thanks Bob, you are number 42" {
			t.Fatalf("resume: %s %q %s", a2.status(), a2.texts(), a2.Error)
		}
		if hits.Load() != 1 || mode.Load() != "simulation" {
			t.Fatalf("webhook: %d calls, mode %q", hits.Load(), mode.Load())
		}
		if a2.Context == nil {
			t.Fatal("no context in the answer")
		}
		// simulation stores nothing: no contact, no run
		if n, _ := s.Srv.Runtime.Store.CountContacts(t.Context(), s.Workspace.ID); n != 0 {
			t.Fatalf("%d contacts stored by a simulation", n)
		}
		// unsaved changes simulate too: the editor sends its current definition
		def := f.Definition()
		def["nodes"].([]map[string]any)[0]["actions"].([]map[string]any)[0]["text"] = "Hello there"
		a1, _ = simulate(t, s, f, def)
		if strings.Join(a1.texts(), "|") != "Hello there" {
			t.Fatalf("edited definition: %q", a1.texts())
		}
		// bad input: a clear 400 with {"error"}
		var bad simAnswer
		if st := post(t, s, "/flow/simulate/"+f.UUID+"/", "application/json", []byte(`{"contact":{}}`), &bad); st != 400 || bad.Error == "" {
			t.Fatalf("bad simulate: %d %+v", st, bad)
		}
	})
}

// TestSimulatorAddressPolicy: a workspace that does not allow private addresses has its
// simulated webhooks refused like its real ones, without reaching the server.
func TestSimulatorAddressPolicy(t *testing.T) {
	testserver.Backends(t, func(t *testing.T, backend string) {
		s, f, hits, _ := setup(t, backend, false)
		_, a2 := simulate(t, s, f, f.Definition())
		if hits.Load() != 0 {
			t.Fatalf("the webhook reached a loopback address: %d calls", hits.Load())
		}
		for _, e := range a2.Events {
			if e["type"] == "error" && e["code"] == "url:blocked" {
				return
			}
		}
		t.Fatalf("no url:blocked error event: %v", a2.Events)
	})
}
