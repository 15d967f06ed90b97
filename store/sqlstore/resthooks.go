package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"careflow/store"
)

var _ store.ResthookStore = (*Store)(nil)

// CreateResthook implements store.ResthookStore.
func (s *Store) CreateResthook(ctx context.Context, r *store.Resthook) error {
	if r.CreatedOn.IsZero() {
		r.CreatedOn = fromMS(s.nowMS())
	}
	r.ModifiedOn = r.CreatedOn
	return s.inTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO resthooks (workspace_id, slug, active, created_on, modified_on)
			VALUES ($1, $2, TRUE, $3, $3) RETURNING id`, r.WorkspaceID, r.Slug, ms(r.CreatedOn)).Scan(&r.ID)
		if isUnique(err) {
			return errConflict
		}
		if err != nil {
			return fmt.Errorf("create resthook %s: %w", r.Slug, err)
		}
		return bumpAssets(ctx, tx, r.WorkspaceID)
	})
}

// ListResthooks implements store.ResthookStore.
func (s *Store) ListResthooks(ctx context.Context, workspaceID int64) ([]*store.Resthook, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT id, workspace_id, slug, created_on, modified_on FROM resthooks
		WHERE workspace_id = $1 AND active ORDER BY slug`, workspaceID)
	list, err := collect(rows, err, func(r *sql.Rows) (*store.Resthook, error) {
		var h store.Resthook
		var created, modified int64
		err := r.Scan(&h.ID, &h.WorkspaceID, &h.Slug, &created, &modified)
		h.CreatedOn, h.ModifiedOn = fromMS(created), fromMS(modified)
		return &h, err
	})
	if err != nil {
		return nil, fmt.Errorf("list resthooks: %w", err)
	}
	return list, nil
}

// DeleteResthook implements store.ResthookStore.
func (s *Store) DeleteResthook(ctx context.Context, workspaceID int64, slug string) error {
	now := s.nowMS()
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, `UPDATE resthooks SET active = FALSE, modified_on = $1
			WHERE workspace_id = $2 AND slug = $3 AND active RETURNING id`, now, workspaceID, slug).Scan(&id)
		if err != nil {
			return notFound(err, "delete resthook "+slug)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE resthook_subscribers SET active = FALSE, modified_on = $1
			WHERE resthook_id = $2 AND active`, now, id); err != nil {
			return fmt.Errorf("delete resthook %s subscribers: %w", slug, err)
		}
		return bumpAssets(ctx, tx, workspaceID)
	})
}

// AddResthookSubscriber implements store.ResthookStore.
func (s *Store) AddResthookSubscriber(ctx context.Context, sub *store.ResthookSubscriber) error {
	if sub.CreatedOn.IsZero() {
		sub.CreatedOn = fromMS(s.nowMS())
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var hook int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM resthooks WHERE workspace_id = $1 AND slug = $2 AND active`,
			sub.WorkspaceID, sub.Resthook).Scan(&hook)
		if err != nil {
			return notFound(err, "resthook "+sub.Resthook)
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO resthook_subscribers (workspace_id, resthook_id, target_url, active, created_on, modified_on)
			VALUES ($1, $2, $3, TRUE, $4, $4) RETURNING id`, sub.WorkspaceID, hook, sub.TargetURL, ms(sub.CreatedOn)).Scan(&sub.ID)
		if isUnique(err) {
			return errConflict
		}
		if err != nil {
			return fmt.Errorf("add resthook subscriber: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE resthooks SET modified_on = $1 WHERE id = $2`, ms(sub.CreatedOn), hook); err != nil {
			return fmt.Errorf("touch resthook %s: %w", sub.Resthook, err)
		}
		return bumpAssets(ctx, tx, sub.WorkspaceID)
	})
}

