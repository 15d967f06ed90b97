package postgres_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"careflow/store"
	"careflow/store/postgres"
	"careflow/store/storetest"
)

// TestStore runs the shared suite on PostgreSQL, each subtest in a schema of its own. The
// server comes from CAREFLOW_TEST_POSTGRES; without it the test skips locally, and fails in CI,
// where a skipped backend would be a false green.
func TestStore(t *testing.T) {
	dsn := os.Getenv("CAREFLOW_TEST_POSTGRES")
	if dsn == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("CAREFLOW_TEST_POSTGRES is not set in CI: the PostgreSQL backend must be tested")
		}
		t.Skip("CAREFLOW_TEST_POSTGRES not set")
	}
	t.Log("backend: postgres")
	storetest.Run(t, func(t *testing.T) store.Store {
		return OpenTestSchema(t, dsn)
	})
}

// OpenTestSchema opens the store in a new schema that is dropped when the test ends.
func OpenTestSchema(t *testing.T, dsn string) store.Store {
	t.Helper()
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Exec("DROP SCHEMA " + schema + " CASCADE") })
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	s, err := postgres.Open(context.Background(), u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
