package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"careflow/store"
)

// GetMsgByUUID implements store.ChannelStore.
func (s *Store) GetMsgByUUID(ctx context.Context, uuid string) (*store.Msg, error) {
	m, err := scanMsg(s.DB.QueryRowContext(ctx, `SELECT `+msgColumns+` FROM msgs WHERE uuid = $1 ORDER BY id DESC LIMIT 1`, s.uc().id(uuid)))
	if err != nil {
		return nil, notFound(err, "get msg "+uuid)
	}
	return m, nil
}

// GetMsgByExternalID implements store.ChannelStore.
func (s *Store) GetMsgByExternalID(ctx context.Context, channelUUID, externalID string, incoming bool) (*store.Msg, error) {
	if externalID == "" {
		return nil, errNotFound
	}
	m, err := scanMsg(s.DB.QueryRowContext(ctx, `SELECT `+msgColumns+` FROM msgs WHERE channel_uuid = $1 AND external_id = $2
		AND external_id <> '' AND incoming = $3 ORDER BY id DESC LIMIT 1`, s.uc().id(channelUUID), externalID, incoming))
	if err != nil {
		return nil, notFound(err, "get msg by external id "+externalID)
	}
	return m, nil
}

// TakeSendBudget implements store.ChannelStore. One UPDATE reads the old count and writes the
// new one, so concurrent nodes are serialised on the row and never grant more than tps.
func (s *Store) TakeSendBudget(ctx context.Context, channelUUID string, second int64, want, tps int) (int, error) {
	if want <= 0 || tps <= 0 {
		return 0, nil
	}
	var granted int
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO channel_tps (channel_uuid, second) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
			channelUUID, second); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `UPDATE channel_tps SET
			used = CASE WHEN used + $3 <= $4 THEN used + $3 WHEN used < $4 THEN $4 ELSE used END,
			granted = CASE WHEN used + $3 <= $4 THEN $3 WHEN used < $4 THEN $4 - used ELSE 0 END
			WHERE channel_uuid = $1 AND second = $2 RETURNING granted`, channelUUID, second, want, tps).Scan(&granted)
	})
	if err != nil {
		return 0, fmt.Errorf("take send budget %s: %w", channelUUID, err)
	}
	return granted, nil
}

// AddChannelLogs implements store.ChannelStore.
func (s *Store) AddChannelLogs(ctx context.Context, logs []*store.ChannelLog) error {
	if len(logs) == 0 {
		return nil
	}
	return s.inTx(ctx, func(sqlTx *sql.Tx) error {
		tx := s.newStmtTx(sqlTx)
		defer tx.close()
		for _, l := range logs {
			if l.CreatedOn.IsZero() {
				l.CreatedOn = fromMS(s.nowMS())
			}
			if err := tx.queryRow(ctx, `INSERT INTO channel_logs (workspace_id, channel_uuid, msg_uuid, type, method, url,
				status_code, request, response, error, elapsed_ms, created_on)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`, l.WorkspaceID, l.ChannelUUID, l.MsgUUID,
				l.Type, l.Method, l.URL, l.StatusCode, l.Request, l.Response, l.Error, l.ElapsedMS, ms(l.CreatedOn)).Scan(&l.ID); err != nil {
				return fmt.Errorf("add channel log: %w", err)
			}
		}
		return nil
	})
}

// ListChannelLogs implements store.ChannelStore.
func (s *Store) ListChannelLogs(ctx context.Context, channelUUID string, beforeID int64, limit int) ([]*store.ChannelLog, error) {
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	q := `SELECT id, workspace_id, channel_uuid, msg_uuid, type, method, url, status_code, request, response, error,
		elapsed_ms, created_on FROM channel_logs WHERE channel_uuid = $1`
	args := []any{channelUUID}
	if beforeID > 0 {
		q += ` AND id < $3`
		args = append(args, limit, beforeID)
	} else {
		args = append(args, limit)
	}
	rows, err := s.DB.QueryContext(ctx, q+` ORDER BY id DESC LIMIT $2`, args...)
	logs, err := collect(rows, err, func(r *sql.Rows) (*store.ChannelLog, error) {
		var l store.ChannelLog
		var created int64
		err := r.Scan(&l.ID, &l.WorkspaceID, &l.ChannelUUID, &l.MsgUUID, &l.Type, &l.Method, &l.URL, &l.StatusCode, &l.Request,
			&l.Response, &l.Error, &l.ElapsedMS, &created)
		l.CreatedOn = fromMS(created)
		return &l, err
	})
	if err != nil {
		return nil, fmt.Errorf("list channel logs: %w", err)
	}
	return logs, nil
}

// PruneChannelLogs implements store.ChannelStore.
func (s *Store) PruneChannelLogs(ctx context.Context, before time.Time) (int64, error) {
	var n int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM channel_logs WHERE created_on < $1`, ms(before))
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		_, err = tx.ExecContext(ctx, `DELETE FROM channel_tps WHERE second < $1`, before.Unix())
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("prune channel logs: %w", err)
	}
	return n, nil
}

// SaveMedia implements store.ChannelStore.
func (s *Store) SaveMedia(ctx context.Context, m *store.ChannelMedia) error {
	if m.UUID == "" {
		m.UUID = newUUID()
	}
	if m.CreatedOn.IsZero() {
		m.CreatedOn = fromMS(s.nowMS())
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO channel_media (uuid, workspace_id, channel_uuid, content_type, data, created_on)
			VALUES ($1, $2, $3, $4, $5, $6)`, m.UUID, m.WorkspaceID, m.ChannelUUID, m.ContentType, m.Data, ms(m.CreatedOn))
		if err != nil {
			return fmt.Errorf("save media: %w", err)
		}
		return nil
	})
}

// GetMedia implements store.ChannelStore.
func (s *Store) GetMedia(ctx context.Context, uuid string) (*store.ChannelMedia, error) {
	var m store.ChannelMedia
	var created int64
	err := s.DB.QueryRowContext(ctx, `SELECT uuid, workspace_id, channel_uuid, content_type, data, created_on FROM channel_media
		WHERE uuid = $1`, uuid).Scan(&m.UUID, &m.WorkspaceID, &m.ChannelUUID, &m.ContentType, &m.Data, &created)
	if err != nil {
		return nil, notFound(err, "get media "+uuid)
	}
	m.CreatedOn = fromMS(created)
	return &m, nil
}

var _ store.ChannelStore = (*Store)(nil)

// ReleaseOutgoing implements store.OutboxReleaser.
func (s *Store) ReleaseOutgoing(ctx context.Context, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		in, args := inList(nil, ids)
		if _, err := tx.ExecContext(ctx, `UPDATE msgs SET lease_owner = '', lease_until = 0 WHERE id IN (`+in+`)`, args...); err != nil {
			return fmt.Errorf("release outgoing: %w", err)
		}
		return nil
	})
}

var _ store.OutboxReleaser = (*Store)(nil)
