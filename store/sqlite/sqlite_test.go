package sqlite_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"testing/fstest"

	"careflow/store/sqlite"
	"careflow/store/sqlstore"
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

func TestDocMessagesBackfill(t *testing.T) {
	db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "old.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	storetest.CheckDocMessagesBackfill(t, db, sqlite.Dialect, sqlite.Migrations)
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

// TestMigrateOutOfOrder applies a migration numbered below one the database already has, as
// happens when branches that add migrations in their own number ranges merge.
func TestMigrateOutOfOrder(t *testing.T) {
	db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "m.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	up := func(name string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte("-- +goose Up\nCREATE TABLE " + name + " (id INTEGER);\n-- +goose Down\nDROP TABLE " + name + ";\n")}
	}
	fsys := fstest.MapFS{"m/00001_a.sql": up("a"), "m/00100_c.sql": up("c")}
	if err := sqlstore.Migrate(context.Background(), db, sqlite.Dialect, fsys, "m"); err != nil {
		t.Fatal(err)
	}
	fsys["m/00050_b.sql"] = up("b")
	if err := sqlstore.Migrate(context.Background(), db, sqlite.Dialect, fsys, "m"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO b (id) VALUES (1)`); err != nil {
		t.Fatalf("the lower-numbered migration was not applied: %v", err)
	}
}
