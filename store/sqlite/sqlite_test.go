package sqlite_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"careflow/store/sqlite"
	"careflow/store/storetest"
)

func TestStore(t *testing.T) {
	t.Log("backend: sqlite")
	storetest.Run(t, storetest.OpenSQLite)
}

func TestRefBackfill(t *testing.T) {
	db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "old.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	storetest.CheckRefBackfill(t, db, sqlite.Dialect, sqlite.Migrations)
}

// TestFilesOwnerOnly: the database and its WAL files hold password hashes and sealed
// credentials; they are created 0600 even under a permissive umask and folder.
func TestFilesOwnerOnly(t *testing.T) {
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	old := syscall.Umask(0)
	defer syscall.Umask(old)
	path := filepath.Join(dir, "careflow.db")
	s, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.PutSettings(context.Background(), []byte(`{}`), ""); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		info, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if mode := info.Mode().Perm(); mode != 0o600 {
			t.Fatalf("%s has mode %o", filepath.Base(p), mode)
		}
	}
}
