package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"
	"unicode/utf8"

	"careflow/store"
)

// fireTaskTypes maps a fire's type to the task it becomes.
var fireTaskTypes = map[string]string{
	store.FireTimeout:       store.TaskTimeout,
	store.FireExpire:        store.TaskExpire,
	store.FireSessionExpire: store.TaskSessionExpire,
	store.FireCampaign:      store.TaskCampaign,
}

// firePayload is a fire task's payload: the handler checks the session and sprint still
// match before acting, since the contact may have moved on since the fire was set.
type firePayload struct {
	SessionUUID string `json:"session_uuid"`
	SprintUUID  string `json:"sprint_uuid"`
	Scope       string `json:"scope"`
	FireID      int64  `json:"fire_id"`
}

// FireDue implements store.RuntimeStore.
func (s *Store) FireDue(ctx context.Context, now time.Time, limit int) (int, error) {
	n := 0
	err := s.inTx(ctx, func(sqlTx *sql.Tx) error {
		tx := s.newStmtTx(sqlTx)
		defer tx.close()
		rows, err := tx.QueryContext(ctx, `SELECT id, workspace_id, contact_id, type, scope, session_uuid, sprint_uuid
			FROM contact_fires WHERE fire_on <= $1 ORDER BY fire_on LIMIT $2`+s.Dialect.SkipLocked, ms(now), limit)
		fires, err := collect(rows, err, func(r *sql.Rows) (*store.Fire, error) {
			var f store.Fire
			err := r.Scan(&f.ID, &f.WorkspaceID, &f.ContactID, &f.Type, &f.Scope, ud(&f.SessionUUID), ud(&f.SprintUUID))
			return &f, err
		})
		if err != nil {
			return fmt.Errorf("due fires: %w", err)
		}
		ids := make([]int64, len(fires))
		for i, f := range fires {
			payload, _ := json.Marshal(firePayload{SessionUUID: f.SessionUUID, SprintUUID: f.SprintUUID, Scope: f.Scope, FireID: f.ID})
			typ := fireTaskTypes[f.Type]
			if typ == "" {
				typ = f.Type
			}
			t := &store.ContactTask{WorkspaceID: f.WorkspaceID, ContactID: f.ContactID, Type: typ, Payload: payload}
			if err := insertTask(ctx, tx, t, ms(now)); err != nil {
				return err
			}
			ids[i] = f.ID
		}
		for _, chunk := range chunks(ids, chunkSize) {
			in, args := inList(nil, chunk)
			if _, err := tx.ExecContext(ctx, `DELETE FROM contact_fires WHERE id IN (`+in+`)`, args...); err != nil {
				return fmt.Errorf("delete fired: %w", err)
			}
		}
		n = len(fires)
		return nil
	})
	return n, err
}

// ListFires implements store.RuntimeStore.
func (s *Store) ListFires(ctx context.Context, contactID int64) ([]*store.Fire, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT id, workspace_id, contact_id, type, scope, session_uuid, sprint_uuid, fire_on
		FROM contact_fires WHERE contact_id = $1 ORDER BY fire_on, id`, contactID)
	fs, err := collect(rows, err, func(r *sql.Rows) (*store.Fire, error) {
		var f store.Fire
		var on int64
		err := r.Scan(&f.ID, &f.WorkspaceID, &f.ContactID, &f.Type, &f.Scope, ud(&f.SessionUUID), ud(&f.SprintUUID), &on)
		f.FireOn = fromMS(on)
		return &f, err
	})
	if err != nil {
		return nil, fmt.Errorf("list fires %d: %w", contactID, err)
	}
	return fs, nil
}

// NextFire implements store.RuntimeStore.
func (s *Store) NextFire(ctx context.Context) (*time.Time, error) {
	var on sql.NullInt64
	if err := s.DB.QueryRowContext(ctx, `SELECT MIN(fire_on) FROM contact_fires`).Scan(&on); err != nil {
		return nil, fmt.Errorf("next fire: %w", err)
	}
	if !on.Valid {
		return nil, nil
	}
	t := time.UnixMilli(on.Int64).UTC()
	return &t, nil
}

// InsertFires implements store.RuntimeStore.
func (s *Store) InsertFires(ctx context.Context, fires []*store.Fire) error {
	return s.inTx(ctx, func(sqlTx *sql.Tx) error {
		tx := s.newStmtTx(sqlTx)
		defer tx.close()
		return upsertFires(ctx, tx, fires)
	})
}

// DeleteFires implements store.RuntimeStore. The prefix is compared with substr, not LIKE,
// so its characters need no escaping and the comparison is case-sensitive on both backends.
func (s *Store) DeleteFires(ctx context.Context, workspaceID int64, typ, scopePrefix string, contactIDs []int64) (int64, error) {
	var n int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		n = 0
		q := `DELETE FROM contact_fires WHERE workspace_id = $1 AND type = $2 AND substr(scope, 1, $3) = $4`
		base := []any{workspaceID, typ, utf8.RuneCountInString(scopePrefix), scopePrefix}
		var lists [][]int64
		if contactIDs == nil {
			lists = [][]int64{nil}
		} else {
			lists = chunks(contactIDs, chunkSize)
		}
		for _, chunk := range lists {
			qq, args := q, base
			if chunk != nil {
				var in string
				in, args = inList(append([]any(nil), base...), chunk)
				qq += ` AND contact_id IN (` + in + `)`
			}
			res, err := tx.ExecContext(ctx, qq, args...)
			if err != nil {
				return fmt.Errorf("delete fires: %w", err)
			}
			c, _ := res.RowsAffected()
			n += c
		}
		return nil
	})
	return n, err
}
