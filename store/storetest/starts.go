package storetest

import (
	"errors"
	"testing"
	"time"

	"careflow/store"
)

func testStarts(t *testing.T, open Opener) {
	s := open(t)
	w := mustWorkspace(t, s, "ws")
	st := &store.FlowStart{WorkspaceID: w.ID, FlowUUID: "flow1", Type: "api", GroupUUIDs: []string{"g1"}, URNs: []string{"tel:+1"},
		Query: "age > 10", Exclusions: store.Exclusions{InAFlow: true, NotSeenSinceDays: 90}, Params: []byte(`{"a":1}`), CreatedBy: "ann"}
	ok(t, s.CreateStart(ctx(), st))
	if st.ID == 0 || st.UUID == "" || st.Status != store.StartPending {
		t.Fatalf("create: %+v", st)
	}
	second := &store.FlowStart{WorkspaceID: w.ID, FlowUUID: "flow2", Type: "manual"}
	ok(t, s.CreateStart(ctx(), second))

	claimed, err := s.ClaimPendingStart(ctx(), "n1", t0, t0.Add(time.Minute))
	if err != nil || claimed == nil || claimed.ID != st.ID || claimed.Status != store.StartPending || !claimed.Exclusions.InAFlow ||
		claimed.Exclusions.NotSeenSinceDays != 90 || string(claimed.Params) != `{"a":1}` || claimed.URNs[0] != "tel:+1" {
		t.Fatalf("claim: %+v %v", claimed, err)
	}
	if other, _ := s.ClaimPendingStart(ctx(), "n2", t0, t0.Add(time.Minute)); other == nil || other.ID != second.ID {
		t.Fatalf("second claim: %+v", other)
	}
	if none, err := s.ClaimPendingStart(ctx(), "n3", t0, t0.Add(time.Minute)); none != nil || err != nil {
		t.Fatalf("nothing pending: %+v %v", none, err)
	}
	// n2 died: its start is claimed again once the lease ran out.
	if again, _ := s.ClaimPendingStart(ctx(), "n3", t0.Add(2*time.Minute), t0.Add(3*time.Minute)); again == nil || again.ID != st.ID {
		t.Fatalf("reclaim: %+v", again)
	}

	var contacts []int64
	for i := range 3 {
		contacts = append(contacts, mustContact(t, s, w.ID, "tel:+2"+string(rune('0'+i))).ID)
	}
	ok(t, s.QueueStart(ctx(), st.ID, append(contacts, contacts[0]), t0))
	got, _ := s.GetStart(ctx(), st.ID)
	if got.Status != store.StartQueued || got.ContactCount != 3 || got.Remaining != 3 {
		t.Fatalf("queued: %+v", got)
	}
	if none, _ := s.ClaimPendingStart(ctx(), "n4", t0.Add(time.Hour), t0.Add(2*time.Hour)); none != nil && none.ID == st.ID {
		t.Fatal("a queued start was claimed")
	}
	work, _ := s.ClaimContacts(ctx(), "n1", t0, t0.Add(time.Minute), 10)
	if len(work) != 3 || work[0].Tasks[0].Type != store.TaskStart || work[0].Tasks[0].RefID != st.ID {
		t.Fatalf("start tasks: %+v", work)
	}
	done := func(ws ...*store.ContactWork) {
		var scenes []*store.Scene
		for _, cw := range ws {
			scenes = append(scenes, &store.Scene{WorkspaceID: w.ID, ContactID: cw.Contact.ID, DoneTasks: cw.Tasks})
		}
		mustCommit(t, s, "n1", scenes...)
	}
	done(work[0])
	if got, _ := s.GetStart(ctx(), st.ID); got.Status != store.StartStarted || got.Remaining != 2 {
		t.Fatalf("started: %+v", got)
	}
	done(work[1], work[2])
	if got, _ := s.GetStart(ctx(), st.ID); got.Status != store.StartCompleted || got.Remaining != 0 {
		t.Fatalf("completed: %+v", got)
	}
	if n, _ := s.PendingTasks(ctx(), w.ID); n != 0 {
		t.Fatalf("tasks left: %d", n)
	}

	// No contacts: completed at once. Interrupted: progress leaves the status alone.
	ok(t, s.QueueStart(ctx(), second.ID, nil, t0))
	if got, _ := s.GetStart(ctx(), second.ID); got.Status != store.StartCompleted {
		t.Fatalf("empty start: %+v", got)
	}
	third := &store.FlowStart{WorkspaceID: w.ID, FlowUUID: "flow1", Type: "api"}
	ok(t, s.CreateStart(ctx(), third))
	ok(t, s.QueueStart(ctx(), third.ID, contacts, t0))
	ok(t, s.InterruptStart(ctx(), third.ID, t0))
	work, _ = s.ClaimContacts(ctx(), "n1", t0, t0.Add(time.Minute), 1)
	done(work...)
	if got, _ := s.GetStart(ctx(), third.ID); got.Status != store.StartInterrupted {
		t.Fatalf("interrupted: %+v", got)
	}
	fourth := &store.FlowStart{WorkspaceID: w.ID, FlowUUID: "flow1", Type: "api"}
	ok(t, s.CreateStart(ctx(), fourth))
	ok(t, s.FailStart(ctx(), fourth.ID, "bad query", t0))
	if got, _ := s.GetStart(ctx(), fourth.ID); got.Status != store.StartFailed || got.Error != "bad query" {
		t.Fatalf("failed: %+v", got)
	}
	if err := s.FailStart(ctx(), 9999, "x", t0); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("fail missing: %v", err)
	}
	if _, err := s.GetStart(ctx(), 9999); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("missing: %v", err)
	}
	list, _ := s.ListStarts(ctx(), w.ID, 0, 0)
	page, _ := s.ListStarts(ctx(), w.ID, fourth.ID, 2)
	if len(list) != 4 || list[0].ID != fourth.ID || len(page) != 2 || page[0].ID != third.ID {
		t.Fatalf("list: %d, page %d", len(list), len(page))
	}
	many, _ := s.GetStarts(ctx(), []int64{third.ID, st.ID})
	if len(many) != 2 || many[0].ID != st.ID {
		t.Fatalf("get starts: %+v", many)
	}
}

