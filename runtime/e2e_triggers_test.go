package runtime_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"careflow/internal/testserver"
	. "careflow/internal/testserver"
	"careflow/store"
)

// favourites is a two-step flow: a question with a wait, then an answer.
func favourites(name string) *Flow {
	return &Flow{Name: name, Nodes: []*Node{
		{Actions: []map[string]any{Say("What is your favourite colour?")}, Next: map[string]int{"*": 1}},
		{Wait: true, Result: "Color", Cases: []Case{Word("red", "Red"), Word("blue", "Blue")},
			Next: map[string]int{"Red": 2, "Blue": 2, "Other": 0}},
		{Actions: []map[string]any{Say("@results.color.category it is, @contact.name!")}},
	}}
}

func say(name, text string) *Flow {
	return &Flow{Name: name, Nodes: []*Node{{Actions: []map[string]any{Say(text)}}}}
}

func addTrigger(t *testing.T, s *testserver.Server, tr *store.Trigger) {
	t.Helper()
	tr.WorkspaceID = s.Workspace.ID
	if err := s.Srv.Runtime.SaveTrigger(context.Background(), tr); err != nil {
		t.Fatal(err)
	}
}

func eq(t *testing.T, got []string, want ...string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
}

// TestKeywordTriggerAndResume: a first-word keyword starts a flow, the reply resumes it, the
// run's result is stored and the contact leaves the flow when it ends.
func TestKeywordTriggerAndResume(t *testing.T) {
	Backends(t, func(t *testing.T, backend string) {
		s := Start(t, backend, Options{})
		fav := favourites("Favourites")
		s.Import(Export(fav))
		addTrigger(t, s, &store.Trigger{Type: "keyword", Keywords: []string{"fav"}, FlowUUID: fav.UUID})

		p := s.Phone("+250788000001")
		acc := p.Send("FAV please")
		if acc["message"] != "Message Accepted" {
			t.Fatalf("receive answer: %v", acc)
		}
		eq(t, p.Expect(1), "What is your favourite colour?")
		p.Send("green")
		eq(t, p.Expect(1), "What is your favourite colour?")
		p.Send("I like RED")
		eq(t, p.Expect(1), "Red it is, !")

		ctx := context.Background()
		id, err := s.Srv.Runtime.Store.ContactIDForURN(ctx, s.Workspace.ID, "tel:+250788000001")
		if err != nil {
			t.Fatal(err)
		}
		runs, err := s.Srv.Runtime.Store.ListRuns(ctx, s.Workspace.ID, store.RunQuery{ContactID: id})
		if err != nil || len(runs) != 1 {
			t.Fatalf("runs: %v %v", runs, err)
		}
		if runs[0].Status != "completed" || !runs[0].Responded || runs[0].FlowUUID != fav.UUID {
			t.Fatalf("run: %+v", runs[0])
		}
		cs, _ := s.Srv.Runtime.Store.GetContacts(ctx, s.Workspace.ID, []int64{id})
		if cs[0].CurrentSessionUUID != "" || cs[0].LastSeenOn == nil {
			t.Fatalf("contact after the flow: %+v", cs[0])
		}
		// the incoming messages were handled, the first by the flow
		in := true
		msgs, _ := s.Srv.Runtime.Store.ListMsgs(ctx, s.Workspace.ID, store.MsgQuery{ContactID: id, Incoming: &in})
		if len(msgs) != 3 || msgs[2].Status != store.MsgHandled || msgs[2].FlowUUID != fav.UUID {
			t.Fatalf("incoming messages: %+v", msgs)
		}
	})
}

// TestOnlyWordAndCatchAll: an only_word keyword needs the keyword alone; a catch-all starts
// its flow only when the contact is not waiting in another; otherwise messages resume the
// waiting flow; with neither, messages stay in the inbox.
func TestOnlyWordAndCatchAll(t *testing.T) {
	Backends(t, func(t *testing.T, backend string) {
		s := Start(t, backend, Options{})
		fav, hello := favourites("Favourites"), say("Hello", "Hello from the catch-all")
		s.Import(Export(fav, hello))
		addTrigger(t, s, &store.Trigger{Type: "keyword", Keywords: []string{"join"}, MatchType: "only_word", FlowUUID: fav.UUID})

		p := s.Phone("+250788000002")
		p.Send("join now")
		s.Idle()
		p.Quiet(100 * time.Millisecond) // not only the keyword, and no catch-all yet: inbox
		addTrigger(t, s, &store.Trigger{Type: "catch_all", FlowUUID: hello.UUID})
		p.Send("anything")
		eq(t, p.Expect(1), "Hello from the catch-all")
		p.Send(" Join ")
		eq(t, p.Expect(1), "What is your favourite colour?")
		p.Send("purple") // waiting: the catch-all does not fire, the flow resumes
		eq(t, p.Expect(1), "What is your favourite colour?")
	})
}

// TestTriggerGroupsAndChannelEvents: group-qualified keywords, new conversation, referral
// params, missed call and stop.
func TestTriggerGroupsAndChannelEvents(t *testing.T) {
	Backends(t, func(t *testing.T, backend string) {
		s := Start(t, backend, Options{})
		ctx := context.Background()
		rt := s.Srv.Runtime
		vip := &store.Group{WorkspaceID: s.Workspace.ID, Name: "VIP"}
		if err := rt.SaveGroup(ctx, vip); err != nil {
			t.Fatal(err)
		}
		general, special := say("General", "general menu"), say("Special", "VIP menu")
		welcome := say("Welcome", "welcome! via @trigger.params.source")
		missed := say("Missed", "sorry we missed your call")
		s.Import(Export(general, special, welcome, missed))
		addTrigger(t, s, &store.Trigger{Type: "keyword", Keywords: []string{"menu"}, FlowUUID: general.UUID})
		addTrigger(t, s, &store.Trigger{Type: "keyword", Keywords: []string{"menu"}, FlowUUID: special.UUID, GroupUUIDs: []string{vip.UUID}})
		addTrigger(t, s, &store.Trigger{Type: "referral", FlowUUID: welcome.UUID})
		addTrigger(t, s, &store.Trigger{Type: "missed_call", FlowUUID: missed.UUID})

		p, q := s.Phone("+250788000003"), s.Phone("+250788000004")
		p.Send("menu")
		eq(t, p.Expect(1), "general menu")
		id, _ := rt.Store.ContactIDForURN(ctx, s.Workspace.ID, "tel:+250788000003")
		if err := rt.Store.AddGroupMembers(ctx, vip.ID, []int64{id}, nil); err != nil {
			t.Fatal(err)
		}
		p.Send("menu")
		eq(t, p.Expect(1), "VIP menu")

		q.Event("referral", map[string]string{"referrer_id": "ad1", "source": "facebook"})
		eq(t, q.Expect(1), "welcome! via facebook")
		q.Event("mo_miss", nil)
		eq(t, q.Expect(1), "sorry we missed your call")
		q.Event("stop_contact", nil)
		waitFor(t, func() bool {
			qid, _ := rt.Store.ContactIDForURN(ctx, s.Workspace.ID, "tel:+250788000004")
			c, _ := rt.Store.GetContacts(ctx, s.Workspace.ID, []int64{qid})
			return len(c) == 1 && c[0].Status == "stopped"
		})
		// a stopped contact who writes in is active again
		q.Send("menu")
		eq(t, q.Expect(1), "general menu")
	})
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached in 10s")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

type tlog struct{ t *testing.T }

func (l tlog) Write(p []byte) (int, error) { l.t.Log(string(p)); return len(p), nil }

func testLog(t *testing.T) tlog { return tlog{t} }
