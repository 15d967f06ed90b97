package storetest

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"careflow/store"
)

func mustContact(t *testing.T, s store.Store, ws int64, urns ...string) *store.Contact {
	t.Helper()
	c := &store.Contact{WorkspaceID: ws, Name: "c", Language: "eng"}
	for _, u := range urns {
		c.URNs = append(c.URNs, store.ContactURN{Identity: u})
	}
	ok(t, s.CreateContact(ctx(), c, nil))
	return c
}

func testContacts(t *testing.T, open Opener) {
	s := open(t)
	w := mustWorkspace(t, s, "ws")
	w2 := mustWorkspace(t, s, "ws2")

	ids, created, err := s.GetOrCreateContacts(ctx(), w.ID, []store.NewContactURN{
		{Identity: "tel:+254700000001", Name: "Amina", Language: "swa"},
		{Identity: "tel:+254700000002"},
		{Identity: "tel:+254700000001"},
	}, t0)
	if err != nil || ids[0] != ids[2] || ids[0] == ids[1] || !created[0] || !created[1] || created[2] {
		t.Fatalf("get or create: %v %v %v", ids, created, err)
	}
	// The same URN in another workspace is another contact.
	ids2, created2, _ := s.GetOrCreateContacts(ctx(), w2.ID, []store.NewContactURN{{Identity: "tel:+254700000001"}}, t0)
	if ids2[0] == ids[0] || !created2[0] {
		t.Fatalf("other workspace: %v %v", ids2, created2)
	}
	c, err := s.GetContacts(ctx(), w.ID, ids[:1])
	if err != nil || len(c) != 1 || c[0].Name != "Amina" || c[0].Language != "swa" || c[0].Status != "active" ||
		len(c[0].URNs) != 1 || c[0].URNs[0].Identity != "tel:+254700000001" || !c[0].CreatedOn.Equal(t0) {
		t.Fatalf("created contact: %+v %v", c, err)
	}
	if cs, _ := s.GetContacts(ctx(), w2.ID, ids[:1]); len(cs) != 0 {
		t.Fatal("a contact of another workspace was returned")
	}

	// One URN, one contact: creating or updating onto a taken URN is a conflict.
	if err := s.CreateContact(ctx(), &store.Contact{WorkspaceID: w.ID, URNs: []store.ContactURN{{Identity: "tel:+254700000002"}}}, nil); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("create with taken urn: %v", err)
	}
	seen := t0.Add(time.Hour)
	b := &store.Contact{WorkspaceID: w.ID, Name: "Baraka", Timezone: "Africa/Nairobi", Fields: []byte(`{"age":{"number":31}}`), LastSeenOn: &seen,
		URNs: []store.ContactURN{{Identity: "tel:+254700000003", Display: "0700 000003", ChannelUUID: "ch1"}, {Identity: "whatsapp:254700000003"}}}
	ok(t, s.CreateContact(ctx(), b, nil))
	b.URNs = append([]store.ContactURN{{Identity: "tel:+254700000001"}}, b.URNs...)
	if err := s.UpdateContact(ctx(), b, nil); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("update onto a taken urn: %v", err)
	}
	b.URNs = []store.ContactURN{{Identity: "whatsapp:254700000003"}, {Identity: "tel:+254700000004"}}
	b.Name, b.Status = "Baraka O.", "blocked"
	ok(t, s.UpdateContact(ctx(), b, nil))
	got, err := s.GetContactByUUID(ctx(), w.ID, b.UUID)
	if err != nil || got.Name != "Baraka O." || got.Status != "blocked" || got.Timezone != "Africa/Nairobi" || !got.LastSeenOn.Equal(seen) ||
		string(got.Fields) != `{"age":{"number":31}}` || len(got.URNs) != 2 || got.URNs[0].Identity != "whatsapp:254700000003" ||
		got.URNs[1].Identity != "tel:+254700000004" {
		t.Fatalf("updated: %+v %v", got, err)
	}
	// The dropped URN is free again.
	if id, created, _ := s.GetOrCreateContacts(ctx(), w.ID, []store.NewContactURN{{Identity: "tel:+254700000003"}}, t0); !created[0] || id[0] == b.ID {
		t.Fatal("a dropped urn must be free")
	}
	if id, err := s.ContactIDForURN(ctx(), w.ID, "tel:+254700000004"); err != nil || id != b.ID {
		t.Fatalf("by urn: %d %v", id, err)
	}
	if _, err := s.ContactIDForURN(ctx(), w.ID, "tel:+1"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("missing urn: %v", err)
	}
	if _, err := s.GetContactByUUID(ctx(), w2.ID, b.UUID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("other workspace: %v", err)
	}
	if err := s.UpdateContact(ctx(), &store.Contact{ID: 9999, WorkspaceID: w.ID}, nil); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("update missing: %v", err)
	}
	if n, err := s.CountContacts(ctx(), w.ID); err != nil || n != 4 {
		t.Fatalf("count: %d %v", n, err)
	}
	all, _ := s.ScanContacts(ctx(), w.ID, 0, 2)
	rest, _ := s.ScanContacts(ctx(), w.ID, all[1].ID, 10)
	if len(all) != 2 || len(rest) != 2 || rest[0].ID <= all[1].ID || len(rest[0].URNs) == 0 {
		t.Fatalf("scan: %+v %+v", all, rest)
	}

	ok(t, s.DeleteContact(ctx(), w.ID, b.ID))
	if err := s.DeleteContact(ctx(), w.ID, b.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("double delete: %v", err)
	}
	if _, err := s.ContactIDForURN(ctx(), w.ID, "tel:+254700000004"); !errors.Is(err, store.ErrNotFound) {
		t.Fatal("a deleted contact's urns must go with it")
	}
}

