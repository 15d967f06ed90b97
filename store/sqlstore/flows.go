package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"careflow/store"
)

const flowColumns = `id, workspace_id, uuid, name, type, spec_version, revision, definition, expire_after_mins,
	ignore_triggers, archived, has_issues, created_on, modified_on`

func scanFlow(row interface{ Scan(...any) error }) (*store.Flow, error) {
	var f store.Flow
	var def string
	var created, modified int64
	err := row.Scan(&f.ID, &f.WorkspaceID, &f.UUID, &f.Name, &f.Type, &f.SpecVersion, &f.Revision, &def, &f.ExpireAfterMins,
		&f.IgnoreTriggers, &f.Archived, &f.HasIssues, &created, &modified)
	if err != nil {
		return nil, err
	}
	f.Definition, f.CreatedOn, f.ModifiedOn = textRaw(def), fromMS(created), fromMS(modified)
	return &f, nil
}

// nameKey is what names are unique by: case-folded in Go, so both backends fold alike.
func nameKey(name string) string { return strings.ToLower(strings.TrimSpace(name)) }

// SaveFlow implements store.FlowStore.
func (s *Store) SaveFlow(ctx context.Context, f *store.Flow, expectRevision int, user string) error {
	if f.UUID == "" {
		f.UUID = newUUID()
	}
	now := s.nowMS()
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var id, created int64
		var rev int
		err := tx.QueryRowContext(ctx, `SELECT id, revision, created_on FROM flows WHERE workspace_id = $1 AND uuid = $2`+s.Dialect.ForUpdate,
			f.WorkspaceID, f.UUID).Scan(&id, &rev, &created)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("save flow %s: %w", f.UUID, err)
		}
		if expectRevision >= 0 && rev != expectRevision {
			return errConflict
		}
		rev++
		if id == 0 {
			created = now
			err = tx.QueryRowContext(ctx, `INSERT INTO flows (workspace_id, uuid, name, name_key, type, spec_version, revision, definition,
				expire_after_mins, ignore_triggers, archived, has_issues, created_on, modified_on)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id`,
				f.WorkspaceID, f.UUID, f.Name, nameKey(f.Name), f.Type, f.SpecVersion, rev, rawText(f.Definition),
				f.ExpireAfterMins, f.IgnoreTriggers, f.Archived, f.HasIssues, now).Scan(&id)
		} else {
			_, err = tx.ExecContext(ctx, `UPDATE flows SET name = $1, name_key = $2, type = $3, spec_version = $4, revision = $5,
				definition = $6, expire_after_mins = $7, ignore_triggers = $8, archived = $9, has_issues = $10, modified_on = $11
				WHERE id = $12`,
				f.Name, nameKey(f.Name), f.Type, f.SpecVersion, rev, rawText(f.Definition), f.ExpireAfterMins,
				f.IgnoreTriggers, f.Archived, f.HasIssues, now, id)
		}
		if isUnique(err) {
			return errConflict
		}
		if err != nil {
			return fmt.Errorf("save flow %s: %w", f.UUID, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO flow_revisions (flow_id, revision, definition, spec_version, created_by, created_on)
			VALUES ($1, $2, $3, $4, $5, $6)`, id, rev, rawText(f.Definition), f.SpecVersion, user, now); err != nil {
			return fmt.Errorf("save flow %s revision: %w", f.UUID, err)
		}
		if err := bumpAssets(ctx, tx, f.WorkspaceID); err != nil {
			return err
		}
		f.ID, f.Revision, f.CreatedOn, f.ModifiedOn = id, rev, fromMS(created), fromMS(now)
		return nil
	})
}

// GetFlow implements store.FlowStore.
func (s *Store) GetFlow(ctx context.Context, workspaceID int64, uuid string) (*store.Flow, error) {
	f, err := scanFlow(s.DB.QueryRowContext(ctx, `SELECT `+flowColumns+` FROM flows WHERE workspace_id = $1 AND uuid = $2`, workspaceID, uuid))
	if err != nil {
		return nil, notFound(err, "get flow "+uuid)
	}
	return f, nil
}

// GetFlowByName implements store.FlowStore.
func (s *Store) GetFlowByName(ctx context.Context, workspaceID int64, name string) (*store.Flow, error) {
	f, err := scanFlow(s.DB.QueryRowContext(ctx, `SELECT `+flowColumns+` FROM flows WHERE workspace_id = $1 AND name_key = $2`,
		workspaceID, nameKey(name)))
	if err != nil {
		return nil, notFound(err, "get flow "+name)
	}
	return f, nil
}

// ListFlows implements store.FlowStore; archived true lists archived flows with the others.
func (s *Store) ListFlows(ctx context.Context, workspaceID int64, archived bool) ([]*store.Flow, error) {
	q := `SELECT ` + flowColumns + ` FROM flows WHERE workspace_id = $1`
	if !archived {
		q += ` AND archived = FALSE`
	}
	rows, err := s.DB.QueryContext(ctx, q+` ORDER BY name_key, id`, workspaceID)
	fs, err := collect(rows, err, func(r *sql.Rows) (*store.Flow, error) { return scanFlow(r) })
	if err != nil {
		return nil, fmt.Errorf("list flows: %w", err)
	}
	return fs, nil
}

// SetFlowArchived implements store.FlowStore.
func (s *Store) SetFlowArchived(ctx context.Context, workspaceID int64, uuid string, archived bool) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE flows SET archived = $1, modified_on = $2 WHERE workspace_id = $3 AND uuid = $4`,
			archived, s.nowMS(), workspaceID, uuid)
		if err := affected(res, err, "archive flow "+uuid); err != nil {
			return err
		}
		return bumpAssets(ctx, tx, workspaceID)
	})
}

func scanRevision(row interface{ Scan(...any) error }) (*store.FlowRevision, error) {
	var r store.FlowRevision
	var def string
	var created int64
	if err := row.Scan(&r.FlowID, &r.Revision, &def, &r.SpecVersion, &r.CreatedBy, &created); err != nil {
		return nil, err
	}
	r.Definition, r.CreatedOn = textRaw(def), fromMS(created)
	return &r, nil
}

// ListFlowRevisions implements store.FlowStore.
func (s *Store) ListFlowRevisions(ctx context.Context, flowID int64, limit int) ([]*store.FlowRevision, error) {
	q := `SELECT flow_id, revision, definition, spec_version, created_by, created_on FROM flow_revisions
		WHERE flow_id = $1 ORDER BY revision DESC`
	args := []any{flowID}
	if limit > 0 {
		q += ` LIMIT $2`
		args = append(args, limit)
	}
	rows, err := s.DB.QueryContext(ctx, q, args...)
	rs, err := collect(rows, err, func(r *sql.Rows) (*store.FlowRevision, error) { return scanRevision(r) })
	if err != nil {
		return nil, fmt.Errorf("list flow revisions %d: %w", flowID, err)
	}
	return rs, nil
}

// GetFlowRevision implements store.FlowStore.
func (s *Store) GetFlowRevision(ctx context.Context, flowID int64, revision int) (*store.FlowRevision, error) {
	r, err := scanRevision(s.DB.QueryRowContext(ctx, `SELECT flow_id, revision, definition, spec_version, created_by, created_on
		FROM flow_revisions WHERE flow_id = $1 AND revision = $2`, flowID, revision))
	if err != nil {
		return nil, notFound(err, fmt.Sprintf("get flow %d revision %d", flowID, revision))
	}
	return r, nil
}
