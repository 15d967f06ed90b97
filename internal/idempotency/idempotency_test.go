package idempotency_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"careflow/internal/idempotency"
	"careflow/store"
)

// fakeStore is a func-field fake of the two store methods a Guard uses.
type fakeStore struct {
	get   func(scope, key string) (store.Idempotency, error)
	purge func(before int64) (int64, error)
}

func (f fakeStore) GetIdempotency(_ context.Context, scope, key string) (store.Idempotency, error) {
	return f.get(scope, key)
}

func (f fakeStore) PurgeIdempotency(_ context.Context, before int64) (int64, error) {
	return f.purge(before)
}

func request(key string, body string) *http.Request {
	r := httptest.NewRequest("POST", "/api/v2/records", strings.NewReader(body))
	if key != "" {
		r.Header.Set(idempotency.Header, key)
	}
	return r
}

func TestBegin(t *testing.T) {
	var recorded *store.Idempotency
	g := &idempotency.Guard{Store: fakeStore{get: func(scope, key string) (store.Idempotency, error) {
		if recorded == nil || scope != recorded.Scope || key != recorded.Key {
			return store.Idempotency{}, store.ErrNotFound
		}
		return *recorded, nil
	}}}

	t.Run("NoKey", func(t *testing.T) {
		c, done, err := g.Begin(httptest.NewRecorder(), request("", "{}"), "s", []byte("{}"))
		if c != nil || done || err != nil {
			t.Fatalf("got %v %v %v", c, done, err)
		}
		if c.Record(200, "", nil) != nil {
			t.Fatal("a nil claim recorded something")
		}
	})
	t.Run("ErrKeyInvalid", func(t *testing.T) {
		for _, k := range []string{"has space", strings.Repeat("k", 256), "tab\tkey"} {
			if _, _, err := g.Begin(httptest.NewRecorder(), request(k, "{}"), "s", []byte("{}")); !errors.Is(err, idempotency.ErrKeyInvalid) {
				t.Fatalf("key %q: %v", k, err)
			}
		}
	})
	t.Run("FirstUseThenReplay", func(t *testing.T) {
		c, done, err := g.Begin(httptest.NewRecorder(), request("k1", `{"a":1}`), "s", []byte(`{"a":1}`))
		if c == nil || done || err != nil {
			t.Fatalf("first use: %v %v %v", c, done, err)
		}
		recorded = c.Record(201, "application/json", []byte(`{"ok":true}`))
		recorded.CreatedAt = 1
		w := httptest.NewRecorder()
		c, done, err = g.Begin(w, request("k1", `{"a":1}`), "s", []byte(`{"a":1}`))
		if c != nil || !done || err != nil {
			t.Fatalf("replay: %v %v %v", c, done, err)
		}
		if w.Code != 201 || w.Body.String() != `{"ok":true}` || w.Header().Get(idempotency.ReplayedHeader) != "true" ||
			w.Header().Get("Content-Type") != "application/json" {
			t.Fatalf("replayed %d %q %v", w.Code, w.Body, w.Header())
		}
	})
	t.Run("ErrKeyReused", func(t *testing.T) {
		_, _, err := g.Begin(httptest.NewRecorder(), request("k1", `{"a":2}`), "s", []byte(`{"a":2}`))
		if !errors.Is(err, idempotency.ErrKeyReused) {
			t.Fatalf("another body under the key: %v", err)
		}
	})
	t.Run("ScopesAreApart", func(t *testing.T) {
		c, done, err := g.Begin(httptest.NewRecorder(), request("k1", `{"a":1}`), "other", []byte(`{"a":1}`))
		if c == nil || done || err != nil {
			t.Fatalf("same key in another scope: %v %v %v", c, done, err)
		}
	})
}

func TestPurgeKeepsTheRetentionWindow(t *testing.T) {
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	var before int64
	g := &idempotency.Guard{Now: func() time.Time { return now }, Store: fakeStore{purge: func(b int64) (int64, error) {
		before = b
		return 3, nil
	}}}
	if n, err := g.Purge(context.Background()); n != 3 || err != nil {
		t.Fatalf("purge: %d %v", n, err)
	}
	if want := now.Add(-idempotency.DefaultRetention).UnixMilli(); before != want {
		t.Fatalf("purged before %d, want %d", before, want)
	}
	g.Retention = time.Hour
	g.Purge(context.Background())
	if want := now.Add(-time.Hour).UnixMilli(); before != want {
		t.Fatalf("purged before %d, want %d", before, want)
	}
}
