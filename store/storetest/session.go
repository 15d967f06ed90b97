package storetest

import (
	"testing"
	"time"
)

func testSessions(t *testing.T, open Opener) {
	s := open(t)
	later := time.Now().Add(time.Hour).UnixMilli()
	if revoked, err := s.SessionRevoked(ctx(), "d1"); err != nil || revoked {
		t.Fatalf("unknown digest: %v %v", revoked, err)
	}
	for range 2 { // revoking twice is fine
		if err := s.RevokeSession(ctx(), "d1", later); err != nil {
			t.Fatal(err)
		}
	}
	if revoked, err := s.SessionRevoked(ctx(), "d1"); err != nil || !revoked {
		t.Fatalf("revoked digest: %v %v", revoked, err)
	}
	// An entry past its expiry is dropped by the next revocation: the token is dead anyway.
	if err := s.RevokeSession(ctx(), "old", time.Now().Add(-time.Hour).UnixMilli()); err != nil {
		t.Fatal(err)
	}
	if err := s.RevokeSession(ctx(), "d2", later); err != nil {
		t.Fatal(err)
	}
	if revoked, _ := s.SessionRevoked(ctx(), "old"); revoked {
		t.Fatal("an expired revocation was kept")
	}
	if revoked, _ := s.SessionRevoked(ctx(), "d1"); !revoked {
		t.Fatal("a live revocation was dropped")
	}
}
