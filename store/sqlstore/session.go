package sqlstore

import (
	"context"
	"fmt"
	"time"
)

// RevokeSession implements store.SessionStore.
func (s *Store) RevokeSession(ctx context.Context, digest string, expiresAt int64) error {
	if _, err := s.DB.ExecContext(ctx, `DELETE FROM revoked_sessions WHERE expires_at < $1`, time.Now().UnixMilli()); err != nil {
		return fmt.Errorf("revoke session: %w", err)
	}
	if _, err := s.DB.ExecContext(ctx, `INSERT INTO revoked_sessions (digest, expires_at) VALUES ($1, $2) ON CONFLICT (digest) DO NOTHING`, digest, expiresAt); err != nil {
		return fmt.Errorf("revoke session: %w", err)
	}
	return nil
}

// SessionRevoked implements store.SessionStore.
func (s *Store) SessionRevoked(ctx context.Context, digest string) (bool, error) {
	var n int
	if err := s.DB.QueryRowContext(ctx, `SELECT count(*) FROM revoked_sessions WHERE digest = $1`, digest).Scan(&n); err != nil {
		return false, fmt.Errorf("session revoked: %w", err)
	}
	return n > 0, nil
}
