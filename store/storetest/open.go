package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"careflow/store"
	"careflow/store/postgres"
	"careflow/store/sqlite"
)

// OpenSQLite opens a fresh store in a file under t.TempDir() (a real file, so WAL and locking
// are real).
func OpenSQLite(t *testing.T) store.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "careflow.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// PostgresDSN returns the test server from CAREFLOW_TEST_POSTGRES. Without it the test is
// skipped locally and fails in CI (CI set), where a skipped backend would be a false green.
func PostgresDSN(t *testing.T) string {
	t.Helper()
	dsn := os.Getenv("CAREFLOW_TEST_POSTGRES")
	if dsn == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("CAREFLOW_TEST_POSTGRES is not set in CI: the PostgreSQL backend must be tested")
		}
		t.Skip("CAREFLOW_TEST_POSTGRES not set")
	}
	return dsn
}

// OpenPostgres opens a fresh store in a new schema of the test server, dropped when the test
// ends; see PostgresDSN for when it skips.
func OpenPostgres(t *testing.T) store.Store {
	t.Helper()
	dsn := PostgresSchemaDSN(t)
	s, err := postgres.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// PostgresSchemaDSN creates a new empty schema, dropped when the test ends, and returns a DSN
// whose search_path selects it (for tests that start whole servers on PostgreSQL).
func PostgresSchemaDSN(t *testing.T) string {
	t.Helper()
	dsn := PostgresDSN(t)
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		admin.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	})
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Backends lists both backends by name, for tests of code above the store that must hold on
// each: for name, open := range storetest.Backends() { t.Run(name, ...) }.
func Backends() map[string]Opener {
	return map[string]Opener{"sqlite": OpenSQLite, "postgres": OpenPostgres}
}
