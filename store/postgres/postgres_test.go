package postgres_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"careflow/store"
	"careflow/store/postgres"
	"careflow/store/sqlstore"
	"careflow/store/storetest"
)

// TestStore runs the shared suite on PostgreSQL, each subtest in a schema of its own.
func TestStore(t *testing.T) {
	storetest.PostgresDSN(t)
	t.Log("backend: postgres")
	storetest.Run(t, storetest.OpenPostgres)
}

func TestRefBackfill(t *testing.T) {
	db, err := sql.Open("pgx", storetest.PostgresSchemaDSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	storetest.CheckRefBackfill(t, db, postgres.Dialect, postgres.Migrations)
}

func TestDocMessagesBackfill(t *testing.T) {
	db, err := sql.Open("pgx", storetest.PostgresSchemaDSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	storetest.CheckDocMessagesBackfill(t, db, postgres.Dialect, postgres.Migrations)
}

func TestMaxConnsParameter(t *testing.T) {
	dsn, n, err := postgres.SplitMaxConns("postgres://u:p@127.0.0.1:5432/db?sslmode=disable")
	if err != nil || n != 8 || dsn != "postgres://u:p@127.0.0.1:5432/db?sslmode=disable" {
		t.Fatalf("without the parameter: %q %d %v", dsn, n, err)
	}
	dsn, n, err = postgres.SplitMaxConns("postgres://u:p@127.0.0.1:5432/db?max_conns=24&sslmode=disable")
	if err != nil || n != 24 || dsn != "postgres://u:p@127.0.0.1:5432/db?sslmode=disable" {
		t.Fatalf("with max_conns=24: %q %d %v", dsn, n, err)
	}
	for _, bad := range []string{"0", "-1", "x", "1001", ""} {
		if _, _, err := postgres.SplitMaxConns("postgres://h/db?max_conns=" + bad); err == nil || !strings.Contains(err.Error(), "max_conns") {
			t.Errorf("max_conns=%q: want an error naming the parameter, got %v", bad, err)
		}
	}
}

// Opening with the parameter works: the driver never sees it.
func TestOpenWithMaxConns(t *testing.T) {
	s := openWithMaxConns(t, 3)
	if got := s.DB.Stats().MaxOpenConnections; got != 3 {
		t.Errorf("max open connections %d, want 3", got)
	}
}

// More writers than connections, on a fresh store (no statement prepared yet), contending for
// one row: a transaction never waits for a second connection (to prepare a statement on), so
// the row's lock holder always gets on and every writer finishes.
func TestWritersOutnumberConnections(t *testing.T) {
	s := openWithMaxConns(t, 2)
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	res, err := s.WriteDocs(ctx, []store.DocWrite{{ID: "c", Fields: []byte(`{}`)}})
	if err != nil || res[0].Err != nil {
		t.Fatal(err, res)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.WriteDocs(ctx, []store.DocWrite{{ID: "c", Rev: res[0].Rev, Fields: []byte(fmt.Sprintf(`{"i":%d}`, i))}})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("a writer failed (a deadlock ends in the timeout): %v", err)
		}
	}
}

// openWithMaxConns opens a store in a fresh schema with max_conns=n in its DSN.
func openWithMaxConns(t *testing.T, n int) *sqlstore.Store {
	t.Helper()
	base := storetest.PostgresSchemaDSN(t)
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	s, err := postgres.Open(t.Context(), fmt.Sprintf("%s%smax_conns=%d", base, sep, n))
	if err != nil {
		t.Fatalf("open with max_conns=%d: %v", n, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
