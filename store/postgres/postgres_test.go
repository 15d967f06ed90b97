package postgres_test

import (
	"database/sql"
	"testing"

	"careflow/store/postgres"
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
