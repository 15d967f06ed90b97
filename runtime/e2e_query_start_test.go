package runtime_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"careflow/api"
	. "careflow/internal/testserver"
	"careflow/store"
)

// TestFlowStartByQuery: a start_session action with a contact query starts the flow for the
// contacts the query selects in the database, and for no others (over HTTP, both backends).
func TestFlowStartByQuery(t *testing.T) {
	Backends(t, func(t *testing.T, backend string) {
		s := Start(t, backend, Options{})
		invite := say("Invite", "You are invited")
		invite.UUID = UUID()
		launcher := &Flow{Name: "Launcher", Nodes: []*Node{{Actions: []map[string]any{{
			"type": "start_session", "uuid": UUID(), "flow": map[string]any{"uuid": invite.UUID, "name": "Invite"},
			"contact_query": `name ~ "ann" OR tel = "+250788000103"`, "exclusions": map[string]any{},
		}}}}}
		s.Import(Export(invite, launcher))
		addTrigger(t, s, &store.Trigger{Type: "keyword", Keywords: []string{"go"}, FlowUUID: launcher.UUID})
		token, err := api.CreateToken(context.Background(), s.Srv.Store.(api.Store), s.Workspace.ID, "admin", time.Now())
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []map[string]any{
			{"name": "Ann Smith", "urns": []string{"tel:+250788000101"}},
			{"name": "Bob", "urns": []string{"tel:+250788000102"}},
			{"name": "Carl", "urns": []string{"tel:+250788000103"}},
			{"name": "Ánn Lee", "urns": []string{"tel:+250788000104"}},
		} {
			body, _ := json.Marshal(c)
			if st, resp := s.Do("POST", "/api/v2/contacts.json", map[string]string{"Authorization": "Token " + token, "Content-Type": "application/json"}, body, "", ""); st != 201 {
				t.Fatalf("create contact %v: %d %s", c["name"], st, resp)
			}
		}
		s.Phone("+250788000100").Send("go")
		eq(t, s.Phone("+250788000101").Expect(1), "You are invited")
		eq(t, s.Phone("+250788000103").Expect(1), "You are invited")
		s.Idle()
		for _, other := range []string{"+250788000100", "+250788000102", "+250788000104"} {
			if got := s.Phone(other).Poll(0); len(got) != 0 {
				t.Fatalf("%s was sent %v", other, got)
			}
		}
	})
}
