package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// Group commit, for SQLite: one writer at a time is all it allows, so concurrent write
// transactions queue anyway. Instead of each taking the write lock, running and committing
// in turn, the first to arrive leads: it opens one transaction, runs every queued
// transaction's work in it, each inside its own savepoint, and commits once for all. A
// failing piece of work is rolled back to its savepoint and fails alone; the others commit.
// Callers see the same contract as before: their fn ran in a transaction that committed
// (nil) or left no trace (an error).

// maxGroup bounds how many transactions one commit carries, so a leader hands over and its
// own caller is answered within a bounded time.
const maxGroup = 64

type groupWork struct {
	ctx  context.Context
	fn   func(tx *sql.Tx) error
	err  error
	done chan struct{}
}

// committer queues write transactions for group commit.
type committer struct {
	mu      sync.Mutex
	queue   []*groupWork
	leading bool
	// conn is the connection every group runs on. One connection for all writes keeps each
	// statement prepared once rather than once per pooled connection, and keeps the pages
	// the writes touch in one page cache instead of re-reading them, changed, into another's.
	conn *sql.Conn
	// commits counts committed groups, for the checkpointer.
	commits atomic.Int64
	// stopCheckpoints ends the checkpointer (nil: not started); checkpoints counts its runs.
	stopCheckpoints func()
	checkpoints     atomic.Int64
}

// checkpointEvery is how often the checkpointer looks for commits to checkpoint.
const checkpointEvery = 200 * time.Millisecond

// startCheckpoints (called with c.mu held) runs Dialect.Checkpoint in the background while there are commits, on a
// pooled connection: SQLite otherwise checkpoints in the commit that fills the log past its
// threshold, and the copy and the syncs it does then hold up every write queued behind it.
func (s *Store) startCheckpoints() {
	c := &s.group
	if s.Dialect.Checkpoint == "" || c.stopCheckpoints != nil {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	c.stopCheckpoints = func() { cancel(); <-done }
	go func() {
		defer close(done)
		t := time.NewTicker(checkpointEvery)
		defer t.Stop()
		seen := c.commits.Load()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			if n := c.commits.Load(); n != seen {
				seen = n
				// A failure (the database busy or closing) is retried on the next tick, and
				// SQLite still checkpoints itself past its own threshold.
				if _, err := s.DB.ExecContext(ctx, s.Dialect.Checkpoint); err == nil {
					c.checkpoints.Add(1)
				}
			}
		}
	}()
}

// groupBegin opens a group's transaction on the committer's connection (only the leader calls it).
func (s *Store) groupBegin(ctx context.Context) (*sql.Tx, error) {
	c := &s.group
	c.mu.Lock()
	conn := c.conn
	c.mu.Unlock()
	if conn == nil {
		var err error
		if conn, err = s.DB.Conn(context.WithoutCancel(ctx)); err != nil {
			return nil, err
		}
		if s.Dialect.WriterSetup != "" {
			if _, err := conn.ExecContext(context.WithoutCancel(ctx), s.Dialect.WriterSetup); err != nil {
				conn.Close()
				return nil, err
			}
		}
		c.mu.Lock()
		c.conn = conn
		s.startCheckpoints()
		c.mu.Unlock()
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil && ctx.Err() == nil {
		// A broken connection is replaced on the next group.
		c.mu.Lock()
		c.conn = nil
		c.mu.Unlock()
		conn.Close()
	}
	return tx, err
}

// closeGroup returns the committer's connection to the pool.
func (s *Store) closeGroup() {
	c := &s.group
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stopCheckpoints != nil {
		c.stopCheckpoints()
	}
	if c.conn != nil {
		c.conn.Close()
		c.conn = nil
	}
}

// inGroupTx runs fn as part of a group transaction and returns once the group committed (or
// fn failed and was rolled back).
func (s *Store) inGroupTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	w := &groupWork{ctx: ctx, fn: fn, done: make(chan struct{})}
	c := &s.group
	c.mu.Lock()
	c.queue = append(c.queue, w)
	lead := !c.leading
	c.leading = true
	c.mu.Unlock()
	if lead {
		s.leadGroups()
	}
	<-w.done
	return w.err
}

// leadGroups commits one group of what is queued, then hands the lead to a new goroutine if
// more is queued, so the leader's own caller is answered after its own group rather than
// after the queue runs dry.
func (s *Store) leadGroups() {
	c := &s.group
	c.mu.Lock()
	n := min(len(c.queue), maxGroup)
	group := c.queue[:n:n]
	c.queue = c.queue[n:]
	c.mu.Unlock()
	s.commitGroup(group)
	for _, w := range group {
		close(w.done)
	}
	c.mu.Lock()
	more := len(c.queue) > 0
	if !more {
		c.leading = false
	}
	c.mu.Unlock()
	if more {
		go s.leadGroups()
	}
}

// commitGroup runs group in one transaction. The transaction outlives any one caller's
// cancellation (it carries the others' work); a cancelled caller's own statements fail and
// roll back to its savepoint.
func (s *Store) commitGroup(group []*groupWork) {
	fail := func(err error) {
		for _, w := range group {
			if w.err == nil {
				w.err = err
			}
		}
	}
	if len(group) == 1 {
		w := group[0]
		w.err = s.runOneTx(w.ctx, w.fn)
		return
	}
	ctx := context.WithoutCancel(group[0].ctx)
	tx, err := s.groupBegin(ctx)
	if err != nil {
		fail(fmt.Errorf("begin: %w", err))
		return
	}
	applied := 0
	for _, w := range group {
		if err := w.ctx.Err(); err != nil {
			w.err = err
			continue
		}
		if _, err := tx.ExecContext(ctx, "SAVEPOINT grp"); err != nil {
			_ = tx.Rollback()
			fail(fmt.Errorf("savepoint: %w", err))
			return
		}
		if w.err = w.fn(tx); w.err != nil {
			if _, err := tx.ExecContext(ctx, "ROLLBACK TO grp"); err != nil {
				_ = tx.Rollback()
				fail(fmt.Errorf("rollback to savepoint: %w", err))
				return
			}
		} else {
			applied++
		}
		if _, err := tx.ExecContext(ctx, "RELEASE grp"); err != nil {
			_ = tx.Rollback()
			fail(fmt.Errorf("release savepoint: %w", err))
			return
		}
	}
	if applied == 0 {
		_ = tx.Rollback()
		return
	}
	if err := tx.Commit(); err != nil {
		fail(fmt.Errorf("commit: %w", err))
		return
	}
	s.group.commits.Add(1)
}

// runOneTx runs a group of one without savepoints.
func (s *Store) runOneTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.groupBegin(ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := finishTx(tx, fn); err != nil {
		return err
	}
	s.group.commits.Add(1)
	return nil
}
