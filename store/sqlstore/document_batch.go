package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"careflow/store"
)

// Creating many new documents (records from many clients, grouped into one transaction by
// the records service) one by one costs three statements each: a locking read, the outbox
// row, the document. On PostgreSQL each is a network round trip, and the group's transaction
// holds its connection for all of them; on SQLite each is a statement execution under the
// one write lock. writeNewDocs does a group of creates in three statements whatever its size
// (four with idempotency keys), and leaves to writeDoc the few writes it cannot settle: an
// id that exists already (a conflict, or a re-creation over a deleted document).

// cachedGroup is the largest piece of a group written by one statement (see insertNewDocs).
const cachedGroup = 64

// rowsPerInsert bounds a multi-row INSERT under both databases' bind-parameter limits.
const rowsPerInsert = 500

// creatable reports whether writes can take the batched path: all creations (no revision,
// not deletions) of distinct ids.
func creatable(writes []store.DocWrite) bool {
	if len(writes) < 2 {
		return false
	}
	seen := make(map[string]bool, len(writes))
	for _, w := range writes {
		if w.Rev != "" || w.Deleted || w.ID == "" || seen[w.ID] {
			return false
		}
		seen[w.ID] = true
	}
	return true
}

// writeNewDocs applies creatable writes into results.
func (s *Store) writeNewDocs(ctx context.Context, tx *sql.Tx, writes []store.DocWrite, results []store.DocResult, now int64) error {
	todo := make([]int, 0, len(writes)) // indexes of writes still to apply
	keys := map[[2]string]bool{}
	var claims []int
	for i, w := range writes {
		results[i] = store.DocResult{ID: w.ID}
		if k := w.Idempotency; k != nil {
			id := [2]string{k.Scope, k.Key}
			if keys[id] {
				results[i].Err = store.ErrReplay // the same key earlier in this group wins
				continue
			}
			keys[id] = true
			claims = append(claims, i)
		}
		todo = append(todo, i)
	}
	if len(claims) > 0 {
		taken, err := claimIdempotencyMany(ctx, tx, writes, claims, now)
		if err != nil {
			return err
		}
		kept := todo[:0]
		for _, i := range todo {
			if k := writes[i].Idempotency; k != nil && !taken[[2]string{k.Scope, k.Key}] {
				results[i].Err = store.ErrReplay
				continue
			}
			kept = append(kept, i)
		}
		todo = kept
	}
	return s.insertNewDocs(ctx, tx, writes, results, todo, now)
}

// insertNewDocs writes the outbox rows and the documents of chunk; a document whose id is
// taken has its outbox row and key removed and goes through writeDoc.
func (s *Store) insertNewDocs(ctx context.Context, tx *sql.Tx, writes []store.DocWrite, results []store.DocResult, chunk []int, now int64) error {
	// Pieces of power-of-two sizes up to cachedGroup: a group of any size runs on at most
	// seven statement texts per table, which every connection soon has prepared, where one
	// text per group size had each connection preparing a hundred texts of up to 64 rows.
	for len(chunk) > 0 {
		n := 1
		for n*2 <= min(len(chunk), cachedGroup) {
			n *= 2
		}
		if err := s.insertNewDocsPiece(ctx, tx, writes, results, chunk[:n], now); err != nil {
			return err
		}
		chunk = chunk[n:]
	}
	return nil
}