func testBroadcasts(t *testing.T, open Opener) {
	s := open(t)
	w := mustWorkspace(t, s, "ws")
	b := &store.Broadcast{WorkspaceID: w.ID, Translations: []byte(`{"eng":{"text":"Clinic closed"}}`), BaseLanguage: "eng",
		GroupUUIDs: []string{"g1"}, CreatedBy: "ann", ParentSession: "s1"}
	ok(t, s.CreateBroadcast(ctx(), b))
	got, err := s.ClaimPendingBroadcast(ctx(), "n1", t0, t0.Add(time.Minute))
	if err != nil || got == nil || got.ID != b.ID || got.Status != store.StartPending || string(got.Translations) != `{"eng":{"text":"Clinic closed"}}` ||
		got.ParentSession != "s1" {
		t.Fatalf("claim: %+v %v", got, err)
	}
	if none, _ := s.ClaimPendingBroadcast(ctx(), "n2", t0, t0.Add(time.Minute)); none != nil {
		t.Fatal("claimed twice")
	}
	c1, c2 := mustContact(t, s, w.ID, "tel:+1"), mustContact(t, s, w.ID, "tel:+2")
	ok(t, s.QueueBroadcast(ctx(), b.ID, []int64{c1.ID, c2.ID}, t0))
	work, _ := s.ClaimContacts(ctx(), "n1", t0, t0.Add(time.Minute), 10)
	if len(work) != 2 || work[1].Tasks[0].Type != store.TaskBroadcast || work[1].Tasks[0].RefID != b.ID {
		t.Fatalf("tasks: %+v", work)
	}
	mustCommit(t, s, "n1", &store.Scene{WorkspaceID: w.ID, ContactID: c1.ID, DoneTasks: work[0].Tasks},
		&store.Scene{WorkspaceID: w.ID, ContactID: c2.ID, DoneTasks: work[1].Tasks})
	if got, _ := s.GetBroadcast(ctx(), b.ID); got.Status != store.StartCompleted || got.ContactCount != 2 || got.Remaining != 0 {
		t.Fatalf("completed: %+v", got)
	}
	b2 := &store.Broadcast{WorkspaceID: w.ID, BaseLanguage: "eng"}
	ok(t, s.CreateBroadcast(ctx(), b2))
	ok(t, s.FailBroadcast(ctx(), b2.ID, "no recipients", t0))
	list, _ := s.ListBroadcasts(ctx(), w.ID, 0, 10)
	many, _ := s.GetBroadcasts(ctx(), []int64{b.ID, b2.ID})
	if len(list) != 2 || list[0].Status != store.StartFailed || list[0].Error != "no recipients" || len(many) != 2 {
		t.Fatalf("list: %+v", list)
	}
	if _, err := s.GetBroadcast(ctx(), 9999); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("missing: %v", err)
	}
}
