package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"

	"careflow/store"
)

var _ store.OutboundStore = (*Store)(nil)

const pushColumns = `id, doc_id, config, destination, doc_rev, doc_seq, body, hash, sent_hash, state, version,
	attempts, last_status, last_error, next_at, enqueued_at, updated_at, sent_at, lease_owner, lease_until, eval`

func scanPush(row interface{ Scan(...any) error }) (store.Push, error) {
	var p store.Push
	var body, state string
	err := row.Scan(&p.ID, &p.DocID, &p.Config, &p.Destination, &p.DocRev, &p.DocSeq, &body, &p.Hash, &p.SentHash,
		&state, &p.Version, &p.Attempts, &p.LastStatus, &p.LastError, &p.NextAt, &p.EnqueuedAt, &p.UpdatedAt,
		&p.SentAt, &p.LeaseOwner, &p.LeaseUntil, &p.Eval)
	p.Body, p.State = []byte(body), store.PushState(state)
	return p, err
}

// skipLocked makes a claim pass over rows another node's transaction holds (PostgreSQL);
// SQLite's write transactions are exclusive already.
func (s *Store) skipLocked() string {
	if s.Dialect.ForUpdate == "" {
		return ""
	}
	return s.Dialect.ForUpdate + " SKIP LOCKED"
}

// ApplyPushes implements store.OutboundStore.
func (s *Store) ApplyPushes(ctx context.Context, b store.PushBatch) (store.PushBatchResult, error) {
	var res store.PushBatchResult
	// Rows are locked in one order (outcomes by id, items by doc and config) so two nodes'
	// batches never wait on each other in a cycle.
	outcomes := append([]store.PushOutcome(nil), b.Outcomes...)
	sort.Slice(outcomes, func(i, j int) bool { return outcomes[i].ID < outcomes[j].ID })
	items := append([]store.PushEnqueue(nil), b.Items...)
	sort.SliceStable(items, func(i, j int) bool {
		if items[i].DocID != items[j].DocID {
			return items[i].DocID < items[j].DocID
		}
		return items[i].Config < items[j].Config
	})
	b.Outcomes, b.Items = outcomes, items
	err := s.inTx(ctx, func(sqlTx *sql.Tx) error {
		tx := s.newStmtTx(sqlTx)
		defer tx.close()
		res = store.PushBatchResult{}
		if err := s.completePushes(ctx, tx, b.Outcomes); err != nil {
			return err
		}
		owned, err := consumeChanges(ctx, tx, b.Seqs, s.Dialect.SkipLocked)
		if err != nil {
			return err
		}
		mine := make([]store.PushEnqueue, 0, len(b.Items))
		for _, it := range b.Items {
			if owned[it.Seq] {
				mine = append(mine, it) // else another consumer took this change
			}
		}
		ids, err := s.insertPushes(ctx, tx, mine, b)
		if err != nil {
			return err
		}
		for i, it := range mine {
			var p *store.Push
			became := true
			if ids[i] != 0 {
				p = claimedPush(it, b, ids[i], 1)
			} else if p, became, err = s.enqueueOne(ctx, tx, it, b); err != nil {
				return err
			}
			if became {
				res.Pending++
			}
			if p != nil {
				res.Claimed = append(res.Claimed, *p)
			}
		}
		return nil
	})
	return res, err
}

// consumeChanges deletes the outbox entries seqs and reports which this transaction took.
// Entries another node's transaction is consuming are skipped rather than waited for
// (skipLocked): two nodes read the same outbox, and waiting made each batch of one node wait
// for the other's commit; if that transaction rolls back, the entries are read again.
func consumeChanges(ctx context.Context, tx *stmtTx, seqs []int64, skipLocked string) (map[int64]bool, error) {
	owned := make(map[int64]bool, len(seqs))
	for _, chunk := range chunks(seqs, chunkSize) {
		in, args := inList(nil, chunk)
		where := `seq IN (` + in + `)`
		if skipLocked != "" {
			where = `seq IN (SELECT seq FROM doc_changes WHERE seq IN (` + in + `)` + skipLocked + `)`
		}
		rows, err := tx.query(ctx, `DELETE FROM doc_changes WHERE `+where+` RETURNING seq`, args...)
		if err != nil {
			return nil, fmt.Errorf("consume doc changes: %w", err)
		}
		for rows.Next() {
			var seq int64
			if err := rows.Scan(&seq); err != nil {
				rows.Close()
				return nil, fmt.Errorf("consume doc changes: %w", err)
			}
			owned[seq] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("consume doc changes: %w", err)
		}
	}
	return owned, nil
}

