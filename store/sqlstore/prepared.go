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
// texts drawn from a bounded set belong here: fixed texts, and IN lists built by inList
// (padded, so a few lengths). Texts built from what a caller sends, such as a contact query
// translated to SQL, run on s.DB directly, so they cannot fill the cache.
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

// cachedDB is a querier on the database whose statements come from the cache; cachedTx is
// one inside a transaction. Hot paths (claiming and loading contacts' work, finding a
// sender) use them; IN lists are padded (inList) so their texts repeat too.
type cachedDB struct{ s *Store }

func (s *Store) cdb() cachedDB { return cachedDB{s} }

func (c cachedDB) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return c.s.queryCached(ctx, q, args...)
}

func (c cachedDB) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	return c.s.queryRowCached(ctx, q, args...)
}

func (c cachedDB) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	if st := c.s.prepared.get(ctx, q); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return c.s.DB.ExecContext(ctx, q, args...)
}

type cachedTx struct {
	tx    *sql.Tx
	cache *preparedCache
}

func (s *Store) ctxTx(tx *sql.Tx) cachedTx { return cachedTx{tx, &s.prepared} }

func (c cachedTx) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if st := c.cache.get(ctx, q); st != nil {
		return c.tx.StmtContext(ctx, st).QueryContext(ctx, args...)
	}
	return c.tx.QueryContext(ctx, q, args...)
}

func (c cachedTx) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	if st := c.cache.get(ctx, q); st != nil {
		return c.tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
	}
	return c.tx.QueryRowContext(ctx, q, args...)
}

func (c cachedTx) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	if st := c.cache.get(ctx, q); st != nil {
		return c.tx.StmtContext(ctx, st).ExecContext(ctx, args...)
	}
	return c.tx.ExecContext(ctx, q, args...)
}
