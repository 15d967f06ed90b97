package cht

import (
	"strings"
	"testing"
)

func TestPasswordHash(t *testing.T) {
	hash, err := HashPassword("Tq9!vRapid-Pro-2026", 1000)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "pbkdf2-sha256$1000$") || strings.Contains(hash, "Rapid") {
		t.Fatalf("hash %q", hash)
	}
	cases := []struct {
		name     string
		hash     string
		password string
		want     bool
		wantErr  bool
	}{
		{"RightPasswordVerifies", hash, "Tq9!vRapid-Pro-2026", true, false},
		{"WrongPasswordFails", hash, "Tq9!vRapid-Pro-2027", false, false},
		{"UnknownSchemeIsAnError", "md5$x", "a", false, true},
		{"BadIterationsIsAnError", "pbkdf2-sha256$x$a$b", "a", false, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ok, err := VerifyPassword(tc.hash, tc.password)
			if ok != tc.want || (err != nil) != tc.wantErr {
				t.Fatalf("VerifyPassword = %v, %v", ok, err)
			}
		})
	}
	if again, _ := HashPassword("Tq9!vRapid-Pro-2026", 1000); again == hash {
		t.Fatal("two hashes of one password are equal: no salt")
	}
}

func TestCheckPassword(t *testing.T) {
	cases := []struct {
		name, password, wantKey string
	}{
		{"TooShort", "Ab1!", "password.length.minimum"},
		{"OneClassIsWeak", "abcdefghij", "password.weak"},
		{"RepeatedIsWeak", "aaaaaaaaaaaaaaaaaaaa", "password.weak"},
		{"MixedIsFine", "Tq9!vRapid-Pro-2026", ""},
		{"LongDistinctIsFine", "correct horse battery", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := checkPassword(tc.password)
			key := ""
			if err != nil {
				key = err.(*Error).Translation.Key
			}
			if key != tc.wantKey {
				t.Fatalf("checkPassword(%q) gave %q, want %q", tc.password, key, tc.wantKey)
			}
		})
	}
}
