package storetest

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"careflow/store"
)

func mustCommit(t *testing.T, s store.Store, owner string, scenes ...*store.Scene) {
	t.Helper()
	if owner == "" {
		owner = "test"
	}
	leaseScenes(t, s, owner, scenes)
	errs, err := s.CommitScenes(ctx(), owner, scenes, t0)
	ok(t, err)
	for i, err := range errs {
		if err != nil {
			t.Fatalf("scene %d: %v", i, err)
		}
	}
}

func receive(t *testing.T, s store.Store, ws int64, urn, text string) store.Received {
	t.Helper()
	in := &store.Incoming{WorkspaceID: ws, URN: store.NewContactURN{Identity: urn, ChannelUUID: "ch1"},
		Msg: &store.Msg{Text: text, ChannelUUID: "ch1"}, Task: store.ContactTask{Type: store.TaskMsg, Payload: []byte(`{"text":"` + text + `"}`)}}
	rs, err := s.ReceiveIncoming(ctx(), []*store.Incoming{in}, t0)
	ok(t, err)
	return rs[0]
}

func testReceive(t *testing.T, open Opener) {
	s := open(t)
	w := mustWorkspace(t, s, "ws")
	var in []*store.Incoming
	for i := range 5 {
		urn := fmt.Sprintf("tel:+2547000000%02d", i%3)
		it := &store.Incoming{WorkspaceID: w.ID, URN: store.NewContactURN{Identity: urn, Name: "new"},
			Msg: &store.Msg{Text: fmt.Sprint("hi ", i), ChannelUUID: "ch1", ExternalID: fmt.Sprint("ext", i)}, Task: store.ContactTask{Type: store.TaskMsg}}
		if i == 4 {
			it.Msg, it.Task = nil, store.ContactTask{Type: store.TaskEvent, Payload: []byte(`{"type":"new_conversation"}`)}
		}
		in = append(in, it)
	}
	rs, err := s.ReceiveIncoming(ctx(), in, t0)
	ok(t, err)
	if len(rs) != 5 || !rs[0].NewContact || rs[3].NewContact || rs[3].ContactID != rs[0].ContactID || rs[4].MsgID != 0 || rs[4].TaskID == 0 {
		t.Fatalf("received: %+v", rs)
	}
	m, err := s.GetMsg(ctx(), rs[1].MsgID)
	if err != nil || !m.Incoming || m.Status != store.MsgPending || m.URN != "tel:+254700000001" || m.ContactID != rs[1].ContactID ||
		m.Text != "hi 1" || m.ExternalID != "ext1" || m.Visibility != "visible" || !m.CreatedOn.Equal(t0) || m.UUID == "" {
		t.Fatalf("msg: %+v %v", m, err)
	}
	if n, _ := s.PendingTasks(ctx(), w.ID); n != 5 {
		t.Fatalf("pending %d", n)
	}
	if n, _ := s.PendingTasks(ctx(), 0); n != 5 {
		t.Fatalf("pending all %d", n)
	}
	work, err := s.ClaimContacts(ctx(), "n1", t0, t0.Add(time.Minute), 10)
	if err != nil || len(work) != 3 {
		t.Fatalf("claim: %+v %v", work, err)
	}
	w0 := work[0]
	if w0.Contact.ID != rs[0].ContactID || len(w0.Tasks) != 2 || w0.Tasks[0].RefID != rs[0].MsgID || w0.Tasks[1].RefID != rs[3].MsgID ||
		w0.Tasks[0].Type != store.TaskMsg || w0.Session != nil {
		t.Fatalf("work 0: %+v %+v", w0.Contact, w0.Tasks)
	}
	if w1 := work[1]; len(w1.Tasks) != 2 || w1.Tasks[1].Type != store.TaskEvent || string(w1.Tasks[1].Payload) != `{"type":"new_conversation"}` {
		t.Fatalf("work 1: %+v", w1.Tasks)
	}
	msgs, err := s.ListMsgs(ctx(), w.ID, store.MsgQuery{ContactID: rs[0].ContactID})
	if err != nil || len(msgs) != 2 || msgs[0].ID != rs[3].MsgID {
		t.Fatalf("list: %+v %v", msgs, err)
	}
}

