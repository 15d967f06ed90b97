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
