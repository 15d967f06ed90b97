package sqlstore

import (
	"context"
	"database/sql"
	"sync"
	"time"
)

// preparedCache keeps statements prepared on the database, so a transaction's statements
// (stmtTx) reuse what each connection already prepared instead of preparing every statement
// again in every transaction: parsing SQL was about a twentieth of the CPU a busy messaging
// workload spent. Statements whose text varies without bound (IN lists of any length) would
// fill it, so past maxPrepared new texts are prepared per transaction as before.
type preparedCache struct {
	db *sql.DB
	mu sync.Mutex
	m  map[string]*sql.Stmt
	// preparing holds the texts a transaction missed, being prepared in the background.
	preparing map[string]bool
}

const maxPrepared = 1000

// get returns the database-prepared statement for q, preparing it on first use, or nil when
// the cache is full or q does not prepare (the caller then runs q unprepared, which reports
// the error). Preparing takes a pooled connection: only callers that hold none may call get
// (a transaction uses forTx), and the lock is not held meanwhile, so nobody waits for a
// connection while others wait for the lock.
func (c *preparedCache) get(ctx context.Context, q string) *sql.Stmt {
	if c == nil || c.db == nil {
		return nil
	}
	c.mu.Lock()
	st, ok := c.m[q]
	full := len(c.m) >= maxPrepared
	c.mu.Unlock()
	if ok {
		return st
	}
	if full {
		return nil
	}
	st, err := c.db.PrepareContext(ctx, q)
	if err != nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if have, ok := c.m[q]; ok {
		st.Close() // prepared by another caller meanwhile
		return have
	}
	if len(c.m) >= maxPrepared {
		st.Close()
		return nil
	}
	if c.m == nil {
		c.m = map[string]*sql.Stmt{}
	}
	c.m[q] = st
	return st
}

// forTx returns the database-prepared statement for q, or nil if there is none yet: a
// transaction holds its connection, and waiting for another one to prepare on would deadlock
// once every pooled connection is held by a transaction doing the same. On a miss q is
// prepared in the background for later transactions; this one prepares q on its own
// connection.
func (c *preparedCache) forTx(q string) *sql.Stmt {
	if c == nil || c.db == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.m[q]; ok {
		return st
	}
	if len(c.m) >= maxPrepared || c.preparing[q] {
		return nil
	}
	if c.preparing == nil {
		c.preparing = map[string]bool{}
	}
	c.preparing[q] = true
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		c.get(ctx, q)
		c.mu.Lock()
		delete(c.preparing, q)
		c.mu.Unlock()
	}()
	return nil
}

// cachedDB is a querier on the database whose statements come from the cache, so a hot
// lookup (a sender found by phone on every record, a contact's work) is not parsed again on
// every call. Only texts drawn from a bounded set belong here: fixed texts, and IN lists
// built by inList (padded, so a few lengths). Texts built from what a caller sends, such as
// a contact query translated to SQL, run on s.DB directly, so they cannot fill the cache.
type cachedDB struct{ s *Store }

func (s *Store) cdb() cachedDB { return cachedDB{s} }

func (c cachedDB) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if st := c.s.prepared.get(ctx, q); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return c.s.DB.QueryContext(ctx, q, args...)
}

func (c cachedDB) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	if st := c.s.prepared.get(ctx, q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return c.s.DB.QueryRowContext(ctx, q, args...)
}

func (c cachedDB) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	if st := c.s.prepared.get(ctx, q); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return c.s.DB.ExecContext(ctx, q, args...)
}

// stmtQuerier is a stmtTx as a querier, for helpers shared with plain transactions: its
// statements are the stmtTx's, prepared once per transaction and kept per connection.
type stmtQuerier struct{ t *stmtTx }

func (t *stmtTx) querier() querier { return stmtQuerier{t} }

func (q stmtQuerier) QueryContext(ctx context.Context, s string, args ...any) (*sql.Rows, error) {
	return q.t.query(ctx, s, args...)
}

func (q stmtQuerier) QueryRowContext(ctx context.Context, s string, args ...any) *sql.Row {
	return q.t.queryRow(ctx, s, args...)
}

func (q stmtQuerier) ExecContext(ctx context.Context, s string, args ...any) (sql.Result, error) {
	return q.t.exec(ctx, s, args...)
}
