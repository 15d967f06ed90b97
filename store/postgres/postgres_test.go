package postgres_test

import (
	"testing"

	"careflow/store/storetest"
)

// TestStore runs the shared suite on PostgreSQL, each subtest in a schema of its own.
func TestStore(t *testing.T) {
	storetest.PostgresDSN(t)
	t.Log("backend: postgres")
	storetest.Run(t, storetest.OpenPostgres)
}
