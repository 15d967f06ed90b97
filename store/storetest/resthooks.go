package storetest

import (
	"errors"
	"testing"
	"time"

	"careflow/store"
)

// testResthooks: resthooks unique by slug among live ones, subscribers unique by URL per
// resthook, removals kept out of the lists and the assets version moved by every change;
// events written by scenes (dropped for a slug the workspace lacks), listed newest first,
// filtered and trimmed; a scene's 410 unsubscribe.
func testResthooks(t *testing.T, open Opener) {
	s := open(t)
	w := mustWorkspace(t, s, "ws")
	other := mustWorkspace(t, s, "other")
	bumped := func(what string, fn func()) {
		t.Helper()
		v := assetsVersion(t, s, w.ID)
		fn()
		if assetsVersion(t, s, w.ID) == v {
			t.Fatalf("%s must change the assets version", what)
		}
	}

	reg := &store.Resthook{WorkspaceID: w.ID, Slug: "new-registration", CreatedOn: t0}
	bumped("a resthook", func() { ok(t, s.CreateResthook(ctx(), reg)) })
	if reg.ID == 0 || !reg.ModifiedOn.Equal(t0) {
		t.Fatalf("resthook: %+v", reg)
	}
	if err := s.CreateResthook(ctx(), &store.Resthook{WorkspaceID: w.ID, Slug: "new-registration"}); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("slug taken: %v", err)
	}
	ok(t, s.CreateResthook(ctx(), &store.Resthook{WorkspaceID: other.ID, Slug: "new-registration"}))
	birth := &store.Resthook{WorkspaceID: w.ID, Slug: "birth", CreatedOn: t0}
	ok(t, s.CreateResthook(ctx(), birth))
	hooks, err := s.ListResthooks(ctx(), w.ID)
	if err != nil || len(hooks) != 2 || hooks[0].Slug != "birth" || hooks[1].ID != reg.ID || !hooks[1].CreatedOn.Equal(t0) {
		t.Fatalf("resthooks: %+v %v", hooks, err)
	}

	a := &store.ResthookSubscriber{WorkspaceID: w.ID, Resthook: "new-registration", TargetURL: "https://a.example/hook", CreatedOn: t0.Add(time.Minute)}
	bumped("a subscriber", func() { ok(t, s.AddResthookSubscriber(ctx(), a)) })
	if a.ID == 0 {
		t.Fatalf("subscriber: %+v", a)
	}
	dup := &store.ResthookSubscriber{WorkspaceID: w.ID, Resthook: "new-registration", TargetURL: "https://a.example/hook"}
	if err := s.AddResthookSubscriber(ctx(), dup); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("URL already subscribed: %v", err)
	}
	if err := s.AddResthookSubscriber(ctx(), &store.ResthookSubscriber{WorkspaceID: w.ID, Resthook: "nope", TargetURL: "https://a.example"}); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unknown resthook: %v", err)
	}
	b := &store.ResthookSubscriber{WorkspaceID: w.ID, Resthook: "new-registration", TargetURL: "https://b.example/hook"}
	ok(t, s.AddResthookSubscriber(ctx(), b))
	c := &store.ResthookSubscriber{WorkspaceID: w.ID, Resthook: "birth", TargetURL: "https://a.example/hook"}
	ok(t, s.AddResthookSubscriber(ctx(), c))
	subs, err := s.ListResthookSubscribers(ctx(), w.ID)
	if err != nil || len(subs) != 3 || subs[0].ID != a.ID || subs[0].Resthook != "new-registration" || subs[0].TargetURL != a.TargetURL ||
		!subs[0].CreatedOn.Equal(t0.Add(time.Minute)) || subs[2].Resthook != "birth" {
		t.Fatalf("subscribers: %+v %v", subs, err)
	}
	if hooks, _ := s.ListResthooks(ctx(), w.ID); !hooks[1].ModifiedOn.Equal(b.CreatedOn) || !hooks[0].ModifiedOn.Equal(c.CreatedOn) {
		t.Fatalf("a subscriber moves its resthook's modified_on: %+v", hooks[1])
	}
	if subs, _ := s.ListResthookSubscribers(ctx(), other.ID); len(subs) != 0 {
		t.Fatalf("another workspace's subscribers: %+v", subs)
	}
	bumped("removing a subscriber", func() { ok(t, s.RemoveResthookSubscriber(ctx(), w.ID, b.ID)) })
	if err := s.RemoveResthookSubscriber(ctx(), w.ID, b.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("remove removed subscriber: %v", err)
	}
	if err := s.RemoveResthookSubscriber(ctx(), other.ID, a.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("remove another workspace's subscriber: %v", err)
	}
	// a removed URL may subscribe again
	b2 := &store.ResthookSubscriber{WorkspaceID: w.ID, Resthook: "new-registration", TargetURL: "https://b.example/hook"}
	ok(t, s.AddResthookSubscriber(ctx(), b2))

	// scenes record events and remove subscribers that answered 410
	mustCommit(t, s, "", &store.Scene{WorkspaceID: w.ID,
		ResthookEvents: []*store.ResthookEvent{
			{Resthook: "new-registration", Data: []byte(`{"contact":{"name":"Ann"}}`), CreatedOn: t0.Add(2 * time.Minute)},
			{Resthook: "birth", Data: []byte(`{"n":1}`), CreatedOn: t0.Add(3 * time.Minute)},
			{Resthook: "unknown", Data: []byte(`{}`)},
		},
		ResthookUnsubscribes: []*store.ResthookUnsubscribe{{Resthook: "new-registration", TargetURL: "https://b.example/hook"},
			{Resthook: "new-registration", TargetURL: "https://never.example"}},
	})
	subs, _ = s.ListResthookSubscribers(ctx(), w.ID)
	if len(subs) != 2 || subs[0].ID != a.ID || subs[1].ID != c.ID {
		t.Fatalf("subscribers after a 410: %+v", subs)
	}
	events, err := s.ListResthookEvents(ctx(), w.ID, store.ResthookEventQuery{})
	if err != nil || len(events) != 2 || events[0].Resthook != "birth" || string(events[1].Data) != `{"contact":{"name":"Ann"}}` ||
		!events[1].CreatedOn.Equal(t0.Add(2*time.Minute)) || events[0].ID <= events[1].ID {
		t.Fatalf("events: %+v %v", events, err)
	}
	if got, _ := s.ListResthookEvents(ctx(), w.ID, store.ResthookEventQuery{Resthook: "new-registration"}); len(got) != 1 || got[0].ID != events[1].ID {
		t.Fatalf("events of one resthook: %+v", got)
	}
	if got, _ := s.ListResthookEvents(ctx(), w.ID, store.ResthookEventQuery{BeforeID: events[0].ID, Limit: 5}); len(got) != 1 || got[0].ID != events[1].ID {
		t.Fatalf("events before: %+v", got)
	}
	if got, _ := s.ListResthookEvents(ctx(), other.ID, store.ResthookEventQuery{}); len(got) != 0 {
		t.Fatalf("another workspace's events: %+v", got)
	}

	// deleting a resthook removes its subscribers; its events stay, and its slug is free again
	bumped("deleting a resthook", func() { ok(t, s.DeleteResthook(ctx(), w.ID, "new-registration")) })
	if err := s.DeleteResthook(ctx(), w.ID, "new-registration"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("delete deleted resthook: %v", err)
	}
	if subs, _ := s.ListResthookSubscribers(ctx(), w.ID); len(subs) != 1 || subs[0].ID != c.ID {
		t.Fatalf("subscribers after deleting their resthook: %+v", subs)
	}
	if got, _ := s.ListResthookEvents(ctx(), w.ID, store.ResthookEventQuery{}); len(got) != 2 {
		t.Fatalf("events after deleting their resthook: %+v", got)
	}
	again := &store.Resthook{WorkspaceID: w.ID, Slug: "new-registration"}
	ok(t, s.CreateResthook(ctx(), again))
	if subs, _ := s.ListResthookSubscribers(ctx(), w.ID); len(subs) != 1 {
		t.Fatalf("a new resthook with an old slug has no subscribers: %+v", subs)
	}

	if n, err := s.DeleteResthookEventsBefore(ctx(), t0.Add(150*time.Second)); err != nil || n != 1 {
		t.Fatalf("trim events: %d %v", n, err)
	}
	if got, _ := s.ListResthookEvents(ctx(), w.ID, store.ResthookEventQuery{}); len(got) != 1 || got[0].Resthook != "birth" {
		t.Fatalf("events after trimming: %+v", got)
	}
}