func testClaimContacts(t *testing.T, open Opener) {
	s := open(t)
	w := mustWorkspace(t, s, "ws")
	var contacts []int64
	for i := range 6 {
		contacts = append(contacts, receive(t, s, w.ID, fmt.Sprintf("tel:+2547000001%02d", i), "hi").ContactID)
	}
	a, err := s.ClaimContacts(ctx(), "a", t0, t0.Add(time.Minute), 4)
	ok(t, err)
	b, err := s.ClaimContacts(ctx(), "b", t0, t0.Add(time.Minute), 4)
	ok(t, err)
	if len(a) != 4 || len(b) != 2 || a[0].Contact.ID != contacts[0] || b[0].Contact.ID != contacts[4] {
		t.Fatalf("claims: %d %d", len(a), len(b))
	}
	if c, _ := s.ClaimContacts(ctx(), "c", t0, t0.Add(time.Minute), 4); len(c) != 0 {
		t.Fatalf("leased contacts claimed again: %d", len(c))
	}
	// A new task for a leased contact waits for the lease.
	receive(t, s, w.ID, "tel:+254700000100", "again")
	if c, _ := s.ClaimContacts(ctx(), "c", t0, t0.Add(time.Minute), 4); len(c) != 0 {
		t.Fatal("leased contact claimed")
	}
	// Only the owner releases; a lease that ran out is claimable.
	ok(t, s.ReleaseContacts(ctx(), "b", []int64{contacts[0]}))
	if c, _ := s.ClaimContacts(ctx(), "c", t0, t0.Add(time.Minute), 4); len(c) != 0 {
		t.Fatal("another owner released a lease")
	}
	ok(t, s.ReleaseContacts(ctx(), "a", []int64{contacts[0]}))
	c, _ := s.ClaimContacts(ctx(), "c", t0, t0.Add(time.Minute), 4)
	if len(c) != 1 || c[0].Contact.ID != contacts[0] || len(c[0].Tasks) != 2 || c[0].Tasks[1].Payload == nil {
		t.Fatalf("released contact: %+v", c)
	}
	late, _ := s.ClaimContacts(ctx(), "d", t0.Add(2*time.Minute), t0.Add(3*time.Minute), 10)
	if len(late) != 6 {
		t.Fatalf("expired leases: %d", len(late))
	}
	ok(t, s.ReleaseAllContactLeases(ctx()))
	if again, _ := s.ClaimContacts(ctx(), "e", t0, t0.Add(time.Minute), 10); len(again) != 6 {
		t.Fatalf("after releasing all: %d", len(again))
	}
}

// waitingScene is a typical sprint: a message handled, a session and run waiting, a reply
// and the wait's fires, the task done.
func waitingScene(w *store.ContactWork, session string, now time.Time) *store.Scene {
	c := *w.Contact
	c.CurrentSessionUUID, c.CurrentFlowUUID, c.LastSeenOn = session, "flow1", &now
	c.Fields = []byte(`{"age":{"text":"31","number":31}}`)
	task := w.Tasks[0]
	return &store.Scene{
		WorkspaceID: c.WorkspaceID, ContactID: c.ID,
		Contact:  &store.ContactUpdate{Contact: &c},
		Sessions: []*store.Session{{UUID: session, Type: "messaging", Status: "waiting", State: []byte("state"), CurrentFlow: "flow1", LastSprintUUID: "sp1"}},
		Runs: []*store.Run{{UUID: session + "-r", SessionUUID: session, FlowUUID: "flow1", Status: "waiting", Responded: true,
			Results: []byte(`{"age":{"value":"31"}}`), Path: []byte(`[{"node":"n1"}]`)}},
		MsgsHandled:       []*store.Msg{{ID: task.RefID, FlowUUID: "flow1"}},
		MsgsOut:           []*store.Msg{{URN: c.URNs[0].Identity, ChannelUUID: "ch1", Text: "How old are you?", Status: store.MsgQueued}},
		ClearSessionFires: true,
		Fires: []*store.Fire{
			{Type: store.FireExpire, SessionUUID: session, SprintUUID: "sp1", FireOn: now.Add(time.Hour)},
			{Type: store.FireSessionExpire, SessionUUID: session, SprintUUID: "sp1", FireOn: now.Add(30 * 24 * time.Hour)},
		},
		DoneTasks: []*store.ContactTask{task},
	}
}

