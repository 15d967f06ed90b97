// Package sqlstore implements store.Store over database/sql with SQL that SQLite and
// PostgreSQL both accept ($N placeholders, ON CONFLICT, RETURNING). The backend packages
// open the database, apply their own migrations and supply a Dialect for the few places the
// two differ. It imports no driver.
package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"time"

	"github.com/pressly/goose/v3"

	"careflow/store"
)

// Dialect is what differs between the backends.
type Dialect struct {
	// Name is the backend's name ("sqlite", "postgres").
	Name string
	// Goose is the migration dialect.
	Goose goose.Dialect
	// ForUpdate is appended to a SELECT that reads a row the transaction will change: row locks
	// on PostgreSQL; empty on SQLite, whose write transactions are already exclusive.
	ForUpdate string
	// SkipLocked is appended to a SELECT of rows to take unless another transaction holds
	// them: " FOR UPDATE SKIP LOCKED" on PostgreSQL; empty on SQLite (one writer at a time).
	SkipLocked string
	// GroupCommit folds concurrent write transactions of the process into shared commits
	// (see groupcommit.go). SQLite allows one writer at a time; queueing in Go wakes the next
	// writer the moment the last commits, where SQLite's busy handler sleeps and polls
	// (measured: p50 of a write-heavy load from 38-301 ms down to 18-24 ms), and one commit
	// then serves every writer that queued meanwhile.
	GroupCommit bool
	// CompactUUIDs keeps UUIDs in the messaging tables' per-contact columns as 16-byte blobs
	// instead of 36 characters of text. Some twenty of them go with each waiting contact, so
	// on SQLite, where a single file must hold a million such contacts, this saves about a
	// third of the disk. PostgreSQL keeps text.
	CompactUUIDs bool
	// BatchRows is how many rows a multi-row statement of a scene commit writes (0: 32). Each
	// statement is a round trip to PostgreSQL, so more is better there. On SQLite 8 did best
	// while the driver looked each parameter up by name (CPU per scene 130 µs at 8 rows, 205
	// at 64); with anonymous parameters (store/sqlite) 32 rows write a scene batch in about a
	// tenth less time than 8.
	BatchRows int
	// Checkpoint, when set, is run in the background after group commits (SQLite's WAL
	// checkpoint), see startCheckpoints.
	Checkpoint string
	// WriterSetup, when set, is run once on the group committer's connection.
	WriterSetup string
}

// Store is a store.Store on a database/sql handle.
type Store struct {
	DB      *sql.DB
	Dialect Dialect
	// Now gives the time recorded on writes; tests may replace it.
	Now func() time.Time

	group committer
	// prepared caches statements prepared on the database (see preparedStmt).
	prepared preparedCache
}

var _ store.Store = (*Store)(nil)

// New wraps an open, migrated database.
func New(db *sql.DB, d Dialect) *Store {
	return &Store{DB: db, Dialect: d, Now: time.Now, prepared: preparedCache{db: db}}
}

// Migrate applies the migrations found in dir of fsys that the database lacks.
func Migrate(ctx context.Context, db *sql.DB, d Dialect, fsys fs.FS, dir string, opts ...goose.ProviderOption) error {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	// Branches add migrations in number ranges of their own, so a database may already have a
	// higher number than one merged later.
	opts = append([]goose.ProviderOption{goose.WithAllowOutofOrder(true)}, opts...)
	p, err := goose.NewProvider(d.Goose, db, sub, opts...)
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

// Backend implements store.Store.
func (s *Store) Backend() string { return s.Dialect.Name }

// Ping implements store.Store.
func (s *Store) Ping(ctx context.Context) error { return s.DB.PingContext(ctx) }

// Close implements store.Store.
func (s *Store) Close() error {
	s.closeGroup()
	return s.DB.Close()
}

func (s *Store) nowMS() int64 { return s.Now().UnixMilli() }

// inTx runs fn in a transaction, committing when it returns nil. The rollback after a failure
// or a cancelled context runs detached from ctx so it always happens.
func (s *Store) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if s.Dialect.GroupCommit {
		return s.inGroupTx(ctx, fn)
	}
	return s.runTx(ctx, fn)
}

// runTx runs fn in a transaction of its own.
func (s *Store) runTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	return finishTx(tx, fn)
}

// finishTx runs fn in tx and commits, or rolls back when fn fails.
func finishTx(tx *sql.Tx, fn func(tx *sql.Tx) error) error {
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}
