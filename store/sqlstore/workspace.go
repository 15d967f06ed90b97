package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"careflow/store"
)

var _ store.Messaging = (*Store)(nil)

const workspaceColumns = `id, uuid, name, timezone, country, languages, date_format, config, created_on`

func scanWorkspace(row interface{ Scan(...any) error }) (*store.Workspace, error) {
	var w store.Workspace
	var langs, config string
	var created int64
	if err := row.Scan(&w.ID, &w.UUID, &w.Name, &w.Timezone, &w.Country, &langs, &w.DateFormat, &config, &created); err != nil {
		return nil, err
	}
	w.Languages, w.Config, w.CreatedOn = textList(langs), textRaw(config), fromMS(created)
	return &w, nil
}

// CreateWorkspace implements store.WorkspaceStore.
func (s *Store) CreateWorkspace(ctx context.Context, w *store.Workspace) error {
	if w.UUID == "" {
		w.UUID = newUUID()
	}
	if w.CreatedOn.IsZero() {
		w.CreatedOn = fromMS(s.nowMS())
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO workspaces (uuid, name, timezone, country, languages, date_format, config, created_on)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
			w.UUID, w.Name, w.Timezone, w.Country, listText(w.Languages), w.DateFormat, rawText(w.Config), ms(w.CreatedOn)).Scan(&w.ID)
		if isUnique(err) {
			return errConflict
		}
		if err != nil {
			return fmt.Errorf("create workspace %s: %w", w.Name, err)
		}
		return nil
	})
}

// UpdateWorkspace implements store.WorkspaceStore.
func (s *Store) UpdateWorkspace(ctx context.Context, w *store.Workspace) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE workspaces SET name = $1, timezone = $2, country = $3, languages = $4,
			date_format = $5, config = $6, assets_version = assets_version + 1 WHERE id = $7`,
			w.Name, w.Timezone, w.Country, listText(w.Languages), w.DateFormat, rawText(w.Config), w.ID)
		if isUnique(err) {
			return errConflict
		}
		return affected(res, err, fmt.Sprintf("update workspace %d", w.ID))
	})
}

// GetWorkspace implements store.WorkspaceStore.
func (s *Store) GetWorkspace(ctx context.Context, id int64) (*store.Workspace, error) {
	w, err := scanWorkspace(s.DB.QueryRowContext(ctx, `SELECT `+workspaceColumns+` FROM workspaces WHERE id = $1`, id))
	if err != nil {
		return nil, notFound(err, fmt.Sprintf("get workspace %d", id))
	}
	return w, nil
}

// GetWorkspaceByUUID implements store.WorkspaceStore.
func (s *Store) GetWorkspaceByUUID(ctx context.Context, uuid string) (*store.Workspace, error) {
	w, err := scanWorkspace(s.DB.QueryRowContext(ctx, `SELECT `+workspaceColumns+` FROM workspaces WHERE uuid = $1`, uuid))
	if err != nil {
		return nil, notFound(err, "get workspace "+uuid)
	}
	return w, nil
}

// ListWorkspaces implements store.WorkspaceStore.
func (s *Store) ListWorkspaces(ctx context.Context) ([]*store.Workspace, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT `+workspaceColumns+` FROM workspaces ORDER BY id`)
	ws, err := collect(rows, err, func(r *sql.Rows) (*store.Workspace, error) { return scanWorkspace(r) })
	if err != nil {
		return nil, fmt.Errorf("list workspaces: %w", err)
	}
	return ws, nil
}

// AssetsVersion implements store.FlowStore.
func (s *Store) AssetsVersion(ctx context.Context, workspaceID int64) (int64, error) {
	var v int64
	err := s.DB.QueryRowContext(ctx, `SELECT assets_version FROM workspaces WHERE id = $1`, workspaceID).Scan(&v)
	if err != nil {
		return 0, notFound(err, fmt.Sprintf("assets version %d", workspaceID))
	}
	return v, nil
}