func testCommitScenes(t *testing.T, open Opener) {
	s := open(t)
	w := mustWorkspace(t, s, "ws")
	g := &store.Group{WorkspaceID: w.ID, Name: "g"}
	ok(t, s.SaveGroup(ctx(), g))
	for i := range 3 {
		receive(t, s, w.ID, fmt.Sprintf("tel:+2547000002%02d", i), "hi")
	}
	work, err := s.ClaimContacts(ctx(), "n1", t0, t0.Add(time.Minute), 10)
	ok(t, err)
	if len(work) != 3 {
		t.Fatalf("claimed %d", len(work))
	}
	scenes := []*store.Scene{waitingScene(work[0], "s0", t0), waitingScene(work[1], "s1", t0), waitingScene(work[2], "s2", t0)}
	scenes[0].Contact.GroupsAdded = []int64{g.ID}
	scenes[0].HTTPLogs = []*store.HTTPLog{{Type: "webhook_called", FlowUUID: "flow1", URL: "http://x", Method: "GET", StatusCode: 200}}
	scenes[0].Starts = []*store.FlowStart{{FlowUUID: "flow2", Type: "flow", ContactUUIDs: []string{"c1"}}}
	scenes[0].Broadcasts = []*store.Broadcast{{Translations: []byte(`{"eng":{"text":"hi"}}`), BaseLanguage: "eng"}}
	scenes[0].Tasks = []*store.ContactTask{{ContactID: work[2].Contact.ID, Type: store.TaskInterrupt}}
	// Scene 1 takes a URN of contact 2: it alone fails.
	scenes[1].Contact.URNsChanged = true
	scenes[1].Contact.Contact.URNs = append(scenes[1].Contact.Contact.URNs, work[2].Contact.URNs[0])
	errs, err := s.CommitScenes(ctx(), "n1", scenes, t0)
	ok(t, err)
	if errs[0] != nil || !errors.Is(errs[1], store.ErrConflict) || errs[2] != nil {
		t.Fatalf("errors: %v", errs)
	}
	if scenes[0].MsgsOut[0].ID == 0 || scenes[0].Fires[0].ID == 0 || scenes[0].Starts[0].ID == 0 || scenes[0].Broadcasts[0].ID == 0 {
		t.Fatal("ids not set")
	}
	cs, _ := s.GetContacts(ctx(), w.ID, []int64{work[0].Contact.ID, work[1].Contact.ID})
	if c := cs[0]; c.CurrentSessionUUID != "s0" || c.CurrentFlowUUID != "flow1" || !c.LastSeenOn.Equal(t0) || !slices.Equal(c.Groups, []int64{g.ID}) ||
		string(c.Fields) != `{"age":{"text":"31","number":31}}` {
		t.Fatalf("contact 0: %+v", c)
	}
	if cs[1].CurrentSessionUUID != "" || len(cs[1].URNs) != 1 {
		t.Fatalf("failed scene written: %+v", cs[1])
	}
	ss, err := s.GetSession(ctx(), "s0")
	if err != nil || ss.Status != "waiting" || string(ss.State) != "state" || ss.ContactID != work[0].Contact.ID || ss.WorkspaceID != w.ID {
		t.Fatalf("session: %+v %v", ss, err)
	}
	if _, err := s.GetSession(ctx(), "s1"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("failed scene's session: %v", err)
	}
	m, _ := s.GetMsg(ctx(), work[0].Tasks[0].RefID)
	if m.Status != store.MsgHandled || m.FlowUUID != "flow1" {
		t.Fatalf("handled: %+v", m)
	}
	if fires, _ := s.ListFires(ctx(), work[0].Contact.ID); len(fires) != 2 || fires[0].Type != store.FireExpire {
		t.Fatalf("fires: %+v", fires)
	}
	logs, _ := s.ListHTTPLogs(ctx(), w.ID, store.HTTPLogQuery{})
	if len(logs) != 1 || logs[0].StatusCode != 200 {
		t.Fatalf("logs: %+v", logs)
	}
	if st, _ := s.GetStart(ctx(), scenes[0].Starts[0].ID); st == nil || st.Status != store.StartPending || st.WorkspaceID != w.ID {
		t.Fatalf("start: %+v", st)
	}
	// Leases of committed scenes are released; the failed one's stays until released.
	next, _ := s.ClaimContacts(ctx(), "n2", t0, t0.Add(time.Minute), 10)
	if len(next) != 1 || next[0].Contact.ID != work[2].Contact.ID || len(next[0].Tasks) != 1 || next[0].Tasks[0].Type != store.TaskInterrupt ||
		next[0].Session == nil || next[0].Session.UUID != "s2" || string(next[0].Session.State) != "state" {
		t.Fatalf("next claim: %+v", next)
	}
	ok(t, s.ReleaseContacts(ctx(), "n1", []int64{work[1].Contact.ID}))
	retry, _ := s.ClaimContacts(ctx(), "n1", t0, t0.Add(time.Minute), 10)
	if len(retry) != 1 || retry[0].Contact.ID != work[1].Contact.ID || len(retry[0].Tasks) != 1 {
		t.Fatalf("retry claim: %+v", retry)
	}

	// A resumed session: the run completes, the session ends, every session fire goes.
	c0 := cs[0]
	c0.CurrentSessionUUID, c0.CurrentFlowUUID = "", ""
	ended := t0.Add(time.Minute)
	mustCommit(t, s, "n1", &store.Scene{WorkspaceID: w.ID, ContactID: c0.ID, Contact: &store.ContactUpdate{Contact: c0, GroupsRemoved: []int64{g.ID}},
		Sessions: []*store.Session{{UUID: "s0", Status: "completed", EndedOn: &ended}},
		Runs: []*store.Run{{UUID: "s0-r", SessionUUID: "s0", FlowUUID: "flow1", Status: "completed", ExitedOn: &ended,
			Path: []byte(`[{"node":"n1"}]`)}},
		ClearSessionFires: true})
	if fires, _ := s.ListFires(ctx(), c0.ID); len(fires) != 0 {
		t.Fatalf("fires after end: %+v", fires)
	}
	ss, _ = s.GetSession(ctx(), "s0")
	runs, _ := s.ListRuns(ctx(), w.ID, store.RunQuery{ContactID: c0.ID})
	if ss.Status != "completed" || !ss.EndedOn.Equal(ended) || len(runs) != 1 || runs[0].Status != "completed" || string(runs[0].Path) != `[{"node":"n1"}]` {
		t.Fatalf("ended: %+v %+v", ss, runs)
	}
	if got, _ := s.GetContacts(ctx(), w.ID, []int64{c0.ID}); len(got[0].Groups) != 0 || got[0].CurrentSessionUUID != "" {
		t.Fatalf("contact after end: %+v", got[0])
	}
	if n, err := s.DeleteHTTPLogsBefore(ctx(), t0.Add(time.Second)); err != nil || n != 1 {
		t.Fatalf("trim logs: %d %v", n, err)
	}
}

