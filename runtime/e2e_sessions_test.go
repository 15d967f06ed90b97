package runtime_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"careflow/internal/testserver"
	. "careflow/internal/testserver"
	"careflow/runtime"
	"careflow/store"
)

var t0 = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

func contactOf(t *testing.T, s *testserver.Server, urn string) *store.Contact {
	t.Helper()
	ctx := context.Background()
	id, err := s.Srv.Runtime.Store.ContactIDForURN(ctx, s.Workspace.ID, urn)
	if err != nil {
		t.Fatalf("contact %s: %v", urn, err)
	}
	cs, err := s.Srv.Runtime.Store.GetContacts(ctx, s.Workspace.ID, []int64{id})
	if err != nil || len(cs) != 1 {
		t.Fatalf("contact %s: %v", urn, err)
	}
	return cs[0]
}

func runsOf(t *testing.T, s *testserver.Server, c *store.Contact) []*store.Run {
	t.Helper()
	runs, err := s.Srv.Runtime.Store.ListRuns(context.Background(), s.Workspace.ID, store.RunQuery{ContactID: c.ID})
	if err != nil {
		t.Fatal(err)
	}
	return runs
}

// fire moves the clock and fires what came due.
func fire(t *testing.T, s *testserver.Server, d time.Duration) {
	t.Helper()
	s.Clock.Advance(d)
	if _, err := s.Srv.Runtime.FireTimers(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// TestWaitTimeoutAndExpiration: a wait's timeout routes through "No Response" once its time
// passes; a wait left unanswered past the flow's expiry ends the run as expired and the
// contact leaves the flow.
func TestWaitTimeoutAndExpiration(t *testing.T) {
	Backends(t, func(t *testing.T, backend string) {
		s := Start(t, backend, Options{Clock: runtime.NewManualClock(t0)})
		ask := &Flow{Name: "Ask", ExpireAfter: 60, Nodes: []*Node{
			{Actions: []map[string]any{Say("Are you well?")}, Next: map[string]int{"*": 1}},
			{Wait: true, Timeout: 300, Result: "Well", Cases: []Case{Word("yes", "Yes")}, Next: map[string]int{"Yes": 2, "No Response": 3}},
			{Actions: []map[string]any{Say("Good.")}},
			{Actions: []map[string]any{Say("Are you there?")}, Next: map[string]int{"*": 4}},
			{Wait: true, Result: "Again", Cases: []Case{Word("yes", "Yes")}, Next: map[string]int{"Yes": 2}},
		}}
		s.Import(Export(ask))
		addTrigger(t, s, &store.Trigger{Type: "keyword", Keywords: []string{"ask"}, FlowUUID: ask.UUID})
		p := s.Phone("+250788000010")
		p.Send("ask")
		eq(t, p.Expect(1), "Are you well?")
		c := contactOf(t, s, "tel:+250788000010")
		fires, _ := s.Srv.Runtime.Store.ListFires(context.Background(), c.ID)
		if len(fires) != 3 { // timeout, expiration, session expiration
			t.Fatalf("fires after the first wait: %+v", fires)
		}
		fire(t, s, 299*time.Second)
		p.Quiet(200 * time.Millisecond)
		fire(t, s, 2*time.Second)
		eq(t, p.Expect(1), "Are you there?")
		// the second wait has no timeout; it expires 60 minutes after it began
		fire(t, s, 59*time.Minute)
		p.Quiet(200 * time.Millisecond)
		if c := contactOf(t, s, "tel:+250788000010"); c.CurrentFlowUUID != ask.UUID {
			t.Fatalf("contact should still be in the flow: %+v", c)
		}
		fire(t, s, 2*time.Minute)
		waitFor(t, func() bool { return contactOf(t, s, "tel:+250788000010").CurrentSessionUUID == "" })
		runs := runsOf(t, s, c)
		if len(runs) != 1 || runs[0].Status != "expired" || runs[0].ExitedOn == nil {
			t.Fatalf("run after expiry: %+v", runs)
		}
		if fires, _ := s.Srv.Runtime.Store.ListFires(context.Background(), c.ID); len(fires) != 0 {
			t.Fatalf("fires left after the session ended: %+v", fires)
		}
		// a reply now has no flow to go to: it stays in the inbox
		p.Send("yes")
		p.Quiet(300 * time.Millisecond)
	})
}

// TestInterruption: a keyword for another flow interrupts the waiting one; stale timers of
// the interrupted session do nothing.
func TestInterruption(t *testing.T) {
	Backends(t, func(t *testing.T, backend string) {
		s := Start(t, backend, Options{Clock: runtime.NewManualClock(t0)})
		first := &Flow{Name: "First", Nodes: []*Node{
			{Actions: []map[string]any{Say("first?")}, Next: map[string]int{"*": 1}},
			{Wait: true, Timeout: 60, Cases: []Case{Word("x", "X")}, Next: map[string]int{"No Response": 2}},
			{Actions: []map[string]any{Say("first timed out")}},
		}}
		second := favourites("Second")
		s.Import(Export(first, second))
		addTrigger(t, s, &store.Trigger{Type: "keyword", Keywords: []string{"one"}, FlowUUID: first.UUID})
		addTrigger(t, s, &store.Trigger{Type: "keyword", Keywords: []string{"two"}, FlowUUID: second.UUID})
		p := s.Phone("+250788000011")
		p.Send("one")
		eq(t, p.Expect(1), "first?")
		p.Send("two")
		eq(t, p.Expect(1), "What is your favourite colour?")
		c := contactOf(t, s, "tel:+250788000011")
		if c.CurrentFlowUUID != second.UUID {
			t.Fatalf("current flow %s, want the second", c.CurrentFlowUUID)
		}
		statuses := map[string]string{}
		for _, r := range runsOf(t, s, c) {
			statuses[r.FlowUUID] = r.Status
		}
		if statuses[first.UUID] != "interrupted" || statuses[second.UUID] != "waiting" {
			t.Fatalf("run statuses: %v", statuses)
		}
		fire(t, s, 2*time.Minute) // the first flow's timeout was replaced: nothing happens
		p.Quiet(300 * time.Millisecond)
		p.Send("blue")
		eq(t, p.Expect(1), "Blue it is, !")
	})
}

// TestStartsAndExclusions: starts to contacts, groups and URNs with each exclusion, params in
// @trigger.params, and unknown references refused.
func TestStartsAndExclusions(t *testing.T) {
	Backends(t, func(t *testing.T, backend string) {
		s := Start(t, backend, Options{})
		ctx := context.Background()
		rt := s.Srv.Runtime
		hello := &Flow{Name: "Hello", Nodes: []*Node{
			{Actions: []map[string]any{Say("Hi @trigger.params.name (@trigger.type)")}, Next: map[string]int{"*": 1}},
			{Wait: true, Cases: []Case{Word("ok", "OK")}},
		}}
		busy := favourites("Busy")
		s.Import(Export(hello, busy))
		addTrigger(t, s, &store.Trigger{Type: "keyword", Keywords: []string{"busy"}, FlowUUID: busy.UUID})
		group := &store.Group{WorkspaceID: s.Workspace.ID, Name: "Patients"}
		if err := rt.SaveGroup(ctx, group); err != nil {
			t.Fatal(err)
		}
		phones := []*Phone{s.Phone("+250788000021"), s.Phone("+250788000022"), s.Phone("+250788000023")}
		var ids []int64
		for _, p := range phones {
			p.Event("new_conversation", nil) // creates the contact, starts nothing
		}
		s.Idle()
		for _, p := range phones {
			ids = append(ids, contactOf(t, s, "tel:"+p.URN).ID)
		}
		if err := rt.Store.AddGroupMembers(ctx, group.ID, ids, nil); err != nil {
			t.Fatal(err)
		}
		phones[1].Send("busy") // in a flow
		eq(t, phones[1].Expect(1), "What is your favourite colour?")

		start := func(st *store.FlowStart) *store.FlowStart {
			t.Helper()
			st.WorkspaceID, st.FlowUUID = s.Workspace.ID, hello.UUID
			if err := rt.StartFlow(ctx, st); err != nil {
				t.Fatal(err)
			}
			waitFor(t, func() bool {
				got, err := rt.Store.GetStart(ctx, st.ID)
				return err == nil && got.Status == store.StartCompleted
			})
			got, _ := rt.Store.GetStart(ctx, st.ID)
			return got
		}
		// exclude_active: the busy contact is left out
		got := start(&store.FlowStart{GroupUUIDs: []string{group.UUID}, Exclusions: store.Exclusions{InAFlow: true},
			Params: json.RawMessage(`{"name":"Ann"}`)})
		if got.ContactCount != 2 {
			t.Fatalf("in_a_flow start reached %d contacts, want 2", got.ContactCount)
		}
		eq(t, phones[0].Expect(1), "Hi Ann (manual)")
		eq(t, phones[2].Expect(1), "Hi Ann (manual)")
		phones[1].Quiet(200 * time.Millisecond)
		// started_previously: those two were in Hello; only the busy one is started, and
		// its waiting flow is interrupted
		got = start(&store.FlowStart{GroupUUIDs: []string{group.UUID}, Exclusions: store.Exclusions{StartedPreviously: true}})
		if got.ContactCount != 1 {
			t.Fatalf("started_previously start reached %d contacts, want 1", got.ContactCount)
		}
		eq(t, phones[1].Expect(1), "Hi  (manual)")
		// not seen for a day: nobody here has been away that long
		got = start(&store.FlowStart{GroupUUIDs: []string{group.UUID}, Exclusions: store.Exclusions{NotSeenSinceDays: 1}})
		if got.ContactCount != 3 {
			t.Fatalf("not_seen_since start reached %d contacts, want 3", got.ContactCount)
		}
		for _, p := range phones {
			p.Expect(1)
		}
		// a URN start creates the contact; restart without exclusions reaches everyone named
		fresh := s.Phone("+250788000029")
		got = start(&store.FlowStart{URNs: []string{"tel:+250788000029"}, ContactUUIDs: []string{contactOf(t, s, "tel:"+phones[0].URN).UUID}})
		if got.ContactCount != 2 {
			t.Fatalf("urn start reached %d contacts, want 2", got.ContactCount)
		}
		fresh.Expect(1)
		phones[0].Expect(1)

		for _, bad := range []*store.FlowStart{
			{FlowUUID: UUID(), GroupUUIDs: []string{group.UUID}},
			{FlowUUID: hello.UUID, GroupUUIDs: []string{UUID()}},
			{FlowUUID: hello.UUID, ContactUUIDs: []string{UUID()}},
			{FlowUUID: hello.UUID, URNs: []string{"tel:not a number"}},
			{FlowUUID: hello.UUID},
			{FlowUUID: hello.UUID, URNs: []string{"tel:+250788000030"}, Params: json.RawMessage(`[1]`)},
		} {
			bad.WorkspaceID = s.Workspace.ID
			before, _ := rt.Store.ListStarts(ctx, s.Workspace.ID, 0, 100)
			err := rt.StartFlow(ctx, bad)
			if !isInvalid(err) {
				t.Fatalf("start %+v: want an invalid error, got %v", bad, err)
			}
			after, _ := rt.Store.ListStarts(ctx, s.Workspace.ID, 0, 100)
			if len(after) != len(before) {
				t.Fatalf("a refused start was stored")
			}
		}
	})
}

func isInvalid(err error) bool {
	var ie *runtime.InvalidError
	return err != nil && (strings.Contains(err.Error(), "no such") || asInvalid(err, &ie))
}

func asInvalid(err error, target **runtime.InvalidError) bool {
	for e := err; e != nil; {
		if v, ok := e.(*runtime.InvalidError); ok {
			*target = v
			return true
		}
		u, ok := e.(interface{ Unwrap() error })
		if !ok {
			return false
		}
		e = u.Unwrap()
	}
	return false
}

// TestBroadcast: a broadcast reaches each contact in their language with their name.
func TestBroadcast(t *testing.T) {
	Backends(t, func(t *testing.T, backend string) {
		s := Start(t, backend, Options{})
		ctx := context.Background()
		rt := s.Srv.Runtime
		ws := *s.Workspace
		ws.Languages = []string{"eng", "fra"}
		if err := rt.UpdateWorkspace(ctx, &ws); err != nil {
			t.Fatal(err)
		}
		a, b := s.Phone("+250788000031"), s.Phone("+250788000032")
		a.Event("new_conversation", nil)
		b.Event("new_conversation", nil)
		s.Idle() // the contact is written by its own tasks; change it once they are done
		cb := contactOf(t, s, "tel:+250788000032")
		cb.Language, cb.Name = "fra", "Béa"
		if err := rt.Store.UpdateContact(ctx, cb, nil); err != nil {
			t.Fatal(err)
		}
		bc := &store.Broadcast{WorkspaceID: s.Workspace.ID, BaseLanguage: "eng",
			Translations: json.RawMessage(`{"eng":{"text":"Hello @contact.first_name!"},"fra":{"text":"Bonjour @contact.first_name !"}}`),
			URNs:         []string{"tel:+250788000031", "tel:+250788000032"}}
		if err := rt.Broadcast(ctx, bc); err != nil {
			t.Fatal(err)
		}
		eq(t, a.Expect(1), "Hello !")
		eq(t, b.Expect(1), "Bonjour Béa !")
		waitFor(t, func() bool {
			got, err := rt.Store.GetBroadcast(ctx, bc.ID)
			return err == nil && got.Status == store.StartCompleted && got.ContactCount == 2
		})
		if err := rt.Broadcast(ctx, &store.Broadcast{WorkspaceID: s.Workspace.ID, Translations: json.RawMessage(`{}`), URNs: []string{"tel:+1"}}); !isInvalid(err) {
			t.Fatalf("empty broadcast: %v", err)
		}
	})
}

// TestWebhookAndGlobals: a webhook to a local server (allowed for this workspace) with
// @globals in its URL; a changed global is seen by the running session's next sprint; with
// private addresses not allowed, the call is refused without reaching the server.
func TestWebhookAndGlobals(t *testing.T) {
	Backends(t, func(t *testing.T, backend string) {
		var hits atomic.Int32
		var lastBody atomic.Value
		hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			hits.Add(1)
			b, _ := io.ReadAll(r.Body)
			lastBody.Store(string(b))
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"status":"registered","id":42}`))
		}))
		defer hook.Close()
		s := Start(t, backend, Options{})
		ctx := context.Background()
		rt := s.Srv.Runtime
		flow := &Flow{Name: "Register", Nodes: []*Node{
			{Actions: []map[string]any{Webhook("POST", "@globals.api/register", `{"phone":"@urns.tel","answer":"@input.text"}`, "reg")},
				Operand: "@results.reg.category", Cases: []Case{{Type: "has_only_text", Args: []string{"Success"}, Category: "Success"}},
				Next: map[string]int{"Success": 1, "Other": 2}},
			{Actions: []map[string]any{Say("Registered as @webhook.json.id via @globals.api")}, Next: map[string]int{"*": 3}},
			{Actions: []map[string]any{Say("Registration failed")}},
			{Wait: true, Cases: []Case{Word("again", "Again")}, Next: map[string]int{"Again": 4}},
			{Actions: []map[string]any{Say("api is now @globals.api")}},
		}}
		s.Import(Export(flow)) // creates the global "api", empty
		addTrigger(t, s, &store.Trigger{Type: "keyword", Keywords: []string{"reg"}, FlowUUID: flow.UUID})
		if err := rt.SetGlobal(ctx, &store.Global{WorkspaceID: s.Workspace.ID, Key: "api", Name: "API", Value: hook.URL}); err != nil {
			t.Fatal(err)
		}
		ws := *s.Workspace
		ws.Config = json.RawMessage(`{"webhooks":{"allow_private":true}}`)
		if err := rt.UpdateWorkspace(ctx, &ws); err != nil {
			t.Fatal(err)
		}
		p := s.Phone("+250788000041")
		p.Send("reg")
		eq(t, p.Expect(1), "Registered as 42 via "+hook.URL)
		if hits.Load() != 1 || !strings.Contains(lastBody.Load().(string), `"phone":"tel:+250788000041"`) {
			t.Fatalf("webhook: %d calls, body %v", hits.Load(), lastBody.Load())
		}
		logs, err := rt.Store.ListHTTPLogs(ctx, s.Workspace.ID, store.HTTPLogQuery{})
		if err != nil || len(logs) != 1 || logs[0].StatusCode != 200 || logs[0].FlowUUID != flow.UUID || logs[0].IsError {
			t.Fatalf("http logs: %+v %v", logs, err)
		}
		// the session waits; a new global value is seen by its next sprint
		if err := rt.SetGlobal(ctx, &store.Global{WorkspaceID: s.Workspace.ID, Key: "api", Name: "API", Value: "https://example.org"}); err != nil {
			t.Fatal(err)
		}
		p.Send("again")
		eq(t, p.Expect(1), "api is now https://example.org")

		// without the workspace's permission, loopback is refused and never reached
		ws.Config = nil
		if err := rt.UpdateWorkspace(ctx, &ws); err != nil {
			t.Fatal(err)
		}
		if err := rt.SetGlobal(ctx, &store.Global{WorkspaceID: s.Workspace.ID, Key: "api", Name: "API", Value: hook.URL}); err != nil {
			t.Fatal(err)
		}
		p.Send("reg")
		eq(t, p.Expect(1), "Registration failed")
		if hits.Load() != 1 {
			t.Fatalf("a refused webhook reached the server (%d calls)", hits.Load())
		}
	})
}

// TestSmartGroups: a smart group's members follow a field a flow sets, and a group created
// later is populated from every contact.
func TestSmartGroups(t *testing.T) {
	Backends(t, func(t *testing.T, backend string) {
		s := Start(t, backend, Options{})
		ctx := context.Background()
		rt := s.Srv.Runtime
		if err := rt.Store.SaveField(ctx, &store.Field{WorkspaceID: s.Workspace.ID, Key: "age", Name: "Age", Type: "number"}); err != nil {
			t.Fatal(err)
		}
		rt.Invalidate(s.Workspace.ID)
		adults := &store.Group{WorkspaceID: s.Workspace.ID, Name: "Adults", Query: "age >= 18"}
		if err := rt.SaveGroup(ctx, adults); err != nil {
			t.Fatal(err)
		}
		setAge := &Flow{Name: "Age", Nodes: []*Node{
			{Actions: []map[string]any{SetField("age", "Age", "@(default(word(input.text, 1), 0))"), Say("In adults: @(join(foreach(contact.groups, extract, \"name\"), \",\"))")}},
		}}
		s.Import(Export(setAge))
		addTrigger(t, s, &store.Trigger{Type: "keyword", Keywords: []string{"age"}, FlowUUID: setAge.UUID})
		p := s.Phone("+250788000051")
		p.Send("age 30")
		eq(t, p.Expect(1), "In adults: Adults")
		if c := contactOf(t, s, "tel:+250788000051"); len(c.Groups) != 1 || c.Groups[0] != adults.ID {
			t.Fatalf("groups after age 30: %v", c.Groups)
		}
		p.Send("age 12")
		eq(t, p.Expect(1), "In adults: ")
		if c := contactOf(t, s, "tel:+250788000051"); len(c.Groups) != 0 {
			t.Fatalf("groups after age 12: %v", c.Groups)
		}
		q := s.Phone("+250788000052")
		q.Send("age 40")
		q.Expect(1)
		kids := &store.Group{WorkspaceID: s.Workspace.ID, Name: "Children", Query: "age < 18"}
		if err := rt.SaveGroup(ctx, kids); err != nil {
			t.Fatal(err)
		}
		if c := contactOf(t, s, "tel:+250788000051"); len(c.Groups) != 1 || c.Groups[0] != kids.ID {
			t.Fatalf("children after the group was created: %v", c.Groups)
		}
		if c := contactOf(t, s, "tel:+250788000052"); len(c.Groups) != 1 || c.Groups[0] != adults.ID {
			t.Fatalf("groups of the adult: %v", c.Groups)
		}
	})
}
