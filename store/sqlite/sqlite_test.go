package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"careflow/store"
	"careflow/store/sqlite"
	"careflow/store/storetest"
)

func TestStore(t *testing.T) {
	t.Log("backend: sqlite")
	storetest.Run(t, func(t *testing.T) store.Store {
		s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "careflow.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}
