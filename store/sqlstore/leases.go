package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// RenewContactLeases implements store.LeaseRenewer.
func (s *Store) RenewContactLeases(ctx context.Context, owner string, contactIDs []int64, until time.Time) (int, error) {
	if len(contactIDs) == 0 {
		return 0, nil
	}
	var n int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		for i := 0; i < len(contactIDs); i += 500 {
			in, args := inList([]any{owner, ms(until)}, contactIDs[i:min(i+500, len(contactIDs))])
			res, err := tx.ExecContext(ctx, `UPDATE contacts SET lease_until = $2 WHERE id IN (`+in+`) AND lease_owner = $1`, args...)
			if err != nil {
				return fmt.Errorf("renew contact leases: %w", err)
			}
			c, _ := res.RowsAffected()
			n += c
		}
		return nil
	})
	return int(n), err
}
