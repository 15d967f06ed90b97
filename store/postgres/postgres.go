// Package postgres is careflow's shared backend: store.Store on PostgreSQL through pgx v5, for
// when several careflow nodes share one database.
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"net/url"
	"strconv"
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

// defaultMaxConns bounds a node's connections unless the DSN's max_conns says otherwise.
// Several nodes share the server's max_connections (100 by default), and more connections
// than the server has cores to run them only queue inside it: with 20 per node, two nodes
// and the server on two cores took records at the same rate as with 8, but their slowest
// request waited 0.3–0.9 s instead of 0.1–0.2 s.
const defaultMaxConns = 8

// maxConnsParam is careflow's own DSN parameter, taken out before the DSN reaches the driver
// (which would send it to the server as a setting).
const maxConnsParam = "max_conns"

// planCacheParam is the server setting careflow gives its connections unless the DSN sets it.
// pgx prepares every statement once per connection, and after five runs PostgreSQL may switch
// a prepared statement to a generic plan chosen from the statistics of that moment, for the
// rest of the connection's life. A fresh database's tables are tiny when first analysed, so
// the generic plans it picked scanned whole tables: the contacts-by-phone lookup read every
// document through the type index (1.4 ms a call, most of the server's CPU under the records
// benchmark) instead of the phone index, and the runtime's contact-URN and contact-task lookups
// did the same. A custom plan per execution costs a little planning and follows the data.
const (
	planCacheParam   = "plan_cache_mode"
	planCacheDefault = "force_custom_plan"
)

// connSettings returns the DSN to give the driver (without max_conns, with plan_cache_mode
// unless set) and the pool size (defaultMaxConns when max_conns is absent).
func connSettings(dsn string) (string, int, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return "", 0, fmt.Errorf("postgres: the DSN is not a URL: %w", err)
	}
	q := u.Query()
	n := defaultMaxConns
	if q.Has(maxConnsParam) {
		n, err = strconv.Atoi(q.Get(maxConnsParam))
		if err != nil || n < 1 || n > 1000 {
			return "", 0, fmt.Errorf("postgres: DSN parameter %s=%q is not a number from 1 to 1000", maxConnsParam, q.Get(maxConnsParam))
		}
		q.Del(maxConnsParam)
	}
	if !q.Has(planCacheParam) {
		q.Set(planCacheParam, planCacheDefault)
	}
	u.RawQuery = q.Encode()
	return u.String(), n, nil
}

// Open connects with a postgres:// DSN, applies pending migrations and returns the store.
// Migrations take an advisory lock (goose's session locker) so nodes starting together do not
// race on them.
func Open(ctx context.Context, dsn string) (*sqlstore.Store, error) {
	dsn, maxConns, err := connSettings(dsn)
	if err != nil {
		return nil, err
	}
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
