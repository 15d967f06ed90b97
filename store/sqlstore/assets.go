package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"careflow/store"
)

// SaveField implements store.AssetStore.
func (s *Store) SaveField(ctx context.Context, f *store.Field) error {
	if f.UUID == "" {
		f.UUID = newUUID()
	}
	if f.CreatedOn.IsZero() {
		f.CreatedOn = fromMS(s.nowMS())
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var uuid string
		var created int64
		err := tx.QueryRowContext(ctx, `INSERT INTO fields (workspace_id, key, uuid, name, type, created_on) VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (workspace_id, key) DO UPDATE SET name = excluded.name, type = excluded.type
			RETURNING uuid, created_on`, f.WorkspaceID, f.Key, f.UUID, f.Name, f.Type, ms(f.CreatedOn)).Scan(&uuid, &created)
		if err != nil {
			return fmt.Errorf("save field %s: %w", f.Key, err)
		}
		f.UUID, f.CreatedOn = uuid, fromMS(created)
		return bumpAssets(ctx, tx, f.WorkspaceID)
	})
}

// ListFields implements store.AssetStore.
func (s *Store) ListFields(ctx context.Context, workspaceID int64) ([]*store.Field, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT workspace_id, key, uuid, name, type, created_on FROM fields WHERE workspace_id = $1 ORDER BY key`, workspaceID)
	fs, err := collect(rows, err, func(r *sql.Rows) (*store.Field, error) {
		var f store.Field
		var created int64
		err := r.Scan(&f.WorkspaceID, &f.Key, &f.UUID, &f.Name, &f.Type, &created)
		f.CreatedOn = fromMS(created)
		return &f, err
	})
	if err != nil {
		return nil, fmt.Errorf("list fields: %w", err)
	}
	return fs, nil
}

// DeleteField implements store.AssetStore.
func (s *Store) DeleteField(ctx context.Context, workspaceID int64, key string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM fields WHERE workspace_id = $1 AND key = $2`, workspaceID, key)
		if err := affected(res, err, "delete field "+key); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT id FROM campaign_events WHERE workspace_id = $1 AND relative_to = $2`, workspaceID, key)
		events, err := collect(rows, err, scanInt64)
		if err != nil {
			return fmt.Errorf("campaign events on field %s: %w", key, err)
		}
		for _, ev := range events {
			if err := deleteEventFires(ctx, tx, workspaceID, ev); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM campaign_events WHERE id = $1`, ev); err != nil {
				return fmt.Errorf("delete campaign event %d: %w", ev, err)
			}
		}
		return bumpAssets(ctx, tx, workspaceID)
	})
}

// SaveGroup implements store.AssetStore.
func (s *Store) SaveGroup(ctx context.Context, g *store.Group) error {
	if g.UUID == "" {
		g.UUID = newUUID()
	}
	if g.Status == "" {
		g.Status = "ready"
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		if g.ID == 0 {
			if g.CreatedOn.IsZero() {
				g.CreatedOn = fromMS(s.nowMS())
			}
			err = tx.QueryRowContext(ctx, `INSERT INTO contact_groups (workspace_id, uuid, name, name_key, query, status, created_on)
				VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
				g.WorkspaceID, g.UUID, g.Name, nameKey(g.Name), g.Query, g.Status, ms(g.CreatedOn)).Scan(&g.ID)
		} else {
			var created int64
			err = tx.QueryRowContext(ctx, `UPDATE contact_groups SET uuid = $1, name = $2, name_key = $3, query = $4, status = $5
				WHERE id = $6 AND workspace_id = $7 RETURNING created_on`,
				g.UUID, g.Name, nameKey(g.Name), g.Query, g.Status, g.ID, g.WorkspaceID).Scan(&created)
			if errors.Is(err, sql.ErrNoRows) {
				return errNotFound
			}
			g.CreatedOn = fromMS(created)
		}
		if isUnique(err) {
			return errConflict
		}
		if err != nil {
			return fmt.Errorf("save group %s: %w", g.Name, err)
		}
		return bumpAssets(ctx, tx, g.WorkspaceID)
	})
}

// ListGroups implements store.AssetStore.
func (s *Store) ListGroups(ctx context.Context, workspaceID int64) ([]*store.Group, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT id, workspace_id, uuid, name, query, status, created_on FROM contact_groups
		WHERE workspace_id = $1 ORDER BY name_key, id`, workspaceID)
	gs, err := collect(rows, err, func(r *sql.Rows) (*store.Group, error) {
		var g store.Group
		var created int64
		err := r.Scan(&g.ID, &g.WorkspaceID, &g.UUID, &g.Name, &g.Query, &g.Status, &created)
		g.CreatedOn = fromMS(created)
		return &g, err
	})
	if err != nil {
		return nil, fmt.Errorf("list groups: %w", err)
	}
	return gs, nil
}

// DeleteGroup implements store.AssetStore.
func (s *Store) DeleteGroup(ctx context.Context, workspaceID int64, id int64) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM contact_groups WHERE workspace_id = $1 AND id = $2`, workspaceID, id)
		if err := affected(res, err, fmt.Sprintf("delete group %d", id)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM group_members WHERE group_id = $1`, id); err != nil {
			return fmt.Errorf("delete group %d members: %w", id, err)
		}
		return bumpAssets(ctx, tx, workspaceID)
	})
}

