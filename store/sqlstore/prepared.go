package sqlstore

import (
	"context"
	"database/sql"
	"sync"
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
}

const maxPrepared = 1000

// get returns the database-prepared statement for q, preparing it on first use, or nil when
// the cache is full or q does not prepare (the caller then prepares it in its transaction,
// which reports the error).
func (c *preparedCache) get(ctx context.Context, q string) *sql.Stmt {
	if c == nil || c.db == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.m[q]; ok {
		return st
	}
	if len(c.m) >= maxPrepared {
		return nil
	}
	st, err := c.db.PrepareContext(ctx, q)
	if err != nil {
		return nil
	}
	if c.m == nil {
		c.m = map[string]*sql.Stmt{}
	}
	c.m[q] = st
	return st
}

// queryCached runs a read outside a transaction on a statement from the cache, so a hot
// lookup (a sender found by phone on every record) is not parsed again on every call. Only
// texts drawn from a bounded set belong here: a text with an IN list of any length is run
// with s.DB directly.
func (s *Store) queryCached(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if st := s.prepared.get(ctx, q); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return s.DB.QueryContext(ctx, q, args...)
}

// queryRowCached is queryCached for one row.
func (s *Store) queryRowCached(ctx context.Context, q string, args ...any) *sql.Row {
	if st := s.prepared.get(ctx, q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return s.DB.QueryRowContext(ctx, q, args...)
}
