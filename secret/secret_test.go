package secret

import (
	"bytes"
	"path/filepath"
	"testing"
)

func TestSealOpen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "secret.key")
	k1, created, err := LoadOrCreateKeyFile(path)
	if err != nil || !created {
		t.Fatalf("create: %v %v", created, err)
	}
	k2, created, err := LoadOrCreateKeyFile(path)
	if err != nil || created || !bytes.Equal(k1, k2) {
		t.Fatalf("reload: %v %v", created, err)
	}
	box, _ := NewBox(k1)
	sealed := box.Seal("rapidpro:token", []byte("Token abc"))
	if bytes.Contains(sealed, []byte("Token abc")) {
		t.Fatal("plain text visible in sealed value")
	}
	if got, err := box.Open("rapidpro:token", sealed); err != nil || string(got) != "Token abc" {
		t.Fatalf("open: %q %v", got, err)
	}
	if _, err := box.Open("other", sealed); err == nil {
		t.Fatal("opened under another name")
	}
	other, _ := NewBox(bytes.Repeat([]byte{7}, KeySize))
	if _, err := other.Open("rapidpro:token", sealed); err == nil {
		t.Fatal("opened with another key")
	}
	if _, err := ParseKey("abcd"); err == nil {
		t.Fatal("short key accepted")
	}
}
