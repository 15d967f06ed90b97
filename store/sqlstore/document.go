package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"careflow/store"
)

const docColumns = `id, rev, deleted, fields, seq`

func scanDoc(row interface{ Scan(...any) error }) (store.Doc, error) {
	var d store.Doc
	var deleted int
	var fields string
	if err := row.Scan(&d.ID, &d.Rev, &deleted, &fields, &d.Seq); err != nil {
		return d, err
	}
	d.Deleted = deleted != 0
	d.Fields = []byte(fields)
	return d, nil
}

// GetDoc implements store.DocStore.
func (s *Store) GetDoc(ctx context.Context, id string) (store.Doc, error) {
	d, err := scanDoc(s.DB.QueryRowContext(ctx, `SELECT `+docColumns+` FROM docs WHERE id = $1 AND deleted = 0`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return d, store.ErrNotFound
	}
	if err != nil {
		return d, fmt.Errorf("get doc %s: %w", id, err)
	}
	return d, nil
}

// GetDocs implements store.DocStore.
func (s *Store) GetDocs(ctx context.Context, ids []string) ([]store.Doc, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	// inList pads the IN list to a power of two, so the outbound evaluator's reads (a batch of
	// documents at a time) come in a few statement texts that stay prepared, instead of one
	// text, parsed again, for every batch size.
	byID := make(map[string]store.Doc, len(ids))
	for _, chunk := range chunks(ids, chunkSize) {
		in, args := inList(nil, chunk)
		rows, err := s.cdb().QueryContext(ctx, `SELECT `+docColumns+` FROM docs WHERE deleted = 0 AND id IN (`+in+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("get docs: %w", err)
		}
		for rows.Next() {
			d, err := scanDoc(rows)
			if err != nil {
				rows.Close()
				return nil, fmt.Errorf("get docs: %w", err)
			}
			byID[d.ID] = d
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("get docs: %w", err)
		}
	}
	out := make([]store.Doc, 0, len(byID))
	for _, id := range ids {
		if d, ok := byID[id]; ok {
			out = append(out, d)
		}
	}
	return out, nil
}

// FindDocs implements store.DocStore.
func (s *Store) FindDocs(ctx context.Context, q store.DocQuery) ([]store.Doc, error) {
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	where = append(where, "deleted = 0")
	if len(q.IDs) > 0 {
		ph := make([]string, len(q.IDs))
		for i, id := range q.IDs {
			ph[i] = arg(id)
		}
		where = append(where, "id IN ("+strings.Join(ph, ",")+")")
	}
	for _, f := range []struct {
		col, val string
		partial  bool // indexed only where non-empty: SQLite uses such an index only when the query repeats its condition
	}{
		{"type", q.Type, false}, {"contact_type", q.ContactType, false}, {"form", q.Form, true}, {"phone", q.Phone, true}, {"parent_id", q.ParentID, true},
		{"rc_code", q.RCCode, true},
	} {
		if f.val != "" {
			where = append(where, f.col+" = "+arg(f.val))
			if f.partial {
				where = append(where, f.col+" <> ''")
			}
		}
	}
	if q.ShortCode != "" {
		// A short code is a patient_id or a place_id; each column has its own partial index.
		// SQLite's multi-index OR uses them only when each branch repeats the whole index
		// condition, deleted = 0 included.
		v := arg(q.ShortCode)
		where = append(where, "((deleted = 0 AND patient_id = "+v+" AND patient_id <> '') OR (deleted = 0 AND place_id = "+v+" AND place_id <> ''))")
	}
	query := `SELECT ` + docColumns + ` FROM docs WHERE ` + strings.Join(where, " AND ") + ` ORDER BY id`
	if q.Limit > 0 {
		query += " LIMIT " + arg(q.Limit)
	}
	if q.Offset > 0 {
		if q.Limit <= 0 {
			// Both databases need a LIMIT before OFFSET; this one is "all".
			query += " LIMIT 9223372036854775807"
		}
		query += " OFFSET " + arg(q.Offset)
	}
	run := s.cdb().QueryContext
	if len(q.IDs) > 0 {
		run = s.DB.QueryContext
	}
	rows, err := run(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("find docs: %w", err)
	}
	defer rows.Close()
	var out []store.Doc
	for rows.Next() {
		d, err := scanDoc(rows)
		if err != nil {
			return nil, fmt.Errorf("find docs: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// CountDocs implements store.DocStore.
func (s *Store) CountDocs(ctx context.Context) (int64, error) {
	var n int64
	if err := s.DB.QueryRowContext(ctx, `SELECT COUNT(*) FROM docs WHERE deleted = 0`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count docs: %w", err)
	}
	return n, nil
}

// WriteDocs implements store.DocStore.
func (s *Store) WriteDocs(ctx context.Context, writes []store.DocWrite) ([]store.DocResult, error) {
	results := make([]store.DocResult, len(writes))
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		now := s.nowMS()
		if creatable(writes) {
			return s.writeNewDocs(ctx, tx, writes, results, now)
		}
		for i, w := range writes {
			res, err := s.writeDoc(ctx, tx, w, now)
			if err != nil {
				return err
			}
			results[i] = res
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return results, nil
}

func (s *Store) writeDoc(ctx context.Context, tx *sql.Tx, w store.DocWrite, now int64) (store.DocResult, error) {
	res := store.DocResult{ID: w.ID}
	if w.ID == "" {
		return res, fmt.Errorf("write doc: empty id")
	}
	// Statements a connection prepared once: a single document's write (most writes) parsed
	// its four statements anew every time, a tenth of the outbound benchmark's CPU.
	st := s.newStmtTx(tx)
	var curRev string
	var curDeleted, curMsgs int
	err := st.queryRow(ctx, `SELECT rev, deleted, msgs FROM docs WHERE id = $1`+s.Dialect.ForUpdate, w.ID).Scan(&curRev, &curDeleted, &curMsgs)
	exists := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return res, fmt.Errorf("write doc %s: %w", w.ID, err)
	}
	// CouchDB's rule: an update or delete names the current revision; a create names none,
	// and a deleted document may be re-created without one.
	switch {
	case !exists && w.Rev != "":
		res.Err = store.ErrConflict
		return res, nil
	case exists && curDeleted == 0 && w.Rev != curRev:
		res.Err = store.ErrConflict
		return res, nil
	case exists && curDeleted != 0 && w.Rev != "" && w.Rev != curRev:
		res.Err = store.ErrConflict
		return res, nil
	case !exists && w.Deleted:
		res.Err = store.ErrNotFound
		return res, nil
	}
	// The key is recorded only for a write that applies, just before it does.
	if w.Idempotency != nil {
		fresh, err := claimIdempotency(ctx, tx, w.Idempotency, now)
		if err != nil {
			return res, err
		}
		if !fresh {
			res.Err = store.ErrReplay
			return res, nil
		}
	}
	fields := w.Fields
	if len(fields) == 0 {
		fields = []byte("{}")
	}
	rev := store.NextRev(curRev, w.Deleted, fields)
	var seq int64
	if err := st.queryRow(ctx, `INSERT INTO doc_changes (doc_id, rev, created_at) VALUES ($1, $2, $3) RETURNING seq`,
		w.ID, rev, now).Scan(&seq); err != nil {
		return res, fmt.Errorf("write doc %s: outbox: %w", w.ID, err)
	}
	idx := store.Index(fields)
	deleted := 0
	var msgs []store.DocMessage
	if w.Deleted {
		deleted = 1
	} else {
		msgs = store.DocMessages(w.ID, fields)
	}
	if exists {
		_, err = st.exec(ctx, `UPDATE docs SET rev = $2, deleted = $3, fields = $4, seq = $5, type = $6, contact_type = $7,
			form = $8, phone = $9, parent_id = $10, reported_date = $11, updated_at = $12, patient_id = $13, place_id = $14,
			rc_code = $15, msgs = $16 WHERE id = $1`,
			w.ID, rev, deleted, string(fields), seq, idx.Type, idx.ContactType, idx.Form, idx.Phone, idx.ParentID, idx.ReportedDate, now,
			idx.PatientID, idx.PlaceID, idx.RCCode, len(msgs))
		if err != nil {
			return res, fmt.Errorf("write doc %s: %w", w.ID, err)
		}
	} else {
		var got string
		err = st.queryRow(ctx, `INSERT INTO docs (id, rev, deleted, fields, seq, type, contact_type, form, phone, parent_id,
			reported_date, created_at, updated_at, patient_id, place_id, rc_code, msgs)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13, $14, $15, $16)
			ON CONFLICT (id) DO NOTHING RETURNING id`,
			w.ID, rev, deleted, string(fields), seq, idx.Type, idx.ContactType, idx.Form, idx.Phone, idx.ParentID, idx.ReportedDate, now,
			idx.PatientID, idx.PlaceID, idx.RCCode, len(msgs)).Scan(&got)
		if errors.Is(err, sql.ErrNoRows) {
			// Another node created it between our read and our insert.
			res.Err = store.ErrConflict
			_, err = st.exec(ctx, `DELETE FROM doc_changes WHERE seq = $1`, seq)
			if err != nil {
				return res, fmt.Errorf("write doc %s: %w", w.ID, err)
			}
			return res, nil
		}
		if err != nil {
			return res, fmt.Errorf("write doc %s: %w", w.ID, err)
		}
	}
	if curMsgs > 0 || len(msgs) > 0 {
		if err := replaceDocMessages(ctx, tx, w.ID, curMsgs > 0, msgs); err != nil {
			return res, err
		}
	}
	res.Rev, res.Seq = rev, seq
	return res, nil
}

// ReadDocChanges implements store.DocStore.
func (s *Store) ReadDocChanges(ctx context.Context, after int64, limit int) ([]store.DocChange, error) {
	rows, err := s.cdb().QueryContext(ctx, `SELECT seq, doc_id, rev FROM doc_changes WHERE seq > $1 ORDER BY seq LIMIT $2`, after, limit)
	if err != nil {
		return nil, fmt.Errorf("read doc changes: %w", err)
	}
	defer rows.Close()
	var out []store.DocChange
	for rows.Next() {
		var c store.DocChange
		if err := rows.Scan(&c.Seq, &c.DocID, &c.Rev); err != nil {
			return nil, fmt.Errorf("read doc changes: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// DeleteDocChanges implements store.DocStore.
func (s *Store) DeleteDocChanges(ctx context.Context, seqs []int64) error {
	if len(seqs) == 0 {
		return nil
	}
	ph := make([]string, len(seqs))
	args := make([]any, len(seqs))
	for i, q := range seqs {
		ph[i] = fmt.Sprintf("$%d", i+1)
		args[i] = q
	}
	if _, err := s.DB.ExecContext(ctx, `DELETE FROM doc_changes WHERE seq IN (`+strings.Join(ph, ",")+`)`, args...); err != nil {
		return fmt.Errorf("delete doc changes: %w", err)
	}
	return nil
}
