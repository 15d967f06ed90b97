// Package postgres is careflow's shared backend: store.Store on PostgreSQL through pgx v5, for
// when several careflow nodes share one database.
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"careflow/store/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Dialect is PostgreSQL's side of the shared SQL: rows read before a change are locked so
// concurrent nodes serialise on the document, not on the whole table.
var Dialect = sqlstore.Dialect{Name: "postgres", Goose: goose.DialectPostgres, ForUpdate: " FOR UPDATE",
	SkipLocked: " FOR UPDATE SKIP LOCKED", BatchRows: 64}

// maxConns bounds a node's connections; several nodes share the server's max_connections
// (100 by default).
const maxConns = 20

// Open connects with a postgres:// DSN, applies pending migrations and returns the store.
// Migrations take an advisory lock (goose's session locker) so nodes starting together do not
// race on them.
func Open(ctx context.Context, dsn string) (*sqlstore.Store, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	// database/sql keeps only 2 idle connections by default: under load every other query
	// then opened a new connection, each paying a TCP handshake and SCRAM's PBKDF2 on both
	// sides (measured: 15% of the node's CPU and multi-second waits for a connection). Keep
	// the whole pool open.
	db.SetMaxOpenConns(maxConns)
	db.SetMaxIdleConns(maxConns)
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres: connect: %w", err)
	}
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if err := sqlstore.Migrate(ctx, db, Dialect, migrations, "migrations", goose.WithSessionLocker(locker), sqlstore.DocMessagesMigration()); err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres: %w", err)
	}
	return sqlstore.New(db, Dialect), nil
}
