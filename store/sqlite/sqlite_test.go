package sqlite_test

import (
	"database/sql"
	"path/filepath"
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
