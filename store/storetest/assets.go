package storetest

import (
	"errors"
	"slices"
	"testing"

	"careflow/store"
)

func testAssets(t *testing.T, open Opener) {
	s := open(t)
	w := mustWorkspace(t, s, "ws")
	bumped := func(what string, fn func()) {
		t.Helper()
		v := assetsVersion(t, s, w.ID)
		fn()
		if assetsVersion(t, s, w.ID) == v {
			t.Fatalf("%s must change the assets version", what)
		}
	}

	f := &store.Field{WorkspaceID: w.ID, Key: "age", Name: "Age", Type: "number"}
	bumped("a field", func() { ok(t, s.SaveField(ctx(), f)) })
	uuid := f.UUID
	f2 := &store.Field{WorkspaceID: w.ID, Key: "age", Name: "Age (years)", Type: "number"}
	ok(t, s.SaveField(ctx(), f2))
	if f2.UUID != uuid {
		t.Fatal("updating a field by key keeps its UUID")
	}
	ok(t, s.SaveField(ctx(), &store.Field{WorkspaceID: w.ID, Key: "district", Name: "District", Type: "district"}))
	fs, err := s.ListFields(ctx(), w.ID)
	if err != nil || len(fs) != 2 || fs[0].Name != "Age (years)" || fs[1].Type != "district" {
		t.Fatalf("fields: %+v %v", fs, err)
	}
	bumped("deleting a field", func() { ok(t, s.DeleteField(ctx(), w.ID, "district")) })
	if err := s.DeleteField(ctx(), w.ID, "district"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("delete missing field: %v", err)
	}

	g := &store.Group{WorkspaceID: w.ID, Name: "Mothers"}
	bumped("a group", func() { ok(t, s.SaveGroup(ctx(), g)) })
	if g.ID == 0 || g.UUID == "" || g.Status != "ready" {
		t.Fatalf("group: %+v", g)
	}
	if err := s.SaveGroup(ctx(), &store.Group{WorkspaceID: w.ID, Name: "mothers"}); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("group name taken: %v", err)
	}
	smart := &store.Group{WorkspaceID: w.ID, Name: "Adults", Query: "age >= 18", Status: "evaluating"}
	ok(t, s.SaveGroup(ctx(), smart))
	smart.Name = "Grown-ups"
	ok(t, s.SaveGroup(ctx(), smart))
	gs, _ := s.ListGroups(ctx(), w.ID)
	if len(gs) != 2 || gs[0].Name != "Grown-ups" || gs[0].Query != "age >= 18" || gs[1].ID != g.ID {
		t.Fatalf("groups: %+v", gs)
	}
	ids := make([]int64, 4)
	for i := range ids {
		c := &store.Contact{WorkspaceID: w.ID, Name: "c"}
		ok(t, s.CreateContact(ctx(), c, nil))
		ids[i] = c.ID
	}
	v := assetsVersion(t, s, w.ID)
	added, removed, err := s.SetGroupMembers(ctx(), smart.ID, ids[:3], nil)
	if err != nil || !slices.Equal(added, ids[:3]) || len(removed) != 0 {
		t.Fatalf("set members: %v %v %v", added, removed, err)
	}
	added, removed, err = s.SetGroupMembers(ctx(), smart.ID, []int64{ids[3], ids[1], ids[2]}, nil)
	if err != nil || !slices.Equal(added, ids[3:]) || !slices.Equal(removed, ids[:1]) {
		t.Fatalf("reset members: %v %v %v", added, removed, err)
	}
	if assetsVersion(t, s, w.ID) != v {
		t.Fatal("membership is not a definition change")
	}
	gs, _ = s.ListGroups(ctx(), w.ID)
	if gs[0].Status != "ready" {
		t.Fatalf("smart group evaluated: %+v", gs[0])
	}
	ok(t, s.AddGroupMembers(ctx(), g.ID, ids[:2], nil))
	ok(t, s.AddGroupMembers(ctx(), g.ID, ids[:2], nil))
	ok(t, s.RemoveGroupMembers(ctx(), g.ID, ids[1:2], nil))
	cs, _ := s.GetContacts(ctx(), w.ID, ids)
	if len(cs) != 4 || !slices.Equal(cs[0].Groups, []int64{g.ID}) || !slices.Equal(cs[1].Groups, []int64{smart.ID}) {
		t.Fatalf("memberships: %+v %+v", cs[0], cs[1])
	}
	bumped("deleting a group", func() { ok(t, s.DeleteGroup(ctx(), w.ID, g.ID)) })
	if err := s.DeleteGroup(ctx(), w.ID, g.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("delete missing group: %v", err)
	}
	if cs, _ := s.GetContacts(ctx(), w.ID, ids[:1]); len(cs[0].Groups) != 0 {
		t.Fatalf("memberships of a deleted group: %v", cs[0].Groups)
	}

	bumped("a global", func() {
		ok(t, s.SetGlobal(ctx(), &store.Global{WorkspaceID: w.ID, Key: "org", Name: "Org", Value: "MoH"}))
	})
	ok(t, s.SetGlobal(ctx(), &store.Global{WorkspaceID: w.ID, Key: "org", Name: "Org", Value: "Ministry"}))
	ok(t, s.SetGlobal(ctx(), &store.Global{WorkspaceID: w.ID, Key: "hotline", Name: "Hotline", Value: "1190"}))
	globals, _ := s.ListGlobals(ctx(), w.ID)
	if len(globals) != 2 || globals[0].Key != "hotline" || globals[1].Value != "Ministry" {
		t.Fatalf("globals: %+v", globals)
	}
	bumped("deleting a global", func() { ok(t, s.DeleteGlobal(ctx(), w.ID, "org")) })
	if err := s.DeleteGlobal(ctx(), w.ID, "org"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("delete missing global: %v", err)
	}

	tr := &store.Trigger{WorkspaceID: w.ID, Type: "keyword", FlowUUID: "f1", Keywords: []string{"join", "ingia"}, MatchType: "first_word",
		GroupUUIDs: []string{g.UUID}, Schedule: []byte(`{"repeat_period":"D"}`)}
	bumped("a trigger", func() { ok(t, s.SaveTrigger(ctx(), tr)) })
	tr2 := &store.Trigger{WorkspaceID: w.ID, Type: "catch_all", FlowUUID: "f2", Archived: true}
	ok(t, s.SaveTrigger(ctx(), tr2))
	tr.Keywords = []string{"join"}
	ok(t, s.SaveTrigger(ctx(), tr))
	live, _ := s.ListTriggers(ctx(), w.ID, false)
	all, _ := s.ListTriggers(ctx(), w.ID, true)
	if len(live) != 1 || !slices.Equal(live[0].Keywords, []string{"join"}) || live[0].GroupUUIDs[0] != g.UUID ||
		string(live[0].Schedule) != `{"repeat_period":"D"}` || len(all) != 2 || !all[1].Archived {
		t.Fatalf("triggers: %+v %+v", live, all)
	}
	bumped("deleting a trigger", func() { ok(t, s.DeleteTrigger(ctx(), w.ID, tr2.UUID)) })
	if err := s.DeleteTrigger(ctx(), w.ID, tr2.UUID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("delete missing trigger: %v", err)
	}

	ch := &store.Channel{WorkspaceID: w.ID, Type: "EX", Name: "Safaricom", Address: "1234", Country: "KE", Schemes: []string{"tel"},
		Roles: []string{"send", "receive"}, Config: []byte(`{"send_url":"x"}`), TPS: 10}
	bumped("a channel", func() { ok(t, s.SaveChannel(ctx(), ch)) })
	got, err := s.GetChannel(ctx(), ch.UUID)
	if err != nil || got.WorkspaceID != w.ID || got.TPS != 10 || got.Roles[1] != "receive" || string(got.Config) != `{"send_url":"x"}` {
		t.Fatalf("channel: %+v %v", got, err)
	}
	ch.Deleted = true
	bumped("deleting a channel", func() { ok(t, s.SaveChannel(ctx(), ch)) })
	if chs, _ := s.ListChannels(ctx(), w.ID); len(chs) != 0 {
		t.Fatalf("deleted channel listed: %+v", chs)
	}
	if got, err := s.GetChannel(ctx(), ch.UUID); err != nil || !got.Deleted {
		t.Fatalf("deleted channel by uuid: %+v %v", got, err)
	}
	if _, err := s.GetChannel(ctx(), "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("missing channel: %v", err)
	}
}
