package storetest

import (
	"errors"
	"sync"
	"testing"

	"careflow/store"
)

func testIdempotency(t *testing.T, open Opener) {
	s := open(t)
	key := func(k string) *store.Idempotency {
		return &store.Idempotency{Scope: "records:gw", Key: k, RequestHash: "h-" + k, Status: 200,
			ContentType: "application/json", Body: []byte(`{"id":"` + k + `"}`)}
	}
	t.Run("RecordedWithTheWrite", func(t *testing.T) {
		res := mustWrite(t, s, store.DocWrite{ID: "i1", Fields: []byte(`{"type":"data_record"}`), Idempotency: key("k1")})
		if res[0].Err != nil {
			t.Fatal(res[0].Err)
		}
		got, err := s.GetIdempotency(ctx(), "records:gw", "k1")
		if err != nil || got.RequestHash != "h-k1" || got.Status != 200 || string(got.Body) != `{"id":"k1"}` || got.CreatedAt == 0 {
			t.Fatalf("got %+v, %v", got, err)
		}
		if _, err := s.GetIdempotency(ctx(), "records:other", "k1"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("another scope: %v", err)
		}
	})
	t.Run("ReplaySkipsTheWrite", func(t *testing.T) {
		res := mustWrite(t, s,
			store.DocWrite{ID: "i2", Fields: []byte(`{"type":"data_record"}`), Idempotency: key("k1")},
			store.DocWrite{ID: "i3", Fields: []byte(`{"type":"data_record"}`)})
		if !errors.Is(res[0].Err, store.ErrReplay) || res[1].Err != nil {
			t.Fatalf("results %+v", res)
		}
		if _, err := s.GetDoc(ctx(), "i2"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("replayed write applied: %v", err)
		}
	})
	t.Run("NotRecordedForAConflict", func(t *testing.T) {
		res := mustWrite(t, s, store.DocWrite{ID: "i1", Fields: []byte(`{}`), Idempotency: key("k2")})
		if !errors.Is(res[0].Err, store.ErrConflict) {
			t.Fatalf("results %+v", res)
		}
		if _, err := s.GetIdempotency(ctx(), "records:gw", "k2"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("key of a write that did not apply: %v", err)
		}
	})
	t.Run("ConcurrentUsesApplyOnce", func(t *testing.T) {
		var wg sync.WaitGroup
		results := make([]store.DocResult, 8)
		for i := range results {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res, err := s.WriteDocs(ctx(), []store.DocWrite{{ID: "c" + string(rune('a'+i)), Fields: []byte(`{}`), Idempotency: key("k3")}})
				if err != nil {
					t.Error(err)
					return
				}
				results[i] = res[0]
			}()
		}
		wg.Wait()
		applied := 0
		for _, r := range results {
			switch {
			case r.Err == nil:
				applied++
			case !errors.Is(r.Err, store.ErrReplay):
				t.Fatalf("result %+v", r)
			}
		}
		if applied != 1 {
			t.Fatalf("%d writes applied under one key", applied)
		}
	})
	t.Run("Purge", func(t *testing.T) {
		n, err := s.PurgeIdempotency(ctx(), 1<<62)
		if err != nil || n != 2 {
			t.Fatalf("purged %d, %v", n, err)
		}
		if _, err := s.GetIdempotency(ctx(), "records:gw", "k1"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("after purge: %v", err)
		}
	})
}

// testGroupOfCreates covers the batched path WriteDocs takes for several creations: ids that
// exist (live: a conflict; deleted: re-created), idempotency keys recorded before or twice in
// the group, and outbox rows for exactly the applied writes.
func testGroupOfCreates(t *testing.T, open Opener) {
	s := open(t)
	mustWrite(t, s, store.DocWrite{ID: "live", Fields: []byte(`{"v":1}`)})
	gone := mustWrite(t, s, store.DocWrite{ID: "gone", Fields: []byte(`{"v":1}`)})[0]
	mustWrite(t, s, store.DocWrite{ID: "gone", Rev: gone.Rev, Deleted: true})
	key := func(k string) *store.Idempotency {
		return &store.Idempotency{Scope: "s", Key: k, RequestHash: "h", Status: 200, Body: []byte(k)}
	}
	mustWrite(t, s, store.DocWrite{ID: "first", Fields: []byte(`{}`), Idempotency: key("used")})
	before, _ := s.ReadDocChanges(ctx(), 0, 1000)

	res := mustWrite(t, s,
		store.DocWrite{ID: "n1", Fields: []byte(`{"type":"person","phone":"+1"}`), Idempotency: key("k1")},
		store.DocWrite{ID: "live", Fields: []byte(`{"v":2}`), Idempotency: key("k2")},
		store.DocWrite{ID: "gone", Fields: []byte(`{"v":3}`)},
		store.DocWrite{ID: "n2", Fields: []byte(`{}`), Idempotency: key("used")},
		store.DocWrite{ID: "n3", Fields: []byte(`{}`), Idempotency: key("k1")},
		store.DocWrite{ID: "n4"},
	)
	want := []error{nil, store.ErrConflict, nil, store.ErrReplay, store.ErrReplay, nil}
	for i, r := range res {
		if !errors.Is(r.Err, want[i]) || (want[i] == nil) != (r.Err == nil) {
			t.Fatalf("result %d: %+v, want %v", i, r, want[i])
		}
	}
	if d, err := s.GetDoc(ctx(), "gone"); err != nil || string(d.Fields) != `{"v":3}` || d.Rev != res[2].Rev {
		t.Fatalf("re-created doc: %+v %v", d, err)
	}
	if d, err := s.GetDoc(ctx(), "n1"); err != nil || d.Rev != res[0].Rev || d.Seq != res[0].Seq {
		t.Fatalf("created doc: %+v %v (result %+v)", d, err, res[0])
	}
	if got := findIDs(t, s, store.DocQuery{Phone: "+1"}); got != "n1" {
		t.Fatalf("created doc not indexed: %q", got)
	}
	for _, id := range []string{"n2", "n3"} {
		if _, err := s.GetDoc(ctx(), id); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("replayed %s written: %v", id, err)
		}
	}
	if _, err := s.GetIdempotency(ctx(), "s", "k2"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("key of the conflicting write kept: %v", err)
	}
	after, _ := s.ReadDocChanges(ctx(), 0, 1000)
	if len(after)-len(before) != 3 {
		t.Fatalf("%d outbox rows for 3 applied writes", len(after)-len(before))
	}
}