func testRuns(t *testing.T, open Opener) {
	s := open(t)
	w := mustWorkspace(t, s, "ws")
	c := mustContact(t, s, w.ID, "tel:+1")
	var scene store.Scene
	scene.WorkspaceID, scene.ContactID = w.ID, c.ID
	for i := range 4 {
		flow := "A"
		if i%2 == 1 {
			flow = "B"
		}
		scene.Runs = append(scene.Runs, &store.Run{UUID: fmt.Sprintf("r%d", i), SessionUUID: "s", FlowUUID: flow, Status: "completed",
			Responded: i < 2, ModifiedOn: t0.Add(time.Duration(i) * time.Hour)})
	}
	mustCommit(t, s, "", &scene)
	yes := true
	for name, c := range map[string]struct {
		q    store.RunQuery
		want []string
	}{
		"all":       {store.RunQuery{}, []string{"r3", "r2", "r1", "r0"}},
		"flow":      {store.RunQuery{FlowUUID: "A"}, []string{"r2", "r0"}},
		"responded": {store.RunQuery{Responded: &yes}, []string{"r1", "r0"}},
		"modified":  {store.RunQuery{ModifiedAfter: t0, ModifiedBefore: t0.Add(3 * time.Hour)}, []string{"r2", "r1"}},
		"page":      {store.RunQuery{BeforeID: "r3", Limit: 2}, []string{"r2", "r1"}},
	} {
		runs, err := s.ListRuns(ctx(), w.ID, c.q)
		var got []string
		for _, r := range runs {
			got = append(got, r.UUID)
		}
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("%s: %v want %v (%v)", name, got, c.want, err)
		}
	}
}

