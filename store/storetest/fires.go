package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"careflow/store"
)

func testFires(t *testing.T, open Opener) {
	s := open(t)
	w := mustWorkspace(t, s, "ws")
	a, b := mustContact(t, s, w.ID, "tel:+1"), mustContact(t, s, w.ID, "tel:+2")
	if next, err := s.NextFire(ctx()); err != nil || next != nil {
		t.Fatalf("no fires: %v %v", next, err)
	}
	fires := []*store.Fire{
		{WorkspaceID: w.ID, ContactID: a.ID, Type: store.FireTimeout, SessionUUID: "s", SprintUUID: "sp", FireOn: t0.Add(time.Minute)},
		{WorkspaceID: w.ID, ContactID: a.ID, Type: store.FireExpire, SessionUUID: "s", SprintUUID: "sp", FireOn: t0.Add(time.Hour)},
		{WorkspaceID: w.ID, ContactID: a.ID, Type: store.FireCampaign, Scope: "7:1", FireOn: t0.Add(2 * time.Minute)},
		{WorkspaceID: w.ID, ContactID: b.ID, Type: store.FireCampaign, Scope: "7:1", FireOn: t0.Add(2 * time.Minute)},
		{WorkspaceID: w.ID, ContactID: b.ID, Type: store.FireCampaign, Scope: "8:1", FireOn: t0.Add(2 * time.Minute)},
	}
	ok(t, s.InsertFires(ctx(), fires))
	// Same (contact, type, scope) replaces.
	ok(t, s.InsertFires(ctx(), []*store.Fire{{WorkspaceID: w.ID, ContactID: a.ID, Type: store.FireTimeout, SessionUUID: "s", SprintUUID: "sp2",
		FireOn: t0.Add(30 * time.Second)}}))
	if next, _ := s.NextFire(ctx()); next == nil || !next.Equal(t0.Add(30*time.Second)) {
		t.Fatalf("next: %v", next)
	}
	if fs, _ := s.ListFires(ctx(), a.ID); len(fs) != 3 || fs[0].SprintUUID != "sp2" {
		t.Fatalf("replaced: %+v", fs)
	}
	if n, err := s.DeleteFires(ctx(), w.ID, store.FireCampaign, "7:", []int64{b.ID}); err != nil || n != 1 {
		t.Fatalf("delete for contact: %d %v", n, err)
	}
	if n, _ := s.FireDue(ctx(), t0, 10); n != 0 {
		t.Fatalf("fired early: %d", n)
	}
	n, err := s.FireDue(ctx(), t0.Add(5*time.Minute), 10)
	if err != nil || n != 3 {
		t.Fatalf("due: %d %v", n, err)
	}
	work, _ := s.ClaimContacts(ctx(), "n", t0, t0.Add(time.Minute), 10)
	if len(work) != 2 || len(work[0].Tasks) != 2 || work[0].Tasks[0].Type != store.TaskTimeout || work[0].Tasks[1].Type != store.TaskCampaign ||
		work[1].Tasks[0].Type != store.TaskCampaign {
		t.Fatalf("fire tasks: %+v", work)
	}
	p := firePayload(t, work[0].Tasks[0])
	if p["session_uuid"] != "s" || p["sprint_uuid"] != "sp2" || p["scope"] != "" || p["fire_id"].(float64) == 0 {
		t.Fatalf("payload: %v", p)
	}
	if p := firePayload(t, work[1].Tasks[0]); p["scope"] != "8:1" {
		t.Fatalf("campaign payload: %v", p)
	}
	if fs, _ := s.ListFires(ctx(), a.ID); len(fs) != 1 || fs[0].Type != store.FireExpire {
		t.Fatalf("left: %+v", fs)
	}
	ok(t, s.InsertFires(ctx(), []*store.Fire{{WorkspaceID: w.ID, ContactID: b.ID, Type: store.FireCampaign, Scope: "9:2", FireOn: t0}}))
	// Twice the same key in one call: the last wins, both get its ID.
	dup := []*store.Fire{{WorkspaceID: w.ID, ContactID: a.ID, Type: store.FireTimeout, SprintUUID: "x", FireOn: t0},
		{WorkspaceID: w.ID, ContactID: a.ID, Type: store.FireTimeout, SprintUUID: "y", FireOn: t0}}
	ok(t, s.InsertFires(ctx(), dup))
	if fs, _ := s.ListFires(ctx(), a.ID); len(fs) != 2 || fs[0].SprintUUID != "y" || dup[0].ID != fs[0].ID || dup[1].ID != fs[0].ID {
		t.Fatalf("duplicate keys: %+v %+v", fs, dup)
	}
	if n, _ := s.DeleteFires(ctx(), w.ID, store.FireCampaign, "", nil); n != 1 {
		t.Fatalf("delete all campaign fires: %d", n)
	}
}

// testFiresOnce has several claimers fire the same due fires at once: each fire becomes
// exactly one task.
func testFiresOnce(t *testing.T, open Opener) {
	s := open(t)
	w := mustWorkspace(t, s, "ws")
	const contacts = 200
	var fires []*store.Fire
	for i := range contacts {
		c := mustContact(t, s, w.ID, fmt.Sprintf("tel:+%d", i))
		fires = append(fires, &store.Fire{WorkspaceID: w.ID, ContactID: c.ID, Type: store.FireExpire, SessionUUID: "s", FireOn: t0})
	}
	ok(t, s.InsertFires(ctx(), fires))
	var mu sync.Mutex
	total := 0
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				n, err := s.FireDue(ctx(), t0, 7)
				if err != nil {
					t.Error(err)
					return
				}
				if n == 0 {
					return
				}
				mu.Lock()
				total += n
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	pending, _ := s.PendingTasks(ctx(), w.ID)
	if total != contacts || pending != contacts {
		t.Fatalf("fired %d, %d tasks, for %d fires", total, pending, contacts)
	}
}
