package sqlstore

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"

	"careflow/store"
)

// Secrets are kept as base64 text so both backends use the same column type.

// PutCredential implements store.CredentialStore.
func (s *Store) PutCredential(ctx context.Context, key string, sealed []byte) error {
	_, err := s.DB.ExecContext(ctx, `INSERT INTO credentials (key, secret, updated_at) VALUES ($1, $2, $3)
		ON CONFLICT (key) DO UPDATE SET secret = excluded.secret, updated_at = excluded.updated_at`,
		key, base64.StdEncoding.EncodeToString(sealed), s.nowMS())
	if err != nil {
		return fmt.Errorf("put credential %s: %w", key, err)
	}
	return nil
}

// GetCredential implements store.CredentialStore.
func (s *Store) GetCredential(ctx context.Context, key string) ([]byte, error) {
	var enc string
	err := s.DB.QueryRowContext(ctx, `SELECT secret FROM credentials WHERE key = $1`, key).Scan(&enc)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, store.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("get credential %s: %w", key, err)
	}
	return base64.StdEncoding.DecodeString(enc)
}

// ListCredentialKeys implements store.CredentialStore.
func (s *Store) ListCredentialKeys(ctx context.Context) ([]string, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT key FROM credentials ORDER BY key`)
	if err != nil {
		return nil, fmt.Errorf("list credentials: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, fmt.Errorf("list credentials: %w", err)
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// DeleteCredential implements store.CredentialStore.
func (s *Store) DeleteCredential(ctx context.Context, key string) error {
	res, err := s.DB.ExecContext(ctx, `DELETE FROM credentials WHERE key = $1`, key)
	if err != nil {
		return fmt.Errorf("delete credential %s: %w", key, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return store.ErrNotFound
	}
	return nil
}