func firePayload(t *testing.T, task *store.ContactTask) map[string]any {
	t.Helper()
	var p map[string]any
	ok(t, json.Unmarshal(task.Payload, &p))
	return p
}

// testClaimExclusive has several nodes claim one queue at once: each contact is leased to
// exactly one of them.
func testClaimExclusive(t *testing.T, open Opener) {
	s := open(t)
	w := mustWorkspace(t, s, "ws")
	const contacts = 150
	var in []*store.Incoming
	for i := range contacts {
		in = append(in, &store.Incoming{WorkspaceID: w.ID, URN: store.NewContactURN{Identity: fmt.Sprintf("tel:+2547%08d", i)},
			Task: store.ContactTask{Type: store.TaskEvent}})
	}
	_, err := s.ReceiveIncoming(ctx(), in, t0)
	ok(t, err)
	var mu sync.Mutex
	seen := map[int64]int{}
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for misses := 0; misses < 3; {
				work, err := s.ClaimContacts(ctx(), fmt.Sprint("node", i), t0, t0.Add(time.Hour), 7)
				if err != nil {
					t.Error(err)
					return
				}
				if len(work) == 0 {
					misses++
					continue
				}
				mu.Lock()
				for _, cw := range work {
					seen[cw.Contact.ID]++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(seen) != contacts {
		t.Fatalf("claimed %d of %d contacts", len(seen), contacts)
	}
	for id, n := range seen {
		if n != 1 {
			t.Fatalf("contact %d leased %d times", id, n)
		}
	}
}

// testCommitSomeFail commits scenes of which two fail: the others are written once each.
func testCommitSomeFail(t *testing.T, open Opener) {
	s := open(t)
	w := mustWorkspace(t, s, "ws")
	var scenes []*store.Scene
	for i := range 5 {
		c := mustContact(t, s, w.ID, fmt.Sprint("tel:+", i))
		if i == 1 || i == 3 {
			c.ID = 99990 + int64(i) // gone: its scene cannot be written
		}
		scenes = append(scenes, &store.Scene{WorkspaceID: w.ID, ContactID: c.ID, Contact: &store.ContactUpdate{Contact: c},
			MsgsOut: []*store.Msg{{URN: fmt.Sprint("tel:+", i), ChannelUUID: "ch1", Text: "x"}},
			Tasks:   []*store.ContactTask{{ContactID: c.ID, Type: store.TaskInterrupt}}})
	}
	leaseScenes(t, s, "n", scenes)
	errs, err := s.CommitScenes(ctx(), "n", scenes, t0)
	ok(t, err)
	for i, e := range errs {
		if (i == 1 || i == 3) != errors.Is(e, store.ErrConflict) {
			t.Fatalf("scene %d: %v", i, e)
		}
	}
	msgs, _ := s.ListMsgs(ctx(), w.ID, store.MsgQuery{})
	if n, _ := s.PendingTasks(ctx(), w.ID); len(msgs) != 3 || n != 3 {
		t.Fatalf("%d msgs, %d tasks written; want 3 each", len(msgs), n)
	}
}

// leaseScenes leases the scenes' contacts to owner, as a worker's claim would before it commits
// (a scene is only written for a contact its committer holds): contacts owner holds already
// keep their lease; the others get a task queued and claimed, which the scene then completes.
func leaseScenes(t *testing.T, s store.Store, owner string, scenes []*store.Scene) {
	t.Helper()
	need := map[int64]*store.Scene{}
	var tasks []*store.ContactTask
	for _, sc := range scenes {
		if n, err := s.RenewContactLeases(ctx(), owner, []int64{sc.ContactID}, t0.Add(time.Minute)); err != nil || n == 1 {
			continue
		}
		if cs, err := s.GetContacts(ctx(), sc.WorkspaceID, []int64{sc.ContactID}); err != nil || len(cs) == 0 {
			continue // a contact that is gone: its scene must fail
		}
		need[sc.ContactID] = sc
		tasks = append(tasks, &store.ContactTask{WorkspaceID: sc.WorkspaceID, ContactID: sc.ContactID, Type: store.TaskInterrupt, CreatedOn: t0})
	}
	if len(tasks) == 0 {
		return
	}
	ok(t, s.QueueTasks(ctx(), tasks))
	for len(need) > 0 {
		works, err := s.ClaimContacts(ctx(), owner, t0, t0.Add(time.Minute), 1000)
		ok(t, err)
		if len(works) == 0 {
			t.Fatalf("could not lease %d contacts for a commit", len(need))
		}
		var others []int64
		for _, w := range works {
			sc := need[w.Contact.ID]
			if sc == nil {
				others = append(others, w.Contact.ID)
				continue
			}
			// Only the task queued here is completed; the contact's other tasks stay queued.
			sc.DoneTasks = append(sc.DoneTasks, w.Tasks[len(w.Tasks)-1])
			delete(need, w.Contact.ID)
		}
		ok(t, s.ReleaseContacts(ctx(), owner, others))
	}
}

// testLeaseLost: a worker whose lease ran out and was taken by another cannot commit over the
// other's work; a renewed lease is not taken.
func testLeaseLost(t *testing.T, open Opener) {
	s := open(t)
	w := mustWorkspace(t, s, "ws")
	receive(t, s, w.ID, "tel:+254700000301", "hi")
	receive(t, s, w.ID, "tel:+254700000302", "hi")
	first, err := s.ClaimContacts(ctx(), "n1", t0, t0.Add(time.Minute), 10)
	ok(t, err)
	if len(first) != 2 {
		t.Fatalf("claimed %d", len(first))
	}
	// n1 renews one contact's lease; the other's runs out and n2 takes it.
	if n, err := s.RenewContactLeases(ctx(), "n1", []int64{first[0].Contact.ID}, t0.Add(10*time.Minute)); err != nil || n != 1 {
		t.Fatalf("renew: %d %v", n, err)
	}
	if n, _ := s.RenewContactLeases(ctx(), "n9", []int64{first[1].Contact.ID}, t0.Add(10*time.Minute)); n != 0 {
		t.Fatalf("renewed another owner's lease")
	}
	later := t0.Add(2 * time.Minute)
	second, err := s.ClaimContacts(ctx(), "n2", later, later.Add(time.Minute), 10)
	ok(t, err)
	if len(second) != 1 || second[0].Contact.ID != first[1].Contact.ID {
		t.Fatalf("n2 claimed %+v", second)
	}
	// In one commit with a scene whose lease holds: the stale one fails alone.
	stale := waitingScene(first[1], "stale", t0)
	errs, err := s.CommitScenes(ctx(), "n1", []*store.Scene{waitingScene(first[0], "kept", t0), stale}, later)
	ok(t, err)
	ok(t, errs[0])
	if !errors.Is(errs[1], store.ErrConflict) {
		t.Fatalf("stale commit: %v", errs[1])
	}
	if _, err := s.GetSession(ctx(), "stale"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("the stale scene wrote its session: %v", err)
	}
	if ss, err := s.GetSession(ctx(), "kept"); err != nil || ss.Status != "waiting" {
		t.Fatalf("the kept scene's session: %+v %v", ss, err)
	}
	errs, err = s.CommitScenes(ctx(), "n2", []*store.Scene{waitingScene(second[0], "fresh", later)}, later)
	ok(t, err)
	ok(t, errs[0])
}
