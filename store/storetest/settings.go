package storetest

import (
	"errors"
	"testing"

	"careflow/store"
)

func testSettings(t *testing.T, open Opener) {
	s := open(t)
	if _, err := s.GetSettings(ctx()); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("empty: %v", err)
	}
	r1, err := s.PutSettings(ctx(), []byte(`{"a":1}`), "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.PutSettings(ctx(), []byte(`{"a":2}`), ""); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("second create: %v", err)
	}
	if _, err := s.PutSettings(ctx(), []byte(`{"a":2}`), "1-stale"); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("stale: %v", err)
	}
	if _, err := s.PutSettings(ctx(), []byte(`{"a":3}`), r1); err != nil {
		t.Fatal(err)
	}
	got, _ := s.GetSettings(ctx())
	if string(got.Body) != `{"a":3}` {
		t.Fatalf("body %s", got.Body)
	}
}
