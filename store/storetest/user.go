package storetest

import (
	"errors"
	"testing"

	"careflow/store"
)

func testUsers(t *testing.T, open Opener) {
	s := open(t)
	u := store.User{Name: "rapidpro", PasswordHash: "h1", Roles: []string{"gateway", "mm-online"}, Settings: []byte(`{"fullname":"RP"}`)}
	rev, err := s.CreateUser(ctx(), u)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateUser(ctx(), u); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("duplicate create: %v", err)
	}
	got, err := s.GetUser(ctx(), "rapidpro")
	if err != nil || got.Rev != rev || got.Roles[1] != "mm-online" || string(got.Settings) != `{"fullname":"RP"}` || got.CreatedAt == 0 {
		t.Fatalf("get: %+v %v", got, err)
	}
	got.Roles = []string{"admin"}
	if _, err := s.UpdateUser(ctx(), got); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateUser(ctx(), got); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("stale update: %v", err)
	}
	if _, err := s.UpdateUser(ctx(), store.User{Name: "ghost"}); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("update missing: %v", err)
	}
	s.CreateUser(ctx(), store.User{Name: "alice", PasswordHash: "x"})
	list, _ := s.ListUsers(ctx())
	if len(list) != 2 || list[0].Name != "alice" || list[1].Roles[0] != "admin" || len(list[0].Roles) != 0 {
		t.Fatalf("list %+v", list)
	}
	if err := s.DeleteUser(ctx(), "alice"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteUser(ctx(), "alice"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("double delete: %v", err)
	}
}