// stmtTx is a transaction that prepares each statement once and reuses it for the rest of
// the batch (the queue runs the same few statements hundreds of times per transaction).
type stmtTx struct {
	*sql.Tx
	stmts map[string]*sql.Stmt
	cache *preparedCache
	// uc encodes UUIDs and batch sizes multi-row statements for the messaging tables.
	uc    uuidCodec
	batch int
	// typed: the dialect needs the types of a VALUES list's parameters spelled out.
	typed bool
}

func (t *stmtTx) stmt(ctx context.Context, q string) (*sql.Stmt, error) {
	if st, ok := t.stmts[q]; ok {
		return st, nil
	}
	var st *sql.Stmt
	var err error
	if db := t.cache.forTx(q); db != nil {
		// The connection keeps the statement prepared from one transaction to the next.
		st = t.Tx.StmtContext(ctx, db)
	} else {
		st, err = t.Tx.PrepareContext(ctx, q)
	}
	if err != nil {
		return nil, err
	}
	t.stmts[q] = st
	return st, nil
}

func (t *stmtTx) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	st, err := t.stmt(ctx, q)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

func (t *stmtTx) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	st, err := t.stmt(ctx, q)
	if err != nil {
		// Surface the error through Scan, as QueryRowContext would.
		return t.Tx.QueryRowContext(ctx, q, args...)
	}
	return st.QueryRowContext(ctx, args...)
}

func (t *stmtTx) close() {
	for _, st := range t.stmts {
		st.Close()
	}
}

// claimedPush is the push an item became, as stored with version, when it was claimed for
// the batch's owner (nil when it was not).
func claimedPush(it store.PushEnqueue, b store.PushBatch, id, version int64) *store.Push {
	owner, until, attempts := pushStart(it, b)
	if owner == "" {
		return nil
	}
	return &store.Push{ID: id, DocID: it.DocID, Config: it.Config, Destination: it.Destination, DocRev: it.DocRev,
		DocSeq: it.DocSeq, Body: it.Body, Hash: it.Hash, State: store.PushPending, Version: version, NextAt: it.NextAt,
		EnqueuedAt: b.Now, UpdatedAt: b.Now, LeaseOwner: owner, LeaseUntil: until, Eval: it.Eval, LastError: it.Error, Attempts: attempts}
}

// enqueueOne applies one item whose (document, config) has a push already (insertPushes
// inserts the others); it returns the push when it became pending and was claimed.
func (s *Store) enqueueOne(ctx context.Context, tx *stmtTx, it store.PushEnqueue, b store.PushBatch) (*store.Push, bool, error) {
	owner, until, attempts := pushStart(it, b)
	var id int64
	var hash, sentHash, state, eval string
	var docSeq, version, leaseUntil int64
	err := tx.queryRow(ctx, `SELECT id, hash, sent_hash, state, doc_seq, version, lease_until, eval FROM outbound_pushes
		WHERE doc_id = $1 AND config = $2`+s.Dialect.ForUpdate,
		it.DocID, it.Config).Scan(&id, &hash, &sentHash, &state, &docSeq, &version, &leaseUntil, &eval)
	if err != nil {
		return nil, false, fmt.Errorf("enqueue push %s/%s: %w", it.DocID, it.Config, err)
	}
	if it.DocSeq < docSeq {
		return nil, false, nil // an older revision evaluated late
	}
	switch {
	case it.Eval == "" && it.Hash == sentHash:
		// The destination already has this payload: nothing to send, and a pending or dead
		// newer-but-now-superseded payload is dropped.
		if state != string(store.PushSent) {
			_, err = tx.exec(ctx, `UPDATE outbound_pushes SET state = 'sent', hash = $2, body = $3, doc_rev = $4, doc_seq = $5,
				version = version + 1, last_error = '', updated_at = $6 WHERE id = $1`, id, it.Hash, string(it.Body), it.DocRev, it.DocSeq, b.Now)
		} else {
			_, err = tx.exec(ctx, `UPDATE outbound_pushes SET doc_rev = $2, doc_seq = $3 WHERE id = $1`, id, it.DocRev, it.DocSeq)
		}
		return nil, false, wrapEnqueue(it, err)
	case it.Hash == hash && it.Eval == eval && state != string(store.PushSent):
		_, err = tx.exec(ctx, `UPDATE outbound_pushes SET doc_rev = $2, doc_seq = $3 WHERE id = $1`, id, it.DocRev, it.DocSeq)
		return nil, false, wrapEnqueue(it, err)
	}
	if leaseUntil >= b.Now {
		owner = "" // in flight elsewhere: its acknowledgement sees the new version and leaves it due
	}
	if owner != "" {
		_, err = tx.exec(ctx, `UPDATE outbound_pushes SET lease_owner = $2, lease_until = $3 WHERE id = $1`, id, owner, until)
		if err != nil {
			return nil, false, wrapEnqueue(it, err)
		}
	}
	_, err = tx.exec(ctx, `UPDATE outbound_pushes SET destination = $2, doc_rev = $3, doc_seq = $4, body = $5, hash = $6,
		state = 'pending', version = version + 1, attempts = $9, last_status = 0, last_error = $10, next_at = $7,
		enqueued_at = $8, updated_at = $8, eval = $11 WHERE id = $1`,
		id, it.Destination, it.DocRev, it.DocSeq, string(it.Body), it.Hash, it.NextAt, b.Now, attempts, it.Error, it.Eval)
	if err != nil {
		return nil, false, wrapEnqueue(it, err)
	}
	if owner == "" {
		return nil, true, nil
	}
	return claimedPush(it, b, id, version+1), true, nil
}

