package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"careflow/store"
)

var _ store.LabelStore = (*Store)(nil)

// SaveLabel implements store.LabelStore.
func (s *Store) SaveLabel(ctx context.Context, l *store.Label) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM labels WHERE workspace_id = $1 AND lower(name) = lower($2) AND id <> $3`,
			l.WorkspaceID, l.Name, l.ID).Scan(&n); err != nil {
			return fmt.Errorf("save label: %w", err)
		}
		if n > 0 {
			return errConflict
		}
		if l.ID != 0 {
			res, err := tx.ExecContext(ctx, `UPDATE labels SET name = $1 WHERE id = $2 AND workspace_id = $3`, l.Name, l.ID, l.WorkspaceID)
			return affected(res, err, "rename label")
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO labels (workspace_id, uuid, name, created_on) VALUES ($1, $2, $3, $4) RETURNING id`,
			l.WorkspaceID, l.UUID, l.Name, ms(l.CreatedOn)).Scan(&l.ID)
		if err != nil {
			return fmt.Errorf("create label: %w", err)
		}
		return nil
	})
}

// ListLabels implements store.LabelStore.
func (s *Store) ListLabels(ctx context.Context, workspaceID int64) ([]*store.Label, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT id, workspace_id, uuid, name, created_on FROM labels WHERE workspace_id = $1 ORDER BY id`, workspaceID)
	list, err := collect(rows, err, func(r *sql.Rows) (*store.Label, error) {
		var l store.Label
		var created int64
		err := r.Scan(&l.ID, &l.WorkspaceID, &l.UUID, &l.Name, &created)
		l.CreatedOn = fromMS(created)
		return &l, err
	})
	if err != nil {
		return nil, fmt.Errorf("list labels: %w", err)
	}
	return list, nil
}

// DeleteLabel implements store.LabelStore.
func (s *Store) DeleteLabel(ctx context.Context, workspaceID int64, l *store.Label) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM labels WHERE id = $1 AND workspace_id = $2`, l.ID, workspaceID)
		if err := affected(res, err, "delete label"); err != nil {
			return err
		}
		ids, err := labelledMsgs(ctx, tx, workspaceID, l.UUID)
		if err != nil {
			return err
		}
		return relabel(ctx, tx, workspaceID, ids, l.UUID, false)
	})
}

// labelledMsgs finds the messages carrying a label (their labels list holds its UUID).
func labelledMsgs(ctx context.Context, q querier, workspaceID int64, uuid string) ([]int64, error) {
	rows, err := q.QueryContext(ctx, `SELECT id FROM msgs WHERE workspace_id = $1 AND labels LIKE $2`, workspaceID, `%"`+uuid+`"%`)
	if err != nil {
		return nil, fmt.Errorf("labelled messages: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// relabel adds or removes a label UUID on each message's list.
func relabel(ctx context.Context, tx *sql.Tx, workspaceID int64, ids []int64, uuid string, add bool) error {
	for _, id := range ids {
		var raw string
		err := tx.QueryRowContext(ctx, `SELECT labels FROM msgs WHERE id = $1 AND workspace_id = $2`, id, workspaceID).Scan(&raw)
		if err == sql.ErrNoRows {
			continue
		}
		if err != nil {
			return fmt.Errorf("relabel message %d: %w", id, err)
		}
		l := textList(raw)
		has := slices.Contains(l, uuid)
		switch {
		case add && !has:
			l = append(l, uuid)
		case !add && has:
			l = slices.DeleteFunc(l, func(x string) bool { return x == uuid })
		default:
			continue
		}
		if _, err := tx.ExecContext(ctx, `UPDATE msgs SET labels = $1 WHERE id = $2`, listText(l), id); err != nil {
			return fmt.Errorf("relabel message %d: %w", id, err)
		}
	}
	return nil
}

// CountLabelled implements store.LabelStore.
func (s *Store) CountLabelled(ctx context.Context, workspaceID int64) (map[string]int64, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT labels FROM msgs WHERE workspace_id = $1 AND labels <> '' AND visibility = 'visible'`, workspaceID)
	if err != nil {
		return nil, fmt.Errorf("count labelled: %w", err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var raw string
		if err := rows.Scan(&raw); err != nil {
			return nil, err
		}
		for _, u := range textList(raw) {
			out[u]++
		}
	}
	return out, rows.Err()
}

// GetMsgsForAPI implements store.LabelStore.
func (s *Store) GetMsgsForAPI(ctx context.Context, workspaceID int64, ids []int64, uuids []string) ([]*store.Msg, error) {
	var conds []string
	args := []any{workspaceID}
	if len(ids) > 0 {
		in, a := inList(args, ids)
		args = a
		conds = append(conds, `id IN (`+in+`)`)
	}
	if len(uuids) > 0 {
		in, a := inList(args, s.uc().ids(uuids))
		args = a
		conds = append(conds, `uuid IN (`+in+`)`)
	}
	if len(conds) == 0 {
		return nil, nil
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT `+msgColumns+` FROM msgs WHERE workspace_id = $1 AND (`+strings.Join(conds, " OR ")+`) ORDER BY id`, args...)
	msgs, err := collect(rows, err, func(r *sql.Rows) (*store.Msg, error) { return scanMsg(r) })
	if err != nil {
		return nil, fmt.Errorf("get messages: %w", err)
	}
	return msgs, nil
}

// LabelMsgs implements store.LabelStore.
func (s *Store) LabelMsgs(ctx context.Context, workspaceID int64, msgIDs []int64, labelUUID string, add bool) error {
	return s.inTx(ctx, func(tx *sql.Tx) error { return relabel(ctx, tx, workspaceID, msgIDs, labelUUID, add) })
}

// SetMsgsVisibility implements store.LabelStore.
func (s *Store) SetMsgsVisibility(ctx context.Context, workspaceID int64, msgIDs []int64, visibility string) error {
	if len(msgIDs) == 0 {
		return nil
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		in, args := inList([]any{visibility, s.nowMS(), workspaceID}, msgIDs)
		if _, err := tx.ExecContext(ctx, `UPDATE msgs SET visibility = $1, modified_on = $2 WHERE workspace_id = $3 AND id IN (`+in+`)`, args...); err != nil {
			return fmt.Errorf("set message visibility: %w", err)
		}
		return nil
	})
}
