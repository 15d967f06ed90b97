package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"careflow/store"
)

// GetSettings implements store.SettingsStore.
func (s *Store) GetSettings(ctx context.Context) (store.Settings, error) {
	var st store.Settings
	var body string
	err := s.DB.QueryRowContext(ctx, `SELECT body, rev FROM settings WHERE id = 'settings'`).Scan(&body, &st.Rev)
	if errors.Is(err, sql.ErrNoRows) {
		return st, store.ErrNotFound
	}
	if err != nil {
		return st, fmt.Errorf("get settings: %w", err)
	}
	st.Body = []byte(body)
	return st, nil
}

// PutSettings implements store.SettingsStore.
func (s *Store) PutSettings(ctx context.Context, body json.RawMessage, rev string) (string, error) {
	next := store.NextRev(rev, false, body)
	if rev == "" {
		var got string
		err := s.DB.QueryRowContext(ctx, `INSERT INTO settings (id, body, rev, updated_at) VALUES ('settings', $1, $2, $3)
			ON CONFLICT (id) DO NOTHING RETURNING id`, string(body), next, s.nowMS()).Scan(&got)
		if errors.Is(err, sql.ErrNoRows) {
			return "", store.ErrConflict
		}
		if err != nil {
			return "", fmt.Errorf("put settings: %w", err)
		}
		return next, nil
	}
	res, err := s.DB.ExecContext(ctx, `UPDATE settings SET body = $1, rev = $2, updated_at = $3 WHERE id = 'settings' AND rev = $4`,
		string(body), next, s.nowMS(), rev)
	if err != nil {
		return "", fmt.Errorf("put settings: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return "", store.ErrConflict
	}
	return next, nil
}
