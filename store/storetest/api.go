package storetest

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"careflow/store"
)

func testAPI(t *testing.T, open Opener) {
	s0 := open(t)
	s, ok := s0.(interface {
		store.APIStore
		store.LabelStore
		store.Messaging
	})
	if !ok {
		t.Skip("the store keeps no API data")
	}
	ws := &store.Workspace{UUID: "0a0a0a0a-0000-4000-8000-000000000001", Name: "api", Timezone: "UTC"}
	if err := s.CreateWorkspace(ctx(), ws); err != nil {
		t.Fatal(err)
	}
	now := time.UnixMilli(1_700_000_000_000).UTC()
	tok := &store.APIToken{Hash: "h1", WorkspaceID: ws.ID, UserName: "ann", CreatedOn: now}
	if err := s.CreateAPIToken(ctx(), tok); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateAPIToken(ctx(), tok); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("duplicate: %v", err)
	}
	got, err := s.GetAPIToken(ctx(), "h1")
	if err != nil || got.UserName != "ann" || got.WorkspaceID != ws.ID || !got.CreatedOn.Equal(now) {
		t.Fatalf("get: %+v %v", got, err)
	}
	if _, err := s.GetAPIToken(ctx(), "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("missing: %v", err)
	}
	list, _ := s.ListAPITokens(ctx(), ws.ID, "ann")
	if len(list) != 1 {
		t.Fatalf("list %v", list)
	}
	// The console's list: newest first across users, a page at a time, or one user's.
	for i, tk := range []*store.APIToken{{Hash: "h2", UserName: "bob", Prefix: "abcd1234"}, {Hash: "h3", UserName: "ann"}, {Hash: "h0", UserName: "bob"}} {
		tk.WorkspaceID, tk.CreatedOn = ws.ID, now.Add(time.Duration(min(i, 1))*time.Second)
		if err := s.CreateAPIToken(ctx(), tk); err != nil {
			t.Fatal(err)
		}
	}
	var order []string
	q := store.APITokenPage{Limit: 2}
	for range 4 {
		page, err := s.PageAPITokens(ctx(), ws.ID, q)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		for _, tk := range page {
			order = append(order, tk.Hash)
		}
		last := page[len(page)-1]
		q.BeforeCreated, q.BeforeHash = last.CreatedOn, last.Hash
	}
	if fmt.Sprint(order) != "[h3 h0 h2 h1]" {
		t.Fatalf("token pages: %v", order)
	}
	if bobs, _ := s.PageAPITokens(ctx(), ws.ID, store.APITokenPage{User: "bob"}); len(bobs) != 2 || bobs[1].Prefix != "abcd1234" {
		t.Fatalf("bob's tokens: %+v", bobs)
	}
	for _, h := range []string{"h0", "h2", "h3"} {
		if err := s.DeleteAPIToken(ctx(), h); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.DeleteAPIToken(ctx(), "h1"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteAPIToken(ctx(), "h1"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("delete twice: %v", err)
	}

	// Five contacts, two sharing a modification time: pages of two walk them all, newest
	// first, and in reverse oldest first, with no repeat and no gap.
	mods := []int64{10, 20, 20, 30, 40}
	for i, m := range mods {
		c := &store.Contact{WorkspaceID: ws.ID, UUID: fmt.Sprintf("0a0a0a0a-0000-4000-8000-1000000000%02d", i),
			Status: "active", CreatedOn: time.UnixMilli(m), ModifiedOn: time.UnixMilli(m)}
		if err := s.CreateContact(ctx(), c, nil); err != nil {
			t.Fatal(err)
		}
	}
	for _, rev := range []bool{false, true} {
		var seen []int64
		q := store.ContactPage{Reverse: rev, Limit: 2}
		for range 5 {
			page, err := s.ListContactsPage(ctx(), ws.ID, q)
			if err != nil {
				t.Fatal(err)
			}
			if len(page) == 0 {
				break
			}
			for _, c := range page {
				seen = append(seen, c.ModifiedOn.UnixMilli())
			}
			last := page[len(page)-1]
			q.AfterModified, q.AfterID = last.ModifiedOn, last.ID
		}
		want := "[40 30 20 20 10]"
		if rev {
			want = "[10 20 20 30 40]"
		}
		if fmt.Sprint(seen) != want {
			t.Fatalf("reverse=%v: %v, want %s", rev, seen, want)
		}
	}
	page, _ := s.ListContactsPage(ctx(), ws.ID, store.ContactPage{ModifiedAfter: time.UnixMilli(20), ModifiedBefore: time.UnixMilli(30)})
	if len(page) != 3 {
		t.Fatalf("between: %d", len(page))
	}

	// Labels: names are unique in any case; a rename keeps the UUID.
	l := &store.Label{WorkspaceID: ws.ID, UUID: "0a0a0a0a-0000-4000-8000-200000000001", Name: "Urgent", CreatedOn: now}
	if err := s.SaveLabel(ctx(), l); err != nil || l.ID == 0 {
		t.Fatalf("label: %v", err)
	}
	if err := s.SaveLabel(ctx(), &store.Label{WorkspaceID: ws.ID, UUID: "0a0a0a0a-0000-4000-8000-200000000002", Name: "URGENT", CreatedOn: now}); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("same name: %v", err)
	}
	l.Name = "Later"
	if err := s.SaveLabel(ctx(), l); err != nil {
		t.Fatal(err)
	}
	labels, _ := s.ListLabels(ctx(), ws.ID)
	if len(labels) != 1 || labels[0].Name != "Later" || labels[0].UUID != l.UUID {
		t.Fatalf("labels: %+v", labels)
	}
	if err := s.DeleteLabel(ctx(), ws.ID, l); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteLabel(ctx(), ws.ID, l); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("delete twice: %v", err)
	}
}
