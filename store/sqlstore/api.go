package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"careflow/store"
)

var _ store.APIStore = (*Store)(nil)

// CreateAPIToken implements store.APIStore.
func (s *Store) CreateAPIToken(ctx context.Context, t *store.APIToken) error {
	res, err := s.DB.ExecContext(ctx, `INSERT INTO api_tokens (hash, workspace_id, user_name, prefix, created_on)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT (hash) DO NOTHING`, t.Hash, t.WorkspaceID, t.UserName, t.Prefix, ms(t.CreatedOn))
	if err != nil {
		return fmt.Errorf("create api token: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return store.ErrConflict
	}
	return nil
}

const tokenCols = `hash, workspace_id, user_name, prefix, created_on`

func scanToken(r *sql.Rows) (*store.APIToken, error) {
	var t store.APIToken
	var created int64
	err := r.Scan(&t.Hash, &t.WorkspaceID, &t.UserName, &t.Prefix, &created)
	t.CreatedOn = fromMS(created)
	return &t, err
}

// GetAPIToken implements store.APIStore.
func (s *Store) GetAPIToken(ctx context.Context, hash string) (*store.APIToken, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT `+tokenCols+` FROM api_tokens WHERE hash = $1`, hash)
	list, err := collect(rows, err, scanToken)
	if err != nil {
		return nil, fmt.Errorf("get api token: %w", err)
	}
	if len(list) == 0 {
		return nil, store.ErrNotFound
	}
	return list[0], nil
}

// ListAPITokens implements store.APIStore.
func (s *Store) ListAPITokens(ctx context.Context, workspaceID int64, user string) ([]*store.APIToken, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT `+tokenCols+` FROM api_tokens
		WHERE workspace_id = $1 AND user_name = $2 ORDER BY created_on, hash`, workspaceID, user)
	list, err := collect(rows, err, scanToken)
	if err != nil {
		return nil, fmt.Errorf("list api tokens: %w", err)
	}
	return list, nil
}

// PageAPITokens implements store.APIStore.
func (s *Store) PageAPITokens(ctx context.Context, workspaceID int64, q store.APITokenPage) ([]*store.APIToken, error) {
	args := []any{workspaceID}
	var sb strings.Builder
	sb.WriteString(`SELECT ` + tokenCols + ` FROM api_tokens WHERE workspace_id = $1`)
	arg := func(v any) int { args = append(args, v); return len(args) }
	if q.User != "" {
		fmt.Fprintf(&sb, ` AND user_name = $%d`, arg(q.User))
	}
	if !q.BeforeCreated.IsZero() {
		c := arg(ms(q.BeforeCreated))
		h := arg(q.BeforeHash)
		fmt.Fprintf(&sb, ` AND (created_on < $%d OR (created_on = $%d AND hash < $%d))`, c, c, h)
	}
	limit := q.Limit
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	fmt.Fprintf(&sb, ` ORDER BY created_on DESC, hash DESC LIMIT $%d`, arg(limit))
	rows, err := s.DB.QueryContext(ctx, sb.String(), args...)
	list, err := collect(rows, err, scanToken)
	if err != nil {
		return nil, fmt.Errorf("page api tokens: %w", err)
	}
	return list, nil
}

// DeleteAPIToken implements store.APIStore.
func (s *Store) DeleteAPIToken(ctx context.Context, hash string) error {
	res, err := s.DB.ExecContext(ctx, `DELETE FROM api_tokens WHERE hash = $1`, hash)
	return affected(res, err, "delete api token")
}

// ListContactsPage implements store.APIStore. The keyset condition is written out as two
// comparisons rather than a row-value comparison so both backends use the
// (workspace_id, modified_on, id) index the same way.
func (s *Store) ListContactsPage(ctx context.Context, workspaceID int64, q store.ContactPage) ([]*store.Contact, error) {
	args := []any{workspaceID}
	var sb strings.Builder
	sb.WriteString(`WHERE workspace_id = $1`)
	arg := func(v any) int { args = append(args, v); return len(args) }
	if q.GroupID != 0 {
		fmt.Fprintf(&sb, ` AND id IN (SELECT contact_id FROM group_members WHERE group_id = $%d)`, arg(q.GroupID))
	}
	if !q.ModifiedAfter.IsZero() {
		fmt.Fprintf(&sb, ` AND modified_on >= $%d`, arg(ms(q.ModifiedAfter)))
	}
	if !q.ModifiedBefore.IsZero() {
		fmt.Fprintf(&sb, ` AND modified_on <= $%d`, arg(ms(q.ModifiedBefore)))
	}
	dir, cmp := "DESC", "<"
	if q.Reverse {
		dir, cmp = "ASC", ">"
	}
	if q.AfterID != 0 {
		m := arg(ms(q.AfterModified))
		i := arg(q.AfterID)
		fmt.Fprintf(&sb, ` AND (modified_on %s $%d OR (modified_on = $%d AND id %s $%d))`, cmp, m, m, cmp, i)
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 250
	}
	fmt.Fprintf(&sb, ` ORDER BY modified_on %s, id %s LIMIT $%d`, dir, dir, arg(limit))
	cs, err := loadContacts(ctx, s.DB, sb.String(), args...)
	if err != nil {
		return nil, fmt.Errorf("list contacts page: %w", err)
	}
	return cs, nil
}

// CountRuns implements store.APIStore.
func (s *Store) CountRuns(ctx context.Context, workspaceID int64) (map[string]map[string]int64, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT flow_uuid, status, COUNT(*) FROM runs WHERE workspace_id = $1
		GROUP BY flow_uuid, status`, workspaceID)
	if err != nil {
		return nil, fmt.Errorf("count runs: %w", err)
	}
	defer rows.Close()
	out := map[string]map[string]int64{}
	for rows.Next() {
		var f, st string
		var n int64
		if err := rows.Scan(ud(&f), &st, &n); err != nil {
			return nil, fmt.Errorf("count runs: %w", err)
		}
		if out[f] == nil {
			out[f] = map[string]int64{}
		}
		out[f][st] = n
	}
	return out, rows.Err()
}

// ContactTaskDone implements store.APIStore: handled tasks are deleted with their scene.
func (s *Store) ContactTaskDone(ctx context.Context, id int64) (bool, error) {
	var n int64
	if err := s.DB.QueryRowContext(ctx, `SELECT COUNT(*) FROM contact_tasks WHERE id = $1`, id).Scan(&n); err != nil {
		return false, fmt.Errorf("contact task %d: %w", id, err)
	}
	return n == 0, nil
}