func (s *Store) insertNewDocsPiece(ctx context.Context, tx *sql.Tx, writes []store.DocWrite, results []store.DocResult, chunk []int, now int64) error {
	query := s.newStmtTx(tx).query
	var ph []string
	var args []any
	for _, i := range chunk {
		w := writes[i]
		fields := w.Fields
		if len(fields) == 0 {
			fields = []byte("{}")
			writes[i].Fields = fields
		}
		results[i].Rev = store.NextRev("", false, fields)
		n := len(args)
		ph = append(ph, fmt.Sprintf("($%d, $%d, $%d)", n+1, n+2, n+3))
		args = append(args, w.ID, results[i].Rev, now)
	}
	rows, err := query(ctx, `INSERT INTO doc_changes (doc_id, rev, created_at) VALUES `+strings.Join(ph, ",")+` RETURNING seq, doc_id`, args...)
	if err != nil {
		return fmt.Errorf("write docs: outbox: %w", err)
	}
	seqs := make(map[string]int64, len(chunk))
	for rows.Next() {
		var seq int64
		var id string
		if err := rows.Scan(&seq, &id); err != nil {
			rows.Close()
			return fmt.Errorf("write docs: outbox: %w", err)
		}
		seqs[id] = seq
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("write docs: outbox: %w", err)
	}

	ph, args = ph[:0], args[:0]
	msgs := map[string][]store.DocMessage{}
	for _, i := range chunk {
		w := writes[i]
		idx := store.Index(w.Fields)
		if m := store.DocMessages(w.ID, w.Fields); len(m) > 0 {
			msgs[w.ID] = m
		}
		results[i].Seq = seqs[w.ID]
		n := len(args)
		ph = append(ph, fmt.Sprintf("($%d, $%d, 0, $%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d)",
			n+1, n+2, n+3, n+4, n+5, n+6, n+7, n+8, n+9, n+10, n+11, n+11, n+12, n+13, n+14, n+15))
		args = append(args, w.ID, results[i].Rev, string(w.Fields), results[i].Seq, idx.Type, idx.ContactType, idx.Form, idx.Phone,
			idx.ParentID, idx.ReportedDate, now, idx.PatientID, idx.PlaceID, idx.RCCode, len(msgs[w.ID]))
	}
	rows, err = query(ctx, `INSERT INTO docs (id, rev, deleted, fields, seq, type, contact_type, form, phone, parent_id,
		reported_date, created_at, updated_at, patient_id, place_id, rc_code, msgs) VALUES `+strings.Join(ph, ",")+`
		ON CONFLICT (id) DO NOTHING RETURNING id`, args...)
	if err != nil {
		return fmt.Errorf("write docs: %w", err)
	}
	inserted := make(map[string]bool, len(chunk))
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return fmt.Errorf("write docs: %w", err)
		}
		inserted[id] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("write docs: %w", err)
	}
	var newMsgs []store.DocMessage
	for _, i := range chunk {
		if w := writes[i]; inserted[w.ID] {
			newMsgs = append(newMsgs, msgs[w.ID]...)
		}
	}
	if err := insertDocMessages(ctx, tx, newMsgs); err != nil {
		return err
	}
	for _, i := range chunk {
		w := writes[i]
		if inserted[w.ID] {
			continue
		}
		// The id exists: undo this write's outbox row and key, and let writeDoc apply
		// CouchDB's rules to it.
		if _, err := tx.ExecContext(ctx, `DELETE FROM doc_changes WHERE seq = $1`, seqs[w.ID]); err != nil {
			return fmt.Errorf("write doc %s: %w", w.ID, err)
		}
		if k := w.Idempotency; k != nil {
			if _, err := tx.ExecContext(ctx, `DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2`, k.Scope, k.Key); err != nil {
				return fmt.Errorf("write doc %s: %w", w.ID, err)
			}
		}
		res, err := s.writeDoc(ctx, tx, w, now)
		if err != nil {
			return err
		}
		results[i] = res
	}
	return nil
}

// claimIdempotencyMany records the keys of writes[claims] and returns those this
// transaction took (the others were recorded before).
func claimIdempotencyMany(ctx context.Context, tx *sql.Tx, writes []store.DocWrite, claims []int, now int64) (map[[2]string]bool, error) {
	taken := make(map[[2]string]bool, len(claims))
	for start := 0; start < len(claims); start += rowsPerInsert {
		var ph []string
		var args []any
		for _, i := range claims[start:min(start+rowsPerInsert, len(claims))] {
			k := writes[i].Idempotency
			n := len(args)
			ph = append(ph, fmt.Sprintf("($%d, $%d, $%d, $%d, $%d, $%d, $%d)", n+1, n+2, n+3, n+4, n+5, n+6, n+7))
			args = append(args, k.Scope, k.Key, k.RequestHash, k.Status, k.ContentType, string(k.Body), now)
		}
		rows, err := tx.QueryContext(ctx, `INSERT INTO idempotency_keys (scope, key, request_hash, status, content_type, body, created_at)
			VALUES `+strings.Join(ph, ",")+` ON CONFLICT (scope, key) DO NOTHING RETURNING scope, key`, args...)
		if err != nil {
			return nil, fmt.Errorf("record idempotency keys: %w", err)
		}
		for rows.Next() {
			var id [2]string
			if err := rows.Scan(&id[0], &id[1]); err != nil {
				rows.Close()
				return nil, fmt.Errorf("record idempotency keys: %w", err)
			}
			taken[id] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("record idempotency keys: %w", err)
		}
	}
	return taken, nil
}
