package api_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	. "careflow/internal/testserver"
	"careflow/store"
)

// hookServer is a subscriber on loopback that records what it is sent and answers status.
type hookServer struct {
	*httptest.Server
	mu     sync.Mutex
	bodies []string
	types  []string
}

func newHookServer(t *testing.T, status int) *hookServer {
	h := &hookServer{}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		h.mu.Lock()
		h.bodies = append(h.bodies, string(b))
		h.types = append(h.types, r.Method+" "+r.Header.Get("Content-Type"))
		h.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(`{"ok":true}`))
	}))
	t.Cleanup(h.Close)
	return h
}

func (h *hookServer) calls() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.bodies...)
}

// TestResthooks: a resthook made by importing a flow that calls it; subscribers added over
// the API; a flow start posting the run to every subscriber on loopback (allowed for the
// workspace), recording the event and routing on the result; a subscriber answering 410
// removed in the sprint's commit; unsubscribing; loopback refused without the workspace's
// permission; and every bad request refused with RapidPro's 400 or 404, nothing changed.
func TestResthooks(t *testing.T) {
	Backends(t, func(t *testing.T, backend string) {
		s := Start(t, backend, Options{})
		c := newClient(t, s)
		ctx := context.Background()
		rt := s.Srv.Runtime

		f := &Flow{Name: "Registration", Nodes: []*Node{
			{Actions: []map[string]any{Resthook("new-registration", "reg")}, Operand: "@results.reg.category",
				Cases: []Case{{Type: "has_only_text", Args: []string{"Success"}, Category: "Success"}},
				Next:  map[string]int{"Success": 1, "Other": 2}},
			{Actions: []map[string]any{Say("Registered: @results.reg.value")}},
			{Actions: []map[string]any{Say("Not registered")}},
		}}
		if res := s.Import(Export(f)); res.Resthooks != 1 {
			t.Fatalf("import made %d resthooks", res.Resthooks)
		}
		if res := s.Import(Export(f)); res.Resthooks != 0 {
			t.Fatalf("a second import made %d resthooks", res.Resthooks)
		}
		odd := &Flow{Name: "Odd", Nodes: []*Node{{Actions: []map[string]any{Resthook("not a slug!", "")}}}}
		if res := s.Import(Export(odd)); res.Resthooks != 0 || len(res.Skipped) != 1 || !strings.Contains(res.Skipped[0], "not a valid slug") {
			t.Fatalf("import of a flow calling a malformed slug: %+v", res)
		}
		if _, err := rt.CreateResthook(ctx, s.Workspace.ID, " Birth "); err != nil {
			t.Fatal(err)
		}
		if _, err := rt.CreateResthook(ctx, s.Workspace.ID, "birth"); err == nil || !strings.Contains(err.Error(), "already been used") {
			t.Fatalf("a second birth: %v", err)
		}
		hooks := list(obj(c.expect("GET", "/api/v2/resthooks.json", nil, 200, nil))["results"])
		if len(hooks) != 2 || obj(hooks[0])["resthook"] != "birth" || obj(hooks[1])["resthook"] != "new-registration" {
			t.Fatalf("resthooks (newest first): %v", hooks)
		}
		hasKeys(t, "resthook", obj(hooks[0]), "resthook", "created_on", "modified_on")
		isDate(t, "modified_on", obj(hooks[0])["modified_on"])
		if rev := list(obj(c.expect("GET", "/api/v2/resthooks.json?reverse=true", nil, 200, nil))["results"]); obj(rev[0])["resthook"] != "new-registration" {
			t.Fatalf("resthooks reversed: %v", rev)
		}

		ws := *s.Workspace
		ws.Config = json.RawMessage(`{"webhooks":{"allow_private":true}}`)
		if err := rt.UpdateWorkspace(ctx, &ws); err != nil {
			t.Fatal(err)
		}
		good, gone := newHookServer(t, 200), newHookServer(t, http.StatusGone)
		sub := obj(c.expect("POST", "/api/v2/resthook_subscribers.json", map[string]any{"resthook": "new-registration", "target_url": good.URL + "/hook"}, 201, nil))
		hasKeys(t, "subscriber", sub, "id", "resthook", "target_url", "created_on")
		if sub["resthook"] != "new-registration" || sub["target_url"] != good.URL+"/hook" {
			t.Fatalf("subscriber: %v", sub)
		}
		isDate(t, "created_on", sub["created_on"])
		goneSub := obj(c.expect("POST", "/api/v2/resthook_subscribers.json", map[string]any{"resthook": "new-registration", "target_url": gone.URL}, 201, nil))
		goodID, goneID := itoa(int(sub["id"].(float64))), itoa(int(goneSub["id"].(float64)))
		subs := list(obj(c.expect("GET", "/api/v2/resthook_subscribers.json", nil, 200, nil))["results"])
		if len(subs) != 2 || obj(subs[0])["id"] != goneSub["id"] {
			t.Fatalf("subscribers (newest first): %v", subs)
		}
		if got := list(obj(c.expect("GET", "/api/v2/resthook_subscribers.json?id="+goodID, nil, 200, nil))["results"]); len(got) != 1 || obj(got[0])["target_url"] != good.URL+"/hook" {
			t.Fatalf("subscriber by id: %v", got)
		}
		if got := list(obj(c.expect("GET", "/api/v2/resthook_subscribers.json?resthook=birth", nil, 200, nil))["results"]); len(got) != 0 {
			t.Fatalf("subscribers of birth: %v", got)
		}
		c.expect("GET", "/api/v2/resthook_subscribers.json?id=x", nil, 400, map[string]string{"detail": "Value for id must be an integer"})

		// bad writes change nothing
		modified := obj(list(obj(c.expect("GET", "/api/v2/resthooks.json?reverse=true", nil, 200, nil))["results"])[0])["modified_on"]
		bad := []struct {
			name string
			body any
			want string
		}{
			{"UnknownSlug", map[string]any{"resthook": "nope", "target_url": good.URL}, `{"resthook":["No resthook with slug: nope"]}`},
			{"BadURL", map[string]any{"resthook": "new-registration", "target_url": "not a url"}, `{"target_url":["Enter a valid URL."]}`},
			{"NotHTTP", map[string]any{"resthook": "new-registration", "target_url": "ftp://files.example.com/x"}, `{"target_url":["Enter a valid URL."]}`},
			{"NoTLD", map[string]any{"resthook": "new-registration", "target_url": "http://intranet/x"}, `{"target_url":["Enter a valid URL."]}`},
			{"Both", map[string]any{"resthook": "nope", "target_url": "x"}, `{"resthook":["No resthook with slug: nope"],"target_url":["Enter a valid URL."]}`},
			{"Missing", map[string]any{}, `{"resthook":["This field is required."],"target_url":["This field is required."]}`},
			{"Blank", map[string]any{"resthook": " ", "target_url": ""}, `{"resthook":["This field may not be blank."],"target_url":["This field may not be blank."]}`},
			{"NotString", map[string]any{"resthook": 5, "target_url": good.URL}, `{"resthook":["Not a valid string."]}`},
			{"TooLong", map[string]any{"resthook": "new-registration", "target_url": "https://example.com/" + strings.Repeat("a", 200)}, `{"target_url":["Ensure this field has no more than 200 characters."]}`},
			{"Unknown", map[string]any{"resthook": "new-registration", "target_url": good.URL, "event": "x"}, `{"event":["This field is not allowed."]}`},
			{"Duplicate", map[string]any{"resthook": "new-registration", "target_url": good.URL + "/hook"}, `{"non_field_errors":["URL is already subscribed to this event."]}`},
			{"NotObject", `["x"]`, `{"non_field_errors":["Request body should be a single JSON object"]}`},
		}
		for _, tc := range bad {
			st, _, got := c.do("POST", "/api/v2/resthook_subscribers.json", tc.body)
			if b, _ := marshal(got); st != 400 || b != tc.want {
				t.Fatalf("%s: %d %s, want %s", tc.name, st, b, tc.want)
			}
		}
		c.expect("POST", "/api/v2/resthook_subscribers.json?id="+goodID, map[string]any{"resthook": "birth", "target_url": good.URL}, 400, nil)
		c.expect("POST", "/api/v2/resthooks.json", map[string]any{"resthook": "x"}, 405, nil)
		c.expect("DELETE", "/api/v2/resthook_subscribers.json", nil, 400, map[string]string{"detail": "URL must contain one of the following parameters: id"})
		c.expect("DELETE", "/api/v2/resthook_subscribers.json?id=abc", nil, 400, map[string]string{"detail": "Value for id must be an integer"})
		c.expect("DELETE", "/api/v2/resthook_subscribers.json?id=999999", nil, 404, map[string]string{"detail": "Not found."})
		if n := len(list(obj(c.expect("GET", "/api/v2/resthook_subscribers.json", nil, 200, nil))["results"])); n != 2 {
			t.Fatalf("subscribers after bad requests: %d", n)
		}
		if now := obj(list(obj(c.expect("GET", "/api/v2/resthooks.json?reverse=true", nil, 200, nil))["results"])[0])["modified_on"]; now != modified {
			t.Fatalf("a refused request modified the resthook: %v → %v", modified, now)
		}

		// a start posts the run to both; the one answering 410 is unsubscribed
		c.expect("POST", "/api/v2/flow_starts.json", map[string]any{"flow": f.UUID, "urns": []string{"tel:+250788000061"}}, 201, nil)
		p := s.Phone("+250788000061")
		if got := p.Expect(1); got[0] != "Registered: 200" {
			t.Fatalf("route after the resthook: %q", got)
		}
		s.Idle()
		good.mu.Lock()
		types := append([]string(nil), good.types...)
		good.mu.Unlock()
		if len(good.calls()) != 1 || len(gone.calls()) != 1 || types[0] != "POST application/json" {
			t.Fatalf("calls: good %d %v, gone %d", len(good.calls()), types, len(gone.calls()))
		}
		logs, err := rt.Store.ListHTTPLogs(ctx, s.Workspace.ID, store.HTTPLogQuery{})
		if err != nil || len(logs) != 2 || logs[0].FlowUUID != f.UUID || logs[0].StatusCode+logs[1].StatusCode != 200+410 {
			t.Fatalf("the calls' logs: %+v %v", logs, err)
		}
		var payload struct {
			Contact struct{ UUID, Name, URN string }
			Flow    struct{ UUID, Name string }
			Run     struct{ UUID string }
		}
		if err := json.Unmarshal([]byte(good.calls()[0]), &payload); err != nil || payload.Contact.URN != "tel:+250788000061" ||
			payload.Flow.UUID != f.UUID || payload.Flow.Name != "Registration" || payload.Run.UUID == "" {
			t.Fatalf("payload: %s %v", good.calls()[0], err)
		}
		if gone.calls()[0] != good.calls()[0] {
			t.Fatalf("subscribers were sent different payloads:\n%s\n%s", good.calls()[0], gone.calls()[0])
		}
		subs = list(obj(c.expect("GET", "/api/v2/resthook_subscribers.json", nil, 200, nil))["results"])
		if len(subs) != 1 || obj(subs[0])["id"] != sub["id"] {
			t.Fatalf("subscribers after a 410: %v", subs)
		}
		events := list(obj(c.expect("GET", "/api/v2/resthook_events.json", nil, 200, nil))["results"])
		if len(events) != 1 {
			t.Fatalf("events: %v", events)
		}
		ev := obj(events[0])
		hasKeys(t, "event", ev, "resthook", "data", "created_on")
		if ev["resthook"] != "new-registration" || obj(obj(ev["data"])["contact"])["urn"] != "tel:+250788000061" ||
			obj(obj(ev["data"])["run"])["uuid"] != payload.Run.UUID {
			t.Fatalf("event: %v", ev)
		}
		if got := list(obj(c.expect("GET", "/api/v2/resthook_events.json?resthook=birth", nil, 200, nil))["results"]); len(got) != 0 {
			t.Fatalf("events of birth: %v", got)
		}
		runs := list(obj(c.expect("GET", "/api/v2/runs.json?flow="+f.UUID, nil, 200, nil))["results"])
		if len(runs) != 1 || obj(obj(obj(runs[0])["values"])["reg"])["category"] != "Success" || obj(obj(obj(runs[0])["values"])["reg"])["value"] != "200" {
			t.Fatalf("run: %v", runs)
		}

		// the removed subscriber is not called again
		c.expect("POST", "/api/v2/flow_starts.json", map[string]any{"flow": f.UUID, "urns": []string{"tel:+250788000062"}}, 201, nil)
		if got := s.Phone("+250788000062").Expect(1); got[0] != "Registered: 200" {
			t.Fatalf("second run: %q", got)
		}
		s.Idle()
		if len(good.calls()) != 2 || len(gone.calls()) != 1 {
			t.Fatalf("calls after the unsubscribe: good %d, gone %d", len(good.calls()), len(gone.calls()))
		}
		if n := len(list(obj(c.expect("GET", "/api/v2/resthook_events.json", nil, 200, nil))["results"])); n != 2 {
			t.Fatalf("events after two runs: %d", n)
		}

		// without the workspace's permission, loopback is refused and never reached
		ws.Config = nil
		if err := rt.UpdateWorkspace(ctx, &ws); err != nil {
			t.Fatal(err)
		}
		c.expect("POST", "/api/v2/flow_starts.json", map[string]any{"flow": f.UUID, "urns": []string{"tel:+250788000063"}}, 201, nil)
		if got := s.Phone("+250788000063").Expect(1); got[0] != "Not registered" {
			t.Fatalf("run with loopback refused: %q", got)
		}
		s.Idle()
		if len(good.calls()) != 2 {
			t.Fatalf("a refused call reached the subscriber (%d calls)", len(good.calls()))
		}

		// unsubscribing
		c.expect("DELETE", "/api/v2/resthook_subscribers.json?id="+goodID, nil, 204, nil)
		c.expect("DELETE", "/api/v2/resthook_subscribers.json?id="+goodID, nil, 404, nil)
		c.expect("DELETE", "/api/v2/resthook_subscribers.json?id="+goneID, nil, 404, nil)
		if n := len(list(obj(c.expect("GET", "/api/v2/resthook_subscribers.json", nil, 200, nil))["results"])); n != 0 {
			t.Fatalf("subscribers after the delete: %d", n)
		}
	})
}