// ListResthookSubscribers implements store.ResthookStore.
func (s *Store) ListResthookSubscribers(ctx context.Context, workspaceID int64) ([]*store.ResthookSubscriber, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT s.id, s.workspace_id, r.slug, s.target_url, s.created_on
		FROM resthook_subscribers s JOIN resthooks r ON r.id = s.resthook_id
		WHERE s.workspace_id = $1 AND s.active AND r.active ORDER BY s.id`, workspaceID)
	list, err := collect(rows, err, func(r *sql.Rows) (*store.ResthookSubscriber, error) {
		var sub store.ResthookSubscriber
		var created int64
		err := r.Scan(&sub.ID, &sub.WorkspaceID, &sub.Resthook, &sub.TargetURL, &created)
		sub.CreatedOn = fromMS(created)
		return &sub, err
	})
	if err != nil {
		return nil, fmt.Errorf("list resthook subscribers: %w", err)
	}
	return list, nil
}

// RemoveResthookSubscriber implements store.ResthookStore.
func (s *Store) RemoveResthookSubscriber(ctx context.Context, workspaceID int64, id int64) error {
	now := s.nowMS()
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var hook int64
		err := tx.QueryRowContext(ctx, `UPDATE resthook_subscribers SET active = FALSE, modified_on = $1
			WHERE id = $2 AND workspace_id = $3 AND active RETURNING resthook_id`, now, id, workspaceID).Scan(&hook)
		if err != nil {
			return notFound(err, fmt.Sprintf("remove resthook subscriber %d", id))
		}
		if _, err := tx.ExecContext(ctx, `UPDATE resthooks SET modified_on = $1 WHERE id = $2`, now, hook); err != nil {
			return fmt.Errorf("touch resthook: %w", err)
		}
		return bumpAssets(ctx, tx, workspaceID)
	})
}

// ListResthookEvents implements store.ResthookStore.
func (s *Store) ListResthookEvents(ctx context.Context, workspaceID int64, q store.ResthookEventQuery) ([]*store.ResthookEvent, error) {
	where, args := `e.workspace_id = $1`, []any{workspaceID}
	if q.Resthook != "" {
		args = append(args, q.Resthook)
		where += fmt.Sprintf(` AND r.slug = $%d`, len(args))
	}
	if q.BeforeID > 0 {
		args = append(args, q.BeforeID)
		where += fmt.Sprintf(` AND e.id < $%d`, len(args))
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 1000
	}
	args = append(args, limit)
	rows, err := s.DB.QueryContext(ctx, `SELECT e.id, e.workspace_id, r.slug, e.data, e.created_on
		FROM resthook_events e JOIN resthooks r ON r.id = e.resthook_id
		WHERE `+where+fmt.Sprintf(` ORDER BY e.id DESC LIMIT $%d`, len(args)), args...)
	list, err := collect(rows, err, func(r *sql.Rows) (*store.ResthookEvent, error) {
		var e store.ResthookEvent
		var data string
		var created int64
		err := r.Scan(&e.ID, &e.WorkspaceID, &e.Resthook, &data, &created)
		e.Data, e.CreatedOn = textRaw(data), fromMS(created)
		return &e, err
	})
	if err != nil {
		return nil, fmt.Errorf("list resthook events: %w", err)
	}
	return list, nil
}

// DeleteResthookEventsBefore implements store.ResthookStore.
func (s *Store) DeleteResthookEventsBefore(ctx context.Context, before time.Time) (int64, error) {
	var n int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM resthook_events WHERE created_on < $1`, ms(before))
		if err != nil {
			return fmt.Errorf("delete resthook events: %w", err)
		}
		n, _ = res.RowsAffected()
		return nil
	})
	return n, err
}

// insertResthookEvent adds a scene's resthook event, naming its resthook by the live one
// with the slug; an event for a slug the workspace no longer has is dropped.
func insertResthookEvent(ctx context.Context, tx *stmtTx, e *store.ResthookEvent, now int64) error {
	if e.CreatedOn.IsZero() {
		e.CreatedOn = fromMS(now)
	}
	err := tx.queryRow(ctx, `INSERT INTO resthook_events (workspace_id, resthook_id, data, created_on)
		SELECT workspace_id, id, $1, $2 FROM resthooks WHERE workspace_id = $3 AND slug = $4 AND active RETURNING id`,
		rawText(e.Data), ms(e.CreatedOn), e.WorkspaceID, e.Resthook).Scan(&e.ID)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("insert resthook event: %w", err)
	}
	return nil
}

// unsubscribeResthook removes the live subscriber of a scene's 410 Gone answer, if it is
// still there; the workspace's assets change only when one was removed.
func unsubscribeResthook(ctx context.Context, tx *stmtTx, workspaceID int64, u *store.ResthookUnsubscribe, now int64) error {
	res, err := tx.exec(ctx, `UPDATE resthook_subscribers SET active = FALSE, modified_on = $1
		WHERE active AND target_url = $2 AND resthook_id IN (SELECT id FROM resthooks WHERE workspace_id = $3 AND slug = $4 AND active)`,
		now, u.TargetURL, workspaceID, u.Resthook)
	if err != nil {
		return fmt.Errorf("unsubscribe from resthook %s: %w", u.Resthook, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil
	}
	if _, err := tx.exec(ctx, `UPDATE resthooks SET modified_on = $1 WHERE workspace_id = $2 AND slug = $3 AND active`,
		now, workspaceID, u.Resthook); err != nil {
		return fmt.Errorf("touch resthook %s: %w", u.Resthook, err)
	}
	return bumpAssets(ctx, tx.querier(), workspaceID)
}