func wrapEnqueue(it store.PushEnqueue, err error) error {
	if err != nil {
		return fmt.Errorf("enqueue push %s/%s: %w", it.DocID, it.Config, err)
	}
	return nil
}

// DueDestinations implements store.OutboundStore.
func (s *Store) DueDestinations(ctx context.Context, now int64) ([]store.DueDestination, error) {
	rows, err := s.cdb().QueryContext(ctx, `SELECT destination, MIN(next_at) FROM outbound_pushes
		WHERE state = 'pending' AND lease_until < $1 GROUP BY destination`, now)
	if err != nil {
		return nil, fmt.Errorf("due destinations: %w", err)
	}
	defer rows.Close()
	var out []store.DueDestination
	for rows.Next() {
		var d store.DueDestination
		if err := rows.Scan(&d.Destination, &d.NextAt); err != nil {
			return nil, fmt.Errorf("due destinations: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// ClaimPushes implements store.OutboundStore.
func (s *Store) ClaimPushes(ctx context.Context, destination, owner string, now, leaseUntil int64, limit int) ([]store.Push, error) {
	rows, err := s.cdb().QueryContext(ctx, `UPDATE outbound_pushes SET lease_owner = $1, lease_until = $2 WHERE id IN (
		SELECT id FROM outbound_pushes WHERE state = 'pending' AND destination = $3 AND next_at <= $4 AND lease_until < $4
		ORDER BY next_at, id LIMIT $5`+s.skipLocked()+`) RETURNING `+pushColumns,
		owner, leaseUntil, destination, now, limit)
	if err != nil {
		return nil, fmt.Errorf("claim pushes %s: %w", destination, err)
	}
	defer rows.Close()
	var out []store.Push
	for rows.Next() {
		p, err := scanPush(rows)
		if err != nil {
			return nil, fmt.Errorf("claim pushes %s: %w", destination, err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("claim pushes %s: %w", destination, err)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].NextAt != out[j].NextAt {
			return out[i].NextAt < out[j].NextAt
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

func completeOne(ctx context.Context, tx *stmtTx, o store.PushOutcome) error {
	if o.Sent && o.Body != nil {
		// Evaluated again at this try: the payload sent becomes the stored one.
		if _, err := tx.exec(ctx, `UPDATE outbound_pushes SET body = $2, hash = $3, eval = '' WHERE id = $1 AND version = $4`,
			o.ID, string(o.Body), o.Hash, o.Version); err != nil {
			return err
		}
	}
	if o.Sent {
		_, err := tx.exec(ctx, `UPDATE outbound_pushes SET sent_hash = $2, sent_at = $3, updated_at = $3,
			attempts = attempts + 1, last_status = $4, last_error = '',
			state = CASE WHEN version = $5 OR (hash = $2 AND eval = '') THEN 'sent' ELSE state END,
			lease_owner = CASE WHEN lease_owner = $6 THEN '' ELSE lease_owner END,
			lease_until = CASE WHEN lease_owner = $6 THEN 0 ELSE lease_until END
			WHERE id = $1`, o.ID, o.Hash, o.Now, o.Status, o.Version, o.LeaseOwner)
		return err
	}
	state := string(store.PushPending)
	if o.Dead {
		state = string(store.PushDead)
	}
	attempts := 0
	if o.Attempted {
		attempts = 1
	}
	res, err := tx.exec(ctx, `UPDATE outbound_pushes SET attempts = attempts + $2, last_status = $3, last_error = $4,
		next_at = $5, state = $6, updated_at = $7, lease_owner = '', lease_until = 0
		WHERE id = $1 AND version = $8 AND lease_owner = $9 AND state = 'pending'`,
		o.ID, attempts, o.Status, o.Error, o.NextAt, state, o.Now, o.Version, o.LeaseOwner)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n > 0 {
		return err
	}
	// A newer payload replaced the one tried (or the lease was lost): just let go of it.
	_, err = tx.exec(ctx, `UPDATE outbound_pushes SET lease_owner = '', lease_until = 0 WHERE id = $1 AND lease_owner = $2`,
		o.ID, o.LeaseOwner)
	return err
}

// ReleasePushes implements store.OutboundStore.
func (s *Store) ReleasePushes(ctx context.Context, owner string) error {
	if _, err := s.DB.ExecContext(ctx, `UPDATE outbound_pushes SET lease_owner = '', lease_until = 0 WHERE lease_owner = $1`, owner); err != nil {
		return fmt.Errorf("release pushes: %w", err)
	}
	return nil
}

func pushWhere(q store.PushQuery) (string, []any) {
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	if q.State != "" {
		where = append(where, "state = "+arg(string(q.State)))
	}
	if q.DocID != "" {
		where = append(where, "doc_id = "+arg(q.DocID))
	}
	if q.Config != "" {
		where = append(where, "config = "+arg(q.Config))
	}
	if len(q.IDs) > 0 {
		ph := make([]string, len(q.IDs))
		for i, id := range q.IDs {
			ph[i] = arg(id)
		}
		where = append(where, "id IN ("+strings.Join(ph, ",")+")")
	}
	if len(where) == 0 {
		return "", args
	}
	return " WHERE " + strings.Join(where, " AND "), args
}

// ListPushes implements store.OutboundStore.
func (s *Store) ListPushes(ctx context.Context, q store.PushQuery) ([]store.Push, error) {
	where, args := pushWhere(q)
	limit := q.Limit
	if limit <= 0 {
		limit = 100
	}
	args = append(args, limit, q.Offset)
	rows, err := s.DB.QueryContext(ctx, `SELECT `+pushColumns+` FROM outbound_pushes`+where+
		fmt.Sprintf(` ORDER BY id DESC LIMIT $%d OFFSET $%d`, len(args)-1, len(args)), args...)
	if err != nil {
		return nil, fmt.Errorf("list pushes: %w", err)
	}
	defer rows.Close()
	var out []store.Push
	for rows.Next() {
		p, err := scanPush(rows)
		if err != nil {
			return nil, fmt.Errorf("list pushes: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// CountPushes implements store.OutboundStore.
func (s *Store) CountPushes(ctx context.Context) (map[store.PushState]int64, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT state, COUNT(*) FROM outbound_pushes GROUP BY state`)
	if err != nil {
		return nil, fmt.Errorf("count pushes: %w", err)
	}
	defer rows.Close()
	out := map[store.PushState]int64{}
	for rows.Next() {
		var st string
		var n int64
		if err := rows.Scan(&st, &n); err != nil {
			return nil, fmt.Errorf("count pushes: %w", err)
		}
		out[store.PushState(st)] = n
	}
	return out, rows.Err()
}

// RequeuePushes implements store.OutboundStore.
func (s *Store) RequeuePushes(ctx context.Context, q store.PushQuery, now int64) (int64, error) {
	q.State = store.PushDead
	where, args := pushWhere(q)
	n := len(args)
	args = append(args, now)
	res, err := s.DB.ExecContext(ctx, fmt.Sprintf(`UPDATE outbound_pushes SET state = 'pending', attempts = 0, next_at = $%d,
		enqueued_at = $%d, updated_at = $%d, version = version + 1, lease_owner = '', lease_until = 0`, n+1, n+1, n+1)+where, args...)
	if err != nil {
		return 0, fmt.Errorf("requeue pushes: %w", err)
	}
	return res.RowsAffected()
}
