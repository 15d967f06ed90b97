package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"careflow/store"
)

// GetChannelByID returns a channel by its numeric id (the Android relayer app addresses its
// channel so), deleted or not; ErrNotFound when there is none.
func (s *Store) GetChannelByID(ctx context.Context, id int64) (*store.Channel, error) {
	c, err := scanChannel(s.DB.QueryRowContext(ctx, `SELECT `+channelColumns+` FROM channels WHERE id = $1`, id))
	if err != nil {
		return nil, notFound(err, fmt.Sprintf("get channel %d", id))
	}
	return c, nil
}

// ClaimChannel moves an unclaimed channel (workspace 0, as a registering Android phone makes
// it) into a workspace with its new config; ErrNotFound when it is gone or claimed already.
func (s *Store) ClaimChannel(ctx context.Context, id, workspaceID int64, config json.RawMessage) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE channels SET workspace_id = $1, config = $2 WHERE id = $3 AND workspace_id = 0
			AND deleted = FALSE`, workspaceID, rawText(config), id)
		if err != nil {
			return fmt.Errorf("claim channel %d: %w", id, err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return errNotFound
		}
		return bumpAssets(ctx, tx, workspaceID)
	})
}