// SetGroupMembers implements store.AssetStore.
func (s *Store) SetGroupMembers(ctx context.Context, groupID int64, contactIDs []int64, resched store.Reschedule) (added, removed []int64, err error) {
	want := slices.Clone(contactIDs)
	slices.Sort(want)
	want = slices.Compact(want)
	err = s.inTx(ctx, func(sqlTx *sql.Tx) error {
		tx := s.newStmtTx(sqlTx)
		defer tx.close()
		added, removed = nil, nil
		rows, err := tx.QueryContext(ctx, `SELECT contact_id FROM group_members WHERE group_id = $1 ORDER BY contact_id`, groupID)
		have, err := collect(rows, err, scanInt64)
		if err != nil {
			return fmt.Errorf("set group %d members: %w", groupID, err)
		}
		i, j := 0, 0
		for i < len(want) || j < len(have) {
			switch {
			case j == len(have) || (i < len(want) && want[i] < have[j]):
				added = append(added, want[i])
				i++
			case i == len(want) || have[j] < want[i]:
				removed = append(removed, have[j])
				j++
			default:
				i++
				j++
			}
		}
		if err := s.rescheduleMembers(ctx, tx, groupID, added, true, resched); err != nil {
			return err
		}
		if err := s.rescheduleMembers(ctx, tx, groupID, removed, false, resched); err != nil {
			return err
		}
		if err := addMembers(ctx, tx, groupID, added); err != nil {
			return err
		}
		if err := removeMembers(ctx, tx, groupID, removed); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE contact_groups SET status = 'ready' WHERE id = $1`, groupID); err != nil {
			return fmt.Errorf("set group %d members: %w", groupID, err)
		}
		return nil
	})
	return added, removed, err
}

func addMembers(ctx context.Context, tx querier, groupID int64, ids []int64) error {
	for _, c := range chunks(ids, chunkSize) {
		q := make([]byte, 0, 64+16*len(c))
		q = append(q, `INSERT INTO group_members (contact_id, group_id) VALUES `...)
		args := make([]any, 0, len(c)+1)
		args = append(args, groupID)
		for i, id := range c {
			if i > 0 {
				q = append(q, ',')
			}
			args = append(args, id)
			q = fmt.Appendf(q, "($%d, $1)", len(args))
		}
		q = append(q, ` ON CONFLICT DO NOTHING`...)
		if _, err := tx.ExecContext(ctx, string(q), args...); err != nil {
			return fmt.Errorf("add group %d members: %w", groupID, err)
		}
	}
	return nil
}

func removeMembers(ctx context.Context, tx querier, groupID int64, ids []int64) error {
	for _, c := range chunks(ids, chunkSize) {
		in, args := inList([]any{groupID}, c)
		if _, err := tx.ExecContext(ctx, `DELETE FROM group_members WHERE group_id = $1 AND contact_id IN (`+in+`)`, args...); err != nil {
			return fmt.Errorf("remove group %d members: %w", groupID, err)
		}
	}
	return nil
}

// AddGroupMembers implements store.AssetStore.
func (s *Store) AddGroupMembers(ctx context.Context, groupID int64, contactIDs []int64, resched store.Reschedule) error {
	return s.inTx(ctx, func(sqlTx *sql.Tx) error {
		tx := s.newStmtTx(sqlTx)
		defer tx.close()
		if err := s.rescheduleMembers(ctx, tx, groupID, contactIDs, true, resched); err != nil {
			return err
		}
		return addMembers(ctx, tx, groupID, contactIDs)
	})
}

// RemoveGroupMembers implements store.AssetStore.
func (s *Store) RemoveGroupMembers(ctx context.Context, groupID int64, contactIDs []int64, resched store.Reschedule) error {
	return s.inTx(ctx, func(sqlTx *sql.Tx) error {
		tx := s.newStmtTx(sqlTx)
		defer tx.close()
		if err := s.rescheduleMembers(ctx, tx, groupID, contactIDs, false, resched); err != nil {
			return err
		}
		return removeMembers(ctx, tx, groupID, contactIDs)
	})
}

// SetGlobal implements store.AssetStore.
func (s *Store) SetGlobal(ctx context.Context, g *store.Global) error {
	if g.ModifiedOn.IsZero() {
		g.ModifiedOn = fromMS(s.nowMS())
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO globals (workspace_id, key, name, value, modified_on) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (workspace_id, key) DO UPDATE SET name = excluded.name, value = excluded.value, modified_on = excluded.modified_on`,
			g.WorkspaceID, g.Key, g.Name, g.Value, ms(g.ModifiedOn)); err != nil {
			return fmt.Errorf("set global %s: %w", g.Key, err)
		}
		return bumpAssets(ctx, tx, g.WorkspaceID)
	})
}

// ListGlobals implements store.AssetStore.
func (s *Store) ListGlobals(ctx context.Context, workspaceID int64) ([]*store.Global, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT workspace_id, key, name, value, modified_on FROM globals WHERE workspace_id = $1 ORDER BY key`, workspaceID)
	gs, err := collect(rows, err, func(r *sql.Rows) (*store.Global, error) {
		var g store.Global
		var mod int64
		err := r.Scan(&g.WorkspaceID, &g.Key, &g.Name, &g.Value, &mod)
		g.ModifiedOn = fromMS(mod)
		return &g, err
	})
	if err != nil {
		return nil, fmt.Errorf("list globals: %w", err)
	}
	return gs, nil
}

// DeleteGlobal implements store.AssetStore.
func (s *Store) DeleteGlobal(ctx context.Context, workspaceID int64, key string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM globals WHERE workspace_id = $1 AND key = $2`, workspaceID, key)
		if err := affected(res, err, "delete global "+key); err != nil {
			return err
		}
		return bumpAssets(ctx, tx, workspaceID)
	})
}
