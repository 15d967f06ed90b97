package sqlite_test

import (
	"testing"

	"careflow/store/storetest"
)

func TestStore(t *testing.T) {
	t.Log("backend: sqlite")
	storetest.Run(t, storetest.OpenSQLite)
}
