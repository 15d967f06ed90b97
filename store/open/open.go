// Package open picks a store backend from a data source name: a postgres:// or postgresql://
// URL selects PostgreSQL, anything else is a SQLite file path (an optional sqlite:// or
// file: prefix is accepted).
package open

import (
	"context"
	"strings"

	"careflow/store"
	"careflow/store/postgres"
	"careflow/store/sqlite"
)

// Open opens and migrates the store named by dsn.
func Open(ctx context.Context, dsn string) (store.Store, error) {
	switch {
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		return postgres.Open(ctx, dsn)
	case strings.HasPrefix(dsn, "sqlite://"):
		return sqlite.Open(ctx, strings.TrimPrefix(dsn, "sqlite://"))
	case strings.HasPrefix(dsn, "file:"):
		return sqlite.Open(ctx, strings.TrimPrefix(dsn, "file:"))
	default:
		return sqlite.Open(ctx, dsn)
	}
}
