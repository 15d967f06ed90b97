// Package sqlite is careflow's embedded backend: store.Store on a SQLite file through the pure-Go
// modernc.org/sqlite driver, so the binary needs no C toolchain and no other service.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"

	"github.com/pressly/goose/v3"

	"careflow/store/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Dialect is SQLite's side of the shared SQL.
var Dialect = sqlstore.Dialect{Name: "sqlite", Goose: goose.DialectSQLite3, GroupCommit: true, CompactUUIDs: true,
	Checkpoint: "PRAGMA wal_checkpoint(PASSIVE)",
	// The group commit's savepoints journal the pages they change: on a temporary file past
	// 64 KB, unless temporary storage is memory. Only the committer's connection gets that,
	// which runs no large sorts; readers keep temporary files, so a big sort spills to disk
	// rather than growing the process.
	WriterSetup: "PRAGMA temp_store = MEMORY"}

// Open opens (creating if needed) the database file at path, applies pending migrations and
// returns the store. WAL lets readers proceed during a write; write transactions start
// IMMEDIATE so two writers queue on the busy timeout instead of failing on lock upgrade.
// A 32 MB page cache per connection (SQLite's default is 2 MB) keeps the upper levels of the
// messaging indexes in memory once they outgrow the default: committing scenes against
// 100,000 contacts went from 3,700 to 4,700 a second.
func Open(ctx context.Context, path string) (*sqlstore.Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	// The database holds password hashes and sealed credentials: create it readable by its
	// owner only, whatever the umask or the folder's mode. SQLite gives its -wal and -shm
	// files the database file's mode, so they follow.
	if f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600); err == nil {
		f.Close()
	} else if !errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("sqlite: create %s: %w", path, err)
	}
	q := url.Values{}
	for _, p := range []string{"busy_timeout(10000)", "journal_mode(WAL)", "synchronous(NORMAL)", "foreign_keys(1)", "cache_size(-32768)", "wal_autocheckpoint(8000)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	db, err := sql.Open(driverName, "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	// One writer at a time is all SQLite allows; a handful of connections serve readers.
	// Every one of them stays open: database/sql keeps two idle by default, and under 50
	// concurrent API clients the rest were closed and reopened (pragmas, schema parse)
	// request after request — a sixth of the records API's CPU.
	db.SetMaxOpenConns(8)
	db.SetMaxIdleConns(8)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	if err := sqlstore.Migrate(ctx, db, Dialect, migrations, "migrations", sqlstore.DocMessagesMigration()); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	return sqlstore.New(db, Dialect), nil
}
