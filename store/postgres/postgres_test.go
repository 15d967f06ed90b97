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

func TestConnSettings(t *testing.T) {
	dsn, n, err := postgres.ConnSettings("postgres://u:p@127.0.0.1:5432/db?sslmode=disable")
	if err != nil || n != 8 || dsn != "postgres://u:p@127.0.0.1:5432/db?plan_cache_mode=force_custom_plan&sslmode=disable" {
		t.Fatalf("without the parameters: %q %d %v", dsn, n, err)
	}
	dsn, n, err = postgres.ConnSettings("postgres://u:p@127.0.0.1:5432/db?max_conns=24&sslmode=disable&plan_cache_mode=auto")
	if err != nil || n != 24 || dsn != "postgres://u:p@127.0.0.1:5432/db?plan_cache_mode=auto&sslmode=disable" {
		t.Fatalf("with max_conns=24 and plan_cache_mode=auto: %q %d %v", dsn, n, err)
	}
	for _, bad := range []string{"0", "-1", "x", "1001", ""} {
		if _, _, err := postgres.ConnSettings("postgres://h/db?max_conns=" + bad); err == nil || !strings.Contains(err.Error(), "max_conns") {
			t.Errorf("max_conns=%q: want an error naming the parameter, got %v", bad, err)
		}
	}
}

// Every connection of the pool plans each execution for its own arguments (unless the DSN
// says otherwise), and a lookup by phone on a store that grew after its statements were
// first run still uses the phone index.
func TestCustomPlans(t *testing.T) {
	s := openWithMaxConns(t, 2)
	ctx := t.Context()
	var mode string
	if err := s.DB.QueryRowContext(ctx, "SHOW plan_cache_mode").Scan(&mode); err != nil || mode != "force_custom_plan" {
		t.Fatalf("plan_cache_mode %q (%v), want force_custom_plan", mode, err)
	}
	// Analyse the table while it is tiny (as autovacuum does after its first 50 rows), run
	// the lookup more than five times (when PostgreSQL would settle on a generic plan), then
	// grow the table and ask for the plan of the same statement on the same connection.
	conn, err := s.DB.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `INSERT INTO docs (id, rev, deleted, fields, seq, type, phone, created_at, updated_at)
		SELECT 'c' || g, '1-a', 0, '{}', g, 'person', '+2546' || lpad(g::text, 8, '0'), 0, 0 FROM generate_series(1, 50) g`); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, "ANALYZE docs"); err != nil {
		t.Fatal(err)
	}
	const lookup = "SELECT id FROM docs WHERE deleted = 0 AND phone = $1 AND phone <> '' ORDER BY id"
	if _, err := conn.ExecContext(ctx, "PREPARE byphone(text) AS "+lookup); err != nil {
		t.Fatal(err)
	}
	for range 8 {
		if _, err := conn.ExecContext(ctx, "EXECUTE byphone('+254700000001')"); err != nil {
			t.Fatal(err)
		}
	}
	// No ANALYZE: autovacuum had not got to the table either when the benchmark ran.
	if _, err := conn.ExecContext(ctx, `INSERT INTO docs (id, rev, deleted, fields, seq, type, phone, created_at, updated_at)
		SELECT 'p' || g, '1-a', 0, '{}', 100 + g, 'person', '+2547' || lpad(g::text, 8, '0'), 0, 0 FROM generate_series(1, 20000) g`); err != nil {
		t.Fatal(err)
	}
	rows, err := conn.QueryContext(ctx, "EXPLAIN EXECUTE byphone('+254700000001')")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan strings.Builder
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			t.Fatal(err)
		}
		plan.WriteString(line + "\n")
	}
	if !strings.Contains(plan.String(), "docs_phone") {
		t.Errorf("the phone lookup does not use the phone index:\n%s", plan.String())
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
