package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"careflow/store"
)

const triggerColumns = `id, workspace_id, uuid, type, flow_uuid, keywords, match_type, channel_uuid, referrer_id,
	group_uuids, exclude_groups, schedule, archived, created_on`

// SaveTrigger implements store.AssetStore.
func (s *Store) SaveTrigger(ctx context.Context, t *store.Trigger) error {
	if t.UUID == "" {
		t.UUID = newUUID()
	}
	if t.CreatedOn.IsZero() {
		t.CreatedOn = fromMS(s.nowMS())
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		args := []any{t.WorkspaceID, t.UUID, t.Type, t.FlowUUID, listText(t.Keywords), t.MatchType, t.ChannelUUID, t.ReferrerID,
			listText(t.GroupUUIDs), listText(t.ExcludeGroups), rawText(t.Schedule), t.Archived}
		var err error
		if t.ID == 0 {
			err = tx.QueryRowContext(ctx, `INSERT INTO triggers (workspace_id, uuid, type, flow_uuid, keywords, match_type, channel_uuid,
				referrer_id, group_uuids, exclude_groups, schedule, archived, created_on)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`, append(args, ms(t.CreatedOn))...).Scan(&t.ID)
		} else {
			var created int64
			err = tx.QueryRowContext(ctx, `UPDATE triggers SET uuid = $2, type = $3, flow_uuid = $4, keywords = $5, match_type = $6,
				channel_uuid = $7, referrer_id = $8, group_uuids = $9, exclude_groups = $10, schedule = $11, archived = $12
				WHERE workspace_id = $1 AND id = $13 RETURNING created_on`, append(args, t.ID)...).Scan(&created)
			if errors.Is(err, sql.ErrNoRows) {
				return errNotFound
			}
			t.CreatedOn = fromMS(created)
		}
		if isUnique(err) {
			return errConflict
		}
		if err != nil {
			return fmt.Errorf("save trigger %s: %w", t.UUID, err)
		}
		return bumpAssets(ctx, tx, t.WorkspaceID)
	})
}

func scanTrigger(r *sql.Rows) (*store.Trigger, error) {
	var t store.Trigger
	var kw, groups, excl, sched string
	var created int64
	err := r.Scan(&t.ID, &t.WorkspaceID, &t.UUID, &t.Type, &t.FlowUUID, &kw, &t.MatchType, &t.ChannelUUID, &t.ReferrerID,
		&groups, &excl, &sched, &t.Archived, &created)
	t.Keywords, t.GroupUUIDs, t.ExcludeGroups = textList(kw), textList(groups), textList(excl)
	t.Schedule, t.CreatedOn = textRaw(sched), fromMS(created)
	return &t, err
}

// ListTriggers implements store.AssetStore; archived true lists archived triggers with the others.
func (s *Store) ListTriggers(ctx context.Context, workspaceID int64, archived bool) ([]*store.Trigger, error) {
	q := `SELECT ` + triggerColumns + ` FROM triggers WHERE workspace_id = $1`
	if !archived {
		q += ` AND archived = FALSE`
	}
	rows, err := s.DB.QueryContext(ctx, q+` ORDER BY id`, workspaceID)
	ts, err := collect(rows, err, scanTrigger)
	if err != nil {
		return nil, fmt.Errorf("list triggers: %w", err)
	}
	return ts, nil
}

// DeleteTrigger implements store.AssetStore.
func (s *Store) DeleteTrigger(ctx context.Context, workspaceID int64, uuid string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM triggers WHERE workspace_id = $1 AND uuid = $2`, workspaceID, uuid)
		if err := affected(res, err, "delete trigger "+uuid); err != nil {
			return err
		}
		return bumpAssets(ctx, tx, workspaceID)
	})
}

const channelColumns = `id, workspace_id, uuid, type, name, address, country, schemes, roles, config, tps, deleted, created_on`

func scanChannel(row interface{ Scan(...any) error }) (*store.Channel, error) {
	var c store.Channel
	var schemes, roles, config string
	var created int64
	if err := row.Scan(&c.ID, &c.WorkspaceID, &c.UUID, &c.Type, &c.Name, &c.Address, &c.Country, &schemes, &roles, &config,
		&c.TPS, &c.Deleted, &created); err != nil {
		return nil, err
	}
	c.Schemes, c.Roles, c.Config, c.CreatedOn = textList(schemes), textList(roles), textRaw(config), fromMS(created)
	return &c, nil
}

// SaveChannel implements store.AssetStore.
func (s *Store) SaveChannel(ctx context.Context, c *store.Channel) error {
	if c.UUID == "" {
		c.UUID = newUUID()
	}
	if c.CreatedOn.IsZero() {
		c.CreatedOn = fromMS(s.nowMS())
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		args := []any{c.WorkspaceID, c.UUID, c.Type, c.Name, c.Address, c.Country, listText(c.Schemes), listText(c.Roles),
			rawText(c.Config), c.TPS, c.Deleted}
		var err error
		if c.ID == 0 {
			err = tx.QueryRowContext(ctx, `INSERT INTO channels (workspace_id, uuid, type, name, address, country, schemes, roles,
				config, tps, deleted, created_on) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
				append(args, ms(c.CreatedOn))...).Scan(&c.ID)
		} else {
			var created int64
			err = tx.QueryRowContext(ctx, `UPDATE channels SET uuid = $2, type = $3, name = $4, address = $5, country = $6,
				schemes = $7, roles = $8, config = $9, tps = $10, deleted = $11 WHERE workspace_id = $1 AND id = $12
				RETURNING created_on`, append(args, c.ID)...).Scan(&created)
			if errors.Is(err, sql.ErrNoRows) {
				return errNotFound
			}
			c.CreatedOn = fromMS(created)
		}
		if isUnique(err) {
			return errConflict
		}
		if err != nil {
			return fmt.Errorf("save channel %s: %w", c.UUID, err)
		}
		return bumpAssets(ctx, tx, c.WorkspaceID)
	})
}

// GetChannel implements store.AssetStore.
func (s *Store) GetChannel(ctx context.Context, uuid string) (*store.Channel, error) {
	c, err := scanChannel(s.DB.QueryRowContext(ctx, `SELECT `+channelColumns+` FROM channels WHERE uuid = $1`, uuid))
	if err != nil {
		return nil, notFound(err, "get channel "+uuid)
	}
	return c, nil
}

// ListChannels implements store.AssetStore.
func (s *Store) ListChannels(ctx context.Context, workspaceID int64) ([]*store.Channel, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT `+channelColumns+` FROM channels WHERE workspace_id = $1 AND deleted = FALSE ORDER BY id`, workspaceID)
	cs, err := collect(rows, err, func(r *sql.Rows) (*store.Channel, error) { return scanChannel(r) })
	if err != nil {
		return nil, fmt.Errorf("list channels: %w", err)
	}
	return cs, nil
}