// testContactRace has several writers create the same URNs at once: each URN ends up with
// exactly one contact, and every caller gets that one.
func testContactRace(t *testing.T, open Opener) {
	s := open(t)
	w := mustWorkspace(t, s, "ws")
	const writers, urns = 4, 20
	got := make([][]int64, writers)
	var wg sync.WaitGroup
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var req []store.NewContactURN
			for u := range urns {
				req = append(req, store.NewContactURN{Identity: fmt.Sprintf("tel:+2547%08d", (u+i*7)%urns)})
			}
			ids, _, err := s.GetOrCreateContacts(ctx(), w.ID, req, t0)
			if err != nil {
				t.Error(err)
				return
			}
			got[i] = make([]int64, urns)
			for u := range urns {
				got[i][(u+i*7)%urns] = ids[u]
			}
		}()
	}
	wg.Wait()
	for i := 1; i < writers; i++ {
		if !slices.Equal(got[i], got[0]) {
			t.Fatalf("writer %d saw other contacts: %v vs %v", i, got[i], got[0])
		}
	}
	if n, _ := s.CountContacts(ctx(), w.ID); n != urns {
		t.Fatalf("%d contacts for %d urns", n, urns)
	}
}

func testFindContacts(t *testing.T, open Opener) {
	s := open(t)
	w := mustWorkspace(t, s, "ws")
	g1 := &store.Group{WorkspaceID: w.ID, Name: "g1"}
	g2 := &store.Group{WorkspaceID: w.ID, Name: "g2"}
	ok(t, s.SaveGroup(ctx(), g1))
	ok(t, s.SaveGroup(ctx(), g2))
	seen := t0.Add(-24 * time.Hour)
	var cs []*store.Contact
	for i := range 6 {
		c := &store.Contact{WorkspaceID: w.ID, Name: fmt.Sprint(i)}
		switch i {
		case 0, 1, 2:
			c.Groups = []int64{g1.ID}
		case 3:
			c.Groups = []int64{g1.ID, g2.ID}
		}
		if i == 1 {
			c.Status = "stopped"
		}
		if i%2 == 0 {
			c.LastSeenOn = &seen
		}
		ok(t, s.CreateContact(ctx(), c, nil))
		cs = append(cs, c)
	}
	other := mustWorkspace(t, s, "other")
	mustContact(t, s, other.ID)
	// Contact 2 waits in a flow; contact 0 ran flow F yesterday, contact 3 a week ago.
	scene := func(c *store.Contact, session string, created time.Time) *store.Scene {
		c.CurrentSessionUUID = session
		return &store.Scene{WorkspaceID: w.ID, ContactID: c.ID, Contact: &store.ContactUpdate{Contact: c},
			Runs: []*store.Run{{UUID: session + "-run", SessionUUID: session, FlowUUID: "F", Status: "completed", CreatedOn: created}}}
	}
	s0, s3 := scene(cs[0], "", t0.Add(-24*time.Hour)), scene(cs[3], "", t0.Add(-7*24*time.Hour))
	s0.Runs[0].UUID, s3.Runs[0].UUID = "r0", "r3"
	mustCommit(t, s, "", s0, scene(cs[2], "sess2", t0), s3)

	id := func(is ...int) []int64 {
		var out []int64
		for _, i := range is {
			out = append(out, cs[i].ID)
		}
		return out
	}
	for name, c := range map[string]struct {
		f    store.ContactFilter
		want []int64
	}{
		"all":            {store.ContactFilter{}, id(0, 1, 2, 3, 4, 5)},
		"uuids":          {store.ContactFilter{UUIDs: []string{cs[4].UUID, cs[1].UUID}}, id(1, 4)},
		"ids":            {store.ContactFilter{IDs: id(5, 0)}, id(0, 5)},
		"unknown ids":    {store.ContactFilter{IDs: []int64{99999}}, nil},
		"groups":         {store.ContactFilter{Groups: []int64{g1.ID, g2.ID}}, id(0, 1, 2, 3)},
		"exclude":        {store.ContactFilter{Groups: []int64{g1.ID}, ExcludeGroups: []int64{g2.ID}}, id(0, 1, 2)},
		"active":         {store.ContactFilter{Groups: []int64{g1.ID}, Active: true}, id(0, 2, 3)},
		"not in flow":    {store.ContactFilter{Groups: []int64{g1.ID}, NotInFlow: true}, id(0, 1, 3)},
		"not started":    {store.ContactFilter{NotStartedFlow: "F"}, id(1, 4, 5)},
		"not started 3d": {store.ContactFilter{NotStartedFlow: "F", NotStartedSince: t0.Add(-72 * time.Hour)}, id(1, 3, 4, 5)},
		"seen since":     {store.ContactFilter{SeenSince: t0.Add(-48 * time.Hour)}, id(0, 2, 4)},
		"ids and filter": {store.ContactFilter{IDs: id(0, 1, 4), Active: true, Groups: []int64{g1.ID}}, id(0)},
	} {
		got, err := s.FindContactIDs(ctx(), w.ID, c.f)
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("%s: got %v want %v (%v)", name, got, c.want, err)
		}
	}
}
