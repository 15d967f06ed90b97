package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"careflow/store"
)

// The push service's steady state is a stream of new pushes, queued and claimed in one
// transaction and marked sent a few milliseconds later in another, a handful to a dozen per
// transaction. One statement per push each way cost as much in executing statements
// (binding, stepping, resetting, database/sql's bookkeeping; on PostgreSQL a round trip) as
// in changing rows; these write a batch's new pushes, and its plain successes, several rows
// to a statement (Dialect.BatchRows, as the messaging tables' writes do). What they cannot
// settle (a push that exists already, an outcome with a payload or a failure) goes through
// enqueueOne and completeOne as before.

// pushKey names a push by its document and config.
type pushKey struct{ doc, config string }

// insertPushes inserts the items whose (document, config) has no push yet and returns, per
// item, the new push's id (0 where it exists already, or repeats an earlier item's key: those
// are for enqueueOne).
func (s *Store) insertPushes(ctx context.Context, tx *stmtTx, items []store.PushEnqueue, b store.PushBatch) ([]int64, error) {
	var rows [][]any
	seen := make(map[pushKey]bool, len(items))
	for _, it := range items {
		k := pushKey{it.DocID, it.Config}
		if seen[k] {
			continue
		}
		seen[k] = true
		owner, until, attempts := pushStart(it, b)
		rows = append(rows, []any{it.DocID, it.Config, it.Destination, it.DocRev, it.DocSeq, string(it.Body), it.Hash,
			string(store.PushPending), it.NextAt, b.Now, b.Now, owner, until, it.Eval, it.Error, attempts})
	}
	got := make(map[pushKey]int64, len(rows))
	err := writeRows(ctx, tx, `INSERT INTO outbound_pushes (doc_id, config, destination, doc_rev, doc_seq, body, hash,
		state, next_at, enqueued_at, updated_at, lease_owner, lease_until, eval, last_error, attempts)`,
		`ON CONFLICT (doc_id, config) DO NOTHING RETURNING id, doc_id, config`, rows, func(r *sql.Rows) error {
			var id int64
			var k pushKey
			if err := r.Scan(&id, &k.doc, &k.config); err != nil {
				return err
			}
			got[k] = id
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("enqueue pushes: %w", err)
	}
	ids := make([]int64, len(items))
	for i, it := range items {
		k := pushKey{it.DocID, it.Config}
		ids[i] = got[k]
		delete(got, k) // a repeated key is enqueueOne's
	}
	return ids, nil
}

// pushStart is how an item becomes pending: leased to the batch's owner when it asked to
// claim it, and counted as tried once when its payload could not be built.
func pushStart(it store.PushEnqueue, b store.PushBatch) (owner string, until int64, attempts int) {
	if it.Eval != "" {
		attempts = 1 // building the payload was the first try
	}
	if it.Claim && b.Owner != "" {
		owner, until = b.Owner, b.LeaseUntil
	}
	return owner, until, attempts
}

// completePushes records outcomes: plain successes of distinct pushes several to a
// statement, the rest one by one. Outcomes come sorted by id, and on PostgreSQL the plain
// successes' rows are locked in that order first, so two nodes' batches never wait on each
// other in a cycle.
func (s *Store) completePushes(ctx context.Context, tx *stmtTx, outcomes []store.PushOutcome) error {
	var sent, rest []store.PushOutcome
	seen := make(map[int64]bool, len(outcomes))
	for _, o := range outcomes {
		if o.Sent && o.Body == nil && !seen[o.ID] {
			seen[o.ID] = true
			sent = append(sent, o)
		} else {
			rest = append(rest, o)
		}
	}
	if len(sent) > 0 {
		if err := s.markSent(ctx, tx, sent); err != nil {
			return err
		}
	}
	for _, o := range rest {
		if err := completeOne(ctx, tx, o); err != nil {
			return fmt.Errorf("complete push %d: %w", o.ID, err)
		}
	}
	return nil
}

// markSent is completeOne's success, for pushes of distinct ids: the acknowledged hash
// becomes the dedupe record; the push is sent unless a newer payload replaced the one tried
// (then that one stays pending); the lease is let go if this node still holds it. On
// PostgreSQL the rows are locked in id order first: the update's join takes them in an order
// of its own, and two nodes' batches must never wait on each other in a cycle.
func (s *Store) markSent(ctx context.Context, tx *stmtTx, outcomes []store.PushOutcome) error {
	if s.Dialect.ForUpdate != "" {
		ids := make([]int64, len(outcomes))
		for i, o := range outcomes {
			ids[i] = o.ID
		}
		for _, chunk := range chunks(ids, chunkSize) {
			in, args := inList(nil, chunk)
			rows, err := tx.query(ctx, `SELECT id FROM outbound_pushes WHERE id IN (`+in+`) ORDER BY id`+s.Dialect.ForUpdate, args...)
			if err != nil {
				return fmt.Errorf("complete pushes: %w", err)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return fmt.Errorf("complete pushes: %w", err)
			}
		}
	}
	for _, chunk := range chunks(outcomes, tx.batch) {
		args := make([]any, 0, len(chunk)*6)
		for _, o := range chunk {
			args = append(args, o.ID, o.Hash, o.Now, o.Status, o.Version, o.LeaseOwner)
		}
		// Typed on PostgreSQL, which would otherwise take the list's numbers for text.
		_, err := tx.exec(ctx, `WITH v (pid, phash, pnow, pstatus, pversion, powner) AS (VALUES `+typedValuesSQL(tx.typed, len(chunk), "BIGINT", "TEXT", "BIGINT", "INTEGER", "BIGINT", "TEXT")+`)
			UPDATE outbound_pushes SET sent_hash = v.phash, sent_at = v.pnow, updated_at = v.pnow,
			attempts = attempts + 1, last_status = v.pstatus, last_error = '',
			state = CASE WHEN version = v.pversion OR (hash = v.phash AND eval = '') THEN 'sent' ELSE state END,
			lease_owner = CASE WHEN lease_owner = v.powner THEN '' ELSE lease_owner END,
			lease_until = CASE WHEN lease_owner = v.powner THEN 0 ELSE lease_until END
			FROM v WHERE outbound_pushes.id = v.pid`, args...)
		if err != nil {
			return fmt.Errorf("complete pushes: %w", err)
		}
	}
	return nil
}
