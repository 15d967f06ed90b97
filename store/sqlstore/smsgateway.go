package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"careflow/store"
)

// ClaimGatewayRef implements store.SMSGatewayStore.
func (s *Store) ClaimGatewayRef(ctx context.Context, ref string, now time.Time) (bool, error) {
	var n int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO sms_gateway_refs (gateway_ref, created_on) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
			ref, ms(now))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return false, fmt.Errorf("claim gateway ref: %w", err)
	}
	return n == 1, nil
}

// ReleaseGatewayRef implements store.SMSGatewayStore.
func (s *Store) ReleaseGatewayRef(ctx context.Context, ref string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sms_gateway_refs WHERE gateway_ref = $1`, ref); err != nil {
			return fmt.Errorf("release gateway ref: %w", err)
		}
		return nil
	})
}

var _ store.SMSGatewayStore = (*Store)(nil)
