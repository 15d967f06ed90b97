package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"careflow/store"
)

// GetIdempotency implements store.IdempotencyStore.
func (s *Store) GetIdempotency(ctx context.Context, scope, key string) (store.Idempotency, error) {
	r := store.Idempotency{Scope: scope, Key: key}
	var body string
	err := s.DB.QueryRowContext(ctx, `SELECT request_hash, status, content_type, body, created_at FROM idempotency_keys
		WHERE scope = $1 AND key = $2`, scope, key).Scan(&r.RequestHash, &r.Status, &r.ContentType, &body, &r.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return r, store.ErrNotFound
	}
	if err != nil {
		return r, fmt.Errorf("get idempotency key %s: %w", key, err)
	}
	r.Body = []byte(body)
	return r, nil
}

// PurgeIdempotency implements store.IdempotencyStore.
func (s *Store) PurgeIdempotency(ctx context.Context, before int64) (int64, error) {
	res, err := s.DB.ExecContext(ctx, `DELETE FROM idempotency_keys WHERE created_at < $1`, before)
	if err != nil {
		return 0, fmt.Errorf("purge idempotency keys: %w", err)
	}
	return res.RowsAffected()
}

// claimIdempotency records k in tx; false means the key was recorded already. On PostgreSQL a
// concurrent transaction inserting the same key waits for this one, then finds it taken.
func claimIdempotency(ctx context.Context, tx *sql.Tx, k *store.Idempotency, now int64) (bool, error) {
	var got string
	err := tx.QueryRowContext(ctx, `INSERT INTO idempotency_keys (scope, key, request_hash, status, content_type, body, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (scope, key) DO NOTHING RETURNING key`,
		k.Scope, k.Key, k.RequestHash, k.Status, k.ContentType, string(k.Body), now).Scan(&got)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("record idempotency key %s: %w", k.Key, err)
	}
	return true, nil
}
