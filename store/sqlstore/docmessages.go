package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"careflow/store"

	"github.com/pressly/goose/v3"
)

// docMessageRowsPerInsert keeps a multi-row insert of doc_messages under both databases'
// bind-parameter limits.
const docMessageRowsPerInsert = 500

// replaceDocMessages makes doc_messages hold msgs for docID: the rows of its previous
// revision (when it had any) go first.
func replaceDocMessages(ctx context.Context, tx *sql.Tx, docID string, hadRows bool, msgs []store.DocMessage) error {
	if hadRows {
		if _, err := tx.ExecContext(ctx, `DELETE FROM doc_messages WHERE doc_id = $1`, docID); err != nil {
			return fmt.Errorf("write doc %s: messages: %w", docID, err)
		}
	}
	return insertDocMessages(ctx, tx, msgs)
}

func insertDocMessages(ctx context.Context, tx *sql.Tx, msgs []store.DocMessage) error {
	for start := 0; start < len(msgs); start += docMessageRowsPerInsert {
		chunk := msgs[start:min(start+docMessageRowsPerInsert, len(msgs))]
		ph := make([]string, 0, len(chunk))
		args := make([]any, 0, 6*len(chunk))
		for _, m := range chunk {
			n := len(args)
			ph = append(ph, fmt.Sprintf("($%d, $%d, $%d, $%d, $%d, $%d)", n+1, n+2, n+3, n+4, n+5, n+6))
			out := 0
			if m.Outgoing {
				out = 1
			}
			args = append(args, m.DocID, m.UUID, m.Pos, m.State, m.Due, out)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO doc_messages (doc_id, uuid, pos, state, due, outgoing) VALUES `+
			strings.Join(ph, ","), args...); err != nil {
			return fmt.Errorf("write docs: messages: %w", err)
		}
	}
	return nil
}

func scanDocMessages(rows *sql.Rows) ([]store.DocMessage, error) {
	defer rows.Close()
	var out []store.DocMessage
	for rows.Next() {
		var m store.DocMessage
		var outgoing int
		if err := rows.Scan(&m.DocID, &m.UUID, &m.Pos, &m.State, &m.Due, &outgoing); err != nil {
			return nil, err
		}
		m.Outgoing, m.HasDue = outgoing == 1, true
		out = append(out, m)
	}
	return out, rows.Err()
}

// OutgoingDocMessages implements store.DocMessageStore.
func (s *Store) OutgoingDocMessages(ctx context.Context, limit int) ([]store.DocMessage, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT doc_id, uuid, pos, state, due, outgoing FROM doc_messages
		WHERE outgoing = 1 ORDER BY due, doc_id, pos LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("outgoing doc messages: %w", err)
	}
	out, err := scanDocMessages(rows)
	if err != nil {
		return nil, fmt.Errorf("outgoing doc messages: %w", err)
	}
	return out, nil
}

// DocMessagesByUUID implements store.DocMessageStore.
func (s *Store) DocMessagesByUUID(ctx context.Context, uuids []string) ([]store.DocMessage, error) {
	if len(uuids) == 0 {
		return nil, nil
	}
	ph := make([]string, len(uuids))
	args := make([]any, len(uuids))
	for i, u := range uuids {
		ph[i] = fmt.Sprintf("$%d", i+1)
		args[i] = u
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT doc_id, uuid, pos, state, due, outgoing FROM doc_messages
		WHERE uuid IN (`+strings.Join(ph, ",")+`) ORDER BY doc_id, pos`, args...)
	if err != nil {
		return nil, fmt.Errorf("doc messages by uuid: %w", err)
	}
	out, err := scanDocMessages(rows)
	if err != nil {
		return nil, fmt.Errorf("doc messages by uuid: %w", err)
	}
	return out, nil
}

var _ store.DocMessageStore = (*Store)(nil)

// DocMessagesMigration indexes the messages of documents written before doc_messages existed
// (migration 00222 creates the table; this one fills it).
func DocMessagesMigration() goose.ProviderOption {
	return goose.WithGoMigrations(goose.NewGoMigration(223, &goose.GoFunc{RunTx: backfillDocMessages}, nil))
}

func backfillDocMessages(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, fields FROM docs WHERE deleted = 0 AND fields LIKE '%tasks"%'`)
	if err != nil {
		return fmt.Errorf("index doc messages: %w", err)
	}
	counts := map[string]int{}
	var all []store.DocMessage
	for rows.Next() {
		var id, fields string
		if err := rows.Scan(&id, &fields); err != nil {
			rows.Close()
			return fmt.Errorf("index doc messages: %w", err)
		}
		msgs := store.DocMessages(id, []byte(fields))
		if len(msgs) > 0 {
			counts[id] = len(msgs)
			all = append(all, msgs...)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("index doc messages: %w", err)
	}
	if err := insertDocMessages(ctx, tx, all); err != nil {
		return err
	}
	for id, n := range counts {
		if _, err := tx.ExecContext(ctx, `UPDATE docs SET msgs = $1 WHERE id = $2`, n, id); err != nil {
			return fmt.Errorf("index doc messages: %w", err)
		}
	}
	return nil
}
