package storetest

import (
	"errors"
	"testing"

	"careflow/store"
)

func testCredentials(t *testing.T, open Opener) {
	s := open(t)
	if _, err := s.GetCredential(ctx(), "k"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("missing: %v", err)
	}
	for _, v := range []string{"first", "second\x00bytes"} {
		if err := s.PutCredential(ctx(), "k", []byte(v)); err != nil {
			t.Fatal(err)
		}
		got, err := s.GetCredential(ctx(), "k")
		if err != nil || string(got) != v {
			t.Fatalf("got %q %v", got, err)
		}
	}
	s.PutCredential(ctx(), "a", []byte("x"))
	keys, _ := s.ListCredentialKeys(ctx())
	if len(keys) != 2 || keys[0] != "a" || keys[1] != "k" {
		t.Fatalf("keys %v", keys)
	}
	if err := s.DeleteCredential(ctx(), "a"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteCredential(ctx(), "a"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("double delete: %v", err)
	}
}
