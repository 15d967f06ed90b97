package storetest

import (
	"errors"
	"testing"
	"time"

	"careflow/store"
)

// t0 is the tests' clock: whole milliseconds, as the store keeps them.
var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func ok(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func mustWorkspace(t *testing.T, s store.Store, name string) *store.Workspace {
	t.Helper()
	w := &store.Workspace{Name: name, Timezone: "Africa/Nairobi", Country: "KE", Languages: []string{"eng", "swa"}, DateFormat: "DD-MM-YYYY"}
	ok(t, s.CreateWorkspace(ctx(), w))
	return w
}

func assetsVersion(t *testing.T, s store.Store, ws int64) int64 {
	t.Helper()
	v, err := s.AssetsVersion(ctx(), ws)
	ok(t, err)
	return v
}

func testWorkspaces(t *testing.T, open Opener) {
	s := open(t)
	w := mustWorkspace(t, s, "Nyeri")
	if w.ID == 0 || w.UUID == "" || w.CreatedOn.IsZero() {
		t.Fatalf("create: %+v", w)
	}
	if err := s.CreateWorkspace(ctx(), &store.Workspace{Name: "Nyeri"}); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("duplicate name: %v", err)
	}
	if err := s.CreateWorkspace(ctx(), &store.Workspace{Name: "Other", UUID: w.UUID}); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("duplicate uuid: %v", err)
	}
	w2 := mustWorkspace(t, s, "Embu")
	w.Name, w.Config, w.Languages = "Nyeri County", []byte(`{"webhooks":"open"}`), []string{"swa"}
	ok(t, s.UpdateWorkspace(ctx(), w))
	got, err := s.GetWorkspace(ctx(), w.ID)
	if err != nil || got.Name != "Nyeri County" || string(got.Config) != `{"webhooks":"open"}` || len(got.Languages) != 1 ||
		got.Timezone != "Africa/Nairobi" || got.Country != "KE" || got.DateFormat != "DD-MM-YYYY" {
		t.Fatalf("get: %+v %v", got, err)
	}
	if w2.Name = "Nyeri County"; !errors.Is(s.UpdateWorkspace(ctx(), w2), store.ErrConflict) {
		t.Fatal("rename onto a taken name")
	}
	if err := s.UpdateWorkspace(ctx(), &store.Workspace{ID: 999, Name: "x"}); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("update missing: %v", err)
	}
	if got, err := s.GetWorkspaceByUUID(ctx(), w.UUID); err != nil || got.ID != w.ID {
		t.Fatalf("by uuid: %+v %v", got, err)
	}
	if _, err := s.GetWorkspaceByUUID(ctx(), "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("missing: %v", err)
	}
	if _, err := s.GetWorkspace(ctx(), 999); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("missing: %v", err)
	}
	list, err := s.ListWorkspaces(ctx())
	if err != nil || len(list) != 2 || list[0].ID != w.ID || list[1].ID != w2.ID {
		t.Fatalf("list: %+v %v", list, err)
	}
}

func testFlows(t *testing.T, open Opener) {
	s := open(t)
	w := mustWorkspace(t, s, "ws")
	v0 := assetsVersion(t, s, w.ID)
	f := &store.Flow{WorkspaceID: w.ID, Name: "Registration", Type: "messaging", SpecVersion: "14.4.1",
		Definition: []byte(`{"nodes":[]}`), ExpireAfterMins: 4320}
	ok(t, s.SaveFlow(ctx(), f, 0, "ann"))
	if f.ID == 0 || f.UUID == "" || f.Revision != 1 || f.CreatedOn.IsZero() {
		t.Fatalf("create: %+v", f)
	}
	if v1 := assetsVersion(t, s, w.ID); v1 == v0 {
		t.Fatal("saving a flow must change the assets version")
	}
	f.Definition = []byte(`{"nodes":[{}]}`)
	ok(t, s.SaveFlow(ctx(), f, 1, "bob"))
	if f.Revision != 2 {
		t.Fatalf("revision %d", f.Revision)
	}
	stale := *f
	if err := s.SaveFlow(ctx(), &stale, 1, "cy"); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("stale save: %v", err)
	}
	ok(t, s.SaveFlow(ctx(), &stale, -1, "cy")) // no check: last write wins
	if stale.Revision != 3 || stale.ID != f.ID {
		t.Fatalf("forced save: %+v", stale)
	}
	other := &store.Flow{WorkspaceID: w.ID, Name: "REGISTRATION", Type: "messaging", SpecVersion: "14.4.1", Definition: []byte(`{}`)}
	if err := s.SaveFlow(ctx(), other, -1, ""); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("name taken, other case: %v", err)
	}
	other.Name = "Survey"
	ok(t, s.SaveFlow(ctx(), other, -1, ""))
	if got, err := s.GetFlowByName(ctx(), w.ID, "registration"); err != nil || got.UUID != f.UUID || got.Revision != 3 ||
		got.ExpireAfterMins != 4320 || string(got.Definition) != `{"nodes":[{}]}` {
		t.Fatalf("by name: %+v %v", got, err)
	}
	if _, err := s.GetFlow(ctx(), w.ID, "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("missing: %v", err)
	}
	if _, err := s.GetFlow(ctx(), w.ID+1, f.UUID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("other workspace: %v", err)
	}
	v2 := assetsVersion(t, s, w.ID)
	ok(t, s.SetFlowArchived(ctx(), w.ID, other.UUID, true))
	if assetsVersion(t, s, w.ID) == v2 {
		t.Fatal("archiving must change the assets version")
	}
	if err := s.SetFlowArchived(ctx(), w.ID, "nope", true); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("archive missing: %v", err)
	}
	live, _ := s.ListFlows(ctx(), w.ID, false)
	all, _ := s.ListFlows(ctx(), w.ID, true)
	if len(live) != 1 || live[0].Name != "Registration" || len(all) != 2 || all[1].Name != "Survey" || !all[1].Archived {
		t.Fatalf("list: %+v %+v", live, all)
	}
	revs, err := s.ListFlowRevisions(ctx(), f.ID, 0)
	if err != nil || len(revs) != 3 || revs[0].Revision != 3 || revs[2].CreatedBy != "ann" || string(revs[2].Definition) != `{"nodes":[]}` {
		t.Fatalf("revisions: %+v %v", revs, err)
	}
	if revs, _ := s.ListFlowRevisions(ctx(), f.ID, 2); len(revs) != 2 {
		t.Fatalf("limited: %d", len(revs))
	}
	if r, err := s.GetFlowRevision(ctx(), f.ID, 2); err != nil || r.CreatedBy != "bob" || r.SpecVersion != "14.4.1" {
		t.Fatalf("revision 2: %+v %v", r, err)
	}
	if _, err := s.GetFlowRevision(ctx(), f.ID, 9); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("missing revision: %v", err)
	}
	// A second workspace may reuse the name.
	w2 := mustWorkspace(t, s, "ws2")
	ok(t, s.SaveFlow(ctx(), &store.Flow{WorkspaceID: w2.ID, Name: "Registration", Type: "messaging", Definition: []byte(`{}`)}, 0, ""))
}
